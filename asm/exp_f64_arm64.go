//go:build !purego

package asm

// ExpF64NEON computes, for len(src) elements,
//
//	for i, x := range src {
//		dst[i] = math.Exp(x)
//	}
//
// within 1 ULP of the exact result (the exact e^x rounded once where it is subnormal), +Inf above
// 709.782712893384, 0 below -745.1332191019412, NaN for NaN, by the method of exp_f64_arm64.h. It
// requires NEON (ASIMD). len(dst) must be at least len(src); dst may be src (exactly, not partly
// overlapping). Any length and alignment: 4 elements per iteration, then 2, then a last odd element
// loaded and stored as one lane, so nothing outside the slices is read or written.
//
//go:noescape
func ExpF64NEON(dst, src []float64)
