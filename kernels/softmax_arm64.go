//go:build !purego

package kernels

func softmaxF32(dst, src []float32, cols int) { softmaxRef(dst, src, cols) }
func softmaxF64(dst, src []float64, cols int) { softmaxF64Go(dst, src, cols) }
