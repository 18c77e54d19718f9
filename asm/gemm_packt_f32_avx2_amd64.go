//go:build !purego

package asm

// GemmPackTF32AVX2 transposes 8 rows of src into k steps of 8 lanes of dst, as the GEMM driver
// packs a B stored transposed into micro-panels of width w. It computes
//
//	for i := 0; i < 8; i++ {
//		for l := 0; l < k; l++ {
//			dst[l*w+i] = src[i*ld+l]
//		}
//	}
//
// exactly (a copy), eight steps at a time with an 8 x 8 transpose in registers. It requires AVX2.
//
// Contract: k >= 0 is a multiple of 8; ld >= k and w >= 8; len(src) >= 7*ld+k and
// len(dst) >= (k-1)*w+8 when k > 0. It reads and writes only those elements (lanes 8..w-1 of
// each step of dst are left alone); it does not check the lengths. dst must not overlap src.
//
//go:noescape
func GemmPackTF32AVX2(dst []float32, w int, src []float32, ld, k int)
