//go:build purego || !(amd64 || arm64)

package kernels

// Routing for builds without assembly: every kernel is its pure-Go implementation.

func expF32(dst, src []float32)                  { expRef(dst, src) }
func expF64(dst, src []float64)                  { expF64Go(dst, src) }
func sigmoidF32(dst, src []float32)              { sigmoidRef(dst, src) }
func sigmoidF64(dst, src []float64)              { sigmoidF64Go(dst, src) }
func tanhF32(dst, src []float32)                 { tanhRef(dst, src) }
func reluF32(dst, src []float32)                 { reluRef(dst, src) }
func reluF64(dst, src []float64)                 { reluRef(dst, src) }
func stepF32(dst, src []float32)                 { stepRef(dst, src) }
func stepF64(dst, src []float64)                 { stepRef(dst, src) }
func softmaxF32(dst, src []float32, cols int)    { softmaxRef(dst, src, cols) }
func softmaxF64(dst, src []float64, cols int)    { softmaxF64Go(dst, src, cols) }
func maxF32(x []float32) float32                 { return maxRef(x) }
func maxF64(x []float64) float64                 { return maxRef(x) }
func sumF32(x []float32) float32                 { return sumRef(x) }
func sumF64(x []float64) float64                 { return sumRef(x) }
func dotF32(x, y []float32) float32              { return dotRef(x, y) }
func dotF64(x, y []float64) float64              { return dotRef(x, y) }
func axpyF32(alpha float32, x, y []float32)      { axpyRef(alpha, x, y) }
func axpyF64(alpha float64, x, y []float64)      { axpyRef(alpha, x, y) }
func scaleF32(alpha float32, dst, src []float32) { scaleRef(alpha, dst, src) }
func scaleF64(alpha float64, dst, src []float64) { scaleRef(alpha, dst, src) }

func gemmF32(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmDrive(gemmKernelF32(), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func gemmF64(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	gemmDrive(gemmKernelF64(), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func gemmKernelF32() *gemmKernel[float32] { return gemmGoF32 }
func gemmKernelF64() *gemmKernel[float64] { return gemmGoF64 }
