//go:build !purego

package kernels

// Tanh[float32] on arm64 runs the pure-Go tanhF32Go (within 1 ULP of math.Tanh) on every path
// until a NEON kernel exists.
func tanhF32(dst, src []float32) { tanhRef(dst, src) }
