//go:build !purego

package kernels

import "github.com/lanesimd/lanes/asm"

// GEMM routing on amd64: the micro-kernel descriptor of the active ISA goes to the portable
// driver (gemm_driver.go).

func gemmF32(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	g := gemmKernelF32()
	if g == gemmAVX512F32 {
		if narrowTiles(m, n, g, gemmAVX2F32) {
			g = gemmAVX2F32
		} else if fewerCells(m, n, gemmAVX512WideF32, g) {
			g = gemmAVX512WideF32
		}
	}
	gemmDrive(g, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func gemmF64(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	g := gemmKernelF64()
	if g == gemmAVX512F64 && narrowTiles(m, n, g, gemmAVX2F64) {
		g = gemmAVX2F64
	}
	gemmDrive(g, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemmKernelF32 returns the float32 micro-kernel descriptor of the active ISA.
func gemmKernelF32() *gemmKernel[float32] {
	switch active {
	case isaAVX512:
		return gemmAVX512F32
	case isaAVX2:
		return gemmAVX2F32
	}
	return gemmGoF32
}

// gemmKernelF64 returns the float64 micro-kernel descriptor of the active ISA.
func gemmKernelF64() *gemmKernel[float64] {
	switch active {
	case isaAVX512:
		return gemmAVX512F64
	case isaAVX2:
		return gemmAVX2F64
	}
	return gemmGoF64
}

// The amd64 micro-kernels (asm/gemm_*_amd64.s) and the products (m*n*k multiply-adds) from
// which they are split over goroutines.
var (
	gemmAVX512F32 = withPackT8(newGemmKernel("avx512", asm.GemmF32AVX512Rows, asm.GemmF32AVX512Cols, asm.GemmF32AVX512, gemmAsmParallel), asm.GemmPackTF32AVX2)
	gemmAVX512F64 = newGemmKernel("avx512", asm.GemmF64AVX512Rows, asm.GemmF64AVX512Cols, asm.GemmF64AVX512, gemmAsmParallel)
	// gemmAVX512WideF32 is the 6 x 56 AVX-512 tile, for the widths it pads less (fewerCells).
	gemmAVX512WideF32 = withPackT8(newGemmKernel("avx512", asm.GemmWideF32AVX512Rows, asm.GemmWideF32AVX512Cols, asm.GemmWideF32AVX512, gemmAsmParallel), asm.GemmPackTF32AVX2)
	gemmAVX2F32       = withPackT8(newGemmKernel("avx2", asm.GemmF32AVX2Rows, asm.GemmF32AVX2Cols, asm.GemmF32AVX2, gemmAsmParallel), asm.GemmPackTF32AVX2)
	gemmAVX2F64       = newGemmKernel("avx2", asm.GemmF64AVX2Rows, asm.GemmF64AVX2Cols, asm.GemmF64AVX2, gemmAsmParallel)
)

// withPackT8 sets the 8-row transposing packer of g (both amd64 ISAs have AVX2).
func withPackT8[T Float](g *gemmKernel[T], packT8 func(dst []T, w int, src []T, ld, k int)) *gemmKernel[T] {
	g.packT8 = packT8
	return g
}

const gemmAsmParallel = 160 * 160 * 160

// narrowTiles reports whether the AVX2 kernel's smaller tile computes m x n with less than half
// the padded area of the AVX-512 tile (C padded to whole tiles), as when n is 10 or m is 1: the
// AVX-512 kernel does up to twice the work per instruction, so only then is AVX2 sure to win.
func narrowTiles[T Float](m, n int, wide, narrow *gemmKernel[T]) bool {
	return 2*gemmArea(m, n, narrow) <= gemmArea(m, n, wide)
}

// gemmArea is the area of C padded to whole tiles of g.
func gemmArea[T Float](m, n int, g *gemmKernel[T]) int {
	return (m + g.mr - 1) / g.mr * g.mr * ((n + g.nr - 1) / g.nr * g.nr)
}

// fewerCells reports whether the tile of alt pads C to at most 92% of the area the tile of g
// pads it to, as the 6 x 56 AVX-512 tile does for 50 columns (56 against 64), where both
// kernels run at the same number of multiply-adds per cycle (for their padded tiles). The
// margin keeps g, the tested default, where alt would gain little.
func fewerCells[T Float](m, n int, alt, g *gemmKernel[T]) bool {
	return 100*gemmArea(m, n, alt) <= 92*gemmArea(m, n, g)
}
