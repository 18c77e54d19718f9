//go:build !purego

package asm

// GemvNF32NEON adds alpha times the dot products of the rows of a with x to y, the product
// y += alpha * A·x of the len(y) x len(x) matrix A whose rows are lda elements apart in a with a
// column vector x. It computes
//
//	for i := range y {
//		var s float32
//		for l, xl := range x {
//			s += a[i*lda+l] * xl
//		}
//		y[i] += alpha * s // a fused multiply-add: rounded once
//	}
//
// with each product added by a fused multiply-add (FMLA) into 2 vector partial sums per row, which
// are then summed with the lanes pairwise, the last len(x)%4 products added after that: that
// order of the additions is the only difference from the loop. It takes the rows in blocks of 4,
// then 1, reading x once per block and each row of a once, from start to end.
//
// Contract: lda >= len(x) when len(y) > 1 (not checked); when len(x) and len(y) are not 0,
// len(a) >= (len(y)-1)*lda + len(x) (not checked), and it reads exactly a[i*lda+l] for i < len(y),
// l < len(x), all of x and all of y; otherwise it reads nothing. Any length and alignment: 8,
// then 4 elements of each row per step, and the last len(x)%4 one lane at a time, so it
// never reads or writes outside the slices. y must not overlap a or x. It requires NEON (ASIMD).
//
//go:noescape
func GemvNF32NEON(alpha float32, a []float32, lda int, x, y []float32)

// GemvNF64NEON adds alpha times the dot products of the rows of a with x to y, the product
// y += alpha * A·x of the len(y) x len(x) matrix A whose rows are lda elements apart in a with a
// column vector x. It computes
//
//	for i := range y {
//		var s float64
//		for l, xl := range x {
//			s += a[i*lda+l] * xl
//		}
//		y[i] += alpha * s // a fused multiply-add: rounded once
//	}
//
// with each product added by a fused multiply-add (FMLA) into 2 vector partial sums per row, which
// are then summed with the lanes pairwise, the last len(x)%2 products added after that: that
// order of the additions is the only difference from the loop. It takes the rows in blocks of 4,
// then 1, reading x once per block and each row of a once, from start to end.
//
// Contract: lda >= len(x) when len(y) > 1 (not checked); when len(x) and len(y) are not 0,
// len(a) >= (len(y)-1)*lda + len(x) (not checked), and it reads exactly a[i*lda+l] for i < len(y),
// l < len(x), all of x and all of y; otherwise it reads nothing. Any length and alignment: 4,
// then 2 elements of each row per step, and the last len(x)%2 one lane at a time, so it
// never reads or writes outside the slices. y must not overlap a or x. It requires NEON (ASIMD).
//
//go:noescape
func GemvNF64NEON(alpha float64, a []float64, lda int, x, y []float64)

// GemvTF32NEON adds alpha times x times the rows of a to y, the product y += alpha * x·A of a
// row vector x with the len(x) x len(y) matrix A whose rows are lda elements apart in a. It
// computes exactly
//
//	for p, xp := range x {
//		s := alpha * xp
//		for j := range y {
//			y[j] += s * a[p*lda+j] // a fused multiply-add: rounded once
//		}
//	}
//
// (the same roundings in the same order). It takes the rows of a in blocks of 4, then 1, and
// passes over y once per block, keeping 4 vectors of y in registers while it adds the rows of the
// block to them, so y is loaded and stored once per block, and each row of a is read once, from
// start to end.
//
// Contract: lda >= len(y) when len(x) > 1 (not checked); when len(x) and len(y) are not 0,
// len(a) >= (len(x)-1)*lda + len(y) (not checked), and it reads exactly a[p*lda+j] for p < len(x),
// j < len(y), all of x and all of y; otherwise it reads nothing. Any length and alignment: 16,
// then 4 elements of y per step, and the last len(y)%4 one element at a time, so it never
// reads or writes outside the slices. y must not overlap a or x. It requires NEON (ASIMD).
//
//go:noescape
func GemvTF32NEON(alpha float32, a []float32, lda int, x, y []float32)

// GemvTF64NEON adds alpha times x times the rows of a to y, the product y += alpha * x·A of a
// row vector x with the len(x) x len(y) matrix A whose rows are lda elements apart in a. It
// computes exactly
//
//	for p, xp := range x {
//		s := alpha * xp
//		for j := range y {
//			y[j] += s * a[p*lda+j] // a fused multiply-add: rounded once
//		}
//	}
//
// (the same roundings in the same order). It takes the rows of a in blocks of 4, then 1, and
// passes over y once per block, keeping 4 vectors of y in registers while it adds the rows of the
// block to them, so y is loaded and stored once per block, and each row of a is read once, from
// start to end.
//
// Contract: lda >= len(y) when len(x) > 1 (not checked); when len(x) and len(y) are not 0,
// len(a) >= (len(x)-1)*lda + len(y) (not checked), and it reads exactly a[p*lda+j] for p < len(x),
// j < len(y), all of x and all of y; otherwise it reads nothing. Any length and alignment: 8,
// then 2 elements of y per step, and the last len(y)%2 one element at a time, so it never
// reads or writes outside the slices. y must not overlap a or x. It requires NEON (ASIMD).
//
//go:noescape
func GemvTF64NEON(alpha float64, a []float64, lda int, x, y []float64)
