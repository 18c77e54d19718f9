//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// Sum: the sum of the elements of x for float32 and float64 with NEON, in eight vector
// accumulators (32 float32 or 16 float64 partial sums) added together at the end. The exact loops
// and contracts are in the doc comments of sum_arm64.go.

// func SumF32NEON(x []float32) float32
//
// Registers:
//   R0  address of the next x element
//   R1  elements left
//   R2  the bits of +0, the start value of every lane
//   V0-V7  inputs
//   V16-V23  eight accumulators of partial sums, combined at the end
TEXT ·SumF32NEON(SB), NOSPLIT, $0-28
	MOVD	x_base+0(FP), R0
	MOVD	x_len+8(FP), R1
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
	FADD_S4(16, 16, 0)
	FADD_S4(17, 17, 1)
	FADD_S4(18, 18, 2)
	FADD_S4(19, 19, 3)
	FADD_S4(20, 20, 4)
	FADD_S4(21, 21, 5)
	FADD_S4(22, 22, 6)
	FADD_S4(23, 23, 7)
	SUB	$32, R1
	CMP	$32, R1
	BGE	loop

one:
	CMP	$4, R1
	BLT	tail
	VLD1.P	16(R0), [V0.S4]
	FADD_S4(16, 16, 0)
	SUB	$4, R1
	B	one

tail:
	// 0..3 elements left: into the low lanes of V0, one at a time; the other lanes are +0,
	// which changes nothing.
	CBZ	R1, reduce
	VDUP	R2, V0.S4
	VLD1.P	4(R0), V0.S[0]
	CMP	$2, R1
	BLT	tailop
	VLD1.P	4(R0), V0.S[1]
	CMP	$3, R1
	BLT	tailop
	VLD1.P	4(R0), V0.S[2]

tailop:
	FADD_S4(16, 16, 0)

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
	FMOVS	F16, ret+24(FP)
	RET

// func SumF64NEON(x []float64) float64
//
// Registers:
//   R0  address of the next x element
//   R1  elements left
//   R2  the bits of +0, the start value of every lane
//   V0-V7  inputs
//   V16-V23  eight accumulators of partial sums, combined at the end
TEXT ·SumF64NEON(SB), NOSPLIT, $0-32
	MOVD	x_base+0(FP), R0
	MOVD	x_len+8(FP), R1
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
	FADD_D2(16, 16, 0)
	FADD_D2(17, 17, 1)
	FADD_D2(18, 18, 2)
	FADD_D2(19, 19, 3)
	FADD_D2(20, 20, 4)
	FADD_D2(21, 21, 5)
	FADD_D2(22, 22, 6)
	FADD_D2(23, 23, 7)
	SUB	$16, R1
	CMP	$16, R1
	BGE	loop

one:
	CMP	$2, R1
	BLT	tail
	VLD1.P	16(R0), [V0.D2]
	FADD_D2(16, 16, 0)
	SUB	$2, R1
	B	one

tail:
	// 0 or 1 element left: into lane 0 of V0; lane 1 is +0, which changes nothing.
	CBZ	R1, reduce
	VDUP	R2, V0.D2
	VLD1	(R0), V0.D[0]
	FADD_D2(16, 16, 0)

reduce:
	FADD_D2(16, 16, 17)
	FADD_D2(18, 18, 19)
	FADD_D2(20, 20, 21)
	FADD_D2(22, 22, 23)
	FADD_D2(16, 16, 18)
	FADD_D2(20, 20, 22)
	FADD_D2(16, 16, 20)
	FADDP_D2(16, 16, 16)
	FMOVD	F16, ret+24(FP)
	RET
