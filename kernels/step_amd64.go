//go:build !purego

package kernels

func stepF32(dst, src []float32) { stepRef(dst, src) }

func stepF64(dst, src []float64) { stepRef(dst, src) }
