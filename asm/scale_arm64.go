//go:build !purego

package asm

// ScaleF32NEON sets dst[i] = alpha*src[i]. It computes
//
//	for i, x := range src {
//		dst[i] = alpha * x
//	}
//
// It requires NEON (ASIMD). len(dst) must be at least len(src); dst may be src (exactly, not a
// shifted overlap). Any length and alignment: it works through 16 elements per iteration, then 4,
// and loads and stores the last len(src)%4 one lane at a time, so it never reads or writes outside
// the slices.
//
//go:noescape
func ScaleF32NEON(alpha float32, dst, src []float32)

// ScaleF64NEON sets dst[i] = alpha*src[i]. It computes
//
//	for i, x := range src {
//		dst[i] = alpha * x
//	}
//
// It requires NEON (ASIMD). len(dst) must be at least len(src); dst may be src (exactly, not a
// shifted overlap). Any length and alignment: it works through 8 elements per iteration, then 2,
// and loads and stores a last odd element as one lane, so it never reads or writes outside the
// slices.
//
//go:noescape
func ScaleF64NEON(alpha float64, dst, src []float64)
