//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// The GEMV kernels of kernels' GEMV path with NEON, float32 and float64: GemvN (y[i] += alpha *
// (row i of a)·x) and GemvT (y[j] += alpha * Σ_p x[p]*a[p*lda+j]). The exact loops and contracts
// are in the doc comments of gemv_arm64.go.
//
// GemvT takes the rows of a in blocks of 4 (then one at a time), broadcasts alpha*x[p+r] for each,
// and passes over y once per block: 4 vectors of y at a time, then one, then the last elements
// one at a time with scalar fused multiply-adds, each element of y taking the rows of the block in
// order. GemvN takes the rows in blocks of 4 (then one at a time), with 2 vector partial sums per
// row over x, sums the lanes pairwise, adds the last len(x)%lanes products one column at a time
// and adds alpha times the sums to y with fused multiply-adds. Every load and store is of whole
// vectors inside the rows or of single lanes, so neither reads or writes outside the slices.

// func GemvNF32NEON(alpha float32, a []float32, lda int, x, y []float32)
//
// Registers:
//   R0  row i of a (the first row of the block); R1  lda in bytes
//   R2, R3  &x[0], len(x)
//   R4  y[i]; R5  rows left
//   R6-R9  rows i..i+3 of a at the current column; R10  x at the current column
//   R11  columns left
//   V27  alpha in every lane (and as the scalar F27)
//   V16-V23  the partial sums, 2 vectors per row (row r in V16+2r, V17+2r)
//   V24, V25  x; V0-V7  2 vectors of each of 4 rows of a
TEXT ·GemvNF32NEON(SB), NOSPLIT, $0-88
	FMOVS	alpha+0(FP), F27
	MOVD	a_base+8(FP), R0
	MOVD	lda+32(FP), R1
	MOVD	x_base+40(FP), R2
	MOVD	x_len+48(FP), R3
	MOVD	y_base+64(FP), R4
	MOVD	y_len+72(FP), R5
	CBZ	R5, done
	CBZ	R3, done
	LSL	$2, R1, R1
	VDUP	V27.S[0], V27.S4

	// Blocks of 4 rows: y[i+r] += alpha * (row i+r of a)·x, r < 4.
rows4:
	CMP	$4, R5
	BLT	rows1
	VEOR	V16.B16, V16.B16, V16.B16
	VEOR	V17.B16, V17.B16, V17.B16
	VEOR	V18.B16, V18.B16, V18.B16
	VEOR	V19.B16, V19.B16, V19.B16
	VEOR	V20.B16, V20.B16, V20.B16
	VEOR	V21.B16, V21.B16, V21.B16
	VEOR	V22.B16, V22.B16, V22.B16
	VEOR	V23.B16, V23.B16, V23.B16
	MOVD	R0, R6
	ADD	R1, R6, R7
	ADD	R1, R7, R8
	ADD	R1, R8, R9
	MOVD	R2, R10
	MOVD	R3, R11

cols4:
	CMP	$8, R11
	BLT	col4
	VLD1.P	32(R10), [V24.S4, V25.S4]
	VLD1.P	32(R6), [V0.S4, V1.S4]
	VLD1.P	32(R7), [V2.S4, V3.S4]
	VLD1.P	32(R8), [V4.S4, V5.S4]
	VLD1.P	32(R9), [V6.S4, V7.S4]
	VFMLA	V24.S4, V0.S4, V16.S4
	VFMLA	V25.S4, V1.S4, V17.S4
	VFMLA	V24.S4, V2.S4, V18.S4
	VFMLA	V25.S4, V3.S4, V19.S4
	VFMLA	V24.S4, V4.S4, V20.S4
	VFMLA	V25.S4, V5.S4, V21.S4
	VFMLA	V24.S4, V6.S4, V22.S4
	VFMLA	V25.S4, V7.S4, V23.S4
	SUB	$8, R11
	B	cols4

col4:
	CMP	$4, R11
	BLT	sum4
	VLD1.P	16(R10), [V24.S4]
	VLD1.P	16(R6), [V0.S4]
	VLD1.P	16(R7), [V2.S4]
	VLD1.P	16(R8), [V4.S4]
	VLD1.P	16(R9), [V6.S4]
	VFMLA	V24.S4, V0.S4, V16.S4
	VFMLA	V24.S4, V2.S4, V18.S4
	VFMLA	V24.S4, V4.S4, V20.S4
	VFMLA	V24.S4, V6.S4, V22.S4
	SUB	$4, R11
	B	col4

sum4:
	FADD_S4(16, 16, 17)
	FADD_S4(18, 18, 19)
	FADD_S4(20, 20, 21)
	FADD_S4(22, 22, 23)
	// Pairwise sums of the lanes of the four rows: V16 = [s0, s1, s2, s3].
	FADDP_S4(16, 16, 18)
	FADDP_S4(20, 20, 22)
	FADDP_S4(16, 16, 20)

tail4:
	// The last len(x)%4 columns, one at a time: x[l] in every lane, a[i+r][l] in lane r.
	CBZ	R11, store4
	VLD1R.P	4(R10), [V24.S4]
	VLD1.P	4(R6), V0.S[0]
	VLD1.P	4(R7), V0.S[1]
	VLD1.P	4(R8), V0.S[2]
	VLD1.P	4(R9), V0.S[3]
	VFMLA	V24.S4, V0.S4, V16.S4
	SUB	$1, R11
	B	tail4

store4:
	// y[i:i+4] += alpha * sums, fused.
	VLD1	(R4), [V1.S4]
	VFMLA	V27.S4, V16.S4, V1.S4
	VST1.P	[V1.S4], 16(R4)
	SUB	$4, R5
	ADD	R1<<2, R0, R0
	B	rows4

	// Single rows: y[i] += alpha * (row i of a)·x.
rows1:
	CBZ	R5, done
	VEOR	V16.B16, V16.B16, V16.B16
	VEOR	V17.B16, V17.B16, V17.B16
	MOVD	R0, R6
	MOVD	R2, R10
	MOVD	R3, R11

cols1:
	CMP	$8, R11
	BLT	col1
	VLD1.P	32(R10), [V24.S4, V25.S4]
	VLD1.P	32(R6), [V0.S4, V1.S4]
	VFMLA	V24.S4, V0.S4, V16.S4
	VFMLA	V25.S4, V1.S4, V17.S4
	SUB	$8, R11
	B	cols1

col1:
	CMP	$4, R11
	BLT	sum1
	VLD1.P	16(R10), [V24.S4]
	VLD1.P	16(R6), [V0.S4]
	VFMLA	V24.S4, V0.S4, V16.S4
	SUB	$4, R11
	B	col1

sum1:
	FADD_S4(16, 16, 17)
	FADDP_S4(16, 16, 16)
	FADDP_S4(16, 16, 16)
	// The sum is in F16 (lane 0); the scalar instructions below clear the other lanes.

tail1:
	CBZ	R11, store1
	FMOVS.P	4(R10), F24
	FMOVS.P	4(R6), F0
	FMADDS	F24, F16, F0, F16
	SUB	$1, R11
	B	tail1

store1:
	FMOVS	(R4), F1
	FMADDS	F27, F1, F16, F1
	FMOVS.P	F1, 4(R4)
	SUB	$1, R5
	ADD	R1, R0
	B	rows1

done:
	RET

// func GemvNF64NEON(alpha float64, a []float64, lda int, x, y []float64)
//
// Registers:
//   R0  row i of a (the first row of the block); R1  lda in bytes
//   R2, R3  &x[0], len(x)
//   R4  y[i]; R5  rows left
//   R6-R9  rows i..i+3 of a at the current column; R10  x at the current column
//   R11  columns left
//   V27  alpha in every lane (and as the scalar F27)
//   V16-V23  the partial sums, 2 vectors per row (row r in V16+2r, V17+2r)
//   V24, V25  x; V0-V7  2 vectors of each of 4 rows of a
TEXT ·GemvNF64NEON(SB), NOSPLIT, $0-88
	FMOVD	alpha+0(FP), F27
	MOVD	a_base+8(FP), R0
	MOVD	lda+32(FP), R1
	MOVD	x_base+40(FP), R2
	MOVD	x_len+48(FP), R3
	MOVD	y_base+64(FP), R4
	MOVD	y_len+72(FP), R5
	CBZ	R5, done
	CBZ	R3, done
	LSL	$3, R1, R1
	VDUP	V27.D[0], V27.D2

	// Blocks of 4 rows: y[i+r] += alpha * (row i+r of a)·x, r < 4.
rows4:
	CMP	$4, R5
	BLT	rows1
	VEOR	V16.B16, V16.B16, V16.B16
	VEOR	V17.B16, V17.B16, V17.B16
	VEOR	V18.B16, V18.B16, V18.B16
	VEOR	V19.B16, V19.B16, V19.B16
	VEOR	V20.B16, V20.B16, V20.B16
	VEOR	V21.B16, V21.B16, V21.B16
	VEOR	V22.B16, V22.B16, V22.B16
	VEOR	V23.B16, V23.B16, V23.B16
	MOVD	R0, R6
	ADD	R1, R6, R7
	ADD	R1, R7, R8
	ADD	R1, R8, R9
	MOVD	R2, R10
	MOVD	R3, R11

cols4:
	CMP	$4, R11
	BLT	col4
	VLD1.P	32(R10), [V24.D2, V25.D2]
	VLD1.P	32(R6), [V0.D2, V1.D2]
	VLD1.P	32(R7), [V2.D2, V3.D2]
	VLD1.P	32(R8), [V4.D2, V5.D2]
	VLD1.P	32(R9), [V6.D2, V7.D2]
	VFMLA	V24.D2, V0.D2, V16.D2
	VFMLA	V25.D2, V1.D2, V17.D2
	VFMLA	V24.D2, V2.D2, V18.D2
	VFMLA	V25.D2, V3.D2, V19.D2
	VFMLA	V24.D2, V4.D2, V20.D2
	VFMLA	V25.D2, V5.D2, V21.D2
	VFMLA	V24.D2, V6.D2, V22.D2
	VFMLA	V25.D2, V7.D2, V23.D2
	SUB	$4, R11
	B	cols4

col4:
	CMP	$2, R11
	BLT	sum4
	VLD1.P	16(R10), [V24.D2]
	VLD1.P	16(R6), [V0.D2]
	VLD1.P	16(R7), [V2.D2]
	VLD1.P	16(R8), [V4.D2]
	VLD1.P	16(R9), [V6.D2]
	VFMLA	V24.D2, V0.D2, V16.D2
	VFMLA	V24.D2, V2.D2, V18.D2
	VFMLA	V24.D2, V4.D2, V20.D2
	VFMLA	V24.D2, V6.D2, V22.D2
	SUB	$2, R11
	B	col4

sum4:
	FADD_D2(16, 16, 17)
	FADD_D2(18, 18, 19)
	FADD_D2(20, 20, 21)
	FADD_D2(22, 22, 23)
	// The lanes of each row summed: V16 = [s0, s1], V20 = [s2, s3].
	FADDP_D2(16, 16, 18)
	FADDP_D2(20, 20, 22)

tail4:
	// The last len(x)%2 columns, one at a time: x[l] in every lane, a[i+r][l] in lane r.
	CBZ	R11, store4
	VLD1R.P	8(R10), [V24.D2]
	VLD1.P	8(R6), V0.D[0]
	VLD1.P	8(R7), V0.D[1]
	VLD1.P	8(R8), V1.D[0]
	VLD1.P	8(R9), V1.D[1]
	VFMLA	V24.D2, V0.D2, V16.D2
	VFMLA	V24.D2, V1.D2, V20.D2
	SUB	$1, R11
	B	tail4

store4:
	// y[i:i+4] += alpha * sums, fused.
	VLD1	(R4), [V2.D2, V3.D2]
	VFMLA	V27.D2, V16.D2, V2.D2
	VFMLA	V27.D2, V20.D2, V3.D2
	VST1.P	[V2.D2, V3.D2], 32(R4)
	SUB	$4, R5
	ADD	R1<<2, R0, R0
	B	rows4

	// Single rows: y[i] += alpha * (row i of a)·x.
rows1:
	CBZ	R5, done
	VEOR	V16.B16, V16.B16, V16.B16
	VEOR	V17.B16, V17.B16, V17.B16
	MOVD	R0, R6
	MOVD	R2, R10
	MOVD	R3, R11

cols1:
	CMP	$4, R11
	BLT	col1
	VLD1.P	32(R10), [V24.D2, V25.D2]
	VLD1.P	32(R6), [V0.D2, V1.D2]
	VFMLA	V24.D2, V0.D2, V16.D2
	VFMLA	V25.D2, V1.D2, V17.D2
	SUB	$4, R11
	B	cols1

col1:
	CMP	$2, R11
	BLT	sum1
	VLD1.P	16(R10), [V24.D2]
	VLD1.P	16(R6), [V0.D2]
	VFMLA	V24.D2, V0.D2, V16.D2
	SUB	$2, R11
	B	col1

sum1:
	FADD_D2(16, 16, 17)
	FADDP_D2(16, 16, 16)
	// The sum is in F16 (lane 0); the scalar instructions below clear the other lanes.

tail1:
	CBZ	R11, store1
	FMOVD.P	8(R10), F24
	FMOVD.P	8(R6), F0
	FMADDD	F24, F16, F0, F16
	SUB	$1, R11
	B	tail1

store1:
	FMOVD	(R4), F1
	FMADDD	F27, F1, F16, F1
	FMOVD.P	F1, 8(R4)
	SUB	$1, R5
	ADD	R1, R0
	B	rows1

done:
	RET

// func GemvTF32NEON(alpha float32, a []float32, lda int, x, y []float32)
//
// Registers:
//   R0  row p of a (the first row of the block); R1  lda in bytes
//   R2  x[p]; R3  rows left
//   R4, R5  &y[0], len(y)
//   R6-R9  rows p..p+3 of a at the current column; R10  y at the current column
//   R11  columns left in the pass over y
//   V27  alpha; V28-V31  alpha*x[p+r] in every lane (and as scalars F28-F31)
//   V0-V15  4 vectors of each of 4 rows of a; V16-V19  4 vectors of y
TEXT ·GemvTF32NEON(SB), NOSPLIT, $0-88
	FMOVS	alpha+0(FP), F27
	MOVD	a_base+8(FP), R0
	MOVD	lda+32(FP), R1
	MOVD	x_base+40(FP), R2
	MOVD	x_len+48(FP), R3
	MOVD	y_base+64(FP), R4
	MOVD	y_len+72(FP), R5
	CBZ	R5, done
	CBZ	R3, done
	LSL	$2, R1, R1

	// Blocks of 4 rows: y += (alpha*x[p+r]) * (row p+r of a), r < 4, one pass over y.
rows4:
	CMP	$4, R3
	BLT	rows1
	FMOVS	0(R2), F28
	FMOVS	4(R2), F29
	FMOVS	8(R2), F30
	FMOVS	12(R2), F31
	FMULS	F27, F28, F28
	FMULS	F27, F29, F29
	FMULS	F27, F30, F30
	FMULS	F27, F31, F31
	VDUP	V28.S[0], V28.S4
	VDUP	V29.S[0], V29.S4
	VDUP	V30.S[0], V30.S4
	VDUP	V31.S[0], V31.S4
	MOVD	R0, R6
	ADD	R1, R6, R7
	ADD	R1, R7, R8
	ADD	R1, R8, R9
	MOVD	R4, R10
	MOVD	R5, R11

cols4:
	CMP	$16, R11
	BLT	col4
	VLD1	(R10), [V16.S4, V17.S4, V18.S4, V19.S4]
	VLD1.P	64(R6), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P	64(R7), [V4.S4, V5.S4, V6.S4, V7.S4]
	VLD1.P	64(R8), [V8.S4, V9.S4, V10.S4, V11.S4]
	VLD1.P	64(R9), [V12.S4, V13.S4, V14.S4, V15.S4]
	VFMLA	V28.S4, V0.S4, V16.S4
	VFMLA	V28.S4, V1.S4, V17.S4
	VFMLA	V28.S4, V2.S4, V18.S4
	VFMLA	V28.S4, V3.S4, V19.S4
	VFMLA	V29.S4, V4.S4, V16.S4
	VFMLA	V29.S4, V5.S4, V17.S4
	VFMLA	V29.S4, V6.S4, V18.S4
	VFMLA	V29.S4, V7.S4, V19.S4
	VFMLA	V30.S4, V8.S4, V16.S4
	VFMLA	V30.S4, V9.S4, V17.S4
	VFMLA	V30.S4, V10.S4, V18.S4
	VFMLA	V30.S4, V11.S4, V19.S4
	VFMLA	V31.S4, V12.S4, V16.S4
	VFMLA	V31.S4, V13.S4, V17.S4
	VFMLA	V31.S4, V14.S4, V18.S4
	VFMLA	V31.S4, V15.S4, V19.S4
	VST1.P	[V16.S4, V17.S4, V18.S4, V19.S4], 64(R10)
	SUB	$16, R11
	B	cols4

col4:
	CMP	$4, R11
	BLT	tail4
	VLD1	(R10), [V16.S4]
	VLD1.P	16(R6), [V0.S4]
	VLD1.P	16(R7), [V4.S4]
	VLD1.P	16(R8), [V8.S4]
	VLD1.P	16(R9), [V12.S4]
	VFMLA	V28.S4, V0.S4, V16.S4
	VFMLA	V29.S4, V4.S4, V16.S4
	VFMLA	V30.S4, V8.S4, V16.S4
	VFMLA	V31.S4, V12.S4, V16.S4
	VST1.P	[V16.S4], 16(R10)
	SUB	$4, R11
	B	col4

tail4:
	// The last len(y)%4 columns, one at a time, with scalar fused multiply-adds.
	CBZ	R11, next4
	FMOVS	(R10), F16
	FMOVS.P	4(R6), F0
	FMOVS.P	4(R7), F4
	FMOVS.P	4(R8), F8
	FMOVS.P	4(R9), F12
	FMADDS	F28, F16, F0, F16
	FMADDS	F29, F16, F4, F16
	FMADDS	F30, F16, F8, F16
	FMADDS	F31, F16, F12, F16
	FMOVS.P	F16, 4(R10)
	SUB	$1, R11
	B	tail4

next4:
	ADD	$16, R2
	SUB	$4, R3
	ADD	R1<<2, R0, R0
	B	rows4

	// Single rows: y += (alpha*x[p]) * (row p of a).
rows1:
	CBZ	R3, done
	FMOVS	(R2), F28
	FMULS	F27, F28, F28
	VDUP	V28.S[0], V28.S4
	MOVD	R0, R6
	MOVD	R4, R10
	MOVD	R5, R11

cols1:
	CMP	$16, R11
	BLT	col1
	VLD1	(R10), [V16.S4, V17.S4, V18.S4, V19.S4]
	VLD1.P	64(R6), [V0.S4, V1.S4, V2.S4, V3.S4]
	VFMLA	V28.S4, V0.S4, V16.S4
	VFMLA	V28.S4, V1.S4, V17.S4
	VFMLA	V28.S4, V2.S4, V18.S4
	VFMLA	V28.S4, V3.S4, V19.S4
	VST1.P	[V16.S4, V17.S4, V18.S4, V19.S4], 64(R10)
	SUB	$16, R11
	B	cols1

col1:
	CMP	$4, R11
	BLT	tail1
	VLD1	(R10), [V16.S4]
	VLD1.P	16(R6), [V0.S4]
	VFMLA	V28.S4, V0.S4, V16.S4
	VST1.P	[V16.S4], 16(R10)
	SUB	$4, R11
	B	col1

tail1:
	CBZ	R11, next1
	FMOVS	(R10), F16
	FMOVS.P	4(R6), F0
	FMADDS	F28, F16, F0, F16
	FMOVS.P	F16, 4(R10)
	SUB	$1, R11
	B	tail1

next1:
	ADD	$4, R2
	SUB	$1, R3
	ADD	R1, R0
	B	rows1

done:
	RET

// func GemvTF64NEON(alpha float64, a []float64, lda int, x, y []float64)
//
// Registers:
//   R0  row p of a (the first row of the block); R1  lda in bytes
//   R2  x[p]; R3  rows left
//   R4, R5  &y[0], len(y)
//   R6-R9  rows p..p+3 of a at the current column; R10  y at the current column
//   R11  columns left in the pass over y
//   V27  alpha; V28-V31  alpha*x[p+r] in every lane (and as scalars F28-F31)
//   V0-V15  4 vectors of each of 4 rows of a; V16-V19  4 vectors of y
TEXT ·GemvTF64NEON(SB), NOSPLIT, $0-88
	FMOVD	alpha+0(FP), F27
	MOVD	a_base+8(FP), R0
	MOVD	lda+32(FP), R1
	MOVD	x_base+40(FP), R2
	MOVD	x_len+48(FP), R3
	MOVD	y_base+64(FP), R4
	MOVD	y_len+72(FP), R5
	CBZ	R5, done
	CBZ	R3, done
	LSL	$3, R1, R1

	// Blocks of 4 rows: y += (alpha*x[p+r]) * (row p+r of a), r < 4, one pass over y.
rows4:
	CMP	$4, R3
	BLT	rows1
	FMOVD	0(R2), F28
	FMOVD	8(R2), F29
	FMOVD	16(R2), F30
	FMOVD	24(R2), F31
	FMULD	F27, F28, F28
	FMULD	F27, F29, F29
	FMULD	F27, F30, F30
	FMULD	F27, F31, F31
	VDUP	V28.D[0], V28.D2
	VDUP	V29.D[0], V29.D2
	VDUP	V30.D[0], V30.D2
	VDUP	V31.D[0], V31.D2
	MOVD	R0, R6
	ADD	R1, R6, R7
	ADD	R1, R7, R8
	ADD	R1, R8, R9
	MOVD	R4, R10
	MOVD	R5, R11

cols4:
	CMP	$8, R11
	BLT	col4
	VLD1	(R10), [V16.D2, V17.D2, V18.D2, V19.D2]
	VLD1.P	64(R6), [V0.D2, V1.D2, V2.D2, V3.D2]
	VLD1.P	64(R7), [V4.D2, V5.D2, V6.D2, V7.D2]
	VLD1.P	64(R8), [V8.D2, V9.D2, V10.D2, V11.D2]
	VLD1.P	64(R9), [V12.D2, V13.D2, V14.D2, V15.D2]
	VFMLA	V28.D2, V0.D2, V16.D2
	VFMLA	V28.D2, V1.D2, V17.D2
	VFMLA	V28.D2, V2.D2, V18.D2
	VFMLA	V28.D2, V3.D2, V19.D2
	VFMLA	V29.D2, V4.D2, V16.D2
	VFMLA	V29.D2, V5.D2, V17.D2
	VFMLA	V29.D2, V6.D2, V18.D2
	VFMLA	V29.D2, V7.D2, V19.D2
	VFMLA	V30.D2, V8.D2, V16.D2
	VFMLA	V30.D2, V9.D2, V17.D2
	VFMLA	V30.D2, V10.D2, V18.D2
	VFMLA	V30.D2, V11.D2, V19.D2
	VFMLA	V31.D2, V12.D2, V16.D2
	VFMLA	V31.D2, V13.D2, V17.D2
	VFMLA	V31.D2, V14.D2, V18.D2
	VFMLA	V31.D2, V15.D2, V19.D2
	VST1.P	[V16.D2, V17.D2, V18.D2, V19.D2], 64(R10)
	SUB	$8, R11
	B	cols4

col4:
	CMP	$2, R11
	BLT	tail4
	VLD1	(R10), [V16.D2]
	VLD1.P	16(R6), [V0.D2]
	VLD1.P	16(R7), [V4.D2]
	VLD1.P	16(R8), [V8.D2]
	VLD1.P	16(R9), [V12.D2]
	VFMLA	V28.D2, V0.D2, V16.D2
	VFMLA	V29.D2, V4.D2, V16.D2
	VFMLA	V30.D2, V8.D2, V16.D2
	VFMLA	V31.D2, V12.D2, V16.D2
	VST1.P	[V16.D2], 16(R10)
	SUB	$2, R11
	B	col4

tail4:
	// The last len(y)%2 columns, one at a time, with scalar fused multiply-adds.
	CBZ	R11, next4
	FMOVD	(R10), F16
	FMOVD.P	8(R6), F0
	FMOVD.P	8(R7), F4
	FMOVD.P	8(R8), F8
	FMOVD.P	8(R9), F12
	FMADDD	F28, F16, F0, F16
	FMADDD	F29, F16, F4, F16
	FMADDD	F30, F16, F8, F16
	FMADDD	F31, F16, F12, F16
	FMOVD.P	F16, 8(R10)
	SUB	$1, R11
	B	tail4

next4:
	ADD	$32, R2
	SUB	$4, R3
	ADD	R1<<2, R0, R0
	B	rows4

	// Single rows: y += (alpha*x[p]) * (row p of a).
rows1:
	CBZ	R3, done
	FMOVD	(R2), F28
	FMULD	F27, F28, F28
	VDUP	V28.D[0], V28.D2
	MOVD	R0, R6
	MOVD	R4, R10
	MOVD	R5, R11

cols1:
	CMP	$8, R11
	BLT	col1
	VLD1	(R10), [V16.D2, V17.D2, V18.D2, V19.D2]
	VLD1.P	64(R6), [V0.D2, V1.D2, V2.D2, V3.D2]
	VFMLA	V28.D2, V0.D2, V16.D2
	VFMLA	V28.D2, V1.D2, V17.D2
	VFMLA	V28.D2, V2.D2, V18.D2
	VFMLA	V28.D2, V3.D2, V19.D2
	VST1.P	[V16.D2, V17.D2, V18.D2, V19.D2], 64(R10)
	SUB	$8, R11
	B	cols1

col1:
	CMP	$2, R11
	BLT	tail1
	VLD1	(R10), [V16.D2]
	VLD1.P	16(R6), [V0.D2]
	VFMLA	V28.D2, V0.D2, V16.D2
	VST1.P	[V16.D2], 16(R10)
	SUB	$2, R11
	B	col1

tail1:
	CBZ	R11, next1
	FMOVD	(R10), F16
	FMOVD.P	8(R6), F0
	FMADDD	F28, F16, F0, F16
	FMOVD.P	F16, 8(R10)
	SUB	$1, R11
	B	tail1

next1:
	ADD	$8, R2
	SUB	$1, R3
	ADD	R1, R0
	B	rows1

done:
	RET
