//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// Max: the largest element of x for float32 and float64 with NEON. The exact loops and contracts
// are in the doc comments of max_arm64.go. FMAX returns a NaN when either operand is one, so a
// NaN anywhere reaches the result.

// func MaxF32NEON(x []float32) float32
//
// Registers:
//   R0  address of the next x element
//   R1  elements left
//   R2  the bits of -Inf, the start value of every lane
//   V0-V7  inputs
//   V16-V23  eight accumulators of partial maxima, combined at the end
TEXT ·MaxF32NEON(SB), NOSPLIT, $0-28
	MOVD	x_base+0(FP), R0
	MOVD	x_len+8(FP), R1
	MOVW	$0xff800000, R2
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
	FMAX_S4(16, 16, 0)
	FMAX_S4(17, 17, 1)
	FMAX_S4(18, 18, 2)
	FMAX_S4(19, 19, 3)
	FMAX_S4(20, 20, 4)
	FMAX_S4(21, 21, 5)
	FMAX_S4(22, 22, 6)
	FMAX_S4(23, 23, 7)
	SUB	$32, R1
	CMP	$32, R1
	BGE	loop

one:
	CMP	$4, R1
	BLT	tail
	VLD1.P	16(R0), [V0.S4]
	FMAX_S4(16, 16, 0)
	SUB	$4, R1
	B	one

tail:
	// 0..3 elements left: into the low lanes of V0, one at a time; the other lanes are -Inf,
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
	FMAX_S4(16, 16, 0)

reduce:
	FMAX_S4(16, 16, 17)
	FMAX_S4(18, 18, 19)
	FMAX_S4(20, 20, 21)
	FMAX_S4(22, 22, 23)
	FMAX_S4(16, 16, 18)
	FMAX_S4(20, 20, 22)
	FMAX_S4(16, 16, 20)
	FMAXP_S4(16, 16, 16)
	FMAXP_S4(16, 16, 16)
	FMOVS	F16, ret+24(FP)
	RET

// func MaxF64NEON(x []float64) float64
//
// Registers:
//   R0  address of the next x element
//   R1  elements left
//   R2  the bits of -Inf, the start value of every lane
//   V0-V7  inputs
//   V16-V23  eight accumulators of partial maxima, combined at the end
TEXT ·MaxF64NEON(SB), NOSPLIT, $0-32
	MOVD	x_base+0(FP), R0
	MOVD	x_len+8(FP), R1
	MOVD	$0xfff0000000000000, R2
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
	FMAX_D2(16, 16, 0)
	FMAX_D2(17, 17, 1)
	FMAX_D2(18, 18, 2)
	FMAX_D2(19, 19, 3)
	FMAX_D2(20, 20, 4)
	FMAX_D2(21, 21, 5)
	FMAX_D2(22, 22, 6)
	FMAX_D2(23, 23, 7)
	SUB	$16, R1
	CMP	$16, R1
	BGE	loop

one:
	CMP	$2, R1
	BLT	tail
	VLD1.P	16(R0), [V0.D2]
	FMAX_D2(16, 16, 0)
	SUB	$2, R1
	B	one

tail:
	// 0 or 1 element left: into lane 0 of V0; lane 1 is -Inf, which changes nothing.
	CBZ	R1, reduce
	VDUP	R2, V0.D2
	VLD1	(R0), V0.D[0]
	FMAX_D2(16, 16, 0)

reduce:
	FMAX_D2(16, 16, 17)
	FMAX_D2(18, 18, 19)
	FMAX_D2(20, 20, 21)
	FMAX_D2(22, 22, 23)
	FMAX_D2(16, 16, 18)
	FMAX_D2(20, 20, 22)
	FMAX_D2(16, 16, 20)
	FMAXP_D2(16, 16, 16)
	FMOVD	F16, ret+24(FP)
	RET
