//go:build !purego

package asm

// StepF32NEON sets dst[i] to 1 where src[i] > 0 and to 0 elsewhere (NaN included). It computes
//
//	for i, x := range src {
//		if x > 0 {
//			dst[i] = 1
//		} else {
//			dst[i] = 0
//		}
//	}
//
// It requires NEON (ASIMD). len(dst) must be at least len(src); dst may be src (exactly, not a
// shifted overlap). Any length and alignment: it works through 16 elements per iteration, then 4,
// and loads and stores the last len(src)%4 one lane at a time, so it never reads or writes outside
// the slices.
//
//go:noescape
func StepF32NEON(dst, src []float32)

// StepF64NEON sets dst[i] to 1 where src[i] > 0 and to 0 elsewhere (NaN included). It computes
//
//	for i, x := range src {
//		if x > 0 {
//			dst[i] = 1
//		} else {
//			dst[i] = 0
//		}
//	}
//
// It requires NEON (ASIMD). len(dst) must be at least len(src); dst may be src (exactly, not a
// shifted overlap). Any length and alignment: it works through 8 elements per iteration, then 2,
// and loads and stores a last odd element as one lane, so it never reads or writes outside the
// slices.
//
//go:noescape
func StepF64NEON(dst, src []float64)
