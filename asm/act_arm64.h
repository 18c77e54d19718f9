// Shared by the float32 activation kernels for NEON (elu, silu, softplus, gelutanh, gelu and log
// _arm64.s): the instructions neon_arm64.h lacks, e^x - 1 and ln y in float64 as macros, and the
// constants of ln y. They complement exp_f32_arm64.h, whose e^x core (EXP32_CORE64) and constant
// registers V20-V31 they use. Each including file gets its own file-local copy of the table
// log64n<>. Registers in macro arguments are numbers, as in neon_arm64.h.

// FACGT Vd, Vn, Vm: all ones where |Vn| > |Vm|, else zero (false for NaN).
#define FACGT_S4(d, n, m) WORD $(0x6EA0EC00|((m)<<16)|((n)<<5)|(d))
#define FACGT_D2(d, n, m) WORD $(0x6EE0EC00|((m)<<16)|((n)<<5)|(d))
// SCVTF Vd.2D, Vn.2D: signed 64-bit integers to float64 (exact below 2^53).
#define SCVTF_D2(d, n) WORD $(0x4E61D800|((n)<<5)|(d))

// EXPM1_64 sets VQ = e^VX - 1 for the two float64 lanes of VX in [-120, 120] (or NaN), with
// the method of EXP32_CORE64 (exp_f32_arm64.h): e^x = 2^n(1 + w), w = r + r^2*q(r), r = x - n*ln2,
// and then e^x - 1 = (2^n - 1) + 2^n*w in one FMA. 2^n - 1 is exact for -53 <= n <= 53 (and
// within 2^-53 of -1 below), and for |x| <= ln2/2 (n = 0) it is 0 and the result is w itself,
// within about 2^-31 relative (q's error times r^2, against w ~ r): no cancellation near 0. For
// n < 0 the result is at most -0.29, against an error of 2^-32 * 2^n. A -0 input gives +0 (w is
// r + r^2*q). Registers are numbers. Reads VX and V23-V31 (EXP32_LOADCONST); writes VQ, VN, VX
// and VP only (VX ends as w).
#define EXPM1_64(X, N, P, Q) \
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
	FSUB_D2(Q, N, 31);  \
	FMLA_D2(Q, N, X)

// ln y in float64 for a positive, finite, normal float64 y (every float32 but 0, the infinities
// and NaN is one when widened; the callers replace the results of those):
//
//	k = (bits(y) - bits(√½)) >> 52    arithmetic: y = 2^k * m with m in [√½, √2)
//	m = bits(y) - k<<52               as bits: the exponent field less k
//	f = m - 1                         exact (Sterbenz), in [-0.293, 0.415)
//	s = f / (2 + f)                   |s| <= 0.1716, z = s^2 <= 0.02944
//	ln m = 2s + 2s*z*Q(z)             ln((1+s)/(1-s)) = 2 atanh(s); Q of degree 3 for
//	                                  (atanh(s)/s - 1)/z, a Chebyshev fit on [0, 0.02944]:
//	                                  1 + z*Q(z) within 2^-35.8 (relative)
//	ln y = ln m + k*ln2               one FMA
//
// For k = 0 (y in [√½, √2)) the result is ln m itself, within about 2^-35 relative; otherwise
// |ln y| >= ln2/2 and the errors are absolute, a few 2^-53 times |k|*ln2. So the result is
// within about 2^-34 of ln y, relative, for every such y.
//
// The constants live in V13-V19, float64 in both lanes, loaded by LOG64_LOADCONST; ONE (1.0) is
// V31, as exp_f32_arm64.h has it (a kernel without the exp constants sets V31 itself):
//	V13	SQH: the bits of √½, 0x3fe6a09e667f3bcd
//	V14	TWO: 2.0
//	V15	LN2: ln2, 0.6931471805599453
//	V16	Q0: coefficient of z^0: 0.33333333277240534
//	V17	Q1: coefficient of z^1: 0.2000006093524917
//	V18	Q2: coefficient of z^2: 0.14275408498500358
//	V19	Q3: coefficient of z^3: 0.11665287352446971

DATA log64n<>+0(SB)/8, $0x3fe6a09e667f3bcd
DATA log64n<>+8(SB)/8, $0x3fe6a09e667f3bcd
DATA log64n<>+16(SB)/8, $0x4000000000000000
DATA log64n<>+24(SB)/8, $0x4000000000000000
DATA log64n<>+32(SB)/8, $0x3fe62e42fefa39ef
DATA log64n<>+40(SB)/8, $0x3fe62e42fefa39ef
DATA log64n<>+48(SB)/8, $0x3fd5555554bb2589
DATA log64n<>+56(SB)/8, $0x3fd5555554bb2589
DATA log64n<>+64(SB)/8, $0x3fc9999eb62cacce
DATA log64n<>+72(SB)/8, $0x3fc9999eb62cacce
DATA log64n<>+80(SB)/8, $0x3fc245c40f30c472
DATA log64n<>+88(SB)/8, $0x3fc245c40f30c472
DATA log64n<>+96(SB)/8, $0x3fbddcf674c5a336
DATA log64n<>+104(SB)/8, $0x3fbddcf674c5a336
GLOBL log64n<>(SB), RODATA|NOPTR, $112

// LOG64_LOADCONST loads V13-V19 from log64n<>. Writes V13-V19; clobbers R3.
#define LOG64_LOADCONST \
	MOVD   $log64n<>(SB), R3; \
	VLD1.P 64(R3), [V13.D2, V14.D2, V15.D2, V16.D2]; \
	VLD1   (R3), [V17.D2, V18.D2, V19.D2]

// LOG64 sets VS = ln VY for the two float64 lanes of VY (positive, finite and normal: see above).
// 19 instructions, one division. Registers are numbers; VS may be VY (VY is read before VS is
// first written), the others must differ from each other and from both. Reads VY, V13-V19 and
// V31; writes VS, VK, VF, VZ and VQ only (VY is kept unless it is VS).
#define LOG64(Y, S, K, F, Z, Q) \
	SUB_D2(K, Y, 13);   \
	SSHR_D2(K, K, 52);  \
	SHL_D2(F, K, 52);   \
	SUB_D2(F, Y, F);    \
	FSUB_D2(F, F, 31);  \
	FADD_D2(S, F, 14);  \
	FDIV_D2(S, F, S);   \
	FMUL_D2(Z, S, S);   \
	MOV_B16(Q, 18);     \
	FMLA_D2(Q, Z, 19);  \
	MOV_B16(F, 17);     \
	FMLA_D2(F, Z, Q);   \
	MOV_B16(Q, 16);     \
	FMLA_D2(Q, Z, F);   \
	FADD_D2(S, S, S);   \
	FMUL_D2(Z, Z, S);   \
	FMLA_D2(S, Z, Q);   \
	SCVTF_D2(K, K);     \
	FMLA_D2(S, K, 15)
