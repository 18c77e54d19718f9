// Shared by exp_f64_arm64.s, sigmoid_f64_arm64.s and softmax_f64_arm64.s: the float64 e^x core for
// NEON, as a macro, and its constants. Each including file gets its own file-local copy of the
// table exp64n<>. It follows the AVX2 method of exp_f64_amd64.h, with the same constants, on two
// float64 lanes per register:
//
//	n = round(x*log2(e))          FRINTN, ties to even
//	r = x - n*ln2hi - n*ln2lo     Cody-Waite with FMA: |r| <= ln2/2
//	p = 1 + r + r^2*q(r)          q of degree 10 for (e^r - 1 - r)/r^2, within 0.01 ULP
//	e^x = p * 2^floor(n/2) * 2^(n-floor(n/2))
//
// for x clamped to [-1100, 1100], which keeps every intermediate finite and does not change the
// result. Both powers of 2 are normal numbers, built from the integer n (FCVTZS) in the exponent
// field: the first product is exact, the second rounds once (to a subnormal, +Inf or 0 where the
// result is one). NaN propagates: FMAX and FMIN return NaN for a NaN operand, FCVTZS turns it
// into 0 and every floating-point step after keeps it.
//
// The constants live in V15-V31, loaded by EXP64_LOADCONST, one per register in both lanes:
//	V15	ONE: 1.0; also 1023<<52, the exponent bias in place
//	V16	LO: -1100: e^x is 0 below -745.2
//	V17	HI: 1100: e^x overflows above 709.8
//	V18	LOG2E: log2(e)
//	V19	NLN2HI: -ln2 high part (32 significant bits, so n*ln2hi is exact)
//	V20	NLN2LO: -(ln2 - ln2hi)
//	V21	A10: q coefficient of r^10: 2.0914686968086876e-09
//	V22	A9: q coefficient of r^9: 2.5105217004720745e-08
//	V23	A8: q coefficient of r^8: 2.75572736431103e-07
//	V24	A7: q coefficient of r^7: 2.7557255400206422e-06
//	V25	A6: q coefficient of r^6: 2.4801587325547743e-05
//	V26	A5: q coefficient of r^5: 0.00019841269874820627
//	V27	A4: q coefficient of r^4: 0.0013888888888883748
//	V28	A3: q coefficient of r^3: 0.008333333333326136
//	V29	A2: q coefficient of r^2: 0.04166666666666667
//	V30	A1: q coefficient of r^1: 0.1666666666666667
//	V31	A0: q coefficient of r^0: 0.5

DATA exp64n<>+0(SB)/8, $0x3ff0000000000000
DATA exp64n<>+8(SB)/8, $0x3ff0000000000000
DATA exp64n<>+16(SB)/8, $0xc091300000000000
DATA exp64n<>+24(SB)/8, $0xc091300000000000
DATA exp64n<>+32(SB)/8, $0x4091300000000000
DATA exp64n<>+40(SB)/8, $0x4091300000000000
DATA exp64n<>+48(SB)/8, $0x3ff71547652b82fe
DATA exp64n<>+56(SB)/8, $0x3ff71547652b82fe
DATA exp64n<>+64(SB)/8, $0xbfe62e42fee00000
DATA exp64n<>+72(SB)/8, $0xbfe62e42fee00000
DATA exp64n<>+80(SB)/8, $0xbdea39ef35793c76
DATA exp64n<>+88(SB)/8, $0xbdea39ef35793c76
DATA exp64n<>+96(SB)/8, $0x3e21f730349868ce
DATA exp64n<>+104(SB)/8, $0x3e21f730349868ce
DATA exp64n<>+112(SB)/8, $0x3e5af4de97ca4194
DATA exp64n<>+120(SB)/8, $0x3e5af4de97ca4194
DATA exp64n<>+128(SB)/8, $0x3e927e4db646b17e
DATA exp64n<>+136(SB)/8, $0x3e927e4db646b17e
DATA exp64n<>+144(SB)/8, $0x3ec71de0231960eb
DATA exp64n<>+152(SB)/8, $0x3ec71de0231960eb
DATA exp64n<>+160(SB)/8, $0x3efa01a01a6d889c
DATA exp64n<>+168(SB)/8, $0x3efa01a01a6d889c
DATA exp64n<>+176(SB)/8, $0x3f2a01a01abe7fe1
DATA exp64n<>+184(SB)/8, $0x3f2a01a01abe7fe1
DATA exp64n<>+192(SB)/8, $0x3f56c16c16c162d4
DATA exp64n<>+200(SB)/8, $0x3f56c16c16c162d4
DATA exp64n<>+208(SB)/8, $0x3f811111111100dc
DATA exp64n<>+216(SB)/8, $0x3f811111111100dc
DATA exp64n<>+224(SB)/8, $0x3fa5555555555556
DATA exp64n<>+232(SB)/8, $0x3fa5555555555556
DATA exp64n<>+240(SB)/8, $0x3fc5555555555557
DATA exp64n<>+248(SB)/8, $0x3fc5555555555557
DATA exp64n<>+256(SB)/8, $0x3fe0000000000000
DATA exp64n<>+264(SB)/8, $0x3fe0000000000000
GLOBL exp64n<>(SB), RODATA|NOPTR, $272

// EXP64_LOADCONST loads V15-V31 from exp64n<>. Writes V15-V31; clobbers R3.
#define EXP64_LOADCONST \
	MOVD   $exp64n<>(SB), R3; \
	VLD1.P 64(R3), [V15.D2, V16.D2, V17.D2, V18.D2]; \
	VLD1.P 64(R3), [V19.D2, V20.D2, V21.D2, V22.D2]; \
	VLD1.P 64(R3), [V23.D2, V24.D2, V25.D2, V26.D2]; \
	VLD1.P 64(R3), [V27.D2, V28.D2, V29.D2, V30.D2]; \
	VLD1   (R3), [V31.D2]

// EXP64_CLAMP clamps VX to [-1100, 1100], keeping a NaN. Reads VX, V16, V17; writes VX only.
// Registers are numbers.
#define EXP64_CLAMP(X) FMAX_D2(X, X, 16); FMIN_D2(X, X, 17)

// EXP64_CORE sets VX = e^VX for VX in [-1100, 1100] (or NaN), two float64 lanes; VN, VP, VQ are
// scratch. 36 instructions (38 with EXP64_CLAMP, 19 per element); each Horner step copies a
// coefficient (MOV) and adds into it (FMLA), which accumulates into its destination. Registers
// are numbers. Reads VX, V15 and V18-V31 (EXP64_LOADCONST); writes VX, VN, VP and VQ only.
#define EXP64_CORE(X, N, P, Q) \
	FMUL_D2(N, X, 18);  \
	FRINTN_D2(N, N);    \
	FMLA_D2(X, N, 19);  \
	FMLA_D2(X, N, 20);  \
	MOV_B16(P, 22);     \
	FMLA_D2(P, X, 21);  \
	MOV_B16(Q, 23);     \
	FMLA_D2(Q, P, X);   \
	MOV_B16(P, 24);     \
	FMLA_D2(P, Q, X);   \
	MOV_B16(Q, 25);     \
	FMLA_D2(Q, P, X);   \
	MOV_B16(P, 26);     \
	FMLA_D2(P, Q, X);   \
	MOV_B16(Q, 27);     \
	FMLA_D2(Q, P, X);   \
	MOV_B16(P, 28);     \
	FMLA_D2(P, Q, X);   \
	MOV_B16(Q, 29);     \
	FMLA_D2(Q, P, X);   \
	MOV_B16(P, 30);     \
	FMLA_D2(P, Q, X);   \
	MOV_B16(Q, 31);     \
	FMLA_D2(Q, P, X);   \
	FMUL_D2(Q, Q, X);   \
	FMLA_D2(X, X, Q);   \
	FADD_D2(X, X, 15);  \
	FCVTZS_D2(N, N);    \
	SSHR_D2(P, N, 1);   \
	SUB_D2(N, N, P);    \
	SHL_D2(P, P, 52);   \
	ADD_D2(P, P, 15);   \
	SHL_D2(N, N, 52);   \
	ADD_D2(N, N, 15);   \
	FMUL_D2(X, X, P);   \
	FMUL_D2(X, X, N)
