// Shared by sigmoid_f32_arm64.s, softmax_f32_arm64.s and tanh_f32_arm64.s: the e^x core of their
// float32 kernels for NEON, computed in float64, as macros, and its constants. Each including
// file gets its own file-local copy of the table exp32n<>. (ExpF32NEON itself works in float32:
// exp_f32_arm64.s.)
//
// Method: each float32 vector of four lanes is clamped to [-120, 120] (which does not change a
// float32 result: e^x overflows above 88.73 and rounds to 0 below -103.98), widened to two
// float64 vectors (FCVTL, FCVTL2), and on each
//
//	n = round(x*log2(e))          FRINTN, ties to even
//	r = x - n*ln2                 one FMA: |r| <= ln2/2 (plus 2^-46)
//	w = r + r^2*q(r)              q of degree 5 for (e^r - 1 - r)/r^2, a Chebyshev fit on
//	                              [-0.3466, 0.3466]: 1+w is e^r within 2^-32 (relative)
//	e^x = 2^n + 2^n*w             2^n built in the exponent field from the integer n (FCVTZS):
//	                              a normal float64 for every clamped x; one FMA
//
// and the float64 results are narrowed back (FCVTN, FCVTN2), which rounds once, to nearest: to
// +Inf above the float32 range and to a subnormal or 0 below it. The float64 result is within
// 2^-32 of e^x, 2^-8 of a float32 ULP, so the float32 result is the correctly rounded one except
// where e^x lies within 2^-8 ULP of a midpoint between two float32, and then the other
// neighbour: never more than 1 ULP away. NaN propagates: FMAX and FMIN keep it, FCVTZS turns it
// into 0, and the FMAs after keep it.
//
// The constants live in V20-V31, loaded by EXP32_LOADCONST, float64 in both lanes unless said:
//	V20	LO32: float32 -120 in four lanes: e^x is 0 in float32 below -103.98
//	V21	HI32: float32 120 in four lanes: e^x overflows float32 above 88.73
//	V22	LO64: -120
//	V23	LOG2E: log2(e)
//	V24	NLN2: -ln2 (one constant is enough: |n| <= 174 puts its error below 2^-46)
//	V25	C5: q coefficient of r^5: 0.0001989098838670111
//	V26	C4: q coefficient of r^4: 0.0013933647863590493
//	V27	C3: q coefficient of r^3: 0.008333310927743962
//	V28	C2: q coefficient of r^2: 0.04166646494450266
//	V29	C1: q coefficient of r^1: 0.16666666681620523
//	V30	C0: q coefficient of r^0: 0.5000000013463882
//	V31	ONE: 1.0; also 1023<<52, the exponent bias in place

DATA exp32n<>+0(SB)/8, $0xc2f00000c2f00000
DATA exp32n<>+8(SB)/8, $0xc2f00000c2f00000
DATA exp32n<>+16(SB)/8, $0x42f0000042f00000
DATA exp32n<>+24(SB)/8, $0x42f0000042f00000
DATA exp32n<>+32(SB)/8, $0xc05e000000000000
DATA exp32n<>+40(SB)/8, $0xc05e000000000000
DATA exp32n<>+48(SB)/8, $0x3ff71547652b82fe
DATA exp32n<>+56(SB)/8, $0x3ff71547652b82fe
DATA exp32n<>+64(SB)/8, $0xbfe62e42fefa39ef
DATA exp32n<>+72(SB)/8, $0xbfe62e42fefa39ef
DATA exp32n<>+80(SB)/8, $0x3f2a124ee461f8f4
DATA exp32n<>+88(SB)/8, $0x3f2a124ee461f8f4
DATA exp32n<>+96(SB)/8, $0x3f56d4320c157724
DATA exp32n<>+104(SB)/8, $0x3f56d4320c157724
DATA exp32n<>+112(SB)/8, $0x3f81110e0f376b18
DATA exp32n<>+120(SB)/8, $0x3f81110e0f376b18
DATA exp32n<>+128(SB)/8, $0x3fa5554e908d9a80
DATA exp32n<>+136(SB)/8, $0x3fa5554e908d9a80
DATA exp32n<>+144(SB)/8, $0x3fc5555555a78b04
DATA exp32n<>+152(SB)/8, $0x3fc5555555a78b04
DATA exp32n<>+160(SB)/8, $0x3fe0000000b90bd3
DATA exp32n<>+168(SB)/8, $0x3fe0000000b90bd3
DATA exp32n<>+176(SB)/8, $0x3ff0000000000000
DATA exp32n<>+184(SB)/8, $0x3ff0000000000000
GLOBL exp32n<>(SB), RODATA|NOPTR, $192

// EXP32_LOADCONST loads V20-V31 from exp32n<>. Writes V20-V31; clobbers R3.
#define EXP32_LOADCONST \
	MOVD   $exp32n<>(SB), R3; \
	VLD1.P 64(R3), [V20.D2, V21.D2, V22.D2, V23.D2]; \
	VLD1.P 64(R3), [V24.D2, V25.D2, V26.D2, V27.D2]; \
	VLD1   (R3), [V28.D2, V29.D2, V30.D2, V31.D2]

// EXP32_CLAMP clamps the four float32 lanes of VX to [-120, 120], keeping a NaN. Reads VX, V20,
// V21; writes VX only.
#define EXP32_CLAMP(X) FMAX_S4(X, X, 20); FMIN_S4(X, X, 21)

// EXP32_CORE64 sets VN = e^VX for the two float64 lanes of VX in [-120, 120] (or NaN): the float64
// step of the method above. VX, VP and VQ are scratch (VX ends as w). 19 instructions; each
// Horner step copies a coefficient (MOV) and adds into it (FMLA), which accumulates into its
// destination. Registers are numbers. Reads VX and V23-V31 (EXP32_LOADCONST); writes VN, VX, VP
// and VQ only.
#define EXP32_CORE64(X, N, P, Q) \
	FMUL_D2(N, X, 23);  \
	FRINTN_D2(N, N);    \
	FMLA_D2(X, N, 24);  \
	MOV_B16(P, 26);     \
	FMLA_D2(P, X, 25);  \
	MOV_B16(Q, 27);     \
	FMLA_D2(Q, P, X);   \
	MOV_B16(P, 28);     \
	FMLA_D2(P, Q, X);   \
	MOV_B16(Q, 29);     \
	FMLA_D2(Q, P, X);   \
	MOV_B16(P, 30);     \
	FMLA_D2(P, Q, X);   \
	FMUL_D2(Q, X, X);   \
	FMLA_D2(X, Q, P);   \
	FCVTZS_D2(N, N);    \
	SHL_D2(N, N, 52);   \
	ADD_D2(N, N, 31);   \
	FMLA_D2(N, N, X)
