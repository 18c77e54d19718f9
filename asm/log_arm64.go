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
