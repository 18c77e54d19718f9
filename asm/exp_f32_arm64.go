//go:build !purego

package asm

// ExpF32NEON computes, for len(src) elements,
//
//	for i, x := range src {
//		dst[i] = float32(math.Exp(float64(x)))
//	}
//
// within 1 ULP of the correctly rounded e^x (it is the correctly rounded one for all but about 6
// in 10000 inputs), +Inf above 88.72284, subnormals and then 0 below -103.97282, NaN for NaN, in
// float32 by the method in exp_f32_arm64.s. It requires NEON (ASIMD). len(dst) must be at least
// len(src); dst may be src (exactly, not partly overlapping). Any length and alignment: 8
// elements per iteration, then 4, then the last len(src)%4 loaded and stored one lane at a
// time, so nothing outside the slices is read or written.
//
//go:noescape
func ExpF32NEON(dst, src []float32)
