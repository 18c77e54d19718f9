//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// Dot: the sum of x[i]*y[i] for float32 and float64 with NEON, by fused multiply-adds (FMLA) into
// eight vector accumulators added together at the end. The exact loops and contracts are in the
// doc comments of dot_arm64.go.

// func DotF32NEON(x, y []float32) float32
//
// Registers:
//   R0  address of the next x element
//   R3  address of the next y element
//   R1  elements left
//   R2  the bits of +0, the start value of every lane
//   V0-V7  x; V8-V15  y
//   V16-V23  eight accumulators of partial sums (fused multiply-adds), summed at the end
TEXT ·DotF32NEON(SB), NOSPLIT, $0-52
	MOVD	x_base+0(FP), R0
	MOVD	x_len+8(FP), R1
	MOVD	y_base+24(FP), R3
	MOVD	ZR, R2
	VDUP	R2, V16.S4
	VDUP	R2, V17.S4
	VDUP	R2, V18.S4
	VDUP	R2, V19.S4
	VDUP	R2, V20.S4
	VDUP	R2, V21.S4
	VDUP	R2, V22.S4
	VDUP	R2, V23.S4
	CMP	$32, R1
	BLT	one

loop:
	VLD1.P	64(R0), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P	64(R0), [V4.S4, V5.S4, V6.S4, V7.S4]
	VLD1.P	64(R3), [V8.S4, V9.S4, V10.S4, V11.S4]
	VLD1.P	64(R3), [V12.S4, V13.S4, V14.S4, V15.S4]
	VFMLA	V8.S4, V0.S4, V16.S4
	VFMLA	V9.S4, V1.S4, V17.S4
	VFMLA	V10.S4, V2.S4, V18.S4
	VFMLA	V11.S4, V3.S4, V19.S4
	VFMLA	V12.S4, V4.S4, V20.S4
	VFMLA	V13.S4, V5.S4, V21.S4
	VFMLA	V14.S4, V6.S4, V22.S4
	VFMLA	V15.S4, V7.S4, V23.S4
	SUB	$32, R1
	CMP	$32, R1
	BGE	loop

one:
	CMP	$4, R1
	BLT	tail
	VLD1.P	16(R0), [V0.S4]
	VLD1.P	16(R3), [V8.S4]
	VFMLA	V8.S4, V0.S4, V16.S4
	SUB	$4, R1
	B	one

tail:
	// 0..3 elements left: into the low lanes of V0 and V8, one at a time; the other lanes are
	// +0, whose products add nothing.
	CBZ	R1, reduce
	VDUP	R2, V0.S4
	VDUP	R2, V8.S4
	VLD1.P	4(R0), V0.S[0]
	VLD1.P	4(R3), V8.S[0]
	CMP	$2, R1
	BLT	tailop
	VLD1.P	4(R0), V0.S[1]
	VLD1.P	4(R3), V8.S[1]
	CMP	$3, R1
	BLT	tailop
	VLD1.P	4(R0), V0.S[2]
	VLD1.P	4(R3), V8.S[2]

tailop:
	VFMLA	V8.S4, V0.S4, V16.S4

reduce:
	FADD_S4(16, 16, 17)
	FADD_S4(18, 18, 19)
	FADD_S4(20, 20, 21)
	FADD_S4(22, 22, 23)
	FADD_S4(16, 16, 18)
	FADD_S4(20, 20, 22)
	FADD_S4(16, 16, 20)
	FADDP_S4(16, 16, 16)
	FADDP_S4(16, 16, 16)
	FMOVS	F16, ret+48(FP)
	RET

// func DotF64NEON(x, y []float64) float64
//
// Registers:
//   R0  address of the next x element
//   R3  address of the next y element
//   R1  elements left
//   R2  the bits of +0, the start value of every lane
//   V0-V7  x; V8-V15  y
//   V16-V23  eight accumulators of partial sums (fused multiply-adds), summed at the end
TEXT ·DotF64NEON(SB), NOSPLIT, $0-56
	MOVD	x_base+0(FP), R0
	MOVD	x_len+8(FP), R1
	MOVD	y_base+24(FP), R3
	MOVD	ZR, R2
	VDUP	R2, V16.D2
	VDUP	R2, V17.D2
	VDUP	R2, V18.D2
	VDUP	R2, V19.D2
	VDUP	R2, V20.D2
	VDUP	R2, V21.D2
	VDUP	R2, V22.D2
	VDUP	R2, V23.D2
	CMP	$16, R1
	BLT	one

loop:
	VLD1.P	64(R0), [V0.D2, V1.D2, V2.D2, V3.D2]
	VLD1.P	64(R0), [V4.D2, V5.D2, V6.D2, V7.D2]
	VLD1.P	64(R3), [V8.D2, V9.D2, V10.D2, V11.D2]
	VLD1.P	64(R3), [V12.D2, V13.D2, V14.D2, V15.D2]
	VFMLA	V8.D2, V0.D2, V16.D2
	VFMLA	V9.D2, V1.D2, V17.D2
	VFMLA	V10.D2, V2.D2, V18.D2
	VFMLA	V11.D2, V3.D2, V19.D2
	VFMLA	V12.D2, V4.D2, V20.D2
	VFMLA	V13.D2, V5.D2, V21.D2
	VFMLA	V14.D2, V6.D2, V22.D2
	VFMLA	V15.D2, V7.D2, V23.D2
	SUB	$16, R1
	CMP	$16, R1
	BGE	loop

one:
	CMP	$2, R1
	BLT	tail
	VLD1.P	16(R0), [V0.D2]
	VLD1.P	16(R3), [V8.D2]
	VFMLA	V8.D2, V0.D2, V16.D2
	SUB	$2, R1
	B	one

tail:
	// 0 or 1 element left: into lane 0 of V0 and V8; lane 1 is +0, whose product adds nothing.
	CBZ	R1, reduce
	VDUP	R2, V0.D2
	VDUP	R2, V8.D2
	VLD1	(R0), V0.D[0]
	VLD1	(R3), V8.D[0]
	VFMLA	V8.D2, V0.D2, V16.D2

reduce:
	FADD_D2(16, 16, 17)
	FADD_D2(18, 18, 19)
	FADD_D2(20, 20, 21)
	FADD_D2(22, 22, 23)
	FADD_D2(16, 16, 18)
	FADD_D2(20, 20, 22)
	FADD_D2(16, 16, 20)
	FADDP_D2(16, 16, 16)
	FMOVD	F16, ret+48(FP)
	RET
