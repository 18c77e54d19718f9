//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp_f32_arm64.h"
#include "act_f64_arm64.h"

// SiLU for float32 with NEON, in float64: each x is widened and clamped from below to -120
// (xc; below it the result is -0 in float32 either way, and -Inf stays out of the products), then
// with e = e^-|xc| (its argument clamped to -120 as well, for large x) by the float64 step of
// exp_f32_arm64.h,
//
//	x·sigmoid(x) = xc/(1+e) for x >= 0, xc·e/(1+e) for x < 0
//
// one float64 division and one rounding to float32: within 1 ULP of the correctly rounded result.
// For x > 120, e is e^-120 and xc/(1+e) rounds to x in float64 (+Inf stays +Inf); the sign of
// ±0 is kept (the numerator is ±0); NaN propagates (FMAX keeps it). The constant registers are in
// exp_f32_arm64.h; the exact loop and contract in the doc comment of silu_arm64.go.

// SILUHALF sets VN = x·sigmoid(x) for the two float64 lanes of VX; VA, VP, VQ and VM are
// scratch. Reads VX, V22-V31; writes VN, VX, VA, VP, VQ and VM only.
#define SILUHALF(X, A, N, P, Q, M) \
	FCMLTZ_D2(M, X);    \
	FMAX_D2(X, X, 22);  \
	FABS_D2(A, X);      \
	FNEG_D2(A, A);      \
	FMAX_D2(A, A, 22);  \
	EXP32_CORE64(A, N, P, Q); \
	BSL_B16(M, N, 31);  \
	FMUL_D2(M, M, X);   \
	FADD_D2(N, N, 31);  \
	FDIV_D2(N, M, N)

// func SiLUF32NEON(dst, src []float32)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the constant table, while loading it
//   V0  four x, then the four results
//   V1-V6, V7-V12  the low and the high float64 half: x; the exp argument, then w; the result;
//       two scratch; the mask of x < 0, then the numerator
//   V20-V31  constants (exp_f32_arm64.h)
TEXT ·SiLUF32NEON(SB), NOSPLIT, $0-48
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	EXP32_LOADCONST

one:
	CMP	$4, R2
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	FCVTL_D2(1, 0)
	FCVTL2_D2(7, 0)
	SILUHALF(1, 2, 3, 4, 5, 6)
	SILUHALF(7, 8, 9, 10, 11, 12)
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
	SILUHALF(1, 2, 3, 4, 5, 6)
	SILUHALF(7, 8, 9, 10, 11, 12)
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

// SiLU for float64 with NEON: x·σ(x) as c·σ(x) with c = x clamped to [-1100, 1100], from
// a = max(-|x|, -1100) by the steps of act_f64_arm64.h and its XSIG64, which forms σ(x) from
// e^a = (M + Ml)·2^n as a quotient with a low part and rounds c times it once (then once more
// where the result is subnormal, below x = -708.4): within about 1 ULP. Below -1100 the result is
// -0 (it rounds to -0 from -751.76 on), -Inf included; from 1100 on (+Inf included) it is x, as
// it is from 37.4 on; NaN gives NaN. The exact loop and contract in the doc comment of
// silu_arm64.go.

// SILU64(X, A, N, B, C, D, E, F) sets VB = x·σ(x) for the two float64 lanes x of VX (kept); VA,
// VN, VC, VD, VE and VF are scratch. 62 instructions, one division. Registers are numbers. Reads
// VX, V22-V31; writes VB and the scratch registers only.
#define SILU64(X, A, N, B, C, D, E, F) \
	FABS_D2(A, X);       \
	FNEG_D2(A, A);       \
	FMAX_D2(A, A, 23);   \
	ACT64_RED(A, N);     \
	ACT64_POLY(A, B, C); \
	XSIG64(X, A, N, B, C, D, E, F, 23, 22)

// func SiLUF64NEON(dst, src []float64)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the constant table, while loading it; R4  1100's bits, while setting V22
//   V0, V1  x of the two vectors in flight; V3, V4  their results
//   V2, V5-V9 and V10-V15  the rest of SILU64's registers of each vector (A, N, C, D, E, F):
//       -|x| clamped, then r, s, Ml and numl, then c; n, then 2^(n-floor(n/2)), then the last
//       factor; scratch, then 2^floor(n/2), then dl, then the lanes where x >= 1100; e, then y0;
//       d; the lanes where the sign bit of x is clear, then 1/d. The result register (B) holds
//       M, then num and the residual.
//   V22  1100.0, the upper clamp; V23-V31  constants (act_f64_arm64.h; V23 is -1100)
TEXT ·SiLUF64NEON(SB), NOSPLIT, $0-48
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	ACT64_LOADCONST
	MOVD	$0x4091300000000000, R4
	VDUP	R4, V22.D2

loop:
	CMP	$4, R2
	BLT	one
	VLD1.P	32(R1), [V0.D2, V1.D2]
	SILU64(0, 2, 5, 3, 6, 7, 8, 9)
	SILU64(1, 10, 11, 4, 12, 13, 14, 15)
	VST1.P	[V3.D2, V4.D2], 32(R0)
	SUB	$4, R2
	B	loop

one:
	CMP	$2, R2
	BLT	tail
	VLD1.P	16(R1), [V0.D2]
	SILU64(0, 2, 5, 3, 6, 7, 8, 9)
	VST1.P	[V3.D2], 16(R0)
	SUB	$2, R2

tail:
	// 0 or 1 element left: one lane.
	CBZ	R2, done
	VLD1	(R1), V0.D[0]
	SILU64(0, 2, 5, 3, 6, 7, 8, 9)
	VST1	V3.D[0], (R0)

done:
	RET
