//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp_f32_arm64.h"
#include "grad_arm64.h"

// SoftplusGrad for float32 with NEON, in float64: dx = dy·σ(x), as the doc comment of
// softplusgrad_arm64.go has it. Four elements at a time, each half widened to two float64
// lanes, where, with x clamped to [-300, 300] (xc),
//
//	σ(xc) = q or e·q                GRAD_SIGMOID64 (grad_arm64.h): e = e^-|xc|, q = 1/(1 + e)
//	σ = +0 where x < -1500          -Inf included, as the float64 formula has it
//	dx = dy·σ                       one rounding in float64, then one to float32
//
// Above 300 (+Inf included) q is exactly 1 and dx = dy. Below -300, σ < 2^-432, so holding x at
// -300 still rounds every finite dy·σ to ±0 with the sign of dy, and an infinite dy gives ±Inf
// down to -1500 and NaN (dy·0) below, as the formula does. NaN in x propagates through the
// clamps (FMIN, FMAX) and the arithmetic. The constant registers V20-V31 are those of
// exp_f32_arm64.h (V20-V22, its clamps, are not used).

// SPGHALF(X, D, S, E, Q, A, P, M) sets VD = dy·σ(x) for the two float64 lanes x of VX and dy of
// VD; VS, VE, VQ, VA, VP and VM are scratch. Reads VX, VD, V16, V17, V19, V23-V31; writes VD, VX
// and the scratch registers only.
#define SPGHALF(X, D, S, E, Q, A, P, M) \
	FCMGT_D2(M, 19, X);               \
	FMIN_D2(X, X, 16);                \
	FMAX_D2(X, X, 17);                \
	GRAD_SIGMOID64(X, S, E, Q, A, P); \
	BIC_B16(S, S, M);                 \
	FMUL_D2(D, D, S)

// func SoftplusGradF32NEON(dx, dy, x []float32)
//
// Registers:
//   R0  address of the next dx element
//   R1  address of the next dy element
//   R2  address of the next x element
//   R3  elements left (R3 is also the constant table's address, while loading it)
//   R4-R6  the tail's offsets and addresses (grad_arm64.h); R4 also while setting constants
//   V0  four dy; V1  four x
//   V2, V3 and V10, V11  the low and the high float64 half: x; dy, then the product
//   V4-V9  scratch of both halves; V12  the four results in float32
//   V16  300.0; V17  -300.0; V19  -1500.0 (float64 in both lanes; V18, -0.0, is not used)
//   V20-V31  constants (exp_f32_arm64.h)
TEXT ·SoftplusGradF32NEON(SB), NOSPLIT, $0-72
	EXP32_LOADCONST
	MOVD	$0x4072c00000000000, R4
	VDUP	R4, V16.D2
	MOVD	$0xc072c00000000000, R4
	VDUP	R4, V17.D2
	MOVD	$0x8000000000000000, R4
	VDUP	R4, V18.D2
	MOVD	$0xc097700000000000, R4
	VDUP	R4, V19.D2
	MOVD	dx_base+0(FP), R0
	MOVD	dx_len+8(FP), R3
	MOVD	dy_base+24(FP), R1
	MOVD	x_base+48(FP), R2

one:
	CMP	$4, R3
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	VLD1.P	16(R2), [V1.S4]
	FCVTL_D2(2, 1)
	FCVTL_D2(3, 0)
	FCVTL2_D2(10, 1)
	FCVTL2_D2(11, 0)
	SPGHALF(2, 3, 4, 5, 6, 7, 8, 9)
	SPGHALF(10, 11, 4, 5, 6, 7, 8, 9)
	FCVTN_S2(12, 3)
	FCVTN2_S4(12, 11)
	VST1.P	[V12.S4], 16(R0)
	SUB	$4, R3
	B	one

tail:
	// 0..3 elements left (grad_arm64.h).
	CBZ	R3, done
	TAIL3_OFFS
	TAIL3_LOAD(R1, V0)
	TAIL3_LOAD(R2, V1)
	FCVTL_D2(2, 1)
	FCVTL_D2(3, 0)
	FCVTL2_D2(10, 1)
	FCVTL2_D2(11, 0)
	SPGHALF(2, 3, 4, 5, 6, 7, 8, 9)
	SPGHALF(10, 11, 4, 5, 6, 7, 8, 9)
	FCVTN_S2(12, 3)
	FCVTN2_S4(12, 11)
	TAIL3_STORE(R0, V12)

done:
	RET

