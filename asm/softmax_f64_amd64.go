//go:build !purego

package asm

// SoftmaxF64AVX512 computes the softmax of each row of cols elements:
//
//	for r := 0; r+cols <= len(src); r += cols {
//		row, out := src[r:r+cols], dst[r:r+cols]
//		m := math.Inf(-1)
//		for _, x := range row {
//			m = max(m, x)
//		}
//		var s float64
//		for i, x := range row {
//			out[i] = math.Exp(x - m)
//			s += out[i]
//		}
//		for i := range out {
//			out[i] *= 1 / s
//		}
//	}
//
// with e^x as in ExpF64AVX512 (within 1 ULP) and the sum accumulated in 32 interleaved partial
// sums (8 lanes times 4 registers) added pairwise, so it can round differently from the loop's.
// A NaN in a row makes its sum, and so the whole row, NaN (whether or not the maximum pass, which
// uses VMAXPD, sees it); so does a +Inf, or a row of -Inf only. It requires AVX-512 F and DQ.
// cols must be positive (nothing is done otherwise); len(dst) must be at least len(src); dst may
// be src (exactly, not partly overlapping). Any cols and alignment: the last cols%8 elements of
// each row are loaded and stored under a K mask, so nothing outside the slices is read or written.
//
//go:noescape
func SoftmaxF64AVX512(dst, src []float64, cols int)

// SoftmaxF64AVX2 computes the same as SoftmaxF64AVX512, with AVX2 and FMA3, e^x as in
// ExpF64AVX2 and 4 partial sums (the lanes of one register) compensated: each starts at 4, so
// that Fast2Sum keeps the exact rounding error of every addition, and the errors are added back
// at the end, so that the sum of a row of any length carries a few roundings relative to itself
// (one running sum per lane was 9 ULP off an element in a row of 1030). cols must be positive
// (nothing is done otherwise); len(dst) must be at least len(src); dst may be src. Any cols and
// alignment: the last cols%4 elements of each row are loaded and stored with VMASKMOVPD, so
// nothing outside the slices is read or written.
//
//go:noescape
func SoftmaxF64AVX2(dst, src []float64, cols int)
