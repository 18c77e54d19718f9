//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp_f32_arm64.h"
#include "grad_arm64.h"

// GELUTanhGrad for float32 with NEON, in float64: dx = dy·f'(x) for f(x) = x·σ(v),
// v = 2u = x·(A + B·x²), A = 2√(2/π), B = 0.044715·A, so that
//
//	f'(x) = σ(v)·(1 + x·v'·σ(-v)),  v' = A + 3B·x²
//
// as the doc comment of gelutanhgrad_arm64.go has it. Four elements at a time, each half widened
// to two float64 lanes, where, with x clamped to at most 10 (xc):
//
//	v = xc·(A + B·xc²), v' = A + 3B·xc²   xc² is exact; v and v' within a few 2^-53 relative
//	e = e^-|v|, q = 1/(1 + e)            GRAD_SIGMOID64 (grad_arm64.h) on v held at -300 from
//	                                     below: σ(v) = q or e·q, and σ(v)·σ(-v) = e·q² for
//	                                     either sign
//	f' = σ(v) + xc·v'·e·q²               one FMA; no 1 - σ anywhere: it cancels only next to the
//	                                     zero of f' at -0.7525, where the error is relative to
//	                                     the terms
//	f' = -0 where x < -27.328646         (v < -1500, -Inf included) as the float64 formula has it
//	dx = dy·f'                           one rounding in float64, then one to float32
//
// At 10 (and so above, +Inf included) e is below 2^-125, q is exactly 1 and x·v'·e·q² below
// 2^-117, so f' is exactly 1 and dx = dy. Where v < -300 (x below about -16.3), σ(v) is taken
// at -300 while x·v' is not: f' is then some negative number below 2^-420 in magnitude, against
// the true one below 2^-420 too, so every finite dy·f' still rounds to -0 or +0 with the
// formula's sign, and an infinite dy gives ∓Inf down to the cut and NaN (dy·-0) below, as the
// formula does. NaN in x propagates through the clamps (FMIN, FMAX) and the arithmetic. The
// constant registers V20-V31 are those of exp_f32_arm64.h (V20-V22, its clamps, are not used).

// gelutg<> holds, each in both float64 lanes: A = 2√(2/π), B = 0.044715·A, 3B, 10, -300, -0 and
// the cut, -27.328646 (the least float32 x with x·(A + B·x²) >= -1500 in float64).
DATA gelutg<>+0(SB)/8, $0x3ff9884533d43651
DATA gelutg<>+8(SB)/8, $0x3ff9884533d43651
DATA gelutg<>+16(SB)/8, $0x3fb2444f2a4d8b4b
DATA gelutg<>+24(SB)/8, $0x3fb2444f2a4d8b4b
DATA gelutg<>+32(SB)/8, $0x3fcb6676bf7450f0
DATA gelutg<>+40(SB)/8, $0x3fcb6676bf7450f0
DATA gelutg<>+48(SB)/8, $0x4024000000000000
DATA gelutg<>+56(SB)/8, $0x4024000000000000
DATA gelutg<>+64(SB)/8, $0xc072c00000000000
DATA gelutg<>+72(SB)/8, $0xc072c00000000000
DATA gelutg<>+80(SB)/8, $0x8000000000000000
DATA gelutg<>+88(SB)/8, $0x8000000000000000
DATA gelutg<>+96(SB)/8, $0xc03b542220000000
DATA gelutg<>+104(SB)/8, $0xc03b542220000000
GLOBL gelutg<>(SB), RODATA|NOPTR, $112

// GTGHALF(X, D, M, W, S, E, Q, A, P) sets VD = dy·f'(x) for the two float64 lanes x of VX and
// dy of VD; VM, VW, VS, VE, VQ, VA and VP are scratch (VX ends as xc·v'). 40 instructions, one
// division. Registers are numbers. Reads VX, VD, V13-V19 (gelutg<>), V23-V31; writes VD, VX and
// the scratch registers only.
#define GTGHALF(X, D, M, W, S, E, Q, A, P) \
	FCMGT_D2(M, 19, X);               \
	FMIN_D2(X, X, 16);                \
	FMUL_D2(P, X, X);                 \
	MOV_B16(W, 13);                   \
	FMLA_D2(W, P, 14);                \
	MOV_B16(Q, 13);                   \
	FMLA_D2(Q, P, 15);                \
	FMUL_D2(W, W, X);                 \
	FMUL_D2(X, X, Q);                 \
	FMAX_D2(W, W, 17);                \
	GRAD_SIGMOID64(W, S, E, Q, A, P); \
	FMUL_D2(P, P, Q);                 \
	FMLA_D2(S, P, X);                 \
	BIT_B16(S, 18, M);                \
	FMUL_D2(D, D, S)

// func GELUTanhGradF32NEON(dx, dy, x []float32)
//
// Registers:
//   R0  address of the next dx element
//   R1  address of the next dy element
//   R2  address of the next x element
//   R3  elements left (R3 is also the constant tables' address, while loading them)
//   R4-R6  the tail's offsets and addresses (grad_arm64.h)
//   V0  four dy; V1  four x
//   V2, V3 and V10, V11  the low and the high float64 half: x, then xc·v'; dy, then the product
//   V4-V9, V12  scratch of both halves; V12  then the four results in float32
//   V13 A; V14 B; V15 3B; V16 10.0; V17 -300.0; V18 -0.0; V19 the cut (float64 in both lanes)
//   V20-V31  constants (exp_f32_arm64.h)
TEXT ·GELUTanhGradF32NEON(SB), NOSPLIT, $0-72
	EXP32_LOADCONST
	MOVD	$gelutg<>(SB), R3
	VLD1.P	64(R3), [V13.D2, V14.D2, V15.D2, V16.D2]
	VLD1	(R3), [V17.D2, V18.D2, V19.D2]
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
	GTGHALF(2, 3, 4, 5, 6, 7, 8, 9, 12)
	GTGHALF(10, 11, 4, 5, 6, 7, 8, 9, 12)
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
	GTGHALF(2, 3, 4, 5, 6, 7, 8, 9, 12)
	GTGHALF(10, 11, 4, 5, 6, 7, 8, 9, 12)
	FCVTN_S2(12, 3)
	FCVTN2_S4(12, 11)
	TAIL3_STORE(R0, V12)

done:
	RET
