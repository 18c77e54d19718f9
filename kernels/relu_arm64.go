//go:build !purego

package kernels

func reluF32(dst, src []float32) { reluRef(dst, src) }
func reluF64(dst, src []float64) { reluRef(dst, src) }
func stepF32(dst, src []float32) { stepRef(dst, src) }
func stepF64(dst, src []float64) { stepRef(dst, src) }
