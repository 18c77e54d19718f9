//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// Scale: dst[i] = alpha*src[i] for float32 and float64 with NEON. The exact loops and contracts
// are in the doc comments of scale_arm64.go.

// func ScaleF32NEON(alpha float32, dst, src []float32)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   V31  alpha in every lane
//   V0-V3  inputs, then the products
TEXT ·ScaleF32NEON(SB), NOSPLIT, $0-56
	FMOVS	alpha+0(FP), F31
	MOVD	dst_base+8(FP), R0
	MOVD	src_base+32(FP), R1
	MOVD	src_len+40(FP), R2
	VDUP	V31.S[0], V31.S4
	CMP	$16, R2
	BLT	one

loop:
	VLD1.P	64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	FMUL_S4(0, 0, 31)
	FMUL_S4(1, 1, 31)
	FMUL_S4(2, 2, 31)
	FMUL_S4(3, 3, 31)
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)
	SUB	$16, R2
	CMP	$16, R2
	BGE	loop

one:
	CMP	$4, R2
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	FMUL_S4(0, 0, 31)
	VST1.P	[V0.S4], 16(R0)
	SUB	$4, R2
	B	one

tail:
	// 0..3 elements left: load them into the low lanes of V0, one lane at a time.
	CBZ	R2, done
	VLD1.P	4(R1), V0.S[0]
	CMP	$2, R2
	BLT	tailop
	VLD1.P	4(R1), V0.S[1]
	CMP	$3, R2
	BLT	tailop
	VLD1.P	4(R1), V0.S[2]

tailop:
	FMUL_S4(0, 0, 31)
	VST1.P	V0.S[0], 4(R0)
	CMP	$2, R2
	BLT	done
	VST1.P	V0.S[1], 4(R0)
	CMP	$3, R2
	BLT	done
	VST1.P	V0.S[2], 4(R0)

done:
	RET

// func ScaleF64NEON(alpha float64, dst, src []float64)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   V31  alpha in every lane
//   V0-V3  inputs, then the products
TEXT ·ScaleF64NEON(SB), NOSPLIT, $0-56
	FMOVD	alpha+0(FP), F31
	MOVD	dst_base+8(FP), R0
	MOVD	src_base+32(FP), R1
	MOVD	src_len+40(FP), R2
	VDUP	V31.D[0], V31.D2
	CMP	$8, R2
	BLT	one

loop:
	VLD1.P	64(R1), [V0.D2, V1.D2, V2.D2, V3.D2]
	FMUL_D2(0, 0, 31)
	FMUL_D2(1, 1, 31)
	FMUL_D2(2, 2, 31)
	FMUL_D2(3, 3, 31)
	VST1.P	[V0.D2, V1.D2, V2.D2, V3.D2], 64(R0)
	SUB	$8, R2
	CMP	$8, R2
	BGE	loop

one:
	CMP	$2, R2
	BLT	tail
	VLD1.P	16(R1), [V0.D2]
	FMUL_D2(0, 0, 31)
	VST1.P	[V0.D2], 16(R0)
	SUB	$2, R2
	B	one

tail:
	// 0 or 1 element left: one lane.
	CBZ	R2, done
	VLD1	(R1), V0.D[0]
	FMUL_D2(0, 0, 31)
	VST1	V0.D[0], (R0)

done:
	RET

