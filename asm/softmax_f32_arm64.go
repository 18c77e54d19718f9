//go:build !purego

package asm

// ExpSubSumF32NEON is the exponential pass of a float32 softmax row, with m the maximum of src: it
// computes
//
//	var s float64
//	for i, x := range src {
//		e := math.Exp(float64(x - m))
//		dst[i] = float32(e)
//		s += e
//	}
//	return s
//
// with x - m rounded to float32, the e^x of ExpF32NEON (within 2^-32 in float64, then rounded once:
// within 1 ULP) and the sum in four float64 partial sums added at the end. A NaN in src or m makes
// the sum NaN. It requires NEON (ASIMD). len(dst) must be at least len(src); dst may be src
// (exactly, not partly overlapping). Any length and alignment: 4 elements per iteration, then the
// last len(src)%4 loaded and stored one lane at a time (the other lanes hold -Inf, which adds 0 to
// the sum unless m is -Inf, +Inf or NaN: then the row's sum is NaN in any case), so nothing outside
// the slices is read or written.
//
//go:noescape
func ExpSubSumF32NEON(dst, src []float32, m float32) float64
