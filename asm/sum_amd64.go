//go:build !purego

package asm

// SumF32AVX512 returns the sum of the elements of x. It computes
//
//	var s float32
//	for _, v := range x {
//		s += v
//	}
//	return s
//
// It adds in a different order from the loop: 8 vector accumulators, then a pairwise sum of the
// lanes, so the result may differ from the loop by rounding. It requires AVX-512F. Any length and
// alignment: 128 elements per iteration, then 16, then the last len(x)%16 with K-masked loads
// (masked-off lanes count as 0), so it never reads outside the slice.
//
//go:noescape
func SumF32AVX512(x []float32) float32

// SumF32AVX2 returns the sum of the elements of x. It computes
//
//	var s float32
//	for _, v := range x {
//		s += v
//	}
//	return s
//
// It adds in a different order from the loop: 8 vector accumulators, then a pairwise sum of the
// lanes, so the result may differ from the loop by rounding. It requires AVX2. Any length and
// alignment: 64 elements per iteration, then 8, then the last len(x)%8 with VMASKMOV loads
// (masked-off lanes count as 0), so it never reads outside the slice.
//
//go:noescape
func SumF32AVX2(x []float32) float32

// SumF64AVX512 returns the sum of the elements of x. It computes
//
//	var s float64
//	for _, v := range x {
//		s += v
//	}
//	return s
//
// It adds in a different order from the loop: 8 vector accumulators, then a pairwise sum of the
// lanes, so the result may differ from the loop by rounding. It requires AVX-512F. Any length and
// alignment: 64 elements per iteration, then 8, then the last len(x)%8 with K-masked loads
// (masked-off lanes count as 0), so it never reads outside the slice.
//
//go:noescape
func SumF64AVX512(x []float64) float64

// SumF64AVX2 returns the sum of the elements of x. It computes
//
//	var s float64
//	for _, v := range x {
//		s += v
//	}
//	return s
//
// It adds in a different order from the loop: 8 vector accumulators, then a pairwise sum of the
// lanes, so the result may differ from the loop by rounding. It requires AVX2. Any length and
// alignment: 32 elements per iteration, then 4, then the last len(x)%4 with VMASKMOV loads
// (masked-off lanes count as 0), so it never reads outside the slice.
//
//go:noescape
func SumF64AVX2(x []float64) float64
