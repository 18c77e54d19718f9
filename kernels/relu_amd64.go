//go:build !purego

package kernels

func reluF32(dst, src []float32) { reluRef(dst, src) }

func reluF64(dst, src []float64) { reluRef(dst, src) }
