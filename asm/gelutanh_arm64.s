//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp_f32_arm64.h"
#include "act_f64_arm64.h"

// GELUTanh for float32 with NEON, in float64, as x·sigmoid(v) with v = 2u = x·(A + B·x²),
// A = 2√(2/π) and B = 0.044715·A: each x is widened and clamped from below to -20 (xc; below
// -10.77 the result is -0 in float32 either way, and -Inf stays out of the products), then
//
//	v = xc·(A + B·xc²)              xc² is exact; v within about 2^-51 relative
//	e = e^-|v|                      the float64 step of exp_f32_arm64.h, its argument clamped
//	                                to -120 (beyond, x < 0 give -0 in float32 and x > 0 give x
//	                                in float64 either way); |v| <= 120 times v's error adds at
//	                                most 2^-44 to e's 2^-32
//	result = xc/(1+e) for x >= 0, xc·e/(1+e) for x < 0
//
// one float64 division and one rounding to float32: within 1 ULP of the correctly rounded result.
// 1 + tanh(u) is never formed, so negative x lose nothing to cancellation. For large x, e is
// e^-120 and xc/(1+e) rounds to x in float64 (+Inf stays +Inf); the sign of ±0 is kept (the
// numerator is ±0); NaN propagates (FMAX keeps it). The constant registers are in
// exp_f32_arm64.h and below; the exact loop and contract in the doc comment of
// gelutanh_arm64.go.

// geluth<> holds -20, A = 2√(2/π) and B = 0.044715·A (the float64 nearest to each), each in both
// float64 lanes.
DATA geluth<>+0(SB)/8, $0xc034000000000000
DATA geluth<>+8(SB)/8, $0xc034000000000000
DATA geluth<>+16(SB)/8, $0x3ff9884533d43651
DATA geluth<>+24(SB)/8, $0x3ff9884533d43651
DATA geluth<>+32(SB)/8, $0x3fb2444f2a4d8b4b
DATA geluth<>+40(SB)/8, $0x3fb2444f2a4d8b4b
GLOBL geluth<>(SB), RODATA|NOPTR, $48

// GELUTHALF sets VN = x·sigmoid(x·(A + B·x²)) for the two float64 lanes of VX; VA, VP, VQ and VM
// are scratch. Reads VX, V17-V19 (-20, A, B), V22-V31; writes VN, VX, VA, VP, VQ and VM only.
#define GELUTHALF(X, A, N, P, Q, M) \
	FCMLTZ_D2(M, X);    \
	FMAX_D2(X, X, 17);  \
	FMUL_D2(P, X, X);   \
	MOV_B16(A, 18);     \
	FMLA_D2(A, P, 19);  \
	FMUL_D2(A, A, X);   \
	FABS_D2(A, A);      \
	FNEG_D2(A, A);      \
	FMAX_D2(A, A, 22);  \
	EXP32_CORE64(A, N, P, Q); \
	BSL_B16(M, N, 31);  \
	FMUL_D2(M, M, X);   \
	FADD_D2(N, N, 31);  \
	FDIV_D2(N, M, N)

// func GELUTanhF32NEON(dst, src []float32)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the constant tables, while loading them
//   V0  four x, then the four results
//   V1-V6, V7-V12  the low and the high float64 half: x; A + B·x², then v, the exp argument and
//       w; the result; two scratch; the mask of x < 0, then the numerator
//   V17, V18, V19  -20, A and B
//   V20-V31  constants (exp_f32_arm64.h)
TEXT ·GELUTanhF32NEON(SB), NOSPLIT, $0-48
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	EXP32_LOADCONST
	MOVD	$geluth<>(SB), R3
	VLD1	(R3), [V17.D2, V18.D2, V19.D2]

one:
	CMP	$4, R2
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	FCVTL_D2(1, 0)
	FCVTL2_D2(7, 0)
	GELUTHALF(1, 2, 3, 4, 5, 6)
	GELUTHALF(7, 8, 9, 10, 11, 12)
	FCVTN_S2(0, 3)
	FCVTN2_S4(0, 9)
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
	FCVTL_D2(1, 0)
	FCVTL2_D2(7, 0)
	GELUTHALF(1, 2, 3, 4, 5, 6)
	GELUTHALF(7, 8, 9, 10, 11, 12)
	FCVTN_S2(0, 3)
	FCVTN2_S4(0, 9)
	VST1.P	V0.S[0], 4(R0)
	CMP	$2, R2
	BLT	done
	VST1.P	V0.S[1], 4(R0)
	CMP	$3, R2
	BLT	done
	VST1.P	V0.S[2], 4(R0)

done:
	RET

// GELUTanh for float64 with NEON, with the method of the amd64 kernels
// (asm/_gen/streaming/gelutanh64.go): 0.5·(1 + tanh(u)) = σ(2u), so the result is c·σ(v),
// v = 2u = c·(A + B·c²) for c = x clamped to [-30, 10] (below -30 the result is -0, from 10 on it
// is x), by the steps of act_f64_arm64.h and its XSIG64, with a = -|v| carried as a double-double
// ah + al, within about 2^-100 relative: c², B·c², A + B·c² and the product with -|c| each keep
// their rounding error (FMA, TwoSum), with A = Ahi + Alo and B = Bhi + Blo as double-doubles.
// e^a is relatively sensitive to a in proportion to |a| (up to 745 where the result is not 0),
// so a rounded once would cost up to hundreds of ULP; al goes into the reduced argument r. ah is
// clamped at -1100 (the result is 0 there). The lanes where x >= 10 (+Inf included) take x, NaN
// gives NaN (FMAX and FMIN keep it). Within about 1 ULP; the exact loop and contract in the doc
// comment of gelutanh_arm64.go.

// gelut64<> holds, each in both float64 lanes unless said: Alo; the pair {Bhi, Blo}; Ahi; -30 and
// 10 (the clamps of x): A = 2√(2/π) and B = 0.044715·A as double-doubles (those of
// kernels/activation_ref.go).
DATA gelut64<>+0(SB)/8, $0xbc9cbc0d30ebfd15
DATA gelut64<>+8(SB)/8, $0xbc9cbc0d30ebfd15
DATA gelut64<>+16(SB)/8, $0x3fb2444f2a4d8b4b
DATA gelut64<>+24(SB)/8, $0xbc26c843a29d1c70
DATA gelut64<>+32(SB)/8, $0x3ff9884533d43651
DATA gelut64<>+40(SB)/8, $0x3ff9884533d43651
DATA gelut64<>+48(SB)/8, $0xc03e000000000000
DATA gelut64<>+56(SB)/8, $0xc03e000000000000
DATA gelut64<>+64(SB)/8, $0x4024000000000000
DATA gelut64<>+72(SB)/8, $0x4024000000000000
GLOBL gelut64<>(SB), RODATA|NOPTR, $80

// GELUT64(X, A, N, B, C, D, E, F) sets VB = GELUTanh(x) for the two float64 lanes x of VX
// (kept); VA, VN, VC, VD, VE and VF are scratch. 86 instructions, one division. Registers are
// numbers. Reads VX, V17-V21, V23-V31; writes VB and the scratch registers only.
#define GELUT64(X, A, N, B, C, D, E, F) \
	FMAX_D2(C, X, 20);     \
	FMIN_D2(C, C, 21);     \
	FMUL_D2(B, C, C);      \
	FNEG_D2(D, B);         \
	FMLA_D2(D, C, C);      \
	FMULE_D2(E, B, 18, 0); \
	FNEG_D2(F, E);         \
	FMLAE_D2(F, B, 18, 0); \
	FMULE_D2(D, D, 18, 0); \
	FMLAE_D2(D, B, 18, 1); \
	FADD_D2(F, F, D);      \
	FADD_D2(B, E, 19);     \
	FSUB_D2(D, B, 19);     \
	FSUB_D2(A, B, D);      \
	FSUB_D2(A, A, 19);     \
	FSUB_D2(E, E, D);      \
	FSUB_D2(E, E, A);      \
	FADD_D2(F, F, 17);     \
	FADD_D2(E, E, F);      \
	FABS_D2(C, C);         \
	FNEG_D2(C, C);         \
	FMUL_D2(A, C, B);      \
	FNEG_D2(F, A);         \
	FMLA_D2(F, C, B);      \
	FMLA_D2(F, C, E);      \
	FMAX_D2(A, A, 23);     \
	ACT64_RED(A, N);       \
	FADD_D2(A, A, F);      \
	ACT64_POLY(A, B, C);   \
	XSIG64(X, A, N, B, C, D, E, F, 20, 21)

// func GELUTanhF64NEON(dst, src []float64)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the constant tables, while loading them
//   V0, V1  x of the two vectors in flight; V2, V3  their results (GELUT64's B: c², then
//       qh = Ahi + Bhi·c² rounded, then the polynomial and XSIG64's M, num and residual)
//   V4-V9, V10-V15  the rest of GELUT64's registers of each vector (A, N, C, D, E, F): the
//       TwoSum's (qh - bb) - Ahi, then ah, r, s and XSIG64's; n; c, then -|c|, then scratch and
//       XSIG64's; the low part of c², then Bhi·c_lo² + Blo·c², then bb, then XSIG64's; Bhi·c²
//       rounded, then the low part of A + B·c², then XSIG64's; its error, then Alo + the low part
//       of B·c², then al, then XSIG64's
//   V17  Alo; V18  {Bhi, Blo}; V19  Ahi; V20  -30; V21  10
//   V23-V31  constants (act_f64_arm64.h)
TEXT ·GELUTanhF64NEON(SB), NOSPLIT, $0-48
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	ACT64_LOADCONST
	MOVD	$gelut64<>(SB), R3
	VLD1.P	64(R3), [V17.D2, V18.D2, V19.D2, V20.D2]
	VLD1	(R3), [V21.D2]

loop:
	CMP	$4, R2
	BLT	one
	VLD1.P	32(R1), [V0.D2, V1.D2]
	GELUT64(0, 4, 5, 2, 6, 7, 8, 9)
	GELUT64(1, 10, 11, 3, 12, 13, 14, 15)
	VST1.P	[V2.D2, V3.D2], 32(R0)
	SUB	$4, R2
	B	loop

one:
	CMP	$2, R2
	BLT	tail
	VLD1.P	16(R1), [V0.D2]
	GELUT64(0, 4, 5, 2, 6, 7, 8, 9)
	VST1.P	[V2.D2], 16(R0)
	SUB	$2, R2

tail:
	// 0 or 1 element left: one lane.
	CBZ	R2, done
	VLD1	(R1), V0.D[0]
	GELUT64(0, 4, 5, 2, 6, 7, 8, 9)
	VST1	V2.D[0], (R0)

done:
	RET
