//go:build !purego

package asm

// LogF32NEON sets dst[i] = ln(src[i]), the natural logarithm. It computes
//
//	for i, x := range src {
//		dst[i] = float32(math.Log(float64(x)))
//	}
//
// in float64 arithmetic (ln within about 2^-34 relative, by the method in log_arm64.s), rounded
// once to float32: within 1 ULP of the correctly rounded logarithm, subnormal inputs included.
// ln(±0) = -Inf, ln(+Inf) = +Inf, ln(1) = +0, and a negative input (-Inf included) or NaN gives
// NaN. It requires NEON (ASIMD). len(dst) must be at least len(src); dst may be src (exactly, not
// partly overlapping). Any length and alignment: 4 elements per iteration, then the last
// len(src)%4 loaded and stored one lane at a time, so nothing outside the slices is read or
// written.
//
//go:noescape
func LogF32NEON(dst, src []float32)

// LogF64NEON sets dst[i] = ln(src[i]), the natural logarithm, within 1 ULP of the correctly
// rounded result, as
//
//	for i, x := range src {
//		dst[i] = math.Log(x)
//	}
//
// (the method of math.Log, fdlibm's, as in log_arm64.s) but for subnormal inputs, which it takes
// exactly. Log(±0) = -Inf, Log(+Inf) = +Inf, Log(1) = +0, and a negative input (-Inf included)
// or NaN gives NaN. It requires NEON (ASIMD). len(dst) must be at least len(src); dst may be src
// (exactly, not partly overlapping). Any length and alignment: 4 elements per iteration, then 2,
// then a last odd element loaded and stored as one lane, so nothing outside the slices is read or
// written.
//
//go:noescape
func LogF64NEON(dst, src []float64)
