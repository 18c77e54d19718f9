// Shared by exp_f32_amd64.s and sigmoid_f32_amd64.s: the float32 e^x core for AVX-512 and
// AVX2+FMA, as macros, and its constant table. Each including file gets its own
// file-local copy of the table exp32c<>.
//
// Method. With N = 16 (AVX-512) or N = 8 (AVX2) and x clamped to [-104, 104] (e^x is +Inf above
// 88.73 and rounds to 0 below -103.98, so clamping changes no result and keeps every
// intermediate finite):
//
//	t = x/ln2 + 1.5*2^(23-log2 N)  rounds x/ln2 to a multiple of 1/N, k/N; k sits in the low
//	                               mantissa bits of t (|x/ln2| < 2^17, so the sum keeps 1/N
//	                               as its last place)
//	m = t - 1.5*2^(23-log2 N)      k/N exactly
//	r = x - m*ln2hi - m*ln2lo      Cody-Waite with FMA, |r| <= ln2/(2N) (+ rounding); m*ln2hi
//	                               is exact (ln2hi has 9 significant bits, |k| < 2^12)
//	p = 1 + c2 r + c3 r^2 [+ r^3/24]  so that r*p is e^r - 1 within 2^-29 relative (near-minimax
//	                               c2, c3 for |r| <= 0.0217 with N = 16; the degree-4 Taylor
//	                               polynomial for |r| <= 0.0434 with N = 8)
//	j = k mod N                    the low bits of t: the permute index
//	e^x = (T[j] + T[j]*(r*p + R[j])) * 2^floor(m)
//
// where T[j]*(1 + R[j]) is 2^(j/N) to about twice float32 precision (the dropped R[j]*r*p is
// below 2^-29 relative). Before scaling, the result is within about 0.51 ULP of e^x (one rounding
// in the final FMA, the rest is below 0.03 ULP), so it is within 1 ULP of the correctly rounded
// e^x; the scaling by 2^n is exact unless the result is subnormal, where it rounds once more, on
// a grid so much coarser that the total stays below one subnormal ULP.
//
// AVX-512 looks up the 16-entry tables with VPERMPS from memory and scales with VSCALEFPS,
// which rounds once and gives +Inf, subnormals and 0 itself.
//
// AVX2 looks up the 8-entry tables with VPERMPS from memory. Where every |x| of a block is at
// most 87 (the result is a normal number) n is added to the exponent field directly; otherwise x
// is clamped to [-104, 89] and the result multiplied by 2^floor(n/2) (exact) and 2^(n-floor(n/2))
// (one rounding), both normal numbers.
//
// NaN propagates: the clamps keep a NaN (it is the operand whose NaN the instruction returns)
// and every later step turns NaN into NaN.

// MAGIC16: 1.5*2^19: adding it to |y| < 2^18 rounds y to a multiple of 1/16, k/16, kept in
// the low mantissa bits
#define C_MAGIC16 exp32c<>+0(SB)
DATA exp32c<>+0(SB)/4, $0x49400000
DATA exp32c<>+4(SB)/4, $0x49400000
DATA exp32c<>+8(SB)/4, $0x49400000
DATA exp32c<>+12(SB)/4, $0x49400000
DATA exp32c<>+16(SB)/4, $0x49400000
DATA exp32c<>+20(SB)/4, $0x49400000
DATA exp32c<>+24(SB)/4, $0x49400000
DATA exp32c<>+28(SB)/4, $0x49400000
// MAGIC8: 1.5*2^20: the same for multiples of 1/8
#define C_MAGIC8 exp32c<>+32(SB)
DATA exp32c<>+32(SB)/4, $0x49c00000
DATA exp32c<>+36(SB)/4, $0x49c00000
DATA exp32c<>+40(SB)/4, $0x49c00000
DATA exp32c<>+44(SB)/4, $0x49c00000
DATA exp32c<>+48(SB)/4, $0x49c00000
DATA exp32c<>+52(SB)/4, $0x49c00000
DATA exp32c<>+56(SB)/4, $0x49c00000
DATA exp32c<>+60(SB)/4, $0x49c00000
// LOG2E: 1/ln2
#define C_LOG2E exp32c<>+64(SB)
DATA exp32c<>+64(SB)/4, $0x3fb8aa3b
DATA exp32c<>+68(SB)/4, $0x3fb8aa3b
DATA exp32c<>+72(SB)/4, $0x3fb8aa3b
DATA exp32c<>+76(SB)/4, $0x3fb8aa3b
DATA exp32c<>+80(SB)/4, $0x3fb8aa3b
DATA exp32c<>+84(SB)/4, $0x3fb8aa3b
DATA exp32c<>+88(SB)/4, $0x3fb8aa3b
DATA exp32c<>+92(SB)/4, $0x3fb8aa3b
// NLN2HI: -ln2hi = -0.693359375 (9 significant bits, so (k/N)*ln2hi is exact)
#define C_NLN2HI exp32c<>+96(SB)
DATA exp32c<>+96(SB)/4, $0xbf318000
DATA exp32c<>+100(SB)/4, $0xbf318000
DATA exp32c<>+104(SB)/4, $0xbf318000
DATA exp32c<>+108(SB)/4, $0xbf318000
DATA exp32c<>+112(SB)/4, $0xbf318000
DATA exp32c<>+116(SB)/4, $0xbf318000
DATA exp32c<>+120(SB)/4, $0xbf318000
DATA exp32c<>+124(SB)/4, $0xbf318000
// NLN2LO: -ln2lo = -(ln2 - ln2hi)
#define C_NLN2LO exp32c<>+128(SB)
DATA exp32c<>+128(SB)/4, $0x395e8083
DATA exp32c<>+132(SB)/4, $0x395e8083
DATA exp32c<>+136(SB)/4, $0x395e8083
DATA exp32c<>+140(SB)/4, $0x395e8083
DATA exp32c<>+144(SB)/4, $0x395e8083
DATA exp32c<>+148(SB)/4, $0x395e8083
DATA exp32c<>+152(SB)/4, $0x395e8083
DATA exp32c<>+156(SB)/4, $0x395e8083
// C3: 1/6 (AVX2)
#define C_C3 exp32c<>+160(SB)
DATA exp32c<>+160(SB)/4, $0x3e2aaaab
DATA exp32c<>+164(SB)/4, $0x3e2aaaab
DATA exp32c<>+168(SB)/4, $0x3e2aaaab
DATA exp32c<>+172(SB)/4, $0x3e2aaaab
DATA exp32c<>+176(SB)/4, $0x3e2aaaab
DATA exp32c<>+180(SB)/4, $0x3e2aaaab
DATA exp32c<>+184(SB)/4, $0x3e2aaaab
DATA exp32c<>+188(SB)/4, $0x3e2aaaab
// C2: 1/2 (AVX2)
#define C_C2 exp32c<>+192(SB)
DATA exp32c<>+192(SB)/4, $0x3f000000
DATA exp32c<>+196(SB)/4, $0x3f000000
DATA exp32c<>+200(SB)/4, $0x3f000000
DATA exp32c<>+204(SB)/4, $0x3f000000
DATA exp32c<>+208(SB)/4, $0x3f000000
DATA exp32c<>+212(SB)/4, $0x3f000000
DATA exp32c<>+216(SB)/4, $0x3f000000
DATA exp32c<>+220(SB)/4, $0x3f000000
// ONE: 1.0; as bits also 127<<23, the exponent bias in place
#define C_ONE exp32c<>+224(SB)
DATA exp32c<>+224(SB)/4, $0x3f800000
DATA exp32c<>+228(SB)/4, $0x3f800000
DATA exp32c<>+232(SB)/4, $0x3f800000
DATA exp32c<>+236(SB)/4, $0x3f800000
DATA exp32c<>+240(SB)/4, $0x3f800000
DATA exp32c<>+244(SB)/4, $0x3f800000
DATA exp32c<>+248(SB)/4, $0x3f800000
DATA exp32c<>+252(SB)/4, $0x3f800000
// BOUND: 104: e^x is +Inf above 88.73 and 0 below -103.98; clamping to +-104 changes nothing
#define C_BOUND exp32c<>+256(SB)
DATA exp32c<>+256(SB)/4, $0x42d00000
DATA exp32c<>+260(SB)/4, $0x42d00000
DATA exp32c<>+264(SB)/4, $0x42d00000
DATA exp32c<>+268(SB)/4, $0x42d00000
DATA exp32c<>+272(SB)/4, $0x42d00000
DATA exp32c<>+276(SB)/4, $0x42d00000
DATA exp32c<>+280(SB)/4, $0x42d00000
DATA exp32c<>+284(SB)/4, $0x42d00000
// NBOUND: -104
#define C_NBOUND exp32c<>+288(SB)
DATA exp32c<>+288(SB)/4, $0xc2d00000
DATA exp32c<>+292(SB)/4, $0xc2d00000
DATA exp32c<>+296(SB)/4, $0xc2d00000
DATA exp32c<>+300(SB)/4, $0xc2d00000
DATA exp32c<>+304(SB)/4, $0xc2d00000
DATA exp32c<>+308(SB)/4, $0xc2d00000
DATA exp32c<>+312(SB)/4, $0xc2d00000
DATA exp32c<>+316(SB)/4, $0xc2d00000
// HI89: 89: the AVX2 upper clamp (e^89 overflows; 2^n stays two normal factors)
#define C_HI89 exp32c<>+320(SB)
DATA exp32c<>+320(SB)/4, $0x42b20000
DATA exp32c<>+324(SB)/4, $0x42b20000
DATA exp32c<>+328(SB)/4, $0x42b20000
DATA exp32c<>+332(SB)/4, $0x42b20000
DATA exp32c<>+336(SB)/4, $0x42b20000
DATA exp32c<>+340(SB)/4, $0x42b20000
DATA exp32c<>+344(SB)/4, $0x42b20000
DATA exp32c<>+348(SB)/4, $0x42b20000
// C4: 1/24
#define C_C4 exp32c<>+352(SB)
DATA exp32c<>+352(SB)/4, $0x3d2aaaab
DATA exp32c<>+356(SB)/4, $0x3d2aaaab
DATA exp32c<>+360(SB)/4, $0x3d2aaaab
DATA exp32c<>+364(SB)/4, $0x3d2aaaab
DATA exp32c<>+368(SB)/4, $0x3d2aaaab
DATA exp32c<>+372(SB)/4, $0x3d2aaaab
DATA exp32c<>+376(SB)/4, $0x3d2aaaab
DATA exp32c<>+380(SB)/4, $0x3d2aaaab
// FASTMAX: bits of 87.0: as integers, |x| > 87, +-Inf and NaN compare above it
#define C_FASTMAX exp32c<>+384(SB)
DATA exp32c<>+384(SB)/4, $0x42ae0000
DATA exp32c<>+388(SB)/4, $0x42ae0000
DATA exp32c<>+392(SB)/4, $0x42ae0000
DATA exp32c<>+396(SB)/4, $0x42ae0000
DATA exp32c<>+400(SB)/4, $0x42ae0000
DATA exp32c<>+404(SB)/4, $0x42ae0000
DATA exp32c<>+408(SB)/4, $0x42ae0000
DATA exp32c<>+412(SB)/4, $0x42ae0000
// ABS: all bits but the sign
#define C_ABS exp32c<>+416(SB)
DATA exp32c<>+416(SB)/4, $0x7fffffff
DATA exp32c<>+420(SB)/4, $0x7fffffff
DATA exp32c<>+424(SB)/4, $0x7fffffff
DATA exp32c<>+428(SB)/4, $0x7fffffff
DATA exp32c<>+432(SB)/4, $0x7fffffff
DATA exp32c<>+436(SB)/4, $0x7fffffff
DATA exp32c<>+440(SB)/4, $0x7fffffff
DATA exp32c<>+444(SB)/4, $0x7fffffff
// SIGN: the sign bit
#define C_SIGN exp32c<>+448(SB)
DATA exp32c<>+448(SB)/4, $0x80000000
DATA exp32c<>+452(SB)/4, $0x80000000
DATA exp32c<>+456(SB)/4, $0x80000000
DATA exp32c<>+460(SB)/4, $0x80000000
DATA exp32c<>+464(SB)/4, $0x80000000
DATA exp32c<>+468(SB)/4, $0x80000000
DATA exp32c<>+472(SB)/4, $0x80000000
DATA exp32c<>+476(SB)/4, $0x80000000
// EXPMASK: sign and exponent field
#define C_EXPMASK exp32c<>+480(SB)
DATA exp32c<>+480(SB)/4, $0xff800000
DATA exp32c<>+484(SB)/4, $0xff800000
DATA exp32c<>+488(SB)/4, $0xff800000
DATA exp32c<>+492(SB)/4, $0xff800000
DATA exp32c<>+496(SB)/4, $0xff800000
DATA exp32c<>+500(SB)/4, $0xff800000
DATA exp32c<>+504(SB)/4, $0xff800000
DATA exp32c<>+508(SB)/4, $0xff800000
// BIAS: int32 127
#define C_BIAS exp32c<>+512(SB)
DATA exp32c<>+512(SB)/4, $0x0000007f
DATA exp32c<>+516(SB)/4, $0x0000007f
DATA exp32c<>+520(SB)/4, $0x0000007f
DATA exp32c<>+524(SB)/4, $0x0000007f
DATA exp32c<>+528(SB)/4, $0x0000007f
DATA exp32c<>+532(SB)/4, $0x0000007f
DATA exp32c<>+536(SB)/4, $0x0000007f
DATA exp32c<>+540(SB)/4, $0x0000007f
// NEGINF: -Inf
#define C_NEGINF exp32c<>+544(SB)
DATA exp32c<>+544(SB)/4, $0xff800000
DATA exp32c<>+548(SB)/4, $0xff800000
DATA exp32c<>+552(SB)/4, $0xff800000
DATA exp32c<>+556(SB)/4, $0xff800000
DATA exp32c<>+560(SB)/4, $0xff800000
DATA exp32c<>+564(SB)/4, $0xff800000
DATA exp32c<>+568(SB)/4, $0xff800000
DATA exp32c<>+572(SB)/4, $0xff800000
// IDX0: int32 lane indices 0..7, for AVX2 tail masks
#define C_IDX0 exp32c<>+576(SB)
DATA exp32c<>+576(SB)/4, $0
DATA exp32c<>+580(SB)/4, $1
DATA exp32c<>+584(SB)/4, $2
DATA exp32c<>+588(SB)/4, $3
DATA exp32c<>+592(SB)/4, $4
DATA exp32c<>+596(SB)/4, $5
DATA exp32c<>+600(SB)/4, $6
DATA exp32c<>+604(SB)/4, $7
// THI16: the nearest float32 of 2^(j/16), j = 0..15
#define C_THI16 exp32c<>+608(SB)
DATA exp32c<>+608(SB)/4, $0x3f800000
DATA exp32c<>+612(SB)/4, $0x3f85aac3
DATA exp32c<>+616(SB)/4, $0x3f8b95c2
DATA exp32c<>+620(SB)/4, $0x3f91c3d3
DATA exp32c<>+624(SB)/4, $0x3f9837f0
DATA exp32c<>+628(SB)/4, $0x3f9ef532
DATA exp32c<>+632(SB)/4, $0x3fa5fed7
DATA exp32c<>+636(SB)/4, $0x3fad583f
DATA exp32c<>+640(SB)/4, $0x3fb504f3
DATA exp32c<>+644(SB)/4, $0x3fbd08a4
DATA exp32c<>+648(SB)/4, $0x3fc5672a
DATA exp32c<>+652(SB)/4, $0x3fce248c
DATA exp32c<>+656(SB)/4, $0x3fd744fd
DATA exp32c<>+660(SB)/4, $0x3fe0ccdf
DATA exp32c<>+664(SB)/4, $0x3feac0c7
DATA exp32c<>+668(SB)/4, $0x3ff5257d
// RHO16: the relative rounding error of THI16: 2^(j/16) = THI16*(1+RHO16)
#define C_RHO16 exp32c<>+672(SB)
DATA exp32c<>+672(SB)/4, $0x00000000
DATA exp32c<>+676(SB)/4, $0x3346cb6a
DATA exp32c<>+680(SB)/4, $0xb24e0611
DATA exp32c<>+684(SB)/4, $0x334b2482
DATA exp32c<>+688(SB)/4, $0x33092801
DATA exp32c<>+692(SB)/4, $0x331b85f2
DATA exp32c<>+696(SB)/4, $0xb3051aa8
DATA exp32c<>+700(SB)/4, $0xb2006c56
DATA exp32c<>+704(SB)/4, $0x329302ae
DATA exp32c<>+708(SB)/4, $0xb302e5a2
DATA exp32c<>+712(SB)/4, $0x31b3d0e5
DATA exp32c<>+716(SB)/4, $0x31d1daf2
DATA exp32c<>+720(SB)/4, $0xb27ce182
DATA exp32c<>+724(SB)/4, $0xb1b4b0da
DATA exp32c<>+728(SB)/4, $0xb1d290be
DATA exp32c<>+732(SB)/4, $0x31b0a147
// THI8: 2^(j/8), j = 0..7 (THI at 4j)
#define C_THI8 exp32c<>+736(SB)
DATA exp32c<>+736(SB)/4, $0x3f800000
DATA exp32c<>+740(SB)/4, $0x3f8b95c2
DATA exp32c<>+744(SB)/4, $0x3f9837f0
DATA exp32c<>+748(SB)/4, $0x3fa5fed7
DATA exp32c<>+752(SB)/4, $0x3fb504f3
DATA exp32c<>+756(SB)/4, $0x3fc5672a
DATA exp32c<>+760(SB)/4, $0x3fd744fd
DATA exp32c<>+764(SB)/4, $0x3feac0c7
// RHO8: the relative rounding error of THI8
#define C_RHO8 exp32c<>+768(SB)
DATA exp32c<>+768(SB)/4, $0x00000000
DATA exp32c<>+772(SB)/4, $0xb24e0611
DATA exp32c<>+776(SB)/4, $0x33092801
DATA exp32c<>+780(SB)/4, $0xb3051aa8
DATA exp32c<>+784(SB)/4, $0x329302ae
DATA exp32c<>+788(SB)/4, $0x31b3d0e5
DATA exp32c<>+792(SB)/4, $0xb27ce182
DATA exp32c<>+796(SB)/4, $0xb1d290be
// D2: AVX-512 coefficient of r^2: 0.50001651 (near-minimax for |r| <= ln2/32)
#define C_D2 exp32c<>+800(SB)
DATA exp32c<>+800(SB)/4, $0x3f000115
DATA exp32c<>+804(SB)/4, $0x3f000115
DATA exp32c<>+808(SB)/4, $0x3f000115
DATA exp32c<>+812(SB)/4, $0x3f000115
DATA exp32c<>+816(SB)/4, $0x3f000115
DATA exp32c<>+820(SB)/4, $0x3f000115
DATA exp32c<>+824(SB)/4, $0x3f000115
DATA exp32c<>+828(SB)/4, $0x3f000115
// D3: AVX-512 coefficient of r^3: 0.16666847
#define C_D3 exp32c<>+832(SB)
DATA exp32c<>+832(SB)/4, $0x3e2aab24
DATA exp32c<>+836(SB)/4, $0x3e2aab24
DATA exp32c<>+840(SB)/4, $0x3e2aab24
DATA exp32c<>+844(SB)/4, $0x3e2aab24
DATA exp32c<>+848(SB)/4, $0x3e2aab24
DATA exp32c<>+852(SB)/4, $0x3e2aab24
DATA exp32c<>+856(SB)/4, $0x3e2aab24
DATA exp32c<>+860(SB)/4, $0x3e2aab24
GLOBL exp32c<>(SB), RODATA|NOPTR, $864

// EXP32_512 sets X = e^X for 16 float32 lanes, X clamped to [-104, 104]. T, N, P and R are
// scratch (N ends as k/16, R as R[j]). Registers it expects (EXP32_512_LOADCONST): Z20 1/ln2,
// Z21 1.5*2^19, Z22 -ln2hi, Z23 -ln2lo; the tables are memory operands of VPERMPS, which
// leaves its index intact. Its three parts EXP32_512_RED (t and k/16), EXP32_512_POLY (r, the
// polynomial, R[j]) and EXP32_512_SCALE may be interleaved over several vectors.
#define EXP32_512(X, T, N, P, R) \
	EXP32_512_RED(X, T, N);        \
	EXP32_512_POLY(X, T, N, P, R); \
	EXP32_512_SCALE(X, T, N, P, R)

#define EXP32_512_RED(X, T, N) \
	VMOVAPS     Z21, T;    \
	VFMADD231PS Z20, X, T; \
	VSUBPS      Z21, T, N

#define EXP32_512_POLY(X, T, N, P, R) \
	VFMADD231PS      Z22, N, X;     \
	VFMADD231PS      Z23, N, X;     \
	VBROADCASTSS     C_D3, P;       \
	VFMADD213PS.BCST C_D2, X, P;    \
	VFMADD213PS.BCST C_ONE, X, P;   \
	VPERMPS          C_RHO16, T, R

#define EXP32_512_SCALE(X, T, N, P, R) \
	VFMADD213PS R, P, X;       \
	VPERMPS     C_THI16, T, P; \
	VFMADD213PS P, P, X;       \
	VSCALEFPS   N, X, X

// EXP32_512_LOADCONST loads the registers EXP32_512 expects, and Z24 = -104, Z25 = 1.0.
#define EXP32_512_LOADCONST \
	VBROADCASTSS C_LOG2E, Z20;   \
	VBROADCASTSS C_MAGIC16, Z21; \
	VBROADCASTSS C_NLN2HI, Z22;  \
	VBROADCASTSS C_NLN2LO, Z23;  \
	VBROADCASTSS C_NBOUND, Z24;  \
	VBROADCASTSS C_ONE, Z25

// CLAMP32_512 clamps X to [LO, HI] (registers holding the bounds in every lane, e.g. -104 and
// 104), keeping a NaN: X is the operand that VMAXPS/VMINPS return when one is NaN. Reads X, LO,
// HI; writes X only.
#define CLAMP32_512(X, LO, HI) VMAXPS X, LO, X; VMINPS X, HI, X

// EXP32_256 sets X = 2^(j/8) e^r for 8 float32 lanes, and T = t, from which EXP32_256_FAST or
// EXP32_256_SLOW take n; K and P are scratch. Every constant is a memory operand. Its two parts
// EXP32_256_RED (t, k/8, r) and EXP32_256_POLY may be interleaved over several vectors.
#define EXP32_256(X, T, K, P) \
	EXP32_256_RED(X, T, K); \
	EXP32_256_POLY(X, T, K, P)

#define EXP32_256_RED(X, T, K) \
	VMOVUPS     C_MAGIC8, T;    \
	VFMADD231PS C_LOG2E, X, T;  \
	VSUBPS      C_MAGIC8, T, K; \
	VFMADD231PS C_NLN2HI, K, X; \
	VFMADD231PS C_NLN2LO, K, X

#define EXP32_256_POLY(X, T, K, P) \
	VMOVUPS     C_C4, P;        \
	VFMADD213PS C_C3, X, P;     \
	VFMADD213PS C_C2, X, P;     \
	VFMADD213PS C_ONE, X, P;    \
	VPERMPS     C_RHO8, T, K;   \
	VFMADD213PS K, P, X;        \
	VPERMPS     C_THI8, T, P;   \
	VFMADD213PS P, P, X

// EXP32_256_FAST multiplies X by 2^n, n = floor(k/8), for a normal result (|x| <= 87): n is
// added to the exponent field. bits(t) = bits(1.5*2^20) + k, so (bits(t) << 20) keeps k*2^20
// (the bits of 1.5*2^20 shift out) and the mask leaves n<<23. T is clobbered.
#define EXP32_256_FAST(X, T) \
	VPSLLD $20, T, T;       \
	VPAND  C_EXPMASK, T, T; \
	VPADDD T, X, X

// EXP32_256_SLOW multiplies X by 2^n in two steps, 2^floor(n/2) (exact) then 2^(n-floor(n/2))
// (one rounding), for x clamped to [-104, 89]: both factors are normal numbers. T and K are
// clobbered.
#define EXP32_256_SLOW(X, T, K) \
	VPSUBD C_MAGIC8, T, T; \
	VPSRAD $3, T, T;      \
	VPSRAD $1, T, K;      \
	VPSUBD K, T, T;       \
	VPADDD C_BIAS, K, K;  \
	VPSLLD $23, K, K;     \
	VPADDD C_BIAS, T, T;  \
	VPSLLD $23, T, T;     \
	VMULPS K, X, X;       \
	VMULPS T, X, X

// CLAMP32_256 clamps X to [-104, 89], keeping a NaN (X is the operand VMAXPS/VMINPS return when
// one is NaN). T is scratch.
#define CLAMP32_256(X, T) \
	VMOVUPS C_NBOUND, T; \
	VMAXPS  X, T, X;     \
	VMOVUPS C_HI89, T;   \
	VMINPS  X, T, X

// FASTCHECK32_256 sets M to all ones in the lanes of X that EXP32_256_FAST cannot take: |X| > 87,
// infinite or NaN (as integers, the bits of |X| exceed those of 87).
#define FASTCHECK32_256(X, M) \
	VANDPS   C_ABS, X, M; \
	VPCMPGTD C_FASTMAX, M, M

// FASTCHECK32_256x3 jumps to SLOW if FASTCHECK32_256 sets a lane of A, B or C; M1, M2 scratch.
#define FASTCHECK32_256x3(A, B, C, M1, M2, SLOW) \
	FASTCHECK32_256(A, M1); \
	FASTCHECK32_256(B, M2); \
	VPOR   M2, M1, M1;      \
	FASTCHECK32_256(C, M2); \
	VPOR   M2, M1, M1;      \
	VPTEST M1, M1;          \
	JNZ    SLOW

// TAILMASK32_256 sets M to the VMASKMOVPS mask of the first CX lanes (CX in 1..7): lane i is
// all ones where i < CX. MX is the XMM register that is the low half of M (Y15 and X15, say).
// Reads CX; writes M only.
#define TAILMASK32_256(M, MX) \
	VMOVQ        CX, MX; \
	VPBROADCASTD MX, M;  \
	VPCMPGTD     C_IDX0, M, M
