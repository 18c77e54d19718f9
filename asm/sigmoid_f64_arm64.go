//go:build !purego

package asm

// SigmoidF64NEON computes, for len(src) elements,
//
//	for i, x := range src {
//		if x >= 0 {
//			dst[i] = 1 / (1 + math.Exp(-x))
//		} else {
//			dst[i] = math.Exp(x) / (1 + math.Exp(x))
//		}
//	}
//
// with the e^x of ExpF64NEON (within 1 ULP), so within 3 ULP of the sigmoid: exactly 1 for large x,
// subnormal and then exactly 0 for x below about -708.4 and -745.1, never NaN for a number, NaN for
// NaN. It requires NEON (ASIMD). len(dst) must be at least len(src); dst may be src (exactly, not
// partly overlapping). Any length and alignment: 4 elements per iteration, then 2, then a last odd
// element loaded and stored as one lane, so nothing outside the slices is read or written.
//
//go:noescape
func SigmoidF64NEON(dst, src []float64)
