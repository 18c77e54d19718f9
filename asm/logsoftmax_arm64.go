//go:build !purego

package asm

// LogSoftmaxF32NEON treats src as rows of cols elements and sets each row of dst to
// x - max - ln(1 + t), t the sum of e^(x - max) over the row but one maximal element. It computes,
// for every whole row (len(src)/cols of them, each done in three passes),
//
//	m := max(row)                      // NaN if the row holds one
//	if m-m != 0 {                      // NaN, +Inf, or a row of -Inf only
//		out[i] = NaN for every i
//	} else {
//		t := (the number of x with x == m) - 1
//		for _, x := range row {
//			if d := float64(x) - float64(m); d < 0 && d > -700 {
//				t += math.Exp(d)
//			}
//		}
//		lse := math.Log1p(t)
//		for i, x := range row {
//			out[i] = float32((float64(x) - float64(m)) - lse)
//		}
//	}
//
// in float64 arithmetic (e^d within about 2^-32, ln(1 + t) within about 2^-34, by the method in
// logsoftmax_arm64.s) with one rounding to float32 per element: within 1 ULP of the correctly
// rounded result. (The terms left out, below e^-700, change no float32 result but the sign of a
// zero: a maximal element whose row holds nothing else above max - 700 gets +0 where the terms
// would make it -0.) With a dominant maximum, t is small and the maximal element gets -t, not
// -0; a row of one element gives +0; -Inf entries give -Inf. It requires NEON (ASIMD). cols must be
// positive (it returns at once otherwise); len(dst) must be at least len(src); dst may be src
// (exactly, not partly overlapping). Any length, width and alignment: 4 elements per iteration
// of each pass, then the last cols%4 of the row loaded and stored one lane at a time, so nothing
// outside the slices is read or written.
//
//go:noescape
func LogSoftmaxF32NEON(dst, src []float32, cols int)

// LogSoftmaxF64NEON treats src as rows of cols elements and sets each row of dst to
// x - max - log(sum(e^(x - max))) over that row, as the loop
//
//	for r := 0; r+cols <= len(src); r += cols {
//		row := src[r : r+cols]
//		m := slices.Max(row)
//		var s float64
//		for _, x := range row {
//			s += math.Exp(x - m)
//		}
//		for i, x := range row {
//			dst[r+i] = (x - m) - math.Log(s)
//		}
//	}
//
// does, except that the sum is exact but for the rounding of its terms and log(s) is formed from
// s - 1 (log1p), so that the maximal element of a row with one dominant entry gets -(s - 1)
// rather than -0: each element within 2 ULP of the exact log-softmax of the rounded x - max (the
// method in logsoftmax_arm64.s, that of the amd64 kernels). -Inf entries give -Inf; a NaN or +Inf
// anywhere in a row, or a row of -Inf only, gives a row of NaN. It requires NEON (ASIMD). cols
// must be positive (otherwise it returns at once) and len(dst) at least len(src); whole rows are
// processed (a last partial row is left alone); dst may be src (exactly, not partly
// overlapping). Any length, width and alignment: each pass over a row works through 4 elements
// at a time, then 2, then loads (and stores) a last odd element as one lane, so it never reads
// or writes outside the slices.
//
//go:noescape
func LogSoftmaxF64NEON(dst, src []float64, cols int)
