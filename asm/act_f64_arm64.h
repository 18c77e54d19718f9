// Shared by the float64 activation kernels for NEON (silu, elu, gelutanh _arm64.s and
// tanh_f64_arm64.s) and their backward kernels (elugrad, silugrad, softplusgrad and gelutanhgrad
// _arm64.s): the float64 e^x core of exp_f64_arm64.h cut into steps, so that a kernel takes what
// it needs in between (e^r - 1 itself for ELU's expm1 form; e^a unscaled, to be multiplied by
// other factors before its scaling by 2^n, for x·σ(v) in SiLU and GELUTanh and dy·f' in the
// backward kernels, so that a subnormal result is rounded once; q(r) alone for the float64 tanh),
// as the amd64 generators do (asm/_gen/streaming/expcore64.go). Each including file gets its own
// file-local copy of the table act64n<>. Registers in macro arguments are numbers, as in
// neon_arm64.h.
//
// Method, for a in [-1100, 1100] (the kernel clamps it) and an optional low part al added to r:
//
//	n = round(a·log2(e))             FRINTN, ties to even
//	r = a - n·ln2hi - n·ln2lo (+ al) Cody-Waite with FMA: ln2hi has 32 significant bits, so
//	                                 n·ln2hi is exact; |r| <= ln2/2 (plus al)
//	s = r + r·(r·q(r))               q of degree 10 for (e^r - 1 - r)/r², the polynomial of
//	                                 exp_f64_arm64.h: s = e^r - 1 within about 0.51 ULP of s
//	e^a = (1 + s)·2^n
//
// 2^n is built in the exponent field from the integer n (FCVTZS): whole for n >= -1022
// (ACT64_POW2), or as two normal factors 2^floor(n/2)·2^(n-floor(n/2)) for |n| <= 2044
// (ACT64_HALVES), of which the first product is exact and the second rounds once. NaN propagates
// through FRINTN and the arithmetic (FCVTZS turns it into 0, so the powers of 2 are 1).
//
// The constants live in V23-V31, loaded by ACT64_LOADCONST; those of the polynomial and the
// reduction in pairs, one per lane, read by FMUL/FMLA by element and DUP (which cost what MOV
// and FMLA cost with one register per constant), which leaves V0-V22 to the kernels:
//	V23	LO: -1100 in both lanes
//	V24	{A1, A0}: q's coefficients of r^1 and r^0 (those of exp_f64_arm64.h)
//	V25	{A3, A2}
//	V26	{A5, A4}
//	V27	{A7, A6}
//	V28	{A9, A8}
//	V29	{NLN2LO, A10}: -(ln2 - ln2hi), and q's coefficient of r^10
//	V30	{LOG2E, NLN2HI}: log2(e), -ln2hi
//	V31	ONE: 1.0 in both lanes; also 1023<<52, the exponent bias in place

DATA act64n<>+0(SB)/8, $0xc091300000000000
DATA act64n<>+8(SB)/8, $0xc091300000000000
DATA act64n<>+16(SB)/8, $0x3fc5555555555557
DATA act64n<>+24(SB)/8, $0x3fe0000000000000
DATA act64n<>+32(SB)/8, $0x3f811111111100dc
DATA act64n<>+40(SB)/8, $0x3fa5555555555556
DATA act64n<>+48(SB)/8, $0x3f2a01a01abe7fe1
DATA act64n<>+56(SB)/8, $0x3f56c16c16c162d4
DATA act64n<>+64(SB)/8, $0x3ec71de0231960eb
DATA act64n<>+72(SB)/8, $0x3efa01a01a6d889c
DATA act64n<>+80(SB)/8, $0x3e5af4de97ca4194
DATA act64n<>+88(SB)/8, $0x3e927e4db646b17e
DATA act64n<>+96(SB)/8, $0xbdea39ef35793c76
DATA act64n<>+104(SB)/8, $0x3e21f730349868ce
DATA act64n<>+112(SB)/8, $0x3ff71547652b82fe
DATA act64n<>+120(SB)/8, $0xbfe62e42fee00000
DATA act64n<>+128(SB)/8, $0x3ff0000000000000
DATA act64n<>+136(SB)/8, $0x3ff0000000000000
GLOBL act64n<>(SB), RODATA|NOPTR, $144

// CMGE Vd.2D, Vn.2D, #0: all ones where the int64 lane of Vn is >= 0, that is where the sign
// bit of the float64 is clear (+0, positive numbers, +Inf, NaN without the sign bit).
#define CMGEZ_D2(d, n) WORD $(0x6EE08800|((n)<<5)|(d))

// ACT64_LOADCONST loads V23-V31 from act64n<>. Writes V23-V31; clobbers R3.
#define ACT64_LOADCONST \
	MOVD   $act64n<>(SB), R3; \
	VLD1.P 64(R3), [V23.D2, V24.D2, V25.D2, V26.D2]; \
	VLD1.P 64(R3), [V27.D2, V28.D2, V29.D2, V30.D2]; \
	VLD1   (R3), [V31.D2]

// ACT64_RED(X, N) is the reduction: VX holds a in [-1100, 1100] (or NaN) and becomes r, VN
// becomes n (a float64 integer). 4 instructions. Reads VX, V29, V30; writes VX and VN only.
#define ACT64_RED(X, N) \
	FMULE_D2(N, X, 30, 0); \
	FRINTN_D2(N, N);       \
	FMLAE_D2(X, N, 30, 1); \
	FMLAE_D2(X, N, 29, 0)

// ACT64_POLYQ(X, P, Q) sets VQ = q(r) for r in VX (kept), the polynomial of ACT64_POLY, by
// Horner's scheme alternating VP and VQ, each step a coefficient copied from its lane (DUP) and
// an FMLA into it. 20 instructions. Reads VX, V24-V29; writes VP and VQ only.
#define ACT64_POLYQ(X, P, Q) \
	DUPE_D2(P, 28, 0);     \
	FMLAE_D2(P, X, 29, 1); \
	DUPE_D2(Q, 28, 1);     \
	FMLA_D2(Q, P, X);      \
	DUPE_D2(P, 27, 0);     \
	FMLA_D2(P, Q, X);      \
	DUPE_D2(Q, 27, 1);     \
	FMLA_D2(Q, P, X);      \
	DUPE_D2(P, 26, 0);     \
	FMLA_D2(P, Q, X);      \
	DUPE_D2(Q, 26, 1);     \
	FMLA_D2(Q, P, X);      \
	DUPE_D2(P, 25, 0);     \
	FMLA_D2(P, Q, X);      \
	DUPE_D2(Q, 25, 1);     \
	FMLA_D2(Q, P, X);      \
	DUPE_D2(P, 24, 0);     \
	FMLA_D2(P, Q, X);      \
	DUPE_D2(Q, 24, 1);     \
	FMLA_D2(Q, P, X)

// ACT64_POLY(X, P, Q) sets VX = s = e^r - 1 = r + r·(r·q(r)) for r in VX (|r| <= ln2/2, a little
// more with a low part added): ACT64_POLYQ, then two instructions. 22 instructions. Reads VX,
// V24-V29; writes VX, VP and VQ only.
#define ACT64_POLY(X, P, Q) \
	ACT64_POLYQ(X, P, Q); \
	FMUL_D2(Q, Q, X);     \
	FMLA_D2(X, X, Q)

// ACT64_POW2(N) turns the float64 integer n in VN (from ACT64_RED) into 2^n, for n >= -1022.
// 3 instructions. Reads VN, V31; writes VN only.
#define ACT64_POW2(N) \
	FCVTZS_D2(N, N);  \
	SHL_D2(N, N, 52); \
	ADD_D2(N, N, 31)

// ACT64_HALVES(N, H) turns the float64 integer n in VN (from ACT64_RED) into 2^(n-floor(n/2))
// and sets VH = 2^floor(n/2), both normal for |n| <= 2044. 7 instructions. Reads VN, V31; writes
// VN and VH only.
#define ACT64_HALVES(N, H) \
	FCVTZS_D2(N, N);   \
	SSHR_D2(H, N, 1);  \
	SUB_D2(N, N, H);   \
	SHL_D2(H, H, 52);  \
	ADD_D2(H, H, 31);  \
	SHL_D2(N, N, 52);  \
	ADD_D2(N, N, 31)

// XSIG64(X, A, N, B, C, D, E, F, LO, HI) finishes a float64 kernel c·σ(v) for v of the sign of
// x (SiLU: v = x; GELUTanh), with x in VX, c = min(max(x, VLO), VHI), and, from the steps above
// on a = -|v|, s = e^r - 1 in VA and n in VN: e^a = (M + Ml)·2^n with M = 1 + s rounded and
// Ml = s - (M - 1) its error (exact), and with 2^n = H1·H2 (ACT64_HALVES),
//
//	e = M·H1·H2; d + dl = 1 + e           d rounded, dl = e - (d - 1) exactly (0 <= e <= 1)
//	num + numl = (M + Ml)·H1, H = H2      where x < 0 (sign bit set): σ(v) = e^a/(1 + e^a)
//	num + numl = 1, H = 1                 where x >= 0: σ(v) = 1/(1 + e^a)
//	y0 = num·(1/d)                        one division
//	ql = (num - y0·d + numl - y0·dl)/d    num - y0·d exact (FMLS): the quotient's remaining error
//	result = (c·y0 + c·ql)·H              one rounding (FMA), then one more only where the result
//	                                      is subnormal
//
// which is within about 1 ULP: e^a's error, about 0.51 ULP of M (which 1/(1+e) damps where
// x >= 0), and the roundings of the result (the method of the amd64 kernels, f64XSigmoid2 in
// asm/_gen/streaming/silu64.go). The lanes where x >= VHI take x itself (+Inf among them); a NaN
// x gives NaN (FMAX and FMIN keep it); ±0 give ±0 (c·y0 with y0 = 1/2). Leaves the result in
// VB. 33 instructions, one division. Reads VX, VA, VN, VLO, VHI, V31; writes VA, VN, VB, VC, VD,
// VE and VF only (VX is kept).
#define XSIG64(X, A, N, B, C, D, E, F, LO, HI) \
	FADD_D2(B, A, 31);     \
	FSUB_D2(C, B, 31);     \
	FSUB_D2(A, A, C);      \
	ACT64_HALVES(N, C);    \
	FMUL_D2(B, B, C);      \
	FMUL_D2(A, A, C);      \
	FMUL_D2(D, B, N);      \
	FADD_D2(E, D, 31);     \
	FSUB_D2(C, E, 31);     \
	FSUB_D2(C, D, C);      \
	CMGEZ_D2(F, X);        \
	BIT_B16(B, 31, F);     \
	BIC_B16(A, A, F);      \
	BIT_B16(N, 31, F);     \
	FDIV_D2(F, 31, E);     \
	FMUL_D2(D, B, F);      \
	FMLS_D2(B, D, E);      \
	FADD_D2(B, B, A);      \
	FMLS_D2(B, D, C);      \
	FMUL_D2(B, B, F);      \
	FMAX_D2(A, X, LO);     \
	FMIN_D2(A, A, HI);     \
	FMUL_D2(B, B, A);      \
	FMLA_D2(B, A, D);      \
	FMUL_D2(B, B, N);      \
	FCMGE_D2(C, X, HI);    \
	BIT_B16(B, X, C)

// ACT64_QUARTERS(N, Q, T, Z) splits 2^n, for the float64 integer n of VN (from ACT64_RED) in
// [-2176, 0] (a down to -1508), into four normal factors, all at most 1:
//
//	q = ceil(n/4) = -floor(-n/4)  in [-544, 0]
//	2^n = 2^(n-3q)·2^q·2^q·2^q    n - 3q in [n/4 - 3, n/4]
//
// and sets VN = 2^(n-3q), VQ = 2^q. The backward kernels multiply a significand (in [1/2, 2), times
// alpha) by 2^(n-3q) first, exactly while it stays normal (and so never above the result's
// magnitude times 2), then by dy, then by 2^q three times: dy goes into e^a's significand before
// its scaling, so that a large dy and a small e^a (below 2^-1022) give the right product, and the
// product overflows only where the result does. Exact while the product is normal; where it is
// subnormal within about 1.5 ULP of it (each rounding's error is scaled down by the factors after
// it). VZ must hold zero. 11 instructions. Reads VN, VZ, V31; writes VN, VQ and VT only.
#define ACT64_QUARTERS(N, Q, T, Z) \
	FCVTZS_D2(N, N);   \
	SUB_D2(T, Z, N);   \
	SSHR_D2(Q, T, 2);  \
	SUB_D2(Q, Z, Q);   \
	ADD_D2(T, Q, Q);   \
	ADD_D2(T, T, Q);   \
	SUB_D2(N, N, T);   \
	SHL_D2(N, N, 52);  \
	ADD_D2(N, N, 31);  \
	SHL_D2(Q, Q, 52);  \
	ADD_D2(Q, Q, 31)

// The float64 backward kernels of the x·σ family (silugrad, softplusgrad and gelutanhgrad
// _arm64.s): dy·σ(v)·(1 + w·σ(-v)) for v of the sign of x and w = x·v'(x) (SiLU: v = w = x;
// GELUTanh), and dy·σ(x) (SoftplusGrad), by the method of the amd64 kernels (xSigGrad64 in
// asm/_gen/streaming/silugrad.go) and of the pure-Go references (xSigmoidGrad and
// softplusGrad64 in kernels/grad_ref.go). From a = -|v| clamped at -1500 (a kernel's cut: below
// it the result is dy·±0), reduced by ACT64_RED (plus a low part) and ACT64_POLY into s and n,
// e^a = (M + Ml)·2^n with M = 1 + s rounded and Ml = s - (M - 1) exactly, and
//
//	e + el = (M + Ml)·2^max(n, -1022)  below 2^-1022, e only has to be far below 2^-53 next to 1
//	d + dl = 1 + e + el                d rounded, dl = e - (d - 1) + el (e - (d - 1) exact)
//	rd = 1/d                           one division
//	y0 + yl = σ(v)·2^-m                (num + numl)/(d + dl): num + numl = M + Ml and m = n where
//	                                   x < 0 (sign bit set), num + numl = 1 and m = 0 elsewhere
//	sm0 + sml = σ(-v)                  (1 + 0)/(d + dl) where x < 0, (e + el)/(d + dl) elsewhere
//	k = kh + kl = 1 + w·σ(-v)          w·sm0 exact as a pair (FMA), 1 + its high part by TwoSum
//	p = ph + pl = (y0 + yl)·(kh + kl)  y0·kh exact as a pair, the other products in the low part
//	dx = dy·(ph + pl)·2^m              XSG64_SCALE: one rounding, one more where dx is subnormal
//
// (SoftplusGrad: ph + pl = y0 + yl). Each quotient (u + ul)/(d + dl) is q0 = u·rd and
// ql = rd·(u - q0·d + ul - q0·dl), u - q0·d exact (FMLS): about 2^-100 relative. e^a is within
// about 0.51 ULP, p carries that error and little more, so dx is within about 1 ULP of dy·f';
// next to the zero of k (w·σ(-v) = -1) the error is relative to the larger term. NaN in x
// propagates into the result (FCVTZS turns a NaN n into 0, so its powers of 2 are 1).

// XSG64_SIG(X, A, N, B, C, E, F, G, H, J, P, L) is the first step: VA holds s (ACT64_POLY), VN
// n (ACT64_RED), VX x (only its sign bit, that of v, is read), VL -1022 in both lanes. It sets VJ
// = y0, VB = yl, VE = e, VC = el, VF = d, VG = dl, VH = rd, and VP = the lanes where the sign bit
// of x is clear (x >= 0, +0 included); VA is scratch (numl). VN is kept. 22 instructions, one
// division. Reads VX, VA, VN, VL, V31; writes VA, VB, VC, VE, VF, VG, VH, VJ and VP only.
#define XSG64_SIG(X, A, N, B, C, E, F, G, H, J, P, L) \
	FADD_D2(B, A, 31);  \
	FSUB_D2(C, B, 31);  \
	FSUB_D2(A, A, C);   \
	FMAX_D2(C, N, L);   \
	ACT64_POW2(C);      \
	FMUL_D2(E, B, C);   \
	FMUL_D2(C, A, C);   \
	FADD_D2(F, E, 31);  \
	FSUB_D2(G, F, 31);  \
	FSUB_D2(G, E, G);   \
	FADD_D2(G, G, C);   \
	FDIV_D2(H, 31, F);  \
	CMGEZ_D2(P, X);     \
	BIT_B16(B, 31, P);  \
	BIC_B16(A, A, P);   \
	FMUL_D2(J, B, H);   \
	FMLS_D2(B, J, F);   \
	FADD_D2(B, B, A);   \
	FMLS_D2(B, J, G);   \
	FMUL_D2(B, B, H)

// XSG64_SM(A, C, E, F, G, H, P) is σ(-v) = sm0 + sml from XSG64_SIG's VE = e, VC = el, VF = d,
// VG = dl, VH = rd and VP: it sets VA = sm0 and VE = sml. 7 instructions. Reads VC, VE, VF, VG,
// VH, VP, V31; writes VA, VC and VE only.
#define XSG64_SM(A, C, E, F, G, H, P) \
	BIF_B16(E, 31, P);  \
	AND_B16(C, C, P);   \
	FMUL_D2(A, E, H);   \
	FMLS_D2(E, A, F);   \
	FADD_D2(E, E, C);   \
	FMLS_D2(E, A, G);   \
	FMUL_D2(E, E, H)

// XSG64_KP(W, A, B, C, E, F, G, J) sets VA = ph and VG = pl, p = ph + pl = (y0 + yl)·(1 + w·σ(-v)),
// from VW = w (the high part where w is a pair), VA = sm0, VE = the low part of w·σ(-v) so far
// (w·sml, plus wl·sm0 where w = VW + wl is a pair: the caller forms it), VJ = y0 and VB = yl.
// 16 instructions. Reads VW, VA, VB, VE, VJ, V31; writes VA, VC, VE, VF and VG only.
#define XSG64_KP(W, A, B, C, E, F, G, J) \
	FMUL_D2(C, A, W);   \
	FNEG_D2(G, C);      \
	FMLA_D2(G, A, W);   \
	FADD_D2(E, E, G);   \
	FADD_D2(F, C, 31);  \
	FSUB_D2(G, F, 31);  \
	FSUB_D2(A, F, G);   \
	FSUB_D2(A, 31, A);  \
	FSUB_D2(G, C, G);   \
	FADD_D2(A, A, G);   \
	FADD_D2(E, E, A);   \
	FMUL_D2(A, J, F);   \
	FNEG_D2(G, A);      \
	FMLA_D2(G, J, F);   \
	FMLA_D2(G, J, E);   \
	FMLA_D2(G, B, F)

// XSG64_SCALE(D, N, PH, PL, T, S, MX, NMX) sets VPL = dy·(ph + pl)·2^m for dy in VD, m in VN (a
// float64 integer in [-2200, 0]), ph + pl in VPH and VPL (ph normal, in about [2^-500, 2^500]),
// as kernels/grad_ref.go's mulScale2 and the amd64 kernels (f64Exp.mulScaled) have it: with
// m1 = max(m, -512) (VS holds -512), ph·2^m1 is exact and normal (pl·2^m1 too), so that dy times
// it overflows only where the result does and keeps every bit; dy·ph + dy·pl rounds once (FMLA;
// dy clamped to ±the largest float64, VMX and VNMX, in dy·pl, so that an infinite dy gives dy·ph
// and not NaN); where dy is ±0 the sum is dy·ph instead (dy·ph + dy·pl is +0 where the two are
// zeros of opposite signs, and dy·(ph + pl) has the sign of dy·ph); the scaling by 2^(m-m1) <= 1,
// as two normal factors (ACT64_HALVES), rounds only where the result is subnormal (twice at most:
// the first rounding is scaled down by the second factor, within 1 ULP together). 23
// instructions. Reads VD, VN, VPH, VPL, VS, VMX, VNMX, V31; writes VN, VPH, VPL and VT only.
#define XSG64_SCALE(D, N, PH, PL, T, S, MX, NMX) \
	FMAX_D2(T, N, S);     \
	FSUB_D2(N, N, T);     \
	ACT64_POW2(T);        \
	FMUL_D2(PH, PH, T);   \
	FMUL_D2(PL, PL, T);   \
	FMIN_D2(T, D, MX);    \
	FMAX_D2(T, T, NMX);   \
	FMUL_D2(PL, PL, T);   \
	FMLA_D2(PL, D, PH);   \
	FMUL_D2(PH, PH, D);   \
	FCMEQZ_D2(T, D);      \
	BIT_B16(PL, PH, T);   \
	ACT64_HALVES(N, T);   \
	FMUL_D2(PL, PL, T);   \
	FMUL_D2(PL, PL, N)
