//go:build !purego

package asm

// ScaleF32AVX512 sets dst[i] = alpha*src[i]. It computes
//
//	for i, x := range src {
//		dst[i] = alpha * x
//	}
//
// It requires AVX-512F. len(dst) must be at least len(src); dst may be src (exactly, not a shifted
// overlap). Any length and alignment: it works through 64 elements per iteration, then 16, and
// does the last len(src)%16 with a K-masked load and store, so it never reads or writes outside
// the slices.
//
//go:noescape
func ScaleF32AVX512(alpha float32, dst, src []float32)

// ScaleF32AVX2 sets dst[i] = alpha*src[i]. It computes
//
//	for i, x := range src {
//		dst[i] = alpha * x
//	}
//
// It requires AVX2. len(dst) must be at least len(src); dst may be src (exactly, not a shifted
// overlap). Any length and alignment: it works through 32 elements per iteration, then 8, and does
// the last len(src)%8 with a VMASKMOV load and store, so it never reads or writes outside the
// slices.
//
//go:noescape
func ScaleF32AVX2(alpha float32, dst, src []float32)

// ScaleF64AVX512 sets dst[i] = alpha*src[i]. It computes
//
//	for i, x := range src {
//		dst[i] = alpha * x
//	}
//
// It requires AVX-512F. len(dst) must be at least len(src); dst may be src (exactly, not a shifted
// overlap). Any length and alignment: it works through 32 elements per iteration, then 8, and does
// the last len(src)%8 with a K-masked load and store, so it never reads or writes outside the
// slices.
//
//go:noescape
func ScaleF64AVX512(alpha float64, dst, src []float64)

// ScaleF64AVX2 sets dst[i] = alpha*src[i]. It computes
//
//	for i, x := range src {
//		dst[i] = alpha * x
//	}
//
// It requires AVX2. len(dst) must be at least len(src); dst may be src (exactly, not a shifted
// overlap). Any length and alignment: it works through 16 elements per iteration, then 4, and does
// the last len(src)%4 with a VMASKMOV load and store, so it never reads or writes outside the
// slices.
//
//go:noescape
func ScaleF64AVX2(alpha float64, dst, src []float64)
