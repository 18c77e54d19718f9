//go:build !purego

package kernels

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
