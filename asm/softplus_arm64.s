//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp_f32_arm64.h"
#include "act_arm64.h"

// Softplus for float32 with NEON, in float64: each x is widened, and
//
//	e = e^-|x|                 the float64 step of exp_f32_arm64.h, its argument clamped to
//	                           -120 (below, e^x is 0 in float32 and e^-|x| is negligible
//	                           against |x|): e in (0, 1], within 2^-32
//	u = 1 + e, d = (1 - u) + e u + d = 1 + e exactly (|e| <= 1)
//	ln(1 + e) = ln u + d       LOG64 (act_arm64.h), within 2^-34; d/u is d within a relative
//	                           e, and ln(1+e) >= e·ln2, so d stands for d/u: no loss for small e
//	                           (where u = 1, ln u = 0 and the result is d = e)
//	result = max(x, 0) + ln(1 + e)
//
// and rounded once to float32: within 1 ULP of the correctly rounded result. max(x, 0) keeps x
// where x > 0 (a mask, so that -Inf gives 0), +Inf gives +Inf; NaN gives NaN through e and d.
// The constant registers are in exp_f32_arm64.h and act_arm64.h; the exact loop and contract in
// the doc comment of softplus_arm64.go.

// SOFTPLUSHALF sets VU = max(x, 0) + ln(1 + e^-|x|) for the two float64 lanes x of VX; VA, VN,
// VP, VQ and VD are scratch. Reads VX, V13-V19, V22-V31; writes VU, VX, VA, VN, VP, VQ and VD
// only.
#define SOFTPLUSHALF(X, A, N, P, Q, U, D) \
	FABS_D2(A, X);      \
	FNEG_D2(A, A);      \
	FMAX_D2(A, A, 22);  \
	EXP32_CORE64(A, N, P, Q); \
	FADD_D2(U, N, 31);  \
	FSUB_D2(D, 31, U);  \
	FADD_D2(D, D, N);   \
	LOG64(U, U, A, P, Q, N); \
	FADD_D2(U, U, D);   \
	FCMGTZ_D2(A, X);    \
	AND_B16(X, X, A);   \
	FADD_D2(U, U, X)

// func SoftplusF32NEON(dst, src []float32)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the constant tables, while loading them
//   V0  four x, then the four results
//   V1-V7 and V8-V12, V20, V21  the low and the high float64 half: x, then max(x, 0); -|x|, w,
//       then scratch; e, then scratch; two scratch; u, then the result; d
//   V13-V19  constants (act_arm64.h)
//   V22-V31  constants (exp_f32_arm64.h; V20 and V21, float32 clamps there, are not used)
TEXT ·SoftplusF32NEON(SB), NOSPLIT, $0-48
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	EXP32_LOADCONST
	LOG64_LOADCONST

one:
	CMP	$4, R2
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	FCVTL_D2(1, 0)
	FCVTL2_D2(8, 0)
	SOFTPLUSHALF(1, 2, 3, 4, 5, 6, 7)
	SOFTPLUSHALF(8, 9, 10, 11, 12, 20, 21)
	FCVTN_S2(0, 6)
	FCVTN2_S4(0, 20)
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
	FCVTL2_D2(8, 0)
	SOFTPLUSHALF(1, 2, 3, 4, 5, 6, 7)
	SOFTPLUSHALF(8, 9, 10, 11, 12, 20, 21)
	FCVTN_S2(0, 6)
	FCVTN2_S4(0, 20)
	VST1.P	V0.S[0], 4(R0)
	CMP	$2, R2
	BLT	done
	VST1.P	V0.S[1], 4(R0)
	CMP	$3, R2
	BLT	done
	VST1.P	V0.S[2], 4(R0)

done:
	RET
