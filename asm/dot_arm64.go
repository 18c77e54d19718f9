//go:build !purego

package asm

// DotF32NEON returns the dot product of x and y. It computes
//
//	var s float32
//	for i, v := range x {
//		s += v * y[i]
//	}
//	return s
//
// It adds in a different order from the loop, with fused multiply-adds (FMLA) into 8 vector
// accumulators and a pairwise sum of the lanes, so the result may differ from the loop by rounding.
// It requires NEON (ASIMD). len(y) must be at least len(x). Any length and alignment: 32 elements
// per iteration, then 4, then the last len(x)%4 loaded one lane at a time into a vector whose other
// lanes are 0, so it never reads outside the slices.
//
//go:noescape
func DotF32NEON(x, y []float32) float32

// DotF64NEON returns the dot product of x and y. It computes
//
//	var s float64
//	for i, v := range x {
//		s += v * y[i]
//	}
//	return s
//
// It adds in a different order from the loop, with fused multiply-adds (FMLA) into 8 vector
// accumulators and a pairwise sum of the lanes, so the result may differ from the loop by rounding.
// It requires NEON (ASIMD). len(y) must be at least len(x). Any length and alignment: 16 elements
// per iteration, then 2, then a last odd element loaded as one lane beside a lane of 0, so it never
// reads outside the slices.
//
//go:noescape
func DotF64NEON(x, y []float64) float64
