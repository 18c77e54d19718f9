//go:build !purego

package asm

// DotF32AVX512 returns the dot product of x and y. It computes
//
//	var s float32
//	for i, v := range x {
//		s += v * y[i]
//	}
//	return s
//
// It adds in a different order from the loop, with fused multiply-adds into 4 vector accumulators
// and a pairwise sum of the lanes, so the result may differ from the loop by rounding. It requires
// AVX-512F. len(y) must be at least len(x). Any length and alignment: 64 elements per iteration,
// then 16, then the last len(x)%16 with K-masked loads (masked-off lanes count as 0), so it never
// reads outside the slices.
//
//go:noescape
func DotF32AVX512(x, y []float32) float32

// DotF32AVX2 returns the dot product of x and y. It computes
//
//	var s float32
//	for i, v := range x {
//		s += v * y[i]
//	}
//	return s
//
// It adds in a different order from the loop, with fused multiply-adds into 4 vector accumulators
// and a pairwise sum of the lanes, so the result may differ from the loop by rounding. It requires
// AVX2 and FMA3. len(y) must be at least len(x). Any length and alignment: 32 elements per
// iteration, then 8, then the last len(x)%8 with VMASKMOV loads (masked-off lanes count as 0), so
// it never reads outside the slices.
//
//go:noescape
func DotF32AVX2(x, y []float32) float32

// DotF64AVX512 returns the dot product of x and y. It computes
//
//	var s float64
//	for i, v := range x {
//		s += v * y[i]
//	}
//	return s
//
// It adds in a different order from the loop, with fused multiply-adds into 4 vector accumulators
// and a pairwise sum of the lanes, so the result may differ from the loop by rounding. It requires
// AVX-512F. len(y) must be at least len(x). Any length and alignment: 32 elements per iteration,
// then 8, then the last len(x)%8 with K-masked loads (masked-off lanes count as 0), so it never
// reads outside the slices.
//
//go:noescape
func DotF64AVX512(x, y []float64) float64

// DotF64AVX2 returns the dot product of x and y. It computes
//
//	var s float64
//	for i, v := range x {
//		s += v * y[i]
//	}
//	return s
//
// It adds in a different order from the loop, with fused multiply-adds into 4 vector accumulators
// and a pairwise sum of the lanes, so the result may differ from the loop by rounding. It requires
// AVX2 and FMA3. len(y) must be at least len(x). Any length and alignment: 16 elements per
// iteration, then 4, then the last len(x)%4 with VMASKMOV loads (masked-off lanes count as 0), so
// it never reads outside the slices.
//
//go:noescape
func DotF64AVX2(x, y []float64) float64
