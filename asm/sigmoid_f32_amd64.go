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
// with e^-|x| as in ExpF32AVX512 (within 1 ULP) and the quotient num/(1+e) from VRCP14PS and
// one Newton step against the exact 1+e (never rounded), rounded once in float32: within 2 ULP
// of the correctly rounded sigmoid (1 ULP over all float32 inputs, as measured), exactly 1 for
// x above about 17.33, subnormal below about -87.34 and then exactly 0 below about -103.97,
// never NaN for a number, NaN for NaN. It requires AVX-512 F and DQ. len(dst) must be at least
// len(src); dst may be src (exactly, not partly overlapping). Any length and alignment, and
// nothing outside the slices is read or written: fewer than 16 elements are loaded and stored
// under a K mask; from 16 on, the last 16 are loaded before anything is stored and stored last,
// unmasked, over elements already written with the same values.
//
//go:noescape
func SigmoidF32AVX512(dst, src []float32)

// SigmoidF32AVX2 computes the same as SigmoidF32AVX512, within 2 ULP, with AVX2 and FMA3 (the
// quotient from one VDIVPS by the rounded 1+e, with that rounding corrected after it).
// len(dst) must be at least len(src); dst may be src. Any length and alignment, and nothing
// outside the slices is read or written: fewer than 8 elements are loaded and stored with
// VMASKMOVPS; from 8 on, the last 8 are handled like the last 16 of the AVX-512 version.
//
//go:noescape
func SigmoidF32AVX2(dst, src []float32)
