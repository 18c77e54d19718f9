//go:build !purego

package asm

// ReLUF32NEON sets dst[i] = max(src[i], 0), the rectifier. It computes
//
//	for i, x := range src {
//		if x < 0 {
//			x = 0
//		}
//		dst[i] = x
//	}
//
// NaN stays NaN, payload included, and -0 stays -0 (it is not below 0). It requires NEON (ASIMD).
// len(dst) must be at least len(src); dst may be src (exactly, not a shifted overlap). Any length
// and alignment: it works through 16 elements per iteration, then 4, and loads and stores the last
// len(src)%4 one lane at a time, so it never reads or writes outside the slices.
//
//go:noescape
func ReLUF32NEON(dst, src []float32)

// ReLUF64NEON sets dst[i] = max(src[i], 0), the rectifier. It computes
//
//	for i, x := range src {
//		if x < 0 {
//			x = 0
//		}
//		dst[i] = x
//	}
//
// NaN stays NaN, payload included, and -0 stays -0 (it is not below 0). It requires NEON (ASIMD).
// len(dst) must be at least len(src); dst may be src (exactly, not a shifted overlap). Any length
// and alignment: it works through 8 elements per iteration, then 2, and loads and stores a last odd
// element as one lane, so it never reads or writes outside the slices.
//
//go:noescape
func ReLUF64NEON(dst, src []float64)
