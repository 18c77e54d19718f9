//go:build !purego

package asm

// TanhF32AVX512 computes, for len(src) elements,
//
//	for i, x := range src {
//		dst[i] = float32(math.Tanh(float64(x)))
//	}
//
// in float64 arithmetic (e^(2|x|) within 1 float64 ULP, (e-1)/(e+1) within about 2^-40), so
// within 1 ULP of the correctly rounded tanh and nearly always equal to it; x itself for
// |x| < 2^-13 (+-0 and subnormals kept), +-1 for large |x| and +-Inf, NaN for NaN. It requires
// AVX-512 F, DQ and VL. len(dst) must be at least len(src); dst may be src (exactly, not partly
// overlapping). Any length and alignment, and nothing outside the slices is read or written:
// fewer than 16 elements are loaded and stored under a K mask; from 16 on, the last 16 are
// loaded before anything is stored and stored last, unmasked, over elements already written with
// the same values.
//
//go:noescape
func TanhF32AVX512(dst, src []float32)

// TanhF32AVX2 computes the same as TanhF32AVX512, to the same accuracy, with AVX2 and FMA3.
// len(dst) must be at least len(src); dst may be src. Any length and alignment, and nothing
// outside the slices is read or written: fewer than 8 elements are loaded and stored with
// VMASKMOVPS; from 8 on, the last 8 are handled like the last 16 of the AVX-512 version.
//
//go:noescape
func TanhF32AVX2(dst, src []float32)
