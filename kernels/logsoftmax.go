package kernels

import (
	"fmt"
	"math"
)

// LogSoftmax treats src as rows of cols elements and sets each row of dst to
// x - max - log(sum(e^(x - max))) over that row: the logarithm of Softmax, computed without
// forming Softmax, so that it neither underflows nor loses the small entries. Each element is
// at most 0; -Inf entries give -Inf; a NaN anywhere in a row (or +Inf, or a row of -Inf only)
// gives a row of NaN. dst may be src. len(src) must equal len(dst) and be a multiple of cols,
// and cols must be positive.
//
// The sum is formed as 1 + t, with t the sum of e^(x - max) over every element but one
// maximal one, and log(1 + t) as log1p(t): with t small (one dominant entry) the maximal element
// gets -t, not -0. As x - max and -log1p(t) are both at most 0, the subtraction does not cancel.
// float32: within 2 ULP of the correctly rounded result; the float64 evaluation rounded once on
// the pure-Go path, and on the AVX paths for the rows that span more than 87 below their maximum
// (the others sum float32 exponentials in float64 and subtract in float32).
// float64: within a few ULP (the sum is compensated).
func LogSoftmax[T Float](dst, src []T, cols int) {
	sameLen("LogSoftmax", len(dst), len(src))
	if cols <= 0 || len(src)%cols != 0 {
		panic(fmt.Sprintf("kernels.LogSoftmax: cols = %d does not divide len(src) = %d into rows", cols, len(src)))
	}
	kern[T]().logSoftmax(dst, src, cols)
}

// logSoftmaxRef is LogSoftmax in Go, in float64 for both element types, per row:
//  1. m = the maximum (maxRef: NaN if the row holds one). If m is not finite (NaN, +Inf, or a
//     row of -Inf only) the row becomes NaN.
//  2. d = x - m for each element; t = the sum of e^d over the elements with d < 0 (Neumaier's
//     compensated sum), plus (the number of elements with d == 0) - 1: that is the sum over all
//     elements but one maximal one, without singling out an index, and without adding the 1 of
//     the maximum into t (which would round small terms away).
//  3. each element becomes d - log1p(t).
//
// For float32 input d is exact (or within 2^-53 relative where the exponents of x and m are
// more than 29 apart) and every step is far more accurate than float32 needs.
func logSoftmaxRef[T Float](dst, src []T, cols int) {
	for r := 0; r+cols <= len(src); r += cols {
		row, out := src[r:r+cols:r+cols], dst[r:r+cols:r+cols]
		m := float64(maxRef(row))
		if m-m != 0 {
			nan := T(math.NaN())
			for i := range out {
				out[i] = nan
			}
			continue
		}
		var t, c float64 // t + c is the compensated sum
		maxima := -1.0
		for _, x := range row {
			d := float64(x) - m
			if !(d < 0) {
				maxima++
				continue
			}
			e := math.Exp(d)
			s := t + e
			if t >= e {
				c += (t - s) + e
			} else {
				c += (e - s) + t
			}
			t = s
		}
		lse := math.Log1p(t + (c + maxima))
		for i, x := range row {
			out[i] = T((float64(x) - m) - lse)
		}
	}
}
