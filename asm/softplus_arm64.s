//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp_f32_arm64.h"
#include "act_arm64.h"
#include "act_f64_arm64.h"
#include "log_f64_arm64.h"

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


// Softplus for float64 with NEON, with the method of the amd64 kernels
// (asm/_gen/streaming/softplus.go): max(x, 0) + log1p(e) for e = e^-|x|, where
//
//	e = e^max(-|x|, -1100)       the steps of act_f64_arm64.h, scaled by two normal factors
//	                             (ACT64_HALVES): within about 0.52 ULP, rounding to 0 below
//	                             -745.13; NaN kept
//	log1p(e)                     the ln core of log_f64_arm64.h with k and f chosen so that no
//	                             rounding comes in:
//	    e <= √2-1: k = 0, f = e           1 + f = 1 + e exactly, unrounded
//	    e >  √2-1: k = 1, f = u/2 - 1     u = 1 + e rounded, f exact (u - 2 is); the rounding
//	                                      error w = e - (u - 1) (exact) enters as the low term
//	                                      lo = (w/2)/(1 + f) ≈ (w/2)·(1 - f), whose own error,
//	                                      below 2^-57.5, is far below an ULP
//	max(x, 0) + log1p(e)         max(x, 0) as x with the lanes where x < 0 cleared, so that NaN
//	                             stays NaN
//
// log1p(e) is relatively as accurate as e (its relative sensitivity to e is at most 1), so the
// tiny results of very negative x (e itself, down through the subnormals, where s and z of the
// core vanish and the result is f = e exactly) keep their accuracy: within about 1 ULP.
// Softplus(+Inf) = +Inf + 0, Softplus(-Inf) = log1p(0) = +0. The exact loop and contract in the
// doc comment of softplus_arm64.go.

// SOFTPLUS64(X, A, N, B, C, E, G, W) sets VB = Softplus(x) for the two float64 lanes x of VX
// (kept); the others are scratch. 77 instructions, one division. Registers are numbers. Reads VX,
// V16-V31; writes VB and the scratch registers only.
#define SOFTPLUS64(X, A, N, B, C, E, G, W) \
	FABS_D2(A, X);                  \
	FNEG_D2(A, A);                  \
	FMAX_D2(A, A, 23);              \
	ACT64_RED(A, N);                \
	ACT64_POLY(A, B, C);            \
	FADD_D2(A, A, 31);              \
	ACT64_HALVES(N, B);             \
	FMUL_D2(A, A, B);               \
	FMUL_D2(E, A, N);               \
	FCMGT_D2(G, E, 22);             \
	FADD_D2(B, E, 31);              \
	FSUB_D2(C, B, 21);              \
	FMULE_D2(C, C, 19, 1);          \
	FSUB_D2(B, B, 31);              \
	FSUB_D2(W, E, B);               \
	FMULE_D2(W, W, 19, 1);          \
	FMLS_D2(W, C, W);               \
	AND_B16(W, W, G);               \
	BIT_B16(E, C, G);               \
	AND_B16(G, G, 31);              \
	LN64_QUOT(E, A);                \
	LN64_POLY(A, B, C, N);          \
	FMLAE_D2(W, G, 20, 1);          \
	LN64_COMBINE(G, E, A, C, W, B); \
	FCMLTZ_D2(N, X);                \
	BIC_B16(A, X, N);               \
	FADD_D2(B, B, A)

// func SoftplusF64NEON(dst, src []float64)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the constant tables, while loading them
//   V0, V1  x of the two vectors of an iteration; V14, V15  their results (SOFTPLUS64's B:
//       scratch, then 2^floor(n/2), u, u - 1, z and the result)
//   V2-V7, V8-V13  the rest of SOFTPLUS64's registers of each vector (A, N, C, E, G, W): a, then
//       r, s, M and M·2^floor(n/2), then s of the ln core, then max(x, 0); n, then
//       2^(n-floor(n/2)), scratch of the polynomial and the lanes where x < 0; scratch, then
//       u - 2, u/2 - 1, R and hfsq + R; e, then f; the lanes where e > √2-1, then k; w, then the
//       low term
//   V16-V21  constants (log_f64_arm64.h); V22  √2-1
//   V23-V31  constants (act_f64_arm64.h: V23 is -1100, the clamp of -|x|; V31 is 1.0)
TEXT ·SoftplusF64NEON(SB), NOSPLIT, $0-48
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	ACT64_LOADCONST
	LN64_LOADCONST
	MOVD	$0x3fda827999fcef32, R4
	VDUP	R4, V22.D2

loop:
	CMP	$4, R2
	BLT	two
	VLD1.P	32(R1), [V0.D2, V1.D2]
	SOFTPLUS64(0, 2, 3, 14, 4, 5, 6, 7)
	SOFTPLUS64(1, 8, 9, 15, 10, 11, 12, 13)
	VST1.P	[V14.D2, V15.D2], 32(R0)
	SUB	$4, R2
	B	loop

two:
	CMP	$2, R2
	BLT	tail
	VLD1.P	16(R1), [V0.D2]
	SOFTPLUS64(0, 2, 3, 14, 4, 5, 6, 7)
	VST1.P	[V14.D2], 16(R0)
	SUB	$2, R2

tail:
	// 0 or 1 element left: one lane.
	CBZ	R2, done
	VLD1	(R1), V0.D[0]
	SOFTPLUS64(0, 2, 3, 14, 4, 5, 6, 7)
	VST1	V14.D[0], (R0)

done:
	RET
