//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "grad_arm64.h"

// ReLUGrad: dx[i] = x[i] <= 0 ? 0 : dy[i], for float32 and float64 with NEON. The exact loops and
// contracts are in the doc comments of relugrad_arm64.go. Each lane becomes dy AND NOT m with
// m = (x <= 0), all ones or zero: FCMLE against #0.0 is true for ±0 and false for NaN, so a NaN x
// passes dy through, and where x <= 0 the result is +0 whatever dy is (Inf and NaN included).

// RELUG_S(D, X) sets VD = VX <= 0 ? +0 : VD for four float32 lanes, RELUG_D for two float64
// lanes; VX receives the mask. Reads VD and VX; writes VD and VX only.
#define RELUG_S(D, X) FCMLEZ_S4(X, X); BIC_B16(D, D, X)
#define RELUG_D(D, X) FCMLEZ_D2(X, X); BIC_B16(D, D, X)

// func ReLUGradF32NEON(dx, dy, x []float32)
//
// Registers:
//   R0  address of the next dx element
//   R1  address of the next dy element
//   R2  address of the next x element
//   R3  elements left
//   R4-R6  the tail's offsets and addresses (grad_arm64.h)
//   V0-V3  16 dy, then the results; V4-V7  16 x, then their masks
TEXT ·ReLUGradF32NEON(SB), NOSPLIT, $0-72
	MOVD	dx_base+0(FP), R0
	MOVD	dx_len+8(FP), R3
	MOVD	dy_base+24(FP), R1
	MOVD	x_base+48(FP), R2
	CMP	$16, R3
	BLT	one

loop4:
	VLD1.P	64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P	64(R2), [V4.S4, V5.S4, V6.S4, V7.S4]
	RELUG_S(0, 4)
	RELUG_S(1, 5)
	RELUG_S(2, 6)
	RELUG_S(3, 7)
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)
	SUB	$16, R3
	CMP	$16, R3
	BGE	loop4

one:
	CMP	$4, R3
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	VLD1.P	16(R2), [V4.S4]
	RELUG_S(0, 4)
	VST1.P	[V0.S4], 16(R0)
	SUB	$4, R3
	B	one

tail:
	// 0..3 elements left (grad_arm64.h).
	CBZ	R3, done
	TAIL3_OFFS
	TAIL3_LOAD(R1, V0)
	TAIL3_LOAD(R2, V4)
	RELUG_S(0, 4)
	TAIL3_STORE(R0, V0)

done:
	RET

// func ReLUGradF64NEON(dx, dy, x []float64)
//
// Registers: as ReLUGradF32NEON, with two float64 lanes per register; the tail is one element.
TEXT ·ReLUGradF64NEON(SB), NOSPLIT, $0-72
	MOVD	dx_base+0(FP), R0
	MOVD	dx_len+8(FP), R3
	MOVD	dy_base+24(FP), R1
	MOVD	x_base+48(FP), R2
	CMP	$8, R3
	BLT	one

loop4:
	VLD1.P	64(R1), [V0.D2, V1.D2, V2.D2, V3.D2]
	VLD1.P	64(R2), [V4.D2, V5.D2, V6.D2, V7.D2]
	RELUG_D(0, 4)
	RELUG_D(1, 5)
	RELUG_D(2, 6)
	RELUG_D(3, 7)
	VST1.P	[V0.D2, V1.D2, V2.D2, V3.D2], 64(R0)
	SUB	$8, R3
	CMP	$8, R3
	BGE	loop4

one:
	CMP	$2, R3
	BLT	tail
	VLD1.P	16(R1), [V0.D2]
	VLD1.P	16(R2), [V4.D2]
	RELUG_D(0, 4)
	VST1.P	[V0.D2], 16(R0)
	SUB	$2, R3
	B	one

tail:
	// 0 or 1 element left: one lane.
	CBZ	R3, done
	VLD1	(R1), V0.D[0]
	VLD1	(R2), V4.D[0]
	RELUG_D(0, 4)
	VST1	V0.D[0], (R0)

done:
	RET
