//go:build !purego

package asm

// ExpF64AVX512 computes, for len(src) elements,
//
//	for i, x := range src {
//		dst[i] = math.Exp(x)
//	}
//
// within 1 ULP of the exact result (the exact e^x rounded once where it is subnormal), +Inf
// above 709.782712893384, 0 below -745.1332191019412, NaN for NaN. It requires AVX-512 F and DQ.
// len(dst) must be at least len(src); dst may be src (exactly, not partly overlapping). Any length
// and alignment: the last len(src)%8 elements are loaded and stored under a K mask, so nothing
// outside the slices is read or written.
//
//go:noescape
func ExpF64AVX512(dst, src []float64)

// ExpF64AVX2 computes the same as ExpF64AVX512, to the same accuracy, with AVX2 and
// FMA3. len(dst) must be at least len(src); dst may be src. Any length and alignment: the last
// len(src)%4 elements are loaded and stored with VMASKMOVPD, so nothing outside the slices is
// read or written.
//
//go:noescape
func ExpF64AVX2(dst, src []float64)
