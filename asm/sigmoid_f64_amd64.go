//go:build !purego

package asm

// SigmoidF64AVX512 computes, for len(src) elements,
//
//	for i, x := range src {
//		if x >= 0 {
//			dst[i] = 1 / (1 + math.Exp(-x))
//		} else {
//			dst[i] = math.Exp(x) / (1 + math.Exp(x))
//		}
//	}
//
// with the e^x of ExpF64AVX512 (within 1 ULP), so within 3 ULP of the sigmoid: exactly 1 for
// large x, subnormal and then exactly 0 for x below about -708.4 and -745.1, never NaN for a
// number, NaN for NaN. It requires AVX-512 F and DQ. len(dst) must be at least len(src); dst may
// be src (exactly, not partly overlapping). Any length and alignment: the last len(src)%8
// elements are loaded and stored under a K mask, so nothing outside the slices is read or written.
//
//go:noescape
func SigmoidF64AVX512(dst, src []float64)

// SigmoidF64AVX2 computes the same as SigmoidF64AVX512, to the same accuracy, with AVX2 and FMA3.
// len(dst) must be at least len(src); dst may be src. Any length and alignment: the last
// len(src)%4 elements are loaded and stored with VMASKMOVPD, so nothing outside the slices is read
// or written.
//
//go:noescape
func SigmoidF64AVX2(dst, src []float64)
