//go:build !purego

package kernels

func sigmoidF32(dst, src []float32) { sigmoidRef(dst, src) }

func sigmoidF64(dst, src []float64) { sigmoidRef(dst, src) }
