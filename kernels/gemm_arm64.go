//go:build !purego

package kernels

// GEMM routing on arm64: the portable driver (gemm_driver.go) with the pure-Go 4x4 micro-kernel,
// until a NEON micro-kernel with the same packed layout takes its place for isaNEON.

func gemmF32(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmDrive(gemmKernelF32(), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func gemmF64(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	gemmDrive(gemmKernelF64(), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemmKernelF32 returns the float32 micro-kernel descriptor of the active ISA.
func gemmKernelF32() *gemmKernel[float32] { return gemmGoF32 }

// gemmKernelF64 returns the float64 micro-kernel descriptor of the active ISA.
func gemmKernelF64() *gemmKernel[float64] { return gemmGoF64 }
