//go:build !purego

package kernels

import "github.com/lanesimd/lanes/asm"

// GEMM routing on amd64: the micro-kernel descriptor of the active ISA goes to the portable
// driver (gemm_driver.go).

func gemmF32(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmDrive(gemmKernelF32(), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func gemmF64(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	gemmDrive(gemmKernelF64(), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
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
	gemmAVX512F32 = newGemmKernel("avx512", asm.GemmF32AVX512Rows, asm.GemmF32AVX512Cols, asm.GemmF32AVX512, gemmAsmParallel)
	gemmAVX512F64 = newGemmKernel("avx512", asm.GemmF64AVX512Rows, asm.GemmF64AVX512Cols, asm.GemmF64AVX512, gemmAsmParallel)
	gemmAVX2F32   = newGemmKernel("avx2", asm.GemmF32AVX2Rows, asm.GemmF32AVX2Cols, asm.GemmF32AVX2, gemmAsmParallel)
	gemmAVX2F64   = newGemmKernel("avx2", asm.GemmF64AVX2Rows, asm.GemmF64AVX2Cols, asm.GemmF64AVX2, gemmAsmParallel)
)

const gemmAsmParallel = 128 * 128 * 128
