//go:build !purego

package asm

// ReLUF32AVX512 sets dst[i] = max(src[i], 0), the rectifier. It computes
//
//	for i, x := range src {
//		if x < 0 {
//			x = 0
//		}
//		dst[i] = x
//	}
//
// NaN stays NaN, payload included, and -0 stays -0 (it is not below 0). It requires AVX-512F.
// len(dst) must be at least len(src); dst may be src (exactly, not a shifted overlap). Any length
// and alignment: it works through 64 elements per iteration, then 16, and does the last
// len(src)%16 with a K-masked load and store, so it never reads or writes outside the slices.
//
//go:noescape
func ReLUF32AVX512(dst, src []float32)

// ReLUF32AVX2 sets dst[i] = max(src[i], 0), the rectifier. It computes
//
//	for i, x := range src {
//		if x < 0 {
//			x = 0
//		}
//		dst[i] = x
//	}
//
// NaN stays NaN, payload included, and -0 stays -0 (it is not below 0). It requires AVX2. len(dst)
// must be at least len(src); dst may be src (exactly, not a shifted overlap). Any length and
// alignment: it works through 32 elements per iteration, then 8, and does the last len(src)%8 with
// a VMASKMOV load and store, so it never reads or writes outside the slices.
//
//go:noescape
func ReLUF32AVX2(dst, src []float32)

// ReLUF64AVX512 sets dst[i] = max(src[i], 0), the rectifier. It computes
//
//	for i, x := range src {
//		if x < 0 {
//			x = 0
//		}
//		dst[i] = x
//	}
//
// NaN stays NaN, payload included, and -0 stays -0 (it is not below 0). It requires AVX-512F.
// len(dst) must be at least len(src); dst may be src (exactly, not a shifted overlap). Any length
// and alignment: it works through 32 elements per iteration, then 8, and does the last len(src)%8
// with a K-masked load and store, so it never reads or writes outside the slices.
//
//go:noescape
func ReLUF64AVX512(dst, src []float64)

// ReLUF64AVX2 sets dst[i] = max(src[i], 0), the rectifier. It computes
//
//	for i, x := range src {
//		if x < 0 {
//			x = 0
//		}
//		dst[i] = x
//	}
//
// NaN stays NaN, payload included, and -0 stays -0 (it is not below 0). It requires AVX2. len(dst)
// must be at least len(src); dst may be src (exactly, not a shifted overlap). Any length and
// alignment: it works through 16 elements per iteration, then 4, and does the last len(src)%4 with
// a VMASKMOV load and store, so it never reads or writes outside the slices.
//
//go:noescape
func ReLUF64AVX2(dst, src []float64)
