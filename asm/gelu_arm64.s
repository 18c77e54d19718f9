//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp_f32_arm64.h"
#include "act_arm64.h"
#include "act_f64_arm64.h"
#include "gelu_f64_arm64.h"

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

// GELU for float64 with NEON, with the method of the amd64 kernels (asm/_gen/streaming/gelu64.go,
// the AVX-512 variant's pieces: P = 8, K = 4, degree 10, gelu64Tab8 of gelutab64.go). With
// c = min(|x|, 40) (beyond, the result is x or -0 all the same),
//
//	h = c·Q(c),  Q(c) = erfc(c/√2)/2 = e^(-c²/2)·G(c),  G(c) = erfcx(c/√2)/2
//	GELU(x) = x - h for x >= 0 (h <= x/2: no cancellation), -h for x < 0
//
// each factor relative-accurate, so that the tiny results of very negative x keep their accuracy
// down through the subnormals. c·G(c) = s·f(s) for s = c/(c + K), f smooth and bounded on [0, 1),
// from 8 polynomial pieces in u = P·s - n centred on s = n/P, n = round(P·s); s is carried as
// s0 + sl so that the rounding of the quotient costs nothing:
//
//	dh = c + K, dl = c - (dh - K)     c + K exactly (dh - K is exact: K is an integer)
//	s0 = c/dh                         FDIV, rounded
//	e = (c - s0·dh) - s0·dl           the residual of the quotient (FMLS; the first part exact)
//	K·sl = e·(1 - s0)                 1/(c + K) = (1 - s)/K
//	n = round(P·s0), u = (P·s0 - n) + (P/K)·(K·sl)   with 1.5·2^52 added and subtracted
//	f = the piece n's polynomial in u Horner's scheme, each coefficient picked per lane by TBL
//	                                  from its 8 values (64 bytes, four registers), the byte
//	                                  indices 8n..8n+7 of each lane built from n in the low bits
//	                                  of P·s0 + 1.5·2^52
//	m = f·s0 + f·sl                   c·G(c), one rounding
//
// and e^(-c²/2) = (M + Ml)·2^k from the steps of act_f64_arm64.h with -c²/2 as a double-double
// (c² = ch + cl by FMA, cl added to the reduced argument), M = 1 + s rounded and Ml its rounding
// error; h = (m·M + m·Ml)·2^k, one rounding before the scaling, which takes two normal factors
// (ACT64_HALVES: k goes down to -1154) and rounds once more only where h is subnormal. The error:
// f within about 0.7 ULP (the fit and its evaluation), m, e^r (0.51 ULP), h, and x - h: within
// 3 ULP of the correctly rounded GELU(x). Special values: ±0 give h = 0 (x - 0 keeps the sign of
// ±0); +Inf gives +Inf - h = +Inf; -Inf gives -h = -0 (h rounds to 0 at c = 40); a NaN x makes c
// and everything after it NaN (FMIN keeps it, TBL turns any index past the table into 0 bytes,
// FCVTZS a NaN into 0) and the result x - h is x's NaN. Where |x| < 2^-60 the result is x/2
// rounded (x·Φ(x) = x/2·(1 + 0.8x) there), which also rounds the subnormal halves as the
// reference does (to even). The exact loop and contract in the doc comment of gelu_arm64.go.

// gelu64c<> holds, each in both float64 lanes unless said: 40 (the clamp of |x|), K = 4,
// 1.5·2^52; the pairs {P, P/K} = {8, 2} and {1/K, -0.5}; the byte indices {0 x8, 8 x8} (byte 0 of
// each lane in every byte of it) and {0, 1, ..., 7} in each lane.
DATA gelu64c<>+0(SB)/8, $0x4044000000000000
DATA gelu64c<>+8(SB)/8, $0x4044000000000000
DATA gelu64c<>+16(SB)/8, $0x4010000000000000
DATA gelu64c<>+24(SB)/8, $0x4010000000000000
DATA gelu64c<>+32(SB)/8, $0x4338000000000000
DATA gelu64c<>+40(SB)/8, $0x4338000000000000
DATA gelu64c<>+48(SB)/8, $0x4020000000000000
DATA gelu64c<>+56(SB)/8, $0x4000000000000000
DATA gelu64c<>+64(SB)/8, $0x3fd0000000000000
DATA gelu64c<>+72(SB)/8, $0xbfe0000000000000
DATA gelu64c<>+80(SB)/8, $0x0000000000000000
DATA gelu64c<>+88(SB)/8, $0x0808080808080808
DATA gelu64c<>+96(SB)/8, $0x0706050403020100
DATA gelu64c<>+104(SB)/8, $0x0706050403020100
GLOBL gelu64c<>(SB), RODATA|NOPTR, $112

// gelu64d<> holds 2^-60 (below it in magnitude, GELU(x) is x/2 rounded) and 0.5, each in both
// lanes.
DATA gelu64d<>+0(SB)/8, $0x3c30000000000000
DATA gelu64d<>+8(SB)/8, $0x3c30000000000000
DATA gelu64d<>+16(SB)/8, $0x3fe0000000000000
DATA gelu64d<>+24(SB)/8, $0x3fe0000000000000
GLOBL gelu64d<>(SB), RODATA|NOPTR, $32

// gelu64t<> holds the coefficients of the pieces' polynomials (gelu64Tab8 of
// asm/_gen/streaming/gelutab64.go), that of u^10 first: for each power, its value in pieces
// 0..7 (64 bytes, the table of one TBL4_B16).
DATA gelu64t<>+0(SB)/8, $0x3dde1505b9b91c4d
DATA gelu64t<>+8(SB)/8, $0xbdc6c3291a51920a
DATA gelu64t<>+16(SB)/8, $0xbdc4af8cf5b05d18
DATA gelu64t<>+24(SB)/8, $0xbdd440c18e31c27b
DATA gelu64t<>+32(SB)/8, $0xbda06f4b42a9e7c3
DATA gelu64t<>+40(SB)/8, $0x3dd58f98da4bf2d2
DATA gelu64t<>+48(SB)/8, $0x3dc9f4c0950d8c6f
DATA gelu64t<>+56(SB)/8, $0x3dd41499b18851d6
DATA gelu64t<>+64(SB)/8, $0x3df4ce08a570de4d
DATA gelu64t<>+72(SB)/8, $0x3e04ef0f11a9b79a
DATA gelu64t<>+80(SB)/8, $0x3df11d99379ab471
DATA gelu64t<>+88(SB)/8, $0xbdfff5314a15c327
DATA gelu64t<>+96(SB)/8, $0xbe0e21ea9b87956d
DATA gelu64t<>+104(SB)/8, $0xbe00da5dcd39c81f
DATA gelu64t<>+112(SB)/8, $0x3de5cdc9d59faa69
DATA gelu64t<>+120(SB)/8, $0x3dfe8fc6f6d4cf1a
DATA gelu64t<>+128(SB)/8, $0x3de0bf834bcd2abe
DATA gelu64t<>+136(SB)/8, $0x3e36a7d78b6e56ed
DATA gelu64t<>+144(SB)/8, $0x3e4467f0becb3167
DATA gelu64t<>+152(SB)/8, $0x3e4287e0e4d5b004
DATA gelu64t<>+160(SB)/8, $0x3e2182e3aa96b0ca
DATA gelu64t<>+168(SB)/8, $0xbe342d3e97840c71
DATA gelu64t<>+176(SB)/8, $0xbe39cb0bddc2a5cd
DATA gelu64t<>+184(SB)/8, $0xbe2c126f3e0157af
DATA gelu64t<>+192(SB)/8, $0xbe7becafed495649
DATA gelu64t<>+200(SB)/8, $0xbe76842e02f96b06
DATA gelu64t<>+208(SB)/8, $0xbe5848663011b86a
DATA gelu64t<>+216(SB)/8, $0x3e6d2bc6f44a6021
DATA gelu64t<>+224(SB)/8, $0x3e7ab81753a49ecf
DATA gelu64t<>+232(SB)/8, $0x3e7738a5fdb28db9
DATA gelu64t<>+240(SB)/8, $0x3e655118b14372ef
DATA gelu64t<>+248(SB)/8, $0x3e1819318ff09cc1
DATA gelu64t<>+256(SB)/8, $0xbe9ecc32a8f5c6f2
DATA gelu64t<>+264(SB)/8, $0xbeb3269238009156
DATA gelu64t<>+272(SB)/8, $0xbeb9be5fa50c9e83
DATA gelu64t<>+280(SB)/8, $0xbeb7d00d4ff8825c
DATA gelu64t<>+288(SB)/8, $0xbeac8173b7766021
DATA gelu64t<>+296(SB)/8, $0xbe865819bf7b75bd
DATA gelu64t<>+304(SB)/8, $0x3e92df787a021e88
DATA gelu64t<>+312(SB)/8, $0x3e9ba798c6d63336
DATA gelu64t<>+320(SB)/8, $0x3ef6e9bd21d09c2f
DATA gelu64t<>+328(SB)/8, $0x3ef1ce35f52e4464
DATA gelu64t<>+336(SB)/8, $0x3ee252a17625673c
DATA gelu64t<>+344(SB)/8, $0xbe9aa1131b15c945
DATA gelu64t<>+352(SB)/8, $0xbedee2760c5872a8
DATA gelu64t<>+360(SB)/8, $0xbee5bc3bbc12697b
DATA gelu64t<>+368(SB)/8, $0xbee4a9f31e4158b4
DATA gelu64t<>+376(SB)/8, $0xbee004eb21ef156c
DATA gelu64t<>+384(SB)/8, $0x3f12e7c34ba10210
DATA gelu64t<>+392(SB)/8, $0x3f26670b6e569ee5
DATA gelu64t<>+400(SB)/8, $0x3f2ef5b44e9aa0a2
DATA gelu64t<>+408(SB)/8, $0x3f30d3cd9229bbcf
DATA gelu64t<>+416(SB)/8, $0x3f2eec4cc41b66ad
DATA gelu64t<>+424(SB)/8, $0x3f28e35bb6314d49
DATA gelu64t<>+432(SB)/8, $0x3f221dbca33f1bf7
DATA gelu64t<>+440(SB)/8, $0x3f18af50dcd65a41
DATA gelu64t<>+448(SB)/8, $0xbf7989d6b52815d8
DATA gelu64t<>+456(SB)/8, $0xbf77839e754a8547
DATA gelu64t<>+464(SB)/8, $0xbf741f56ef20e4b7
DATA gelu64t<>+472(SB)/8, $0xbf700573167294b0
DATA gelu64t<>+480(SB)/8, $0xbf67dff2bff68d5e
DATA gelu64t<>+488(SB)/8, $0xbf60db89489b745e
DATA gelu64t<>+496(SB)/8, $0xbf56fa9ad6f5eb77
DATA gelu64t<>+504(SB)/8, $0xbf4ed9dabbc7bc6d
DATA gelu64t<>+512(SB)/8, $0x3fb4ef759857947a
DATA gelu64t<>+520(SB)/8, $0x3fb04fb33e384177
DATA gelu64t<>+528(SB)/8, $0x3fa868431fd44104
DATA gelu64t<>+536(SB)/8, $0x3fa19ead4b3e4b29
DATA gelu64t<>+544(SB)/8, $0x3f98c6dbf2cfbeb8
DATA gelu64t<>+552(SB)/8, $0x3f912fddcda6ef11
DATA gelu64t<>+560(SB)/8, $0x3f87d99fbc7fcfbf
DATA gelu64t<>+568(SB)/8, $0x3f80bd570a98cf95
DATA gelu64t<>+576(SB)/8, $0xbfe1884533d43651
DATA gelu64t<>+584(SB)/8, $0xbfd9c4d00dc0e1a3
DATA gelu64t<>+592(SB)/8, $0xbfd2aaa9379cbfa8
DATA gelu64t<>+600(SB)/8, $0xbfcae40ac4f79f00
DATA gelu64t<>+608(SB)/8, $0xbfc373e3a893c28a
DATA gelu64t<>+616(SB)/8, $0xbfbc8632e10e3708
DATA gelu64t<>+624(SB)/8, $0xbfb5547ed57324ba
DATA gelu64t<>+632(SB)/8, $0xbfb050b50a7d7d07
DATA gelu64t<>+640(SB)/8, $0x4000000000000000
DATA gelu64t<>+648(SB)/8, $0x3ff871acdab7791c
DATA gelu64t<>+656(SB)/8, $0x3ff2eeb42bebf722
DATA gelu64t<>+664(SB)/8, $0x3fede857af53ff0b
DATA gelu64t<>+672(SB)/8, $0x3fe82b4bb8c94dce
DATA gelu64t<>+680(SB)/8, $0x3fe3fe877d04add1
DATA gelu64t<>+688(SB)/8, $0x3fe0e7dcd1d93192
DATA gelu64t<>+696(SB)/8, $0x3fdd2488076fa77f
GLOBL gelu64t<>(SB), RODATA|NOPTR, $704

// GELU64_M(A, D, F) sets VA = m = f·s0 + f·sl from VA = K·sl, VD = s0 and VF = f. 3
// instructions. Reads VA, VD, VF, V16; writes VA only.
#define GELU64_M(A, D, F) \
	FMUL_D2(A, A, F);      \
	FMULE_D2(A, A, 16, 0); \
	FMLA_D2(A, F, D)

// GELU64_H(X, M, A, B, C, D) sets VB = GELU(x) for x in VX and m in VM: e^(-c²/2) and h, then the
// result; VA, VC and VD are scratch. 56 instructions. Reads VX, VM, V12, V16, V19, V20 (2^-60 and
// 0.5), V24-V31; writes VA, VB, VC and VD only.
#define GELU64_H(X, M, A, B, C, D) \
	FABS_D2(A, X);         \
	FMIN_D2(A, A, 12);     \
	FMUL_D2(B, A, A);      \
	FNEG_D2(C, B);         \
	FMLA_D2(C, A, A);      \
	FMULE_D2(B, B, 16, 1); \
	FMULE_D2(C, C, 16, 1); \
	ACT64_RED(B, D);       \
	FADD_D2(B, B, C);      \
	ACT64_POLY(B, C, A);   \
	FADD_D2(A, B, 31);     \
	FSUB_D2(C, A, 31);     \
	FSUB_D2(C, B, C);      \
	FMUL_D2(C, C, M);      \
	FMLA_D2(C, M, A);      \
	ACT64_HALVES(D, A);    \
	FMUL_D2(C, C, A);      \
	FMUL_D2(C, C, D);      \
	FSUB_D2(B, X, C);      \
	FNEG_D2(C, C);         \
	FCMLTZ_D2(D, X);       \
	BIT_B16(B, C, D);      \
	FABS_D2(A, X);         \
	FCMGT_D2(A, 19, A);    \
	FMULE_D2(D, X, 20, 0); \
	BIT_B16(B, D, A)

// func GELUF64NEON(dst, src []float64)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the constant tables, while loading them
//   R4  the next coefficients of gelu64t<>
//   R5  gelu64d<>
//   V0-V11  two vectors in flight, the first in the even registers, the second in the odd ones:
//       V0, V1  x, then c, then e and K·sl, then m; V2, V3  c + K, then 1 - s0, then t and the
//       byte indices, then scratch (GELU64_H's A); V4, V5  c - (c + K - K), then P·s0, then u,
//       then the results; V6, V7  s0, then scratch; V8, V9  f, then scratch; V10, V11  n, then
//       Horner's other register, then x (for the last odd element: x from the start in V10, and
//       n and Horner's other register in V11)
//   V12  40; V13  K; V14  1.5·2^52; V15  {P, P/K}; V16  {1/K, -0.5}; V17, V18  byte indices
//   V19-V22  a coefficient's values in the 8 pieces, then 2^-60 and 0.5 (V19, V20)
//   V23-V31  constants (act_f64_arm64.h)
TEXT ·GELUF64NEON(SB), NOSPLIT, $0-48
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	ACT64_LOADCONST
	MOVD	$gelu64c<>(SB), R3
	VLD1.P	64(R3), [V12.D2, V13.D2, V14.D2, V15.D2]
	VLD1	(R3), [V16.D2, V17.D2, V18.D2]
	MOVD	$gelu64d<>(SB), R5

loop:
	CMP	$4, R2
	BLT	two
	VLD1	(R1), [V0.D2, V1.D2]
	GELU64_IDX(0, 2, 4, 6, 10)
	GELU64_IDX(1, 3, 5, 7, 11)
	MOVD	$gelu64t<>(SB), R4
	GELU64_HORNER2(2, 4, 8, 10, 3, 5, 9, 11)
	GELU64_M(0, 6, 8)
	GELU64_M(1, 7, 9)
	VLD1	(R5), [V19.D2, V20.D2]
	VLD1.P	32(R1), [V10.D2, V11.D2]
	GELU64_H(10, 0, 2, 4, 6, 8)
	GELU64_H(11, 1, 3, 5, 7, 9)
	VST1.P	[V4.D2, V5.D2], 32(R0)
	SUB	$4, R2
	B	loop

two:
	CMP	$2, R2
	BLT	tail
	VLD1	(R1), [V0.D2]
	GELU64_IDX(0, 2, 4, 6, 10)
	MOVD	$gelu64t<>(SB), R4
	GELU64_HORNER1(2, 4, 8, 10)
	GELU64_M(0, 6, 8)
	VLD1	(R5), [V19.D2, V20.D2]
	VLD1.P	16(R1), [V10.D2]
	GELU64_H(10, 0, 2, 4, 6, 8)
	VST1.P	[V4.D2], 16(R0)
	SUB	$2, R2

tail:
	// 0 or 1 element left: one lane.
	CBZ	R2, done64
	VLD1	(R1), V0.D[0]
	VMOV	V0.B16, V10.B16
	GELU64_IDX(0, 2, 4, 6, 11)
	MOVD	$gelu64t<>(SB), R4
	GELU64_HORNER1(2, 4, 8, 11)
	GELU64_M(0, 6, 8)
	VLD1	(R5), [V19.D2, V20.D2]
	GELU64_H(10, 0, 2, 4, 6, 8)
	VST1	V4.D[0], (R0)

done64:
	RET
