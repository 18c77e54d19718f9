//go:build !purego

package kernels

import "github.com/lanesimd/lanes/asm"

// GEMM routing on arm64: the micro-kernel descriptor of the active ISA goes to the portable
// driver (gemm_driver.go).

func gemmF32(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmDrive(gemmKernelF32(), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func gemmF64(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	gemmDrive(gemmKernelF64(), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemmKernelF32 returns the float32 micro-kernel descriptor of the active ISA.
func gemmKernelF32() *gemmKernel[float32] {
	if active == isaNEON {
		return gemmNEONF32
	}
	return gemmGoF32
}

// gemmKernelF64 returns the float64 micro-kernel descriptor of the active ISA.
func gemmKernelF64() *gemmKernel[float64] {
	if active == isaNEON {
		return gemmNEONF64
	}
	return gemmGoF64
}

// The NEON micro-kernels (asm/gemm_*_neon_arm64.s). The product (m*n*k multiply-adds) from which
// they are split over goroutines is amd64's measured threshold for its assembly kernels: there is
// no arm64 hardware to measure it on, and the per-goroutine cost it weighs is the Go runtime's.
var (
	gemmNEONF32 = newGemmKernel("neon", asm.GemmF32NEONRows, asm.GemmF32NEONCols, asm.GemmF32NEON, gemmNEONParallel)
	gemmNEONF64 = newGemmKernel("neon", asm.GemmF64NEONRows, asm.GemmF64NEONCols, asm.GemmF64NEON, gemmNEONParallel)
)

const gemmNEONParallel = 200 * 200 * 200
