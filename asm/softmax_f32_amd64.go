//go:build !purego

package asm

// SoftmaxF32AVX512 computes the softmax of each row of cols elements:
//
//	for r := 0; r+cols <= len(src); r += cols {
//		row, out := src[r:r+cols], dst[r:r+cols]
//		m := float32(math.Inf(-1))
//		for _, x := range row {
//			m = max(m, x)
//		}
//		var s float64
//		for i, x := range row {
//			out[i] = float32(math.Exp(float64(x - m)))
//			s += float64(out[i])
//		}
//		inv := float32(1 / s)
//		for i := range out {
//			out[i] *= inv
//		}
//	}
//
// with e^x as in ExpF32AVX512 (within 1 ULP) and the float64 sum accumulated in 64 interleaved
// partial sums added pairwise, so it can round differently from the loop's (by far less than a
// float32 ULP). A NaN in a row makes its sum, and so the whole row, NaN (whether or not the
// maximum pass, which uses VMAXPS, sees it); so does a +Inf, or a row of -Inf only. It requires
// AVX-512 F and DQ. cols must be positive (nothing is done otherwise); len(dst) must be at least
// len(src); dst may be src (exactly, not partly overlapping). Any cols and alignment, and
// nothing outside the slices is read or written: rows of fewer than 16 elements are loaded and
// stored under a K mask; longer rows end with an unmasked vector over their last 16 elements,
// loaded before the elements it overlaps are stored and counted once in the sum.
//
//go:noescape
func SoftmaxF32AVX512(dst, src []float32, cols int)

// SoftmaxF32AVX2 computes the same as SoftmaxF32AVX512, with AVX2 and FMA3, e^x as in
// ExpF32AVX2 and 8 float64 partial sums. cols must be positive (nothing is done otherwise);
// len(dst) must be at least len(src); dst may be src. Any cols and alignment, and nothing
// outside the slices is read or written: rows of fewer than 8 elements are loaded and stored with
// VMASKMOVPS; longer rows end with an unmasked vector over their last 8, as in
// SoftmaxF32AVX512.
//
//go:noescape
func SoftmaxF32AVX2(dst, src []float32, cols int)
