//go:build !purego

package asm

// GELUTanhF32NEON sets dst[i] = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) for x = src[i], the
// tanh approximation of GELU. It computes
//
//	for i, x := range src {
//		v := 2 * math.Sqrt(2/math.Pi) * (float64(x) + 0.044715*float64(x)*float64(x)*float64(x))
//		dst[i] = float32(float64(x) / (1 + math.Exp(-v)))
//	}
//
// (0.5·(1 + tanh(u)) is sigmoid(2u)) in float64 arithmetic as x/(1+e) for x >= 0 and x·e/(1+e)
// for x < 0, with e = e^-|v| within about 2^-32 (the method in gelutanh_arm64.s), rounded once
// to float32: within 1 ULP of the correctly rounded result of the formula with its constants
// taken as exact. +Inf gives +Inf and large x give x itself; the results of negative x go through
// the float32 subnormals to -0 (below about -10.77), -Inf included; ±0 give ±0 and NaN stays NaN.
// It requires NEON (ASIMD). len(dst) must be at least len(src); dst may be src (exactly, not
// partly overlapping). Any length and alignment: 4 elements per iteration, then the last
// len(src)%4 loaded and stored one lane at a time, so nothing outside the slices is read or
// written.
//
//go:noescape
func GELUTanhF32NEON(dst, src []float32)

// GELUTanhF64NEON sets dst[i] = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) for x = src[i], the
// tanh approximation of GELU, within 2 ULP of the correctly rounded exact value of this formula
// (0.044715 and √(2/π) taken as real numbers) that the loop
//
//	for i, x := range src {
//		dst[i] = 0.5 * x * (1 + math.Tanh(math.Sqrt(2/math.Pi)*(x+0.044715*x*x*x)))
//	}
//
// approximates. It computes x·σ(v), v = 2√(2/π)(x + 0.044715x³) as a double-double, with σ formed
// from e^-|v| as a quotient with a low part (the method in gelutanh_arm64.s). GELUTanh(+Inf) =
// +Inf, GELUTanh(-Inf) = -0, ±0 stay ±0, NaN stays NaN, and results of negative inputs that round
// to zero (below -21.55) are -0. It requires NEON (ASIMD). len(dst) must be at least len(src);
// dst may be src (exactly, not partly overlapping). Any length and alignment: 4 elements per
// iteration, then 2, then a last odd element loaded and stored as one lane, so nothing outside
// the slices is read or written.
//
//go:noescape
func GELUTanhF64NEON(dst, src []float64)
