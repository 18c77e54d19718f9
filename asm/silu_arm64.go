//go:build !purego

package asm

// SiLUF32NEON sets dst[i] = x·sigmoid(x) = x/(1 + e^-x) for x = src[i], the sigmoid linear unit
// (swish). It computes
//
//	for i, x := range src {
//		dst[i] = float32(float64(x) / (1 + math.Exp(-float64(x))))
//	}
//
// in float64 arithmetic as x/(1+e) for x >= 0 and x·e/(1+e) for x < 0, with e = e^-|x| within
// about 2^-32 (the method in silu_arm64.s), rounded once to float32: within 1 ULP of the correctly
// rounded x·sigmoid(x). +Inf gives +Inf and large x give x itself; the results of very negative x
// go through the float32 subnormals to -0 (below about -108.66), -Inf included; ±0 give ±0 and NaN
// stays NaN. It requires NEON (ASIMD). len(dst) must be at least len(src); dst may be src
// (exactly, not partly overlapping). Any length and alignment: 4 elements per iteration, then the
// last len(src)%4 loaded and stored one lane at a time, so nothing outside the slices is read or
// written.
//
//go:noescape
func SiLUF32NEON(dst, src []float32)

// SiLUF64NEON sets dst[i] = x·σ(x) = x/(1+e^-x) for x = src[i], the sigmoid-weighted linear unit
// (swish), within 2 ULP of the correctly rounded exact value of
//
//	for i, x := range src {
//		dst[i] = x / (1 + math.Exp(-x))
//	}
//
// (evaluated exactly: the loop as written in float64 loses the subnormal results below
// x = -709.78, which this function keeps, rounded once). It forms σ(x) from e^-|x| = (M + Ml)·2^n
// as a quotient with a low part and rounds x times it once (the method in act_f64_arm64.h).
// SiLU(+Inf) = +Inf, SiLU(-Inf) = -0, ±0 stay ±0, NaN stays NaN, and results of negative inputs
// that round to zero (below -751.76) are -0. It requires NEON (ASIMD). len(dst) must be at least
// len(src); dst may be src (exactly, not partly overlapping). Any length and alignment: 4
// elements per iteration, then 2, then a last odd element loaded and stored as one lane, so
// nothing outside the slices is read or written.
//
//go:noescape
func SiLUF64NEON(dst, src []float64)
