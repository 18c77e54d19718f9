//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp_f32_arm64.h"
#include "grad_arm64.h"
#include "act_f64_arm64.h"

// SiLUGrad for float32 with NEON, in float64: dx = dy·f'(x), f'(x) = σ(x)·(1 + x·σ(-x)), as the
// doc comment of silugrad_arm64.go has it. Four elements at a time, each half widened to two
// float64 lanes, where, with x clamped to [-300, 300] (xc),
//
//	e = e^-|xc|, q = 1/(1 + e)      GRAD_SIGMOID64 (grad_arm64.h): σ(xc) = q or e·q, and
//	                                σ(xc)·σ(-xc) = e·q² for either sign
//	f' = σ(xc) + xc·e·q²            no 1 - σ anywhere; it cancels only next to the zero of f'
//	                                at -1.2785, where the error is relative to the terms
//	f' = -0 where x < -1500         -Inf included, as the float64 formula has it
//	dx = dy·f'                      one rounding in float64, then one to float32
//
// Above 300 (+Inf included) e is below 2^-432, q and f' are exactly 1, and dx = dy exactly, as
// for every x above about 42. Below -300, |f'| < 2^-424, so holding x at -300 still rounds
// every finite dy·f' to ∓0 with the formula's sign, and an infinite dy gives ∓Inf down to -1500
// and NaN (dy·-0) below, as the formula does. NaN in x propagates through the clamps (FMIN,
// FMAX) and the arithmetic. The constant registers V20-V31 are those of exp_f32_arm64.h (V20-V22,
// its clamps, are not used).

// SILUGHALF(X, D, S, E, Q, A, P, M) sets VD = dy·f'(x) for the two float64 lanes x of VX and dy
// of VD; VS, VE, VQ, VA, VP and VM are scratch. Reads VX, VD, V16-V19, V23-V31; writes VD, VX and
// the scratch registers only.
#define SILUGHALF(X, D, S, E, Q, A, P, M) \
	FCMGT_D2(M, 19, X);                 \
	FMIN_D2(X, X, 16);                  \
	FMAX_D2(X, X, 17);                  \
	GRAD_SIGMOID64(X, S, E, Q, A, P);   \
	FMUL_D2(P, P, Q);                   \
	FMUL_D2(P, P, X);                   \
	FADD_D2(S, S, P);                   \
	BIT_B16(S, 18, M);                  \
	FMUL_D2(D, D, S)

// func SiLUGradF32NEON(dx, dy, x []float32)
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
//   V16  300.0; V17  -300.0; V18  -0.0; V19  -1500.0 (float64 in both lanes)
//   V20-V31  constants (exp_f32_arm64.h)
TEXT ·SiLUGradF32NEON(SB), NOSPLIT, $0-72
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
	SILUGHALF(2, 3, 4, 5, 6, 7, 8, 9)
	SILUGHALF(10, 11, 4, 5, 6, 7, 8, 9)
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
	SILUGHALF(2, 3, 4, 5, 6, 7, 8, 9)
	SILUGHALF(10, 11, 4, 5, 6, 7, 8, 9)
	FCVTN_S2(12, 3)
	FCVTN2_S4(12, 11)
	TAIL3_STORE(R0, V12)

done:
	RET


// SiLUGrad for float64 with NEON: dx = dy·σ(x)·(1 + x·σ(-x)), as the package's float64 formula
// (siluGrad64) has it, by the x·σ backward steps of act_f64_arm64.h with v = w = x: from
// xc = min(x, 50) and a = max(-|xc|, -1500), σ(xc)·2^-m = y0 + yl (XSG64_SIG), σ(-xc) =
// sm0 + sml (XSG64_SM), p = (y0 + yl)·(1 + xc·σ(-xc)) as a pair (XSG64_KP) and
// dx = dy·p·2^m (XSG64_SCALE, dy multiplied in before the scaling below 2^-512), within about
// 1 ULP, except next to the zero of f' at -1.2785, where the error is relative to σ(x). From 50 on
// the derivative is 1 within 2^-65 and dx rounds to dy, as the formula has it (+Inf included:
// the clamp keeps Inf·0 out of xc·σ(-xc)). Where x < -1500 (-Inf included) dx = dy·-0, NaN for
// an infinite dy, as the formula has it; NaN in x gives NaN. The exact loop and contract in the
// doc comment of silugrad_arm64.go.

// silug64<> holds, each in both float64 lanes: -0 (dy's factor below the cut), 50 (the upper
// clamp of x), -the largest float64 and the largest float64 (the clamp of dy in dy·pl), -512
// (XSG64_SCALE's least first exponent), -1022 (the least exponent of e) and -1500 (the clamp of
// -|x| and the cut).
DATA silug64<>+0(SB)/8, $0x8000000000000000
DATA silug64<>+8(SB)/8, $0x8000000000000000
DATA silug64<>+16(SB)/8, $0x4049000000000000
DATA silug64<>+24(SB)/8, $0x4049000000000000
DATA silug64<>+32(SB)/8, $0xffefffffffffffff
DATA silug64<>+40(SB)/8, $0xffefffffffffffff
DATA silug64<>+48(SB)/8, $0x7fefffffffffffff
DATA silug64<>+56(SB)/8, $0x7fefffffffffffff
DATA silug64<>+64(SB)/8, $0xc080000000000000
DATA silug64<>+72(SB)/8, $0xc080000000000000
DATA silug64<>+80(SB)/8, $0xc08ff00000000000
DATA silug64<>+88(SB)/8, $0xc08ff00000000000
DATA silug64<>+96(SB)/8, $0xc097700000000000
DATA silug64<>+104(SB)/8, $0xc097700000000000
GLOBL silug64<>(SB), RODATA|NOPTR, $112

// SILUG64(X, D, A, B, C, E, F, G, H, J, N, P) sets VG = dx for the two float64 lanes x of VX
// (clamped to 50 in place) and dy of VD (kept); the others are scratch. 100 instructions, one
// division. Registers are numbers. Reads VX, VD, V16-V22, V24-V31; writes VX, VG and the scratch
// registers only.
#define SILUG64(X, D, A, B, C, E, F, G, H, J, N, P) \
	FMIN_D2(X, X, 17);                              \
	FABS_D2(A, X);                                  \
	FNEG_D2(A, A);                                  \
	FMAX_D2(A, A, 22);                              \
	ACT64_RED(A, N);                                \
	ACT64_POLY(A, B, C);                            \
	XSG64_SIG(X, A, N, B, C, E, F, G, H, J, P, 21); \
	XSG64_SM(A, C, E, F, G, H, P);                  \
	FMUL_D2(E, E, X);                               \
	XSG64_KP(X, A, B, C, E, F, G, J);               \
	BIC_B16(N, N, P);                               \
	XSG64_SCALE(D, N, A, G, C, 20, 19, 18);         \
	FCMGT_D2(C, 22, X);                             \
	FMUL_D2(A, D, 16);                              \
	BIT_B16(G, A, C)

// func SiLUGradF64NEON(dx, dy, x []float64)
//
// Registers:
//   R0  address of the next dx element
//   R1  address of the next dy element
//   R2  address of the next x element
//   R3  elements left (R3 is also the constant tables' address, while loading them)
//   V0, V1  dy of the two vectors of an iteration; V2, V3  their x, then xc; V13, V14  their
//       results (SILUG64's G: d - 1, then dl, the TwoSum's scratch, pl and dx)
//   V4-V12  SILUG64's scratch, shared by the two vectors (A, B, C, E, F, H, J, N, P): a, then
//       r, s, Ml, numl, sm0, the TwoSum's scratch, ph and dy·-0; M, then num and yl; scratch,
//       then 2^max(n, -1022), el, hk, the scaling's factors and the lanes where x < -1500; e,
//       then σ(-x)'s numerator, sml, and the low part of k; d, then kh; 1/d; y0; n, then m; the
//       lanes where x >= 0
//   V16  -0.0; V17  50.0; V18-V22  -the largest float64, the largest float64, -512, -1022, -1500
//   V23-V31  constants (act_f64_arm64.h; V23 is not used)
TEXT ·SiLUGradF64NEON(SB), NOSPLIT, $0-72
	ACT64_LOADCONST
	MOVD	$silug64<>(SB), R3
	VLD1.P	64(R3), [V16.D2, V17.D2, V18.D2, V19.D2]
	VLD1	(R3), [V20.D2, V21.D2, V22.D2]
	MOVD	dx_base+0(FP), R0
	MOVD	dx_len+8(FP), R3
	MOVD	dy_base+24(FP), R1
	MOVD	x_base+48(FP), R2

loop:
	CMP	$4, R3
	BLT	two
	VLD1.P	32(R1), [V0.D2, V1.D2]
	VLD1.P	32(R2), [V2.D2, V3.D2]
	SILUG64(2, 0, 4, 5, 6, 7, 8, 13, 9, 10, 11, 12)
	SILUG64(3, 1, 4, 5, 6, 7, 8, 14, 9, 10, 11, 12)
	VST1.P	[V13.D2, V14.D2], 32(R0)
	SUB	$4, R3
	B	loop

two:
	CMP	$2, R3
	BLT	tail
	VLD1.P	16(R1), [V0.D2]
	VLD1.P	16(R2), [V2.D2]
	SILUG64(2, 0, 4, 5, 6, 7, 8, 13, 9, 10, 11, 12)
	VST1.P	[V13.D2], 16(R0)
	SUB	$2, R3

tail:
	// 0 or 1 element left: one lane.
	CBZ	R3, done
	VLD1	(R1), V0.D[0]
	VLD1	(R2), V2.D[0]
	SILUG64(2, 0, 4, 5, 6, 7, 8, 13, 9, 10, 11, 12)
	VST1	V13.D[0], (R0)

done:
	RET
