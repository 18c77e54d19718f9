//go:build !purego

package kernels

func expF32(dst, src []float32)     { expRef(dst, src) }
func expF64(dst, src []float64)     { expF64Go(dst, src) }
func sigmoidF32(dst, src []float32) { sigmoidRef(dst, src) }
func sigmoidF64(dst, src []float64) { sigmoidF64Go(dst, src) }
