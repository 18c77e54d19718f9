//go:build !purego

package asm

// SigmoidF32AVX512 computes, for len(src) elements,
//
//	for i, x := range src {
//		if x >= 0 {
//			dst[i] = float32(1 / (1 + math.Exp(-float64(x))))
//		} else {
//			e := math.Exp(float64(x))
//			dst[i] = float32(e / (1 + e))
//		}
//	}
//
// with e^-|x| as in ExpF32AVX512 (within 1 ULP), the rounding error of 1+e corrected and the
// quotient rounded once in float32, within 2 ULP of the correctly rounded sigmoid: exactly 1 for x above about 17.33, subnormal
// below about -87.34 and then exactly 0 below about -103.97, never NaN for a number, NaN for NaN.
// It requires AVX-512 F and DQ. len(dst) must be at least len(src); dst may be src (exactly, not
// partly overlapping). Any length and alignment: the last len(src)%16 elements are loaded and
// stored under a K mask, so nothing outside the slices is read or written.
//
//go:noescape
func SigmoidF32AVX512(dst, src []float32)

// SigmoidF32AVX2 computes the same as SigmoidF32AVX512, to the same accuracy, with AVX2 and FMA3.
// len(dst) must be at least len(src); dst may be src. Any length and alignment: the last
// len(src)%8 elements are loaded and stored with VMASKMOVPS, so nothing outside the slices is read
// or written.
//
//go:noescape
func SigmoidF32AVX2(dst, src []float32)
