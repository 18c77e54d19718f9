//go:build !purego

package kernels

func expF32(dst, src []float32) { expRef(dst, src) }

func expF64(dst, src []float64) { expRef(dst, src) }
