//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// Axpy: y[i] += alpha*x[i] for float32 and float64 with NEON, each element one fused
// multiply-add (FMLA). The exact loops and contracts are in the doc comments of axpy_arm64.go.

// func AxpyF32NEON(alpha float32, x, y []float32)
//
// Registers:
//   R0  address of the next y element
//   R1  address of the next x element
//   R2  elements left
//   V31  alpha in every lane
//   V0-V3  x; V4-V7  y, then y + alpha*x
TEXT ·AxpyF32NEON(SB), NOSPLIT, $0-56
	FMOVS	alpha+0(FP), F31
	MOVD	x_base+8(FP), R1
	MOVD	x_len+16(FP), R2
	MOVD	y_base+32(FP), R0
	VDUP	V31.S[0], V31.S4
	CMP	$16, R2
	BLT	one

loop:
	VLD1.P	64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1	(R0), [V4.S4, V5.S4, V6.S4, V7.S4]
	VFMLA	V31.S4, V0.S4, V4.S4
	VFMLA	V31.S4, V1.S4, V5.S4
	VFMLA	V31.S4, V2.S4, V6.S4
	VFMLA	V31.S4, V3.S4, V7.S4
	VST1.P	[V4.S4, V5.S4, V6.S4, V7.S4], 64(R0)
	SUB	$16, R2
	CMP	$16, R2
	BGE	loop

one:
	CMP	$4, R2
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	VLD1	(R0), [V4.S4]
	VFMLA	V31.S4, V0.S4, V4.S4
	VST1.P	[V4.S4], 16(R0)
	SUB	$4, R2
	B	one

tail:
	// 0..3 elements left: x into the low lanes of V0 and y into those of V4, one lane at a
	// time; R3 walks y for the loads, R0 stays for the stores.
	CBZ	R2, done
	MOVD	R0, R3
	VLD1.P	4(R1), V0.S[0]
	VLD1.P	4(R3), V4.S[0]
	CMP	$2, R2
	BLT	tailop
	VLD1.P	4(R1), V0.S[1]
	VLD1.P	4(R3), V4.S[1]
	CMP	$3, R2
	BLT	tailop
	VLD1.P	4(R1), V0.S[2]
	VLD1.P	4(R3), V4.S[2]

tailop:
	VFMLA	V31.S4, V0.S4, V4.S4
	VST1.P	V4.S[0], 4(R0)
	CMP	$2, R2
	BLT	done
	VST1.P	V4.S[1], 4(R0)
	CMP	$3, R2
	BLT	done
	VST1.P	V4.S[2], 4(R0)

done:
	RET

// func AxpyF64NEON(alpha float64, x, y []float64)
//
// Registers:
//   R0  address of the next y element
//   R1  address of the next x element
//   R2  elements left
//   V31  alpha in every lane
//   V0-V3  x; V4-V7  y, then y + alpha*x
TEXT ·AxpyF64NEON(SB), NOSPLIT, $0-56
	FMOVD	alpha+0(FP), F31
	MOVD	x_base+8(FP), R1
	MOVD	x_len+16(FP), R2
	MOVD	y_base+32(FP), R0
	VDUP	V31.D[0], V31.D2
	CMP	$8, R2
	BLT	one

loop:
	VLD1.P	64(R1), [V0.D2, V1.D2, V2.D2, V3.D2]
	VLD1	(R0), [V4.D2, V5.D2, V6.D2, V7.D2]
	VFMLA	V31.D2, V0.D2, V4.D2
	VFMLA	V31.D2, V1.D2, V5.D2
	VFMLA	V31.D2, V2.D2, V6.D2
	VFMLA	V31.D2, V3.D2, V7.D2
	VST1.P	[V4.D2, V5.D2, V6.D2, V7.D2], 64(R0)
	SUB	$8, R2
	CMP	$8, R2
	BGE	loop

one:
	CMP	$2, R2
	BLT	tail
	VLD1.P	16(R1), [V0.D2]
	VLD1	(R0), [V4.D2]
	VFMLA	V31.D2, V0.D2, V4.D2
	VST1.P	[V4.D2], 16(R0)
	SUB	$2, R2
	B	one

tail:
	// 0 or 1 element left: one lane.
	CBZ	R2, done
	VLD1	(R1), V0.D[0]
	VLD1	(R0), V4.D[0]
	VFMLA	V31.D2, V0.D2, V4.D2
	VST1	V4.D[0], (R0)

done:
	RET
