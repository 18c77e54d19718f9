//go:build !purego

package asm

// SigmoidF32NEON computes, for len(src) elements,
//
//	for i, x := range src {
//		dst[i] = float32(1 / (1 + math.Exp(-float64(x))))
//	}
//
// in float64 as e/(1+e) for x < 0 and 1/(1+e) otherwise, with e = e^-|x| within 2^-32
// (exp_f32_arm64.h), rounded once to float32: within 1 ULP of the correctly rounded sigmoid, exactly
// 1 for large x, subnormal and then exactly 0 for very negative x, never NaN for a number, NaN for
// NaN. It requires NEON (ASIMD). len(dst) must be at least len(src); dst may be src (exactly, not
// partly overlapping). Any length and alignment: 4 elements per iteration, then the last len(src)%4
// loaded and stored one lane at a time, so nothing outside the slices is read or written.
//
//go:noescape
func SigmoidF32NEON(dst, src []float32)
