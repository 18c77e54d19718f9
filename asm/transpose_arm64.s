//go:build !purego

#include "textflag.h"

// TransposeBlocksF32NEON and TransposeBlocksF64NEON: the whole 4 x 4 blocks of a float32 matrix
// transposed, each with two rounds of TRN, and the 2 x 2 blocks of a float64 matrix with one: the
// exact loops and contracts are in the doc comments of transpose_arm64.go.

// TRN1/TRN2 Vd.4S, Vn.4S, Vm.4S: the even (odd) lanes of Vn and Vm interleaved; .2D: the low
// (high) halves of Vn and Vm.
#define TRN1_S4(d, n, m) WORD $(0x4E802800|((m)<<16)|((n)<<5)|(d))
#define TRN2_S4(d, n, m) WORD $(0x4E806800|((m)<<16)|((n)<<5)|(d))
#define TRN1_D2(d, n, m) WORD $(0x4EC02800|((m)<<16)|((n)<<5)|(d))
#define TRN2_D2(d, n, m) WORD $(0x4EC06800|((m)<<16)|((n)<<5)|(d))

// func TransposeBlocksF32NEON(dst []float32, ldd int, src []float32, lds int, rows, cols int)
//
// Registers:
//   R0, R1  dst and src; R2, R3  ldd*4 and lds*4; R4, R5  rows&^3 and cols&^3
//   R6, R7  the block's first row i and column j; R8, R9  the block's source rows, then its
//   destination rows; R10 scratch
//   V0-V3  the source rows; V4-V7  the first round; V0-V3  the destination rows
TEXT ·TransposeBlocksF32NEON(SB), NOSPLIT, $0-80
	MOVD	dst_base+0(FP), R0
	MOVD	ldd+24(FP), R2
	MOVD	src_base+32(FP), R1
	MOVD	lds+56(FP), R3
	MOVD	rows+64(FP), R4
	MOVD	cols+72(FP), R5
	AND	$~3, R4
	AND	$~3, R5
	CBZ	R4, done
	CBZ	R5, done
	LSL	$2, R2
	LSL	$2, R3
	MOVD	ZR, R6

rows:
	MOVD	ZR, R7

cols:
	// R8 = src + i*lds*4 + j*4, the block's first source row.
	MUL	R6, R3, R8
	ADD	R7<<2, R8
	ADD	R1, R8
	VLD1	(R8), [V0.S4]
	ADD	R3, R8
	VLD1	(R8), [V1.S4]
	ADD	R3, R8
	VLD1	(R8), [V2.S4]
	ADD	R3, R8
	VLD1	(R8), [V3.S4]
	TRN1_S4(4, 0, 1)
	TRN2_S4(5, 0, 1)
	TRN1_S4(6, 2, 3)
	TRN2_S4(7, 2, 3)
	TRN1_D2(0, 4, 6)
	TRN1_D2(1, 5, 7)
	TRN2_D2(2, 4, 6)
	TRN2_D2(3, 5, 7)
	// R9 = dst + j*ldd*4 + i*4, the block's first destination row.
	MUL	R7, R2, R9
	ADD	R6<<2, R9
	ADD	R0, R9
	VST1	[V0.S4], (R9)
	ADD	R2, R9
	VST1	[V1.S4], (R9)
	ADD	R2, R9
	VST1	[V2.S4], (R9)
	ADD	R2, R9
	VST1	[V3.S4], (R9)
	ADD	$4, R7
	CMP	R5, R7
	BLT	cols
	ADD	$4, R6
	CMP	R4, R6
	BLT	rows

done:
	RET

// func TransposeBlocksF64NEON(dst []float64, ldd int, src []float64, lds int, rows, cols int)
//
// Registers:
//   R0, R1  dst and src; R2, R3  ldd*8 and lds*8; R4, R5  rows&^1 and cols&^1
//   R6, R7  the block's first row i and column j; R8, R9  the block's source rows, then its
//   destination rows
//   V0, V1  the source rows; V2, V3  the destination rows
TEXT ·TransposeBlocksF64NEON(SB), NOSPLIT, $0-80
	MOVD	dst_base+0(FP), R0
	MOVD	ldd+24(FP), R2
	MOVD	src_base+32(FP), R1
	MOVD	lds+56(FP), R3
	MOVD	rows+64(FP), R4
	MOVD	cols+72(FP), R5
	AND	$~1, R4
	AND	$~1, R5
	CBZ	R4, done
	CBZ	R5, done
	LSL	$3, R2
	LSL	$3, R3
	MOVD	ZR, R6

rows:
	MOVD	ZR, R7

cols:
	// R8 = src + i*lds*8 + j*8, the block's first source row.
	MUL	R6, R3, R8
	ADD	R7<<3, R8
	ADD	R1, R8
	VLD1	(R8), [V0.D2]
	ADD	R3, R8
	VLD1	(R8), [V1.D2]
	TRN1_D2(2, 0, 1)
	TRN2_D2(3, 0, 1)
	// R9 = dst + j*ldd*8 + i*8, the block's first destination row.
	MUL	R7, R2, R9
	ADD	R6<<3, R9
	ADD	R0, R9
	VST1	[V2.D2], (R9)
	ADD	R2, R9
	VST1	[V3.D2], (R9)
	ADD	$2, R7
	CMP	R5, R7
	BLT	cols
	ADD	$2, R6
	CMP	R4, R6
	BLT	rows

done:
	RET
