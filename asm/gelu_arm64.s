//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp_f32_arm64.h"
#include "act_arm64.h"

// GELU for float32 with NEON, in float64. With a = min(|x|, 15) and z = a/√2, erfc(z) is
// taken in the form
//
//	erfc(z) = t·e^(-z² + P(t)),  t = 2/(2 + z) = 1/(1 + a/(2√2))
//
// (t in [0.159, 1] for z in [0, 15/√2]) with P of degree 12, a Chebyshev fit on that interval
// of ln(erfc(z)·e^(z²)/t): e^P within 2^-31.8 (relative) of its value. Then
//
//	-z² + P(t) = P(t) - 0.5·a²     a² is exact (a is a float32 or 15): one rounding, at most
//	                               2^-46 absolute, against exponents down to -114
//	q = 0.5·t·e^(-z² + P(t))       the float64 step of exp_f32_arm64.h (within 2^-32): q is
//	                               0.5·erfc(|x|/√2) = Φ(-|x|) within about 2^-31 relative
//	Φ(x) = q for x < 0, 1 - q for x >= 0 (q <= 0.5: no cancellation)
//	result = max(x, -15)·Φ(x)      one rounding to float32
//
// within 1 ULP of the correctly rounded result. Below -14.36 the result rounds to -0, so
// clamping x at -15 (-Inf included) changes nothing; above 15, Φ is 1 in float64 and the result
// is x (+Inf included). For |x| < 2^-125, 0.5·x may be a float32 rounding midpoint (x·Φ(x) is
// subnormal), which the exact value 0.5·x + x²/√(2π) lies just above: there Φ is taken as
// 0.5 + x·2^98 instead (at least 2^-51 above 0.5 and x·2^98·x below a quarter of the smallest
// subnormal), so that the rounding goes the same way and ±0 keep their sign. NaN propagates
// (FABS, FMIN and FMAX keep it). The constant registers are in exp_f32_arm64.h and below; the
// exact loop and contract in the doc comment of gelu_arm64.go.

// gelun<> holds P's coefficients c0..c12 (of t^0..t^12) in pairs, {c0, c1} ... {c10, c11},
// {c12, c12}, then, each in both float64 lanes: 1/(2√2), 0.5, 15, -15, 2^-125 and 2^98.
DATA gelun<>+0(SB)/8, $0xbff43f80cff5cef9
DATA gelun<>+8(SB)/8, $0x3feffd9fec1a1736
DATA gelun<>+16(SB)/8, $0x3fd84907bd929589
DATA gelun<>+24(SB)/8, $0x3fa5f30c8556ebd0
DATA gelun<>+32(SB)/8, $0x3fc3ed0535cf6358
DATA gelun<>+40(SB)/8, $0xbff2488189d93f4e
DATA gelun<>+48(SB)/8, $0x4006aaa33f565fbe
DATA gelun<>+56(SB)/8, $0xc0182de805733d7c
DATA gelun<>+64(SB)/8, $0x4021c82ee712f5d6
DATA gelun<>+72(SB)/8, $0xc02059a62974ca4e
DATA gelun<>+80(SB)/8, $0x40123bfba83595d8
DATA gelun<>+88(SB)/8, $0xbff6d0aaac1c44f2
DATA gelun<>+96(SB)/8, $0x3fc8c438f7ff8348
DATA gelun<>+104(SB)/8, $0x3fc8c438f7ff8348
DATA gelun<>+112(SB)/8, $0x3fd6a09e667f3bcd
DATA gelun<>+120(SB)/8, $0x3fd6a09e667f3bcd
DATA gelun<>+128(SB)/8, $0x3fe0000000000000
DATA gelun<>+136(SB)/8, $0x3fe0000000000000
DATA gelun<>+144(SB)/8, $0x402e000000000000
DATA gelun<>+152(SB)/8, $0x402e000000000000
DATA gelun<>+160(SB)/8, $0xc02e000000000000
DATA gelun<>+168(SB)/8, $0xc02e000000000000
DATA gelun<>+176(SB)/8, $0x3820000000000000
DATA gelun<>+184(SB)/8, $0x3820000000000000
DATA gelun<>+192(SB)/8, $0x4610000000000000
DATA gelun<>+200(SB)/8, $0x4610000000000000
GLOBL gelun<>(SB), RODATA|NOPTR, $208

// GELUHALF sets VP = x·Φ(x) for the two float64 lanes x of VV; VA, VX, VN and VQ are scratch.
// Horner's scheme for P alternates VN and VP, each step a coefficient copied from its lane
// (DUP) and an FMLA into it. Reads VV, V9-V21 (gelun<>), V23-V31; writes VP, VV, VA, VX, VN and
// VQ only.
#define GELUHALF(V, A, X, N, P, Q) \
	FABS_D2(A, V);        \
	FMIN_D2(A, A, 11);    \
	FMUL_D2(Q, A, A);     \
	MOV_B16(N, 31);       \
	FMLA_D2(N, A, 9);     \
	FDIV_D2(A, 31, N);    \
	MOV_B16(N, 19);       \
	DUPE_D2(P, 18, 1);    \
	FMLA_D2(P, N, A);     \
	DUPE_D2(N, 18, 0);    \
	FMLA_D2(N, P, A);     \
	DUPE_D2(P, 17, 1);    \
	FMLA_D2(P, N, A);     \
	DUPE_D2(N, 17, 0);    \
	FMLA_D2(N, P, A);     \
	DUPE_D2(P, 16, 1);    \
	FMLA_D2(P, N, A);     \
	DUPE_D2(N, 16, 0);    \
	FMLA_D2(N, P, A);     \
	DUPE_D2(P, 15, 1);    \
	FMLA_D2(P, N, A);     \
	DUPE_D2(N, 15, 0);    \
	FMLA_D2(N, P, A);     \
	DUPE_D2(P, 14, 1);    \
	FMLA_D2(P, N, A);     \
	DUPE_D2(N, 14, 0);    \
	FMLA_D2(N, P, A);     \
	DUPE_D2(P, 13, 1);    \
	FMLA_D2(P, N, A);     \
	DUPE_D2(X, 13, 0);    \
	FMLA_D2(X, P, A);     \
	FMLS_D2(X, Q, 10);    \
	EXP32_CORE64(X, N, P, Q); \
	FMUL_D2(N, N, A);     \
	FMUL_D2(N, N, 10);    \
	FCMLTZ_D2(P, V);      \
	FSUB_D2(Q, 31, N);    \
	BSL_B16(P, N, Q);     \
	FACGT_D2(Q, 20, V);   \
	MOV_B16(A, 10);       \
	FMLA_D2(A, V, 21);    \
	BIT_B16(P, A, Q);     \
	FMAX_D2(V, V, 12);    \
	FMUL_D2(P, P, V)

// func GELUF32NEON(dst, src []float32)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the constant tables, while loading them
//   V0  four x
//   V1, V8  the low and the high float64 half of x
//   V2-V6  scratch of GELUHALF, one half after the other: a, then t; P(t) - 0.5a², then w;
//       Horner's partial sums, then e^(-z²+P) and q; Horner's partial sums, then Φ and the
//       result; a², then scratch
//   V7  the four results
//   V9-V12  1/(2√2), 0.5, 15, -15; V13-V19  P's coefficients in pairs; V20, V21  2^-125, 2^98
//   V23-V31  constants (exp_f32_arm64.h; its float32 clamps in V20, V21 and -120 in V22 are not
//       used)
TEXT ·GELUF32NEON(SB), NOSPLIT, $0-48
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	EXP32_LOADCONST
	MOVD	$gelun<>(SB), R3
	VLD1.P	64(R3), [V13.D2, V14.D2, V15.D2, V16.D2]
	VLD1.P	48(R3), [V17.D2, V18.D2, V19.D2]
	VLD1.P	64(R3), [V9.D2, V10.D2, V11.D2, V12.D2]
	VLD1	(R3), [V20.D2, V21.D2]

one:
	CMP	$4, R2
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	FCVTL_D2(1, 0)
	FCVTL2_D2(8, 0)
	GELUHALF(1, 2, 3, 4, 5, 6)
	FCVTN_S2(7, 5)
	GELUHALF(8, 2, 3, 4, 5, 6)
	FCVTN2_S4(7, 5)
	VST1.P	[V7.S4], 16(R0)
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
	GELUHALF(1, 2, 3, 4, 5, 6)
	FCVTN_S2(7, 5)
	GELUHALF(8, 2, 3, 4, 5, 6)
	FCVTN2_S4(7, 5)
	VST1.P	V7.S[0], 4(R0)
	CMP	$2, R2
	BLT	done
	VST1.P	V7.S[1], 4(R0)
	CMP	$3, R2
	BLT	done
	VST1.P	V7.S[2], 4(R0)

done:
	RET
