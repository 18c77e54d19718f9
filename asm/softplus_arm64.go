//go:build !purego

package asm

// SoftplusF32NEON sets dst[i] = ln(1 + e^x) for x = src[i], computed as max(x, 0) + ln(1 + e^-|x|).
// It computes
//
//	for i, x := range src {
//		v := float64(x)
//		dst[i] = float32(math.Max(v, 0) + math.Log1p(math.Exp(-math.Abs(v))))
//	}
//
// in float64 arithmetic (e^-|x| within about 2^-32, ln(1 + e) within about 2^-34, by the method
// in softplus_arm64.s), rounded once to float32: within 1 ULP of the correctly rounded result.
// Neither overflows nor loses the small results of very negative x, which go through the float32
// subnormals to 0 (below about -103.97); +Inf gives +Inf, -Inf gives 0, ±0 give ln 2 and NaN stays
// NaN. It requires NEON (ASIMD). len(dst) must be at least len(src); dst may be src (exactly, not
// partly overlapping). Any length and alignment: 4 elements per iteration, then the last
// len(src)%4 loaded and stored one lane at a time, so nothing outside the slices is read or
// written.
//
//go:noescape
func SoftplusF32NEON(dst, src []float32)

// SoftplusF64NEON sets dst[i] = log(1 + e^x) for x = src[i], computed as max(x, 0) +
// log1p(e^-|x|), within 2 ULP of the correctly rounded log(1 + e^x) that the loop
//
//	for i, x := range src {
//		dst[i] = math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
//	}
//
// approximates (the method in softplus_arm64.s: the float64 exp core, and fdlibm's ln with k and f
// chosen so that 1 + e^-|x| is never rounded). Softplus(+Inf) = +Inf, Softplus(-Inf) = +0, NaN
// stays NaN; the results of very negative x (e^x, down through the subnormals) keep their
// relative accuracy. It requires NEON (ASIMD). len(dst) must be at least len(src); dst may be src
// (exactly, not partly overlapping). Any length and alignment: 4 elements per iteration, then 2,
// then a last odd element loaded and stored as one lane, so nothing outside the slices is read or
// written.
//
//go:noescape
func SoftplusF64NEON(dst, src []float64)
