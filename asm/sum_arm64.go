//go:build !purego

package asm

// SumF32NEON returns the sum of the elements of x. It computes
//
//	var s float32
//	for _, v := range x {
//		s += v
//	}
//	return s
//
// It adds in a different order from the loop: 8 vector accumulators, then a pairwise sum of the
// lanes, so the result may differ from the loop by rounding. It requires NEON (ASIMD). Any length
// and alignment: 32 elements per iteration, then 4, then the last len(x)%4 loaded one lane at a
// time into a vector whose other lanes are 0, so it never reads outside the slice.
//
//go:noescape
func SumF32NEON(x []float32) float32

// SumF64NEON returns the sum of the elements of x. It computes
//
//	var s float64
//	for _, v := range x {
//		s += v
//	}
//	return s
//
// It adds in a different order from the loop: 8 vector accumulators, then a pairwise sum of the
// lanes, so the result may differ from the loop by rounding. It requires NEON (ASIMD). Any length
// and alignment: 16 elements per iteration, then 2, then a last odd element loaded as one lane
// beside a lane of 0, so it never reads outside the slice.
//
//go:noescape
func SumF64NEON(x []float64) float64
