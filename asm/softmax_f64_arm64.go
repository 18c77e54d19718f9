//go:build !purego

package asm

// ExpSubSumF64NEON is the exponential pass of a float64 softmax row: it computes
//
//	var s float64
//	for i, x := range src {
//		dst[i] = math.Exp(x - m)
//		s += dst[i]
//	}
//	return s
//
// with the e^x of ExpF64NEON (within 1 ULP) and the sum in four partial sums (two registers of two
// lanes) compensated: each starts at 4, so that Fast2Sum keeps the exact rounding error of every
// addition, and the errors are added back at the end, so that the sum of any length carries a few
// roundings relative to itself (it can round differently from the loop's). A NaN in src or m makes the
// sum NaN. It requires NEON (ASIMD). len(dst) must be at least len(src); dst may be src (exactly,
// not partly overlapping). Any length and alignment: 4 elements per iteration, then 2, then a last
// odd element loaded and stored as one lane (the other lane is set to 0 before it is added), so
// nothing outside the slices is read or written.
//
//go:noescape
func ExpSubSumF64NEON(dst, src []float64, m float64) float64
