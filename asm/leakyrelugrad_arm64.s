//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "grad_arm64.h"

// LeakyReLUGrad: dx[i] = x[i] > 0 ? dy[i] : alpha*dy[i], for float32 and float64 with NEON. The
// exact loops and contracts are in the doc comments of leakyrelugrad_arm64.go. Each lane becomes
// m ? dy : alpha*dy with m = (x > 0), all ones or zero: FCMGT against #0.0 is false for ±0 and
// NaN, which take the product, rounded once in the element type as in the Go loop.

// LRELUG_S(D, X, P) sets VP = VX > 0 ? VD : alpha*VD for four float32 lanes, LRELUG_D for two
// float64 lanes, alpha in every lane of V31; VX receives the mask. Reads VD, VX and V31; writes
// VP and VX only.
#define LRELUG_S(D, X, P) FCMGTZ_S4(X, X); FMUL_S4(P, D, 31); BIT_B16(P, D, X)
#define LRELUG_D(D, X, P) FCMGTZ_D2(X, X); FMUL_D2(P, D, 31); BIT_B16(P, D, X)

// func LeakyReLUGradF32NEON(alpha float32, dx, dy, x []float32)
//
// Registers:
//   R0  address of the next dx element
//   R1  address of the next dy element
//   R2  address of the next x element
//   R3  elements left
//   R4-R6  the tail's offsets and addresses (grad_arm64.h)
//   V0-V3  16 dy; V4-V7  16 x, then their masks; V8-V11  the products, then the results
//   V31  alpha in every lane
TEXT ·LeakyReLUGradF32NEON(SB), NOSPLIT, $0-80
	FMOVS	alpha+0(FP), F31
	VDUP	V31.S[0], V31.S4
	MOVD	dx_base+8(FP), R0
	MOVD	dx_len+16(FP), R3
	MOVD	dy_base+32(FP), R1
	MOVD	x_base+56(FP), R2
	CMP	$16, R3
	BLT	one

loop4:
	VLD1.P	64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P	64(R2), [V4.S4, V5.S4, V6.S4, V7.S4]
	LRELUG_S(0, 4, 8)
	LRELUG_S(1, 5, 9)
	LRELUG_S(2, 6, 10)
	LRELUG_S(3, 7, 11)
	VST1.P	[V8.S4, V9.S4, V10.S4, V11.S4], 64(R0)
	SUB	$16, R3
	CMP	$16, R3
	BGE	loop4

one:
	CMP	$4, R3
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	VLD1.P	16(R2), [V4.S4]
	LRELUG_S(0, 4, 8)
	VST1.P	[V8.S4], 16(R0)
	SUB	$4, R3
	B	one

tail:
	// 0..3 elements left (grad_arm64.h).
	CBZ	R3, done
	TAIL3_OFFS
	TAIL3_LOAD(R1, V0)
	TAIL3_LOAD(R2, V4)
	LRELUG_S(0, 4, 8)
	TAIL3_STORE(R0, V8)

done:
	RET

// func LeakyReLUGradF64NEON(alpha float64, dx, dy, x []float64)
//
// Registers: as LeakyReLUGradF32NEON, with two float64 lanes per register; the tail is one
// element.
TEXT ·LeakyReLUGradF64NEON(SB), NOSPLIT, $0-80
	FMOVD	alpha+0(FP), F31
	VDUP	V31.D[0], V31.D2
	MOVD	dx_base+8(FP), R0
	MOVD	dx_len+16(FP), R3
	MOVD	dy_base+32(FP), R1
	MOVD	x_base+56(FP), R2
	CMP	$8, R3
	BLT	one

loop4:
	VLD1.P	64(R1), [V0.D2, V1.D2, V2.D2, V3.D2]
	VLD1.P	64(R2), [V4.D2, V5.D2, V6.D2, V7.D2]
	LRELUG_D(0, 4, 8)
	LRELUG_D(1, 5, 9)
	LRELUG_D(2, 6, 10)
	LRELUG_D(3, 7, 11)
	VST1.P	[V8.D2, V9.D2, V10.D2, V11.D2], 64(R0)
	SUB	$8, R3
	CMP	$8, R3
	BGE	loop4

one:
	CMP	$2, R3
	BLT	tail
	VLD1.P	16(R1), [V0.D2]
	VLD1.P	16(R2), [V4.D2]
	LRELUG_D(0, 4, 8)
	VST1.P	[V8.D2], 16(R0)
	SUB	$2, R3
	B	one

tail:
	// 0 or 1 element left: one lane.
	CBZ	R3, done
	VLD1	(R1), V0.D[0]
	VLD1	(R2), V4.D[0]
	LRELUG_D(0, 4, 8)
	VST1	V8.D[0], (R0)

done:
	RET
