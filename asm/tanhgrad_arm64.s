//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "grad_arm64.h"

// TanhGrad: dx[i] = dy[i]·(1 - y[i]²), for float32 and float64 with NEON. The exact loops and
// contracts are in the doc comments of tanhgrad_arm64.go.
//
// float64: dy·((1 - y)·(1 + y)), the operations of the Go loop in its order, so bit for bit
// (1 - y is exact for |y| near 1: no cancellation).
//
// float32: q = 1 - y·y with one rounding (FMLS: no cancellation for |y| near 1), then dy·q,
// within 1 ULP (two roundings). Where |y| >= 2^32 (outside Tanh's range: y·y would overflow
// float32 from 2^64 on, while the float64 loop does not), the lane takes (dy·(1 - y))·(1 + y)
// instead: dy·(1 - y) is normal there for every nonzero dy (at least 2^-149·2^32), 1 ∓ y round to
// ∓y, and the product overflows only where the loop's does; ±Inf in y (and 0·Inf) give the
// loop's -Inf·dy and NaN. A NaN y or dy gives NaN on either side.

// TANHG_S(D, Y, P, Q, M) sets VP = dy·(1 - y²) for the four float32 lanes dy of VD and y of VY;
// VQ and VM are scratch. Reads VD, VY, V30 (1.0) and V31 (2^32); writes VP, VQ and VM only.
#define TANHG_S(D, Y, P, Q, M) \
	MOV_B16(P, 30);    \
	FMLS_S4(P, Y, Y);  \
	FMUL_S4(P, D, P);  \
	FSUB_S4(Q, 30, Y); \
	FMUL_S4(Q, D, Q);  \
	FADD_S4(M, 30, Y); \
	FMUL_S4(Q, Q, M);  \
	FACGE_S4(M, Y, 31); \
	BIT_B16(P, Q, M)

// TANHG_D(D, Y, T, U) sets VD = dy·((1 - y)·(1 + y)) for the two float64 lanes dy of VD and y of
// VY; VT and VU are scratch. Reads VD, VY and V31 (1.0); writes VD, VT and VU only.
#define TANHG_D(D, Y, T, U) \
	FSUB_D2(T, 31, Y); \
	FADD_D2(U, 31, Y); \
	FMUL_D2(T, T, U);  \
	FMUL_D2(D, D, T)

// func TanhGradF32NEON(dx, dy, y []float32)
//
// Registers:
//   R0  address of the next dx element
//   R1  address of the next dy element
//   R2  address of the next y element
//   R3  elements left
//   R4-R6  the tail's offsets and addresses (grad_arm64.h); R4 also while setting V31
//   V0-V3  16 dy; V4-V7  16 y; V8-V11  the results; V12-V15, V16-V19  scratch
//   V30  1.0 in every lane; V31  2^32 in every lane
TEXT ·TanhGradF32NEON(SB), NOSPLIT, $0-72
	FMOVS	$1.0, F30
	VDUP	V30.S[0], V30.S4
	MOVW	$0x4f800000, R4
	VDUP	R4, V31.S4
	MOVD	dx_base+0(FP), R0
	MOVD	dx_len+8(FP), R3
	MOVD	dy_base+24(FP), R1
	MOVD	y_base+48(FP), R2
	CMP	$16, R3
	BLT	one

loop4:
	VLD1.P	64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P	64(R2), [V4.S4, V5.S4, V6.S4, V7.S4]
	TANHG_S(0, 4, 8, 12, 16)
	TANHG_S(1, 5, 9, 13, 17)
	TANHG_S(2, 6, 10, 14, 18)
	TANHG_S(3, 7, 11, 15, 19)
	VST1.P	[V8.S4, V9.S4, V10.S4, V11.S4], 64(R0)
	SUB	$16, R3
	CMP	$16, R3
	BGE	loop4

one:
	CMP	$4, R3
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	VLD1.P	16(R2), [V4.S4]
	TANHG_S(0, 4, 8, 12, 16)
	VST1.P	[V8.S4], 16(R0)
	SUB	$4, R3
	B	one

tail:
	// 0..3 elements left (grad_arm64.h).
	CBZ	R3, done
	TAIL3_OFFS
	TAIL3_LOAD(R1, V0)
	TAIL3_LOAD(R2, V4)
	TANHG_S(0, 4, 8, 12, 16)
	TAIL3_STORE(R0, V8)

done:
	RET

// func TanhGradF64NEON(dx, dy, y []float64)
//
// Registers: as TanhGradF32NEON, with two float64 lanes per register and the results in
// V0-V3 (V8-V15 scratch); V31 is 1.0; the tail is one element.
TEXT ·TanhGradF64NEON(SB), NOSPLIT, $0-72
	FMOVD	$1.0, F31
	VDUP	V31.D[0], V31.D2
	MOVD	dx_base+0(FP), R0
	MOVD	dx_len+8(FP), R3
	MOVD	dy_base+24(FP), R1
	MOVD	y_base+48(FP), R2
	CMP	$8, R3
	BLT	one

loop4:
	VLD1.P	64(R1), [V0.D2, V1.D2, V2.D2, V3.D2]
	VLD1.P	64(R2), [V4.D2, V5.D2, V6.D2, V7.D2]
	TANHG_D(0, 4, 8, 12)
	TANHG_D(1, 5, 9, 13)
	TANHG_D(2, 6, 10, 14)
	TANHG_D(3, 7, 11, 15)
	VST1.P	[V0.D2, V1.D2, V2.D2, V3.D2], 64(R0)
	SUB	$8, R3
	CMP	$8, R3
	BGE	loop4

one:
	CMP	$2, R3
	BLT	tail
	VLD1.P	16(R1), [V0.D2]
	VLD1.P	16(R2), [V4.D2]
	TANHG_D(0, 4, 8, 12)
	VST1.P	[V0.D2], 16(R0)
	SUB	$2, R3
	B	one

tail:
	// 0 or 1 element left: one lane.
	CBZ	R3, done
	VLD1	(R1), V0.D[0]
	VLD1	(R2), V4.D[0]
	TANHG_D(0, 4, 8, 12)
	VST1	V0.D[0], (R0)

done:
	RET
