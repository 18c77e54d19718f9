// Shared by exp_f64_amd64.s, sigmoid_f64_amd64.s, softmax_f64_amd64.s and tanh_f32_amd64.s (which
// works in float64): the float64 e^x core for AVX-512 and AVX2+FMA, as macros, and its constant
// table. Each including file gets its own file-local copy of the table exp64c<>.
//
// Method, for x already clamped to [-1100, 1100] (which keeps every intermediate finite and does
// not change the result: e^x overflows above 709.79 and is 0 below -745.14).
//
// AVX-512, with a 16-entry table of 2^(j/16) held in registers:
//
//	t = x*16/ln2 + 1.5*2^52       rounds k = round(16x/ln2) into the low mantissa bits of t
//	m = t/16 - 1.5*2^52/16        k/16 exactly, in one FMA
//	r = x - m*ln2hi - m*ln2lo     Cody-Waite with FMA: |r| <= ln2/32
//	s = r + r^2*q(r)              q of degree 5, near-minimax (Chebyshev fit) for
//	                              (e^r - 1 - r)/r^2: s = e^r - 1 within 2^-64
//	j = k mod 16                  the low 4 bits of t, the VPERMI2PD index
//	e^x = (T[j] + (T[j]*s + L[j])) * 2^floor(m)
//
// where T[j] + L[j] is 2^(j/16) to twice float64 precision, so the sum before scaling is
// within 0.52 ULP. VSCALEFPD scales with one rounding and gives +Inf, subnormals and 0 itself.
//
// AVX2 (no 64-bit integer<->float conversion, no two-register permute):
//
//	t = x*log2(e) + 1.5*2^52, n = t - 1.5*2^52, r = x - n*ln2hi - n*ln2lo, |r| <= ln2/2
//	p = 1 + r + r^2*q(r)          q of degree 10 for (e^r - 1 - r)/r^2, within 0.01 ULP
//	e^x = p * 2^floor(n/2) * 2^(n-floor(n/2))
//
// The powers of 2 are built from the bits of t: bits(t) = bits(1.5*2^52) + n, so
// (bits(t)+1023)<<52 is the bit pattern of 2^n and bits(t)>>1 holds floor(n/2). Both factors are
// normal numbers for every clamped x, the first product is exact, and the second rounds once (to
// a subnormal, +Inf or 0 where the result is one).
//
// NaN propagates: the clamps keep a NaN (it is the operand whose NaN the instruction returns)
// and every later step turns NaN into NaN.

// LOG2E: log2(e)
#define C_LOG2E exp64c<>+0(SB)
DATA exp64c<>+0(SB)/8, $0x3ff71547652b82fe
DATA exp64c<>+8(SB)/8, $0x3ff71547652b82fe
DATA exp64c<>+16(SB)/8, $0x3ff71547652b82fe
DATA exp64c<>+24(SB)/8, $0x3ff71547652b82fe
// MAGIC: 1.5*2^52: adding it rounds to an integer kept in the low mantissa bits
#define C_MAGIC exp64c<>+32(SB)
DATA exp64c<>+32(SB)/8, $0x4338000000000000
DATA exp64c<>+40(SB)/8, $0x4338000000000000
DATA exp64c<>+48(SB)/8, $0x4338000000000000
DATA exp64c<>+56(SB)/8, $0x4338000000000000
// NLN2HI: -ln2 high part (32 significant bits, so n*ln2hi is exact)
#define C_NLN2HI exp64c<>+64(SB)
DATA exp64c<>+64(SB)/8, $0xbfe62e42fee00000
DATA exp64c<>+72(SB)/8, $0xbfe62e42fee00000
DATA exp64c<>+80(SB)/8, $0xbfe62e42fee00000
DATA exp64c<>+88(SB)/8, $0xbfe62e42fee00000
// NLN2LO: -(ln2 - ln2hi)
#define C_NLN2LO exp64c<>+96(SB)
DATA exp64c<>+96(SB)/8, $0xbdea39ef35793c76
DATA exp64c<>+104(SB)/8, $0xbdea39ef35793c76
DATA exp64c<>+112(SB)/8, $0xbdea39ef35793c76
DATA exp64c<>+120(SB)/8, $0xbdea39ef35793c76
// A10: AVX2 q coefficient of r^10: 2.0914686968086876e-09
#define C_A10 exp64c<>+128(SB)
DATA exp64c<>+128(SB)/8, $0x3e21f730349868ce
DATA exp64c<>+136(SB)/8, $0x3e21f730349868ce
DATA exp64c<>+144(SB)/8, $0x3e21f730349868ce
DATA exp64c<>+152(SB)/8, $0x3e21f730349868ce
// A9: AVX2 q coefficient of r^9: 2.5105217004720745e-08
#define C_A9 exp64c<>+160(SB)
DATA exp64c<>+160(SB)/8, $0x3e5af4de97ca4194
DATA exp64c<>+168(SB)/8, $0x3e5af4de97ca4194
DATA exp64c<>+176(SB)/8, $0x3e5af4de97ca4194
DATA exp64c<>+184(SB)/8, $0x3e5af4de97ca4194
// A8: AVX2 q coefficient of r^8: 2.75572736431103e-07
#define C_A8 exp64c<>+192(SB)
DATA exp64c<>+192(SB)/8, $0x3e927e4db646b17e
DATA exp64c<>+200(SB)/8, $0x3e927e4db646b17e
DATA exp64c<>+208(SB)/8, $0x3e927e4db646b17e
DATA exp64c<>+216(SB)/8, $0x3e927e4db646b17e
// A7: AVX2 q coefficient of r^7: 2.7557255400206422e-06
#define C_A7 exp64c<>+224(SB)
DATA exp64c<>+224(SB)/8, $0x3ec71de0231960eb
DATA exp64c<>+232(SB)/8, $0x3ec71de0231960eb
DATA exp64c<>+240(SB)/8, $0x3ec71de0231960eb
DATA exp64c<>+248(SB)/8, $0x3ec71de0231960eb
// A6: AVX2 q coefficient of r^6: 2.4801587325547743e-05
#define C_A6 exp64c<>+256(SB)
DATA exp64c<>+256(SB)/8, $0x3efa01a01a6d889c
DATA exp64c<>+264(SB)/8, $0x3efa01a01a6d889c
DATA exp64c<>+272(SB)/8, $0x3efa01a01a6d889c
DATA exp64c<>+280(SB)/8, $0x3efa01a01a6d889c
// A5: AVX2 q coefficient of r^5: 0.00019841269874820627
#define C_A5 exp64c<>+288(SB)
DATA exp64c<>+288(SB)/8, $0x3f2a01a01abe7fe1
DATA exp64c<>+296(SB)/8, $0x3f2a01a01abe7fe1
DATA exp64c<>+304(SB)/8, $0x3f2a01a01abe7fe1
DATA exp64c<>+312(SB)/8, $0x3f2a01a01abe7fe1
// A4: AVX2 q coefficient of r^4: 0.0013888888888883748
#define C_A4 exp64c<>+320(SB)
DATA exp64c<>+320(SB)/8, $0x3f56c16c16c162d4
DATA exp64c<>+328(SB)/8, $0x3f56c16c16c162d4
DATA exp64c<>+336(SB)/8, $0x3f56c16c16c162d4
DATA exp64c<>+344(SB)/8, $0x3f56c16c16c162d4
// A3: AVX2 q coefficient of r^3: 0.008333333333326136
#define C_A3 exp64c<>+352(SB)
DATA exp64c<>+352(SB)/8, $0x3f811111111100dc
DATA exp64c<>+360(SB)/8, $0x3f811111111100dc
DATA exp64c<>+368(SB)/8, $0x3f811111111100dc
DATA exp64c<>+376(SB)/8, $0x3f811111111100dc
// A2: AVX2 q coefficient of r^2: 0.04166666666666667
#define C_A2 exp64c<>+384(SB)
DATA exp64c<>+384(SB)/8, $0x3fa5555555555556
DATA exp64c<>+392(SB)/8, $0x3fa5555555555556
DATA exp64c<>+400(SB)/8, $0x3fa5555555555556
DATA exp64c<>+408(SB)/8, $0x3fa5555555555556
// A1: AVX2 q coefficient of r^1: 0.1666666666666667
#define C_A1 exp64c<>+416(SB)
DATA exp64c<>+416(SB)/8, $0x3fc5555555555557
DATA exp64c<>+424(SB)/8, $0x3fc5555555555557
DATA exp64c<>+432(SB)/8, $0x3fc5555555555557
DATA exp64c<>+440(SB)/8, $0x3fc5555555555557
// A0: AVX2 q coefficient of r^0: 0.5
#define C_A0 exp64c<>+448(SB)
DATA exp64c<>+448(SB)/8, $0x3fe0000000000000
DATA exp64c<>+456(SB)/8, $0x3fe0000000000000
DATA exp64c<>+464(SB)/8, $0x3fe0000000000000
DATA exp64c<>+472(SB)/8, $0x3fe0000000000000
// ONE: 1.0; also 1023<<52, the exponent bias in place
#define C_ONE exp64c<>+480(SB)
DATA exp64c<>+480(SB)/8, $0x3ff0000000000000
DATA exp64c<>+488(SB)/8, $0x3ff0000000000000
DATA exp64c<>+496(SB)/8, $0x3ff0000000000000
DATA exp64c<>+504(SB)/8, $0x3ff0000000000000
// HI: 1100: exp(x) overflows above 709.8; clamping keeps n in range
#define C_HI exp64c<>+512(SB)
DATA exp64c<>+512(SB)/8, $0x4091300000000000
DATA exp64c<>+520(SB)/8, $0x4091300000000000
DATA exp64c<>+528(SB)/8, $0x4091300000000000
DATA exp64c<>+536(SB)/8, $0x4091300000000000
// LO: -1100: exp(x) is 0 below -745.2
#define C_LO exp64c<>+544(SB)
DATA exp64c<>+544(SB)/8, $0xc091300000000000
DATA exp64c<>+552(SB)/8, $0xc091300000000000
DATA exp64c<>+560(SB)/8, $0xc091300000000000
DATA exp64c<>+568(SB)/8, $0xc091300000000000
// BIAS: int64 1023
#define C_BIAS exp64c<>+576(SB)
DATA exp64c<>+576(SB)/8, $0x00000000000003ff
DATA exp64c<>+584(SB)/8, $0x00000000000003ff
DATA exp64c<>+592(SB)/8, $0x00000000000003ff
DATA exp64c<>+600(SB)/8, $0x00000000000003ff
// SIGN: sign bit
#define C_SIGN exp64c<>+608(SB)
DATA exp64c<>+608(SB)/8, $0x8000000000000000
DATA exp64c<>+616(SB)/8, $0x8000000000000000
DATA exp64c<>+624(SB)/8, $0x8000000000000000
DATA exp64c<>+632(SB)/8, $0x8000000000000000
// NEGINF: -Inf
#define C_NEGINF exp64c<>+640(SB)
DATA exp64c<>+640(SB)/8, $0xfff0000000000000
DATA exp64c<>+648(SB)/8, $0xfff0000000000000
DATA exp64c<>+656(SB)/8, $0xfff0000000000000
DATA exp64c<>+664(SB)/8, $0xfff0000000000000
// LOG2E16: 16/ln2
#define C_LOG2E16 exp64c<>+672(SB)
DATA exp64c<>+672(SB)/8, $0x40371547652b82fe
DATA exp64c<>+680(SB)/8, $0x40371547652b82fe
DATA exp64c<>+688(SB)/8, $0x40371547652b82fe
DATA exp64c<>+696(SB)/8, $0x40371547652b82fe
// NMAGIC16: -1.5*2^52/16: t/16 - 1.5*2^52/16 is k/16 exactly
#define C_NMAGIC16 exp64c<>+704(SB)
DATA exp64c<>+704(SB)/8, $0xc2f8000000000000
DATA exp64c<>+712(SB)/8, $0xc2f8000000000000
DATA exp64c<>+720(SB)/8, $0xc2f8000000000000
DATA exp64c<>+728(SB)/8, $0xc2f8000000000000
// INV16: 1/16
#define C_INV16 exp64c<>+736(SB)
DATA exp64c<>+736(SB)/8, $0x3fb0000000000000
DATA exp64c<>+744(SB)/8, $0x3fb0000000000000
DATA exp64c<>+752(SB)/8, $0x3fb0000000000000
DATA exp64c<>+760(SB)/8, $0x3fb0000000000000
// ABS: all bits but the sign
#define C_ABS exp64c<>+768(SB)
DATA exp64c<>+768(SB)/8, $0x7fffffffffffffff
DATA exp64c<>+776(SB)/8, $0x7fffffffffffffff
DATA exp64c<>+784(SB)/8, $0x7fffffffffffffff
DATA exp64c<>+792(SB)/8, $0x7fffffffffffffff
// FASTMAX: bits of 708.0: as integers, |x| > 708, +Inf and NaN compare above it
#define C_FASTMAX exp64c<>+800(SB)
DATA exp64c<>+800(SB)/8, $0x4086200000000000
DATA exp64c<>+808(SB)/8, $0x4086200000000000
DATA exp64c<>+816(SB)/8, $0x4086200000000000
DATA exp64c<>+824(SB)/8, $0x4086200000000000
// B5: AVX-512 q coefficient of r^5: 0.0001984146768580789
#define C_B5 exp64c<>+832(SB)
DATA exp64c<>+832(SB)/8, $0x3f2a01b118a75c35
DATA exp64c<>+840(SB)/8, $0x3f2a01b118a75c35
DATA exp64c<>+848(SB)/8, $0x3f2a01b118a75c35
DATA exp64c<>+856(SB)/8, $0x3f2a01b118a75c35
// B4: AVX-512 q coefficient of r^4: 0.0013889066949166822
#define C_B4 exp64c<>+864(SB)
DATA exp64c<>+864(SB)/8, $0x3f56c17f353d3ca1
DATA exp64c<>+872(SB)/8, $0x3f56c17f353d3ca1
DATA exp64c<>+880(SB)/8, $0x3f56c17f353d3ca1
DATA exp64c<>+888(SB)/8, $0x3f56c17f353d3ca1
// B3: AVX-512 q coefficient of r^3: 0.008333333332978234
#define C_B3 exp64c<>+896(SB)
DATA exp64c<>+896(SB)/8, $0x3f811111110df174
DATA exp64c<>+904(SB)/8, $0x3f811111110df174
DATA exp64c<>+912(SB)/8, $0x3f811111110df174
DATA exp64c<>+920(SB)/8, $0x3f811111110df174
// B2: AVX-512 q coefficient of r^2: 0.04166666666347077
#define C_B2 exp64c<>+928(SB)
DATA exp64c<>+928(SB)/8, $0x3fa55555554e4e34
DATA exp64c<>+936(SB)/8, $0x3fa55555554e4e34
DATA exp64c<>+944(SB)/8, $0x3fa55555554e4e34
DATA exp64c<>+952(SB)/8, $0x3fa55555554e4e34
// B1: AVX-512 q coefficient of r^1: 0.16666666666666669
#define C_B1 exp64c<>+960(SB)
DATA exp64c<>+960(SB)/8, $0x3fc5555555555556
DATA exp64c<>+968(SB)/8, $0x3fc5555555555556
DATA exp64c<>+976(SB)/8, $0x3fc5555555555556
DATA exp64c<>+984(SB)/8, $0x3fc5555555555556
// B0: AVX-512 q coefficient of r^0: 0.5000000000000001
#define C_B0 exp64c<>+992(SB)
DATA exp64c<>+992(SB)/8, $0x3fe0000000000001
DATA exp64c<>+1000(SB)/8, $0x3fe0000000000001
DATA exp64c<>+1008(SB)/8, $0x3fe0000000000001
DATA exp64c<>+1016(SB)/8, $0x3fe0000000000001
// IDX0: int64 lane indices 0..3, for AVX2 tail masks
#define C_IDX0 exp64c<>+1024(SB)
DATA exp64c<>+1024(SB)/8, $0
DATA exp64c<>+1032(SB)/8, $1
DATA exp64c<>+1040(SB)/8, $2
DATA exp64c<>+1048(SB)/8, $3
// THI0, THI1: the nearest float64 of 2^(j/16), j = 0..7 and 8..15
#define C_THI0 exp64c<>+1056(SB)
#define C_THI1 exp64c<>+1120(SB)
DATA exp64c<>+1056(SB)/8, $0x3ff0000000000000
DATA exp64c<>+1064(SB)/8, $0x3ff0b5586cf9890f
DATA exp64c<>+1072(SB)/8, $0x3ff172b83c7d517b
DATA exp64c<>+1080(SB)/8, $0x3ff2387a6e756238
DATA exp64c<>+1088(SB)/8, $0x3ff306fe0a31b715
DATA exp64c<>+1096(SB)/8, $0x3ff3dea64c123422
DATA exp64c<>+1104(SB)/8, $0x3ff4bfdad5362a27
DATA exp64c<>+1112(SB)/8, $0x3ff5ab07dd485429
DATA exp64c<>+1120(SB)/8, $0x3ff6a09e667f3bcd
DATA exp64c<>+1128(SB)/8, $0x3ff7a11473eb0187
DATA exp64c<>+1136(SB)/8, $0x3ff8ace5422aa0db
DATA exp64c<>+1144(SB)/8, $0x3ff9c49182a3f090
DATA exp64c<>+1152(SB)/8, $0x3ffae89f995ad3ad
DATA exp64c<>+1160(SB)/8, $0x3ffc199bdd85529c
DATA exp64c<>+1168(SB)/8, $0x3ffd5818dcfba487
DATA exp64c<>+1176(SB)/8, $0x3ffea4afa2a490da
// TLO0, TLO1: the rounding error of 2^(j/16), j = 0..7 and 8..15
#define C_TLO0 exp64c<>+1184(SB)
#define C_TLO1 exp64c<>+1248(SB)
DATA exp64c<>+1184(SB)/8, $0x0000000000000000
DATA exp64c<>+1192(SB)/8, $0x3c98a62e4adc610b
DATA exp64c<>+1200(SB)/8, $0xbc819041b9d78a76
DATA exp64c<>+1208(SB)/8, $0x3c99b07eb6c70573
DATA exp64c<>+1216(SB)/8, $0x3c86f46ad23182e4
DATA exp64c<>+1224(SB)/8, $0x3c8ada0911f09ebc
DATA exp64c<>+1232(SB)/8, $0x3c7d4397afec42e2
DATA exp64c<>+1240(SB)/8, $0x3c96324c054647ad
DATA exp64c<>+1248(SB)/8, $0xbc9bdd3413b26456
DATA exp64c<>+1256(SB)/8, $0xbc841577ee04992f
DATA exp64c<>+1264(SB)/8, $0x3c96e9f156864b27
DATA exp64c<>+1272(SB)/8, $0x3c7c7c46b071f2be
DATA exp64c<>+1280(SB)/8, $0x3c97a1cd345dcc81
DATA exp64c<>+1288(SB)/8, $0x3c811065895048dd
DATA exp64c<>+1296(SB)/8, $0x3c82ed02d75b3707
DATA exp64c<>+1304(SB)/8, $0xbc9e9c23179c2893
GLOBL exp64c<>(SB), RODATA|NOPTR, $1312


// EXP512_CORE sets X = e^X for X clamped to [-1100, 1100], 8 float64 lanes. T, N and E are
// scratch. Registers it expects (EXP512_LOADCONST): Z16, Z17 the table 2^(j/16), Z18, Z19 its
// rounding errors, Z20 16/ln2, Z21 1.5*2^52, Z22 -ln2hi, Z23 -ln2lo.
#define EXP512_CORE(X, T, N, E) \
	VMOVAPD          Z21, T;      \
	VFMADD231PD      Z20, X, T;   \
	VBROADCASTSD     C_NMAGIC16, N; \
	VFMADD231PD.BCST C_INV16, T, N; \
	VFMADD231PD      Z22, N, X;   \
	VFMADD231PD      Z23, N, X;   \
	VBROADCASTSD     C_B5, E;     \
	VFMADD213PD.BCST C_B4, X, E;  \
	VFMADD213PD.BCST C_B3, X, E;  \
	VFMADD213PD.BCST C_B2, X, E;  \
	VFMADD213PD.BCST C_B1, X, E;  \
	VFMADD213PD.BCST C_B0, X, E;  \
	VMULPD           X, E, E;     \
	VFMADD213PD      X, X, E;     \
	VMOVAPD          T, X;        \
	VPERMI2PD        Z17, Z16, X; \
	VPERMI2PD        Z19, Z18, T; \
	VFMADD231PD      X, E, T;     \
	VADDPD           T, X, X;     \
	VSCALEFPD        N, X, X

// EXP512_LOADCONST loads the registers EXP512_CORE expects, and Z24 = 1100, Z25 = 1.0,
// Z26 = -1100.
#define EXP512_LOADCONST \
	VMOVUPD      C_THI0, Z16;     \
	VMOVUPD      C_THI1, Z17;     \
	VMOVUPD      C_TLO0, Z18;     \
	VMOVUPD      C_TLO1, Z19;     \
	VBROADCASTSD C_LOG2E16, Z20;  \
	VBROADCASTSD C_MAGIC, Z21;    \
	VBROADCASTSD C_NLN2HI, Z22;   \
	VBROADCASTSD C_NLN2LO, Z23;   \
	VBROADCASTSD C_HI, Z24;       \
	VBROADCASTSD C_ONE, Z25;      \
	VBROADCASTSD C_LO, Z26

// CLAMP512 clamps X to [-1100, 1100] (Z26, Z24, set by EXP512_LOADCONST), keeping a NaN: X is
// the operand that VMAXPD/VMINPD return when one is NaN. Reads X, Z24, Z26; writes X only.
#define CLAMP512(X) VMAXPD X, Z26, X; VMINPD X, Z24, X

// EXP256_CORE sets X = e^X for X clamped to [-1100, 1100], 4 float64 lanes, with every constant
// a memory operand. T and P are scratch.
#define EXP256_CORE(X, T, P) \
	VMOVUPD     C_MAGIC, T;     \
	VFMADD231PD C_LOG2E, X, T;  \
	VSUBPD      C_MAGIC, T, P;  \
	VFMADD231PD C_NLN2HI, P, X; \
	VFMADD231PD C_NLN2LO, P, X; \
	VMOVUPD     C_A10, P;       \
	VFMADD213PD C_A9, X, P;     \
	VFMADD213PD C_A8, X, P;     \
	VFMADD213PD C_A7, X, P;     \
	VFMADD213PD C_A6, X, P;     \
	VFMADD213PD C_A5, X, P;     \
	VFMADD213PD C_A4, X, P;     \
	VFMADD213PD C_A3, X, P;     \
	VFMADD213PD C_A2, X, P;     \
	VFMADD213PD C_A1, X, P;     \
	VFMADD213PD C_A0, X, P;     \
	VMULPD      X, P, P;        \
	VFMADD213PD X, X, P;        \
	VADDPD      C_ONE, P, P;    \
	VPSRLQ      $1, T, X;       \
	VPSLLQ      $52, X, X;      \
	VPADDQ      C_BIAS, T, T;   \
	VPSLLQ      $52, T, T;      \
	VPSUBQ      X, T, T;        \
	VPADDQ      C_ONE, X, X;    \
	VMULPD      X, P, P;        \
	VMULPD      T, P, X

// EXP256_FAST sets X = e^X for |X| <= 708, where p*2^n is a normal number: n is added to the
// exponent field of p directly. T and P are scratch.
#define EXP256_FAST(X, T, P) \
	VMOVUPD     C_MAGIC, T;     \
	VFMADD231PD C_LOG2E, X, T;  \
	VSUBPD      C_MAGIC, T, P;  \
	VFMADD231PD C_NLN2HI, P, X; \
	VFMADD231PD C_NLN2LO, P, X; \
	VMOVUPD     C_A10, P;       \
	VFMADD213PD C_A9, X, P;     \
	VFMADD213PD C_A8, X, P;     \
	VFMADD213PD C_A7, X, P;     \
	VFMADD213PD C_A6, X, P;     \
	VFMADD213PD C_A5, X, P;     \
	VFMADD213PD C_A4, X, P;     \
	VFMADD213PD C_A3, X, P;     \
	VFMADD213PD C_A2, X, P;     \
	VFMADD213PD C_A1, X, P;     \
	VFMADD213PD C_A0, X, P;     \
	VMULPD      X, P, P;        \
	VFMADD213PD X, X, P;        \
	VADDPD      C_ONE, P, P;    \
	VPSLLQ      $52, T, T;      \
	VPADDQ      T, P, X

// FASTCHECK256 sets M to all ones in the lanes of X that EXP256_FAST cannot take: |X| > 708,
// infinite or NaN (compared as integers, the bits of |X| exceed those of 708).
#define FASTCHECK256(X, M) \
	VANDPD   C_ABS, X, M; \
	VPCMPGTQ C_FASTMAX, M, M

// FASTCHECK256x4 sets M1 to the OR of FASTCHECK256 over A, B, C, D (M2 scratch) and jumps
// to SLOW if any lane is set.
#define FASTCHECK256x4(A, B, C, D, M1, M2, SLOW) \
	FASTCHECK256(A, M1); \
	FASTCHECK256(B, M2); \
	VPOR   M2, M1, M1;   \
	FASTCHECK256(C, M2); \
	VPOR   M2, M1, M1;   \
	FASTCHECK256(D, M2); \
	VPOR   M2, M1, M1;   \
	VPTEST M1, M1;       \
	JNZ    SLOW

// CLAMP256 clamps X to [-1100, 1100], keeping a NaN (X is the operand VMAXPD/VMINPD return when
// one is NaN). T is scratch.
#define CLAMP256(X, T) \
	VMOVUPD C_LO, T;   \
	VMAXPD  X, T, X;   \
	VMOVUPD C_HI, T;   \
	VMINPD  X, T, X

// TAILMASK256 sets M to the VMASKMOVPD mask of the first CX lanes (CX in 1..3; all four if
// CX >= 4): lane i is all ones where i < CX. MX is the XMM register that is the low half of M (Y15
// and X15, say). Reads CX; writes M only.
#define TAILMASK256(M, MX) \
	VMOVQ        CX, MX; \
	VPBROADCASTQ MX, M;  \
	VPCMPGTQ     C_IDX0, M, M
