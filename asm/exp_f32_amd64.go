//go:build !purego

package asm

// ExpF32AVX512 computes, for len(src) elements,
//
//	for i, x := range src {
//		dst[i] = float32(math.Exp(float64(x)))
//	}
//
// within 1 ULP of the correctly rounded e^x (which that loop gives but for rare double
// roundings): +Inf above 88.72284, subnormals (rounded once, not flushed) below -87.33654, 0
// below -103.97208, NaN for NaN. It requires AVX-512 F and DQ. len(dst) must be at least
// len(src); dst may be src (exactly, not partly overlapping). Any length and alignment, and
// nothing outside the slices is read or written: fewer than 16 elements are loaded and stored
// under a K mask; from 16 on, the last 16 are loaded before anything is stored and stored last,
// unmasked, over elements already written with the same values.
//
//go:noescape
func ExpF32AVX512(dst, src []float32)

// ExpF32AVX2 computes the same as ExpF32AVX512, to the same accuracy, with AVX2 and FMA3.
// len(dst) must be at least len(src); dst may be src. Any length and alignment, and nothing
// outside the slices is read or written: fewer than 8 elements are loaded and stored with
// VMASKMOVPS; from 8 on, the last 8 are handled like the last 16 of the AVX-512 version.
//
//go:noescape
func ExpF32AVX2(dst, src []float32)
