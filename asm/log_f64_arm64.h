// Shared by the float64 Log and Softplus kernels for NEON (log and softplus _arm64.s): the float64
// ln core, fdlibm's method (that of Go's math.Log), in steps, as the amd64 generators emit it
// (asm/_gen/streaming/logcore64.go). Each including file gets its own file-local copy of the
// table ln64n<>. Registers in macro arguments are numbers, as in neon_arm64.h.
//
// Method. For y = 2^k·(1 + f) with 1 + f in [√2/2, √2) (|f| <= 0.2929, f exact), the kernel forms
// k (a float64 integer) and f itself (Log from the bits of y; Softplus knows them), then
//
//	s = f/(2 + f)                    LN64_QUOT: |s| <= 0.1716; ln(1+f) = ln(1+s) - ln(1-s)
//	R = z·(Lg1 + z·(Lg2 + ... + z·Lg7)), z = s²
//	                                 LN64_POLY: ln(1+f) = f - hfsq + s·(hfsq + R) within 2^-58.45
//	                                 of the remainder (fdlibm's minimax coefficients)
//	hfsq = f²/2
//	ln y = k·ln2hi - ((hfsq - (s·(hfsq + R) + k·ln2lo + lo)) - f)
//	                                 LN64_COMBINE, with lo a low part of y's argument where the
//	                                 kernel has one (ln(y + yl) = ln y + yl/y): it joins the small
//	                                 terms
//
// with ln2hi of 32 significant bits (k·ln2hi is exact). The error is below 1 ULP (fdlibm's bound;
// the fused multiply-adds only remove roundings). The last step is computed as
// (f - (hfsq - ...)) + k·ln2hi, one FMA: f - t is exactly -(t - f) in round-to-nearest.
//
// The constants live in V16-V21, loaded by LN64_LOADCONST; the pairs are read by FMUL/FMLA by
// element and DUP, so that six registers hold eleven constants. V31 must hold 1.0 in both lanes
// (as act_f64_arm64.h has it; a kernel without it sets V31 itself).
//	V16	{Lg7, Lg6}
//	V17	{Lg5, Lg4}
//	V18	{Lg3, Lg2}
//	V19	{Lg1, 0.5}
//	V20	{LN2HI, LN2LO}: ln2hi (32 significant bits), ln2 - ln2hi
//	V21	TWO: 2.0 in both lanes

DATA ln64n<>+0(SB)/8, $0x3fc2f112df3e5244
DATA ln64n<>+8(SB)/8, $0x3fc39a09d078c69f
DATA ln64n<>+16(SB)/8, $0x3fc7466496cb03de
DATA ln64n<>+24(SB)/8, $0x3fcc71c51d8e78af
DATA ln64n<>+32(SB)/8, $0x3fd2492494229359
DATA ln64n<>+40(SB)/8, $0x3fd999999997fa04
DATA ln64n<>+48(SB)/8, $0x3fe5555555555593
DATA ln64n<>+56(SB)/8, $0x3fe0000000000000
DATA ln64n<>+64(SB)/8, $0x3fe62e42fee00000
DATA ln64n<>+72(SB)/8, $0x3dea39ef35793c76
DATA ln64n<>+80(SB)/8, $0x4000000000000000
DATA ln64n<>+88(SB)/8, $0x4000000000000000
GLOBL ln64n<>(SB), RODATA|NOPTR, $96

// LN64_LOADCONST loads V16-V21 from ln64n<>. Writes V16-V21; clobbers R3.
#define LN64_LOADCONST \
	MOVD   $ln64n<>(SB), R3; \
	VLD1.P 64(R3), [V16.D2, V17.D2, V18.D2, V19.D2]; \
	VLD1   (R3), [V20.D2, V21.D2]

// LN64_QUOT(F, S) sets VS = s = f/(2 + f) for f in VF. 2 instructions, one division. Reads VF,
// V21; writes VS only.
#define LN64_QUOT(F, S) \
	FADD_D2(S, F, 21); \
	FDIV_D2(S, F, S)

// LN64_POLY(S, Z, P, Q) sets VZ = z = s² and VP = R = z·(Lg1 + z·(Lg2 + ... + z·Lg7)) for s in
// VS; Horner's scheme alternates VP and VQ, each step a coefficient copied from its lane (DUP)
// and an FMLA into it. 14 instructions. Reads VS, V16-V19; writes VZ, VP and VQ only.
#define LN64_POLY(S, Z, P, Q) \
	FMUL_D2(Z, S, S);      \
	DUPE_D2(Q, 16, 1);     \
	FMLAE_D2(Q, Z, 16, 0); \
	DUPE_D2(P, 17, 0);     \
	FMLA_D2(P, Q, Z);      \
	DUPE_D2(Q, 17, 1);     \
	FMLA_D2(Q, P, Z);      \
	DUPE_D2(P, 18, 0);     \
	FMLA_D2(P, Q, Z);      \
	DUPE_D2(Q, 18, 1);     \
	FMLA_D2(Q, P, Z);      \
	DUPE_D2(P, 19, 0);     \
	FMLA_D2(P, Q, Z);      \
	FMUL_D2(P, P, Z)

// LN64_COMBINE(K, F, S, P, L, H) sets VH = ln y = k·ln2hi - ((hfsq - (s·(hfsq + R) + L)) - f) from
// VK = k, VF = f, VS = s, VP = R and VL = k·ln2lo + lo (the caller forms it: FMULE or FMLAE by
// V20's lane 1). 7 instructions. Reads VK, VF, VS, VP, VL, V19, V20; writes VH, VP and VL only.
#define LN64_COMBINE(K, F, S, P, L, H) \
	FMUL_D2(H, F, F);      \
	FMULE_D2(H, H, 19, 1); \
	FADD_D2(P, H, P);      \
	FMLA_D2(L, S, P);      \
	FSUB_D2(H, H, L);      \
	FSUB_D2(H, F, H);      \
	FMLAE_D2(H, K, 20, 0)
