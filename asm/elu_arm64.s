//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp_f32_arm64.h"
#include "act_arm64.h"
#include "act_f64_arm64.h"

// ELU for float32 with NEON, in float64: each x is widened, clamped to [-120, 0] (the lanes of
// x > 0 take x itself at the end, and below -120 e^x - 1 is -1 in float64), e^x - 1 comes from
// EXPM1_64 (act_arm64.h: (2^n - 1) + 2^n*w, no cancellation near 0), is multiplied by alpha in
// float64 and rounded once to float32. Then, in float32, the lanes of ±0 take alpha*x (EXPM1_64
// gives +0 for -0, and the Go loop gives alpha*-0) and the lanes of x > 0 take x. NaN stays NaN
// through the clamps (FMIN, FMAX) and the arithmetic. The constant registers are in
// exp_f32_arm64.h; the exact loop and contract in the doc comment of elu_arm64.go.

// ELUHALF sets VQ = alpha*(e^VX - 1) for the two float64 lanes of VX, clamping VX first; VN, VP
// are scratch. Reads VX, V17 (float64 zero), V18 (alpha in float64), V22-V31; writes VQ, VN, VP
// and VX only.
#define ELUHALF(X, N, P, Q) \
	FMIN_D2(X, X, 17);   \
	FMAX_D2(X, X, 22);   \
	EXPM1_64(X, N, P, Q); \
	FMUL_D2(Q, Q, 18)

// func ELUF32NEON(alpha float32, dst, src []float32)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the constant table, while loading it
//   V0  four x
//   V1-V4, V5-V8  the low and the high float64 half: x, then w; scratch (two); the result
//   V9  the four results; V10  alpha*x in float32; V11  a mask
//   V16  alpha in four float32 lanes; V17  zero; V18  alpha in two float64 lanes
//   V20-V31  constants (exp_f32_arm64.h)
TEXT ·ELUF32NEON(SB), NOSPLIT, $0-56
	FMOVS	alpha+0(FP), F16
	VDUP	V16.S[0], V16.S4
	FCVTL_D2(18, 16)
	VEOR	V17.B16, V17.B16, V17.B16
	MOVD	dst_base+8(FP), R0
	MOVD	src_base+32(FP), R1
	MOVD	src_len+40(FP), R2
	EXP32_LOADCONST

one:
	CMP	$4, R2
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	FCVTL_D2(1, 0)
	FCVTL2_D2(5, 0)
	ELUHALF(1, 2, 3, 4)
	ELUHALF(5, 6, 7, 8)
	FCVTN_S2(9, 4)
	FCVTN2_S4(9, 8)
	FMUL_S4(10, 0, 16)
	FCMEQZ_S4(11, 0)
	BIT_B16(9, 10, 11)
	FCMGTZ_S4(11, 0)
	BIT_B16(9, 0, 11)
	VST1.P	[V9.S4], 16(R0)
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
	FCVTL2_D2(5, 0)
	ELUHALF(1, 2, 3, 4)
	ELUHALF(5, 6, 7, 8)
	FCVTN_S2(9, 4)
	FCVTN2_S4(9, 8)
	FMUL_S4(10, 0, 16)
	FCMEQZ_S4(11, 0)
	BIT_B16(9, 10, 11)
	FCMGTZ_S4(11, 0)
	BIT_B16(9, 0, 11)
	VST1.P	V9.S[0], 4(R0)
	CMP	$2, R2
	BLT	done
	VST1.P	V9.S[1], 4(R0)
	CMP	$3, R2
	BLT	done
	VST1.P	V9.S[2], 4(R0)

done:
	RET

// ELU for float64 with NEON, with the method of the amd64 kernels (asm/_gen/streaming/elu64.go):
// xe = x clamped to [-40, 0] (the lanes of x > 0 and NaN take x itself at the end, and below
// -37.43 e^x - 1 rounds to -1) is reduced to n·ln2 + r by the steps of act_f64_arm64.h, s = e^r - 1
// is its polynomial, and with S = 2^n (normal: n >= -58)
//
//	c0 = S - 1 rounded, c0l = S - (c0 + 1)   exactly (c0l = 0 unless n < -53)
//	q  = S·s                                 exact
//	e^x - 1 = c0 + (c0l + q)                 no cancellation: for n = 0 it is s itself, within
//	                                         about 0.51 ULP; for n = -1, c0 = -1/2 and |q| <= 0.21
//	                                         against a result of at least 0.29; smaller below
//
// about 1 ULP, and the product with alpha rounds once more. The sign of a zero result is taken
// from x (the reduction gives +0 for -0), so that -0 gives alpha·-0. The exact loop and contract
// in the doc comment of elu_arm64.go.

// ELU64(X, M, A, N, B, C) sets VM = alpha·(e^x - 1) where x <= 0 and x elsewhere (x > 0 or NaN),
// for the two float64 lanes x of VX (kept); VA, VN, VB and VC are scratch. 42 instructions.
// Registers are numbers. Reads VX, V19-V22, V23-V31; writes VM and the scratch registers only.
#define ELU64(X, M, A, N, B, C) \
	FCMLEZ_D2(M, X);     \
	FMIN_D2(A, X, 21);   \
	FMAX_D2(A, A, 20);   \
	ACT64_RED(A, N);     \
	ACT64_POLY(A, B, C); \
	ACT64_POW2(N);       \
	FSUB_D2(B, N, 31);   \
	FADD_D2(C, B, 31);   \
	FSUB_D2(C, N, C);    \
	FMUL_D2(A, A, N);    \
	FADD_D2(A, A, C);    \
	FADD_D2(A, A, B);    \
	AND_B16(C, X, 19);   \
	ORR_B16(A, A, C);    \
	FMUL_D2(A, A, 22);   \
	BSL_B16(M, A, X)

// func ELUF64NEON(alpha float64, dst, src []float64)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the constant table, while loading it; R4  bits, while setting V19 and V20
//   V0, V1  x of the two vectors in flight; V2, V3  the lanes where x <= 0, then their results
//   V4-V7, V8-V11  the rest of ELU64's registers of each vector (A, N, B, C): xe, then r, s, q
//       and the result; n, then S = 2^n; the polynomial, then c0; scratch, then c0l, then the
//       sign of x
//   V19  -0.0 (the sign bit); V20  -40.0; V21  zero; V22  alpha
//   V23-V31  constants (act_f64_arm64.h)
TEXT ·ELUF64NEON(SB), NOSPLIT, $0-56
	FMOVD	alpha+0(FP), F22
	VDUP	V22.D[0], V22.D2
	MOVD	dst_base+8(FP), R0
	MOVD	src_base+32(FP), R1
	MOVD	src_len+40(FP), R2
	ACT64_LOADCONST
	MOVD	$0x8000000000000000, R4
	VDUP	R4, V19.D2
	MOVD	$0xc044000000000000, R4
	VDUP	R4, V20.D2
	VEOR	V21.B16, V21.B16, V21.B16

loop:
	CMP	$4, R2
	BLT	one
	VLD1.P	32(R1), [V0.D2, V1.D2]
	ELU64(0, 2, 4, 5, 6, 7)
	ELU64(1, 3, 8, 9, 10, 11)
	VST1.P	[V2.D2, V3.D2], 32(R0)
	SUB	$4, R2
	B	loop

one:
	CMP	$2, R2
	BLT	tail
	VLD1.P	16(R1), [V0.D2]
	ELU64(0, 2, 4, 5, 6, 7)
	VST1.P	[V2.D2], 16(R0)
	SUB	$2, R2

tail:
	// 0 or 1 element left: one lane.
	CBZ	R2, done
	VLD1	(R1), V0.D[0]
	ELU64(0, 2, 4, 5, 6, 7)
	VST1	V2.D[0], (R0)

done:
	RET
