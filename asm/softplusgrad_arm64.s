//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp_f32_arm64.h"
#include "grad_arm64.h"
#include "act_f64_arm64.h"

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


// SoftplusGrad for float64 with NEON: dx = dy·σ(x), as the package's float64 formula
// (softplusGrad64) has it, by the x·σ backward steps of act_f64_arm64.h without the factor k:
// from a = max(-|x|, -1500), σ(x)·2^-m = y0 + yl (e^a/(1 + e^a) where x < 0, with m = n,
// 1/(1 + e^a) elsewhere, with m = 0; XSG64_SIG) and dx = dy·(y0 + yl)·2^m (XSG64_SCALE, dy
// multiplied in before the scaling below 2^-512), within about 1 ULP. Where x < -1500 (-Inf
// included) dx = dy·0, NaN for an infinite dy, as the formula has it. σ(+Inf) rounds to 1 (e is
// held at 2^-1022 or more, far below 2^-53), so dx = dy there, +Inf included; NaN in x gives
// NaN. The exact loop and contract in the doc comment of softplusgrad_arm64.go.

// spg64<> holds, each in both float64 lanes: -the largest float64 and the largest float64 (the
// clamp of dy in dy·pl), -512 (XSG64_SCALE's least first exponent), -1022 (the least exponent of
// e) and -1500 (the clamp of -|x| and the cut).
DATA spg64<>+0(SB)/8, $0xffefffffffffffff
DATA spg64<>+8(SB)/8, $0xffefffffffffffff
DATA spg64<>+16(SB)/8, $0x7fefffffffffffff
DATA spg64<>+24(SB)/8, $0x7fefffffffffffff
DATA spg64<>+32(SB)/8, $0xc080000000000000
DATA spg64<>+40(SB)/8, $0xc080000000000000
DATA spg64<>+48(SB)/8, $0xc08ff00000000000
DATA spg64<>+56(SB)/8, $0xc08ff00000000000
DATA spg64<>+64(SB)/8, $0xc097700000000000
DATA spg64<>+72(SB)/8, $0xc097700000000000
GLOBL spg64<>(SB), RODATA|NOPTR, $80

// SPG64(X, D, A, B, C, E, F, G, H, J, N, P) sets VB = dx for the two float64 lanes x of VX and dy
// of VD (both kept); the others are scratch. 75 instructions, one division. Registers are
// numbers. Reads VX, VD, V16, V18-V22, V24-V31; writes VB and the scratch registers only.
#define SPG64(X, D, A, B, C, E, F, G, H, J, N, P) \
	FABS_D2(A, X);                                  \
	FNEG_D2(A, A);                                  \
	FMAX_D2(A, A, 22);                              \
	ACT64_RED(A, N);                                \
	ACT64_POLY(A, B, C);                            \
	XSG64_SIG(X, A, N, B, C, E, F, G, H, J, P, 21); \
	BIC_B16(N, N, P);                               \
	XSG64_SCALE(D, N, J, B, C, 20, 19, 18);         \
	FCMGT_D2(C, 22, X);                             \
	FMUL_D2(A, D, 16);                              \
	BIT_B16(B, A, C)

// func SoftplusGradF64NEON(dx, dy, x []float64)
//
// Registers:
//   R0  address of the next dx element
//   R1  address of the next dy element
//   R2  address of the next x element
//   R3  elements left (R3 is also the constant tables' address, while loading them)
//   V0, V1  dy of the two vectors of an iteration; V2, V3  their x; V4, V5  their results
//       (SPG64's B: M, then num, yl, pl and dx)
//   V6-V14  SPG64's scratch, shared by the two vectors (A, C, E, F, G, H, J, N, P): a, then r, s,
//       Ml, numl and dy·0; scratch, then 2^max(n, -1022), el, the scaling's factors and the lanes
//       where x < -1500; e; d; dl; 1/d; y0, then ph; n, then m; the lanes where x >= 0
//   V16  +0; V18-V22  -the largest float64, the largest float64, -512, -1022, -1500
//   V23-V31  constants (act_f64_arm64.h; V23 is not used)
TEXT ·SoftplusGradF64NEON(SB), NOSPLIT, $0-72
	ACT64_LOADCONST
	MOVD	$spg64<>(SB), R3
	VLD1.P	64(R3), [V18.D2, V19.D2, V20.D2, V21.D2]
	VLD1	(R3), [V22.D2]
	VEOR	V16.B16, V16.B16, V16.B16
	MOVD	dx_base+0(FP), R0
	MOVD	dx_len+8(FP), R3
	MOVD	dy_base+24(FP), R1
	MOVD	x_base+48(FP), R2

loop:
	CMP	$4, R3
	BLT	two
	VLD1.P	32(R1), [V0.D2, V1.D2]
	VLD1.P	32(R2), [V2.D2, V3.D2]
	SPG64(2, 0, 6, 4, 7, 8, 9, 10, 11, 12, 13, 14)
	SPG64(3, 1, 6, 5, 7, 8, 9, 10, 11, 12, 13, 14)
	VST1.P	[V4.D2, V5.D2], 32(R0)
	SUB	$4, R3
	B	loop

two:
	CMP	$2, R3
	BLT	tail
	VLD1.P	16(R1), [V0.D2]
	VLD1.P	16(R2), [V2.D2]
	SPG64(2, 0, 6, 4, 7, 8, 9, 10, 11, 12, 13, 14)
	VST1.P	[V4.D2], 16(R0)
	SUB	$2, R3

tail:
	// 0 or 1 element left: one lane.
	CBZ	R3, done
	VLD1	(R1), V0.D[0]
	VLD1	(R2), V2.D[0]
	SPG64(2, 0, 6, 4, 7, 8, 9, 10, 11, 12, 13, 14)
	VST1	V4.D[0], (R0)

done:
	RET
