//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "act_f64_arm64.h"

// Tanh of float64 with NEON, the method of the amd64 kernels (asm/_gen/streaming/tanh64.go): for
// a = |x| >= 2^-27 clamped to 20, tanh a = (1 - e)/(1 + e) with e = e^(-2a) on the steps of
// act_f64_arm64.h, with two low parts kept, because the quotient magnifies the error of e by up
// to 2e/(1 - e²) where 1 - e cancels:
//
//	-2a = n·ln2 + r + rl        ACT64_RED with the rounding error of its last FMA kept:
//	                            rl = (rh - r) - n·ln2lo for rh = -2a - n·ln2hi
//	s = sh + sl                 e^(r+rl) - 1 = r + r·w + rl·(1 + s), w = r·q(r) rounded:
//	                            sh = r + p, p = r·w rounded, sl = the errors of both (exact, FMA
//	                            and Fast2Sum) + rl·(1 + sh)
//	M = 1 + sh, Ml = (sh - (M - 1)) + sl
//	e = E + El                  E = M·2^n, El = Ml·2^n, exact (n >= -58: ACT64_POW2)
//	nh0 = 1 - E                 1 - e = nh + nl: g = ((nh0 - 1) + E) + El, nh = nh0 - g,
//	                            nl = (nh0 - nh) - g (two Fast2Sums)
//	dh = 1 + E                  1 + e = dh + dl: dl = (E - (dh - 1)) + El
//	y0 = nh·(1/dh)              one division
//	ql = (nh - y0·dh + nl - y0·dl)/dh, result = y0 + ql, rounded once
//
// For n = 0 (a < ln2/4) 1 - E is exact and nh + nl is -s itself: small a lose nothing to
// cancellation. Within about 0.7 ULP of tanh a. The sign of x is put back with BIT, and the
// lanes where |x| < 2^-27 (±0 and subnormals among them: tanh x rounds to x there) or x is NaN
// take x itself. The exact loop and contract are in the doc comment of tanh_f64_arm64.go.

// TANH64(X, A, N, L, P, Q, E, S, F, B) sets VA = tanh(x) for the two float64 lanes x of VX
// (kept). Reads VX, V20-V22 (2^-27, the sign bit, -20), V24-V31; writes VA, VN, VL, VP, VQ, VE,
// VS, VF and VB only.
#define TANH64(X, A, N, L, P, Q, E, S, F, B) \
	FABS_D2(A, X);          \
	FNEG_D2(A, A);          \
	FMAX_D2(A, A, 22);      \
	FADD_D2(A, A, A);       \
	FMULE_D2(N, A, 30, 0);  \
	FRINTN_D2(N, N);        \
	FMLAE_D2(A, N, 30, 1);  \
	MOV_B16(L, A);          \
	FMLAE_D2(A, N, 29, 0);  \
	FSUB_D2(L, L, A);       \
	FMLAE_D2(L, N, 29, 0);  \
	ACT64_POLYQ(A, P, Q);   \
	FMUL_D2(Q, Q, A);       \
	FMUL_D2(P, Q, A);       \
	FNEG_D2(E, P);          \
	FMLA_D2(E, Q, A);       \
	FADD_D2(S, A, P);       \
	FSUB_D2(A, S, A);       \
	FSUB_D2(A, P, A);       \
	FADD_D2(A, A, E);       \
	FMLA_D2(L, L, S);       \
	FADD_D2(A, A, L);       \
	FADD_D2(P, S, 31);      \
	FSUB_D2(E, P, 31);      \
	FSUB_D2(S, S, E);       \
	FADD_D2(S, S, A);       \
	ACT64_POW2(N);          \
	FMUL_D2(P, P, N);       \
	FMUL_D2(S, S, N);       \
	FSUB_D2(F, 31, P);      \
	FSUB_D2(A, F, 31);      \
	FADD_D2(A, A, P);       \
	FADD_D2(A, A, S);       \
	FSUB_D2(B, F, A);       \
	FSUB_D2(F, F, B);       \
	FSUB_D2(F, F, A);       \
	FADD_D2(A, P, 31);      \
	FSUB_D2(N, A, 31);      \
	FSUB_D2(P, P, N);       \
	FADD_D2(P, P, S);       \
	FDIV_D2(S, 31, A);      \
	FMUL_D2(N, B, S);       \
	FMLS_D2(B, N, A);       \
	FADD_D2(B, B, F);       \
	FMLS_D2(B, N, P);       \
	FMUL_D2(B, B, S);       \
	FADD_D2(B, B, N);       \
	BIT_B16(B, X, 21);      \
	FABS_D2(A, X);          \
	FCMGE_D2(A, A, 20);     \
	BSL_B16(A, B, X)

// func TanhF64NEON(dst, src []float64)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the constant table, while loading it; R4  a constant's bits, while setting V20-V22
//   V0, V1  x of the two vectors in flight; V2, V3  their results
//   V4-V11 and V12-V19  the rest of TANH64's registers of each vector (N, L, P, Q, E, S, F, B):
//       n, then 2^n, then dh - 1, then y0; rh, then rh - r, rl and rl·(1 + sh); q(r)'s scratch,
//       then p, then M and E, then dl; q(r), then w; the error of p, then M - 1; sh, then Ml,
//       then El, then 1/dh; nh0, then nl; nh, then the residual and tanh|x|. The result register
//       (A) holds -2a, then rh and r, then sl, then g, then dh, then |x| and the mask of the
//       lanes where |x| >= 2^-27.
//   V20  2^-27; V21  the sign bit; V22  -20, the clamp of -|x|
//   V23-V31  constants (act_f64_arm64.h; V23, -1100, unused)
TEXT ·TanhF64NEON(SB), NOSPLIT, $0-48
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	ACT64_LOADCONST
	MOVD	$0x3e40000000000000, R4
	VDUP	R4, V20.D2
	MOVD	$0x8000000000000000, R4
	VDUP	R4, V21.D2
	MOVD	$0xc034000000000000, R4
	VDUP	R4, V22.D2

loop:
	CMP	$4, R2
	BLT	one
	VLD1.P	32(R1), [V0.D2, V1.D2]
	TANH64(0, 2, 4, 5, 6, 7, 8, 9, 10, 11)
	TANH64(1, 3, 12, 13, 14, 15, 16, 17, 18, 19)
	VST1.P	[V2.D2, V3.D2], 32(R0)
	SUB	$4, R2
	B	loop

one:
	CMP	$2, R2
	BLT	tail
	VLD1.P	16(R1), [V0.D2]
	TANH64(0, 2, 4, 5, 6, 7, 8, 9, 10, 11)
	VST1.P	[V2.D2], 16(R0)
	SUB	$2, R2

tail:
	// 0 or 1 element left: one lane.
	CBZ	R2, done
	VLD1	(R1), V0.D[0]
	TANH64(0, 2, 4, 5, 6, 7, 8, 9, 10, 11)
	VST1	V2.D[0], (R0)

done:
	RET
