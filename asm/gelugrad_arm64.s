//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "grad_arm64.h"
#include "act_f64_arm64.h"
#include "gelu_f64_arm64.h"

// GELUGrad for float32 with NEON, in float64: dx = dy·f'(x), f'(x) = Φ(x) + x·φ(x), as the doc
// comment of gelugrad_arm64.go has it, with the method of the amd64 kernels
// (asm/_gen/streaming/gelugrad.go). Four elements at a time, each half widened to two float64
// lanes, where, with c = x clamped to [-20, 10] (NaN kept), E = e^(-c²/2) and
// H = 0.5·erfcx(|c|/√2) (erfcx(z) = e^(z²)·erfc(z)):
//
//	f'(x) = E·(c/√(2π) + H)          for c <= 0 (sign bit set): Φ(c) = E·H, φ(c) = E/√(2π)
//	f'(x) = 1 + E·(c/√(2π) - H)      for c >= 0: Φ(c) = 1 - E·H
//
// both as add + (c/√(2π) ± H)·E in one FMA, add = -0 or 1 by the sign bit of c:
//
//	E        the float64 e^x step of exp_f32_arm64.h (within 2^-32 relative), its constants
//	         paired in lanes (GGEXP below); -c²/2 in [-200, 0] is exact, and down to -200 the
//	         power 2^n stays normal and the error of the one constant for ln2 below 2^-46
//	H        for c >= -15: erfcx's fit of asm/_gen/streaming/erfcx.go (halved), a polynomial
//	         of degree 12 in s = (P·z + Q)/(z + K), z = |c|/√2, K = -Q = 3, taken as
//	         s = (P·z3 - 1)/(z3 + 1) with z3 = |c|/(3√2): within about 2^-34 relative
//	         below -15: -w·(1 - u + 3u² - 15u³ + 105u⁴)/√(2π), w = 1/c, u = w², the asymptotic
//	         series of 0.5·erfcx, within 2^-28 relative, against a term 1/c² <= 2^-7.8 of f'
//	         (the one division takes s or 1/c)
//
// Every step is relative-accurate to about 2^-31, so the float64 dy·f' is within 2^-30 of
// |dy|·(Φ + |x|φ), and the float32 result within 1 ULP of the correctly rounded one except next
// to the zero of f' at x = -0.7518, where Φ and x·φ cancel. E is set to +0 where x < -60 (-Inf
// included), so that f' = -0 + (negative)·0 = -0 there and dx = dy·-0 as the pure-Go path has it
// (NaN for an infinite dy); between -60 and -20, where every finite dy·f' rounds to ∓0, f' is
// held at f'(-20) (about -2^-285), so that an infinite dy gives ∓Inf. At 10 (+Inf included),
// E·(c/√(2π) - H) is below 2^-69 and f' is exactly 1: dx = dy. NaN in x propagates through the
// clamps (FMAX, FMIN) and the arithmetic.

// gelug<> holds the constants of V11-V31, in this order: -60, -20, 10, -15 and -0 in both lanes;
// the pairs {-0.5, 1/(3√2)}, {1/√(2π), P}; erfcx's coefficients halved, {c0, c1} ... {c10, c11};
// {c12, a4}, {a0, a1}, {a2, a3} with a0..a4 the asymptotic series of 0.5·erfcx in u times
// -1/√(2π) (-k, k, -3k, 15k, -105k for k = 1/√(2π)); the constants of exp_f32_arm64.h's e^x step
// as pairs, {log2(e), -ln2}, {C5, C4}, {C3, C2}, {C1, C0}; and 1.0 in both lanes.
DATA gelug<>+0(SB)/8, $0xc04e000000000000
DATA gelug<>+8(SB)/8, $0xc04e000000000000
DATA gelug<>+16(SB)/8, $0xc034000000000000
DATA gelug<>+24(SB)/8, $0xc034000000000000
DATA gelug<>+32(SB)/8, $0x4024000000000000
DATA gelug<>+40(SB)/8, $0x4024000000000000
DATA gelug<>+48(SB)/8, $0xc02e000000000000
DATA gelug<>+56(SB)/8, $0xc02e000000000000
DATA gelug<>+64(SB)/8, $0x8000000000000000
DATA gelug<>+72(SB)/8, $0x8000000000000000
DATA gelug<>+80(SB)/8, $0xbfe0000000000000
DATA gelug<>+88(SB)/8, $0x3fce2b7dddfefa66
DATA gelug<>+96(SB)/8, $0x3fd9884533d43651
DATA gelug<>+104(SB)/8, $0x3ff8f8d28ac42fda
DATA gelug<>+112(SB)/8, $0x3fc0e4e25d63fb3e
DATA gelug<>+120(SB)/8, $0xbfc6ed94476f6d13
DATA gelug<>+128(SB)/8, $0x3fbcb278acebd308
DATA gelug<>+136(SB)/8, $0xbfab7dd5122910c6
DATA gelug<>+144(SB)/8, $0x3f9342151e3148a4
DATA gelug<>+152(SB)/8, $0xbf71386b671a48ed
DATA gelug<>+160(SB)/8, $0x3f31ab9816d143fe
DATA gelug<>+168(SB)/8, $0x3f244399c242fcbb
DATA gelug<>+176(SB)/8, $0xbf03725e9aedb538
DATA gelug<>+184(SB)/8, $0xbed82a3f92047a26
DATA gelug<>+192(SB)/8, $0x3ec763ef6914b890
DATA gelug<>+200(SB)/8, $0x3e91e19e9076678b
DATA gelug<>+208(SB)/8, $0xbe87ac9982c9473a
DATA gelug<>+216(SB)/8, $0xc044f1c8c484148e
DATA gelug<>+224(SB)/8, $0xbfd9884533d43651
DATA gelug<>+232(SB)/8, $0x3fd9884533d43651
DATA gelug<>+240(SB)/8, $0xbff32633e6df28bd
DATA gelug<>+248(SB)/8, $0x4017efc0e096f2ec
DATA gelug<>+256(SB)/8, $0x3ff71547652b82fe
DATA gelug<>+264(SB)/8, $0xbfe62e42fefa39ef
DATA gelug<>+272(SB)/8, $0x3f2a124ee461f8f4
DATA gelug<>+280(SB)/8, $0x3f56d4320c157724
DATA gelug<>+288(SB)/8, $0x3f81110e0f376b18
DATA gelug<>+296(SB)/8, $0x3fa5554e908d9a80
DATA gelug<>+304(SB)/8, $0x3fc5555555a78b04
DATA gelug<>+312(SB)/8, $0x3fe0000000b90bd3
DATA gelug<>+320(SB)/8, $0x3ff0000000000000
DATA gelug<>+328(SB)/8, $0x3ff0000000000000
GLOBL gelug<>(SB), RODATA|NOPTR, $336

// GGEXP(X, N, P, Q) sets VN = e^VX for the two float64 lanes of VX in [-300, 0] (or NaN): the
// e^x step of exp_f32_arm64.h (EXP32_CORE64), instruction for instruction, with its constants
// taken from lanes of V27-V30 (FMUL and FMLA by element, DUP for the Horner copies) instead of
// one register each. 19 instructions. VX, VP and VQ are scratch (VX ends as w). Registers are
// numbers. Reads VX, V27-V31; writes VN, VX, VP and VQ only.
#define GGEXP(X, N, P, Q) \
	FMULE_D2(N, X, 27, 0);  \
	FRINTN_D2(N, N);        \
	FMLAE_D2(X, N, 27, 1);  \
	DUPE_D2(P, 28, 1);      \
	FMLAE_D2(P, X, 28, 0);  \
	DUPE_D2(Q, 29, 0);      \
	FMLA_D2(Q, P, X);       \
	DUPE_D2(P, 29, 1);      \
	FMLA_D2(P, Q, X);       \
	DUPE_D2(Q, 30, 0);      \
	FMLA_D2(Q, P, X);       \
	DUPE_D2(P, 30, 1);      \
	FMLA_D2(P, Q, X);       \
	FMUL_D2(Q, X, X);       \
	FMLA_D2(X, Q, P);       \
	FCVTZS_D2(N, N);        \
	SHL_D2(N, N, 52);       \
	ADD_D2(N, N, 31);       \
	FMLA_D2(N, N, X)

// GGHALF(X, D, M, A, E, P, Q, Z, N) sets VD = dy·f'(x) for the two float64 lanes x of VX and dy
// of VD; VM, VA, VE, VP, VQ, VZ and VN are scratch (VX ends as c/√(2π)). 77 instructions, one
// division. Horner's scheme alternates two registers, each step a coefficient copied from its
// lane (DUP) and an FMLA into it. Registers are numbers. Reads VX, VD, V11-V31 (gelug<>); writes
// VD, VX and the scratch registers only.
#define GGHALF(X, D, M, A, E, P, Q, Z, N) \
	FCMGT_D2(M, 11, X);     \
	FMAX_D2(X, X, 12);      \
	FMIN_D2(X, X, 13);      \
	FMUL_D2(A, X, X);       \
	FMULE_D2(A, A, 16, 0);  \
	GGEXP(A, E, P, Q);      \
	BIC_B16(E, E, M);       \
	FABS_D2(Z, X);          \
	FMULE_D2(Z, Z, 16, 1);  \
	FCMGT_D2(M, 14, X);     \
	FNEG_D2(N, 31);         \
	FMLAE_D2(N, Z, 17, 1);  \
	FADD_D2(Z, Z, 31);      \
	BIT_B16(N, 31, M);      \
	BIT_B16(Z, X, M);       \
	FDIV_D2(Z, N, Z);       \
	DUPE_D2(P, 23, 1);      \
	FMLAE_D2(P, Z, 24, 0);  \
	DUPE_D2(A, 23, 0);      \
	FMLA_D2(A, P, Z);       \
	DUPE_D2(P, 22, 1);      \
	FMLA_D2(P, A, Z);       \
	DUPE_D2(A, 22, 0);      \
	FMLA_D2(A, P, Z);       \
	DUPE_D2(P, 21, 1);      \
	FMLA_D2(P, A, Z);       \
	DUPE_D2(A, 21, 0);      \
	FMLA_D2(A, P, Z);       \
	DUPE_D2(P, 20, 1);      \
	FMLA_D2(P, A, Z);       \
	DUPE_D2(A, 20, 0);      \
	FMLA_D2(A, P, Z);       \
	DUPE_D2(P, 19, 1);      \
	FMLA_D2(P, A, Z);       \
	DUPE_D2(A, 19, 0);      \
	FMLA_D2(A, P, Z);       \
	DUPE_D2(P, 18, 1);      \
	FMLA_D2(P, A, Z);       \
	DUPE_D2(A, 18, 0);      \
	FMLA_D2(A, P, Z);       \
	FMUL_D2(N, Z, Z);       \
	DUPE_D2(P, 26, 1);      \
	FMLAE_D2(P, N, 24, 1);  \
	DUPE_D2(Q, 26, 0);      \
	FMLA_D2(Q, P, N);       \
	DUPE_D2(P, 25, 1);      \
	FMLA_D2(P, Q, N);       \
	DUPE_D2(Q, 25, 0);      \
	FMLA_D2(Q, P, N);       \
	FMUL_D2(Q, Q, Z);       \
	BIT_B16(A, Q, M);       \
	FMULE_D2(X, X, 17, 0);  \
	SSHR_D2(M, X, 63);      \
	BIC_B16(N, 15, M);      \
	EOR_B16(A, A, N);       \
	FADD_D2(A, A, X);       \
	BSL_B16(M, 15, 31);     \
	FMLA_D2(M, A, E);       \
	FMUL_D2(D, D, M)

// func GELUGradF32NEON(dx, dy, x []float32)
//
// Registers:
//   R0  address of the next dx element
//   R1  address of the next dy element
//   R2  address of the next x element
//   R3  elements left (R3 is also the constant table's address, while loading it)
//   R4-R6  the tail's offsets and addresses (grad_arm64.h)
//   V0  four dy, then the four results in float32; V1  four x
//   V2, V3 and V4, V5  the low and the high float64 half: x, then c, then c/√(2π); dy, then the
//       product
//   V0, V1, V6-V10  scratch of both halves, one after the other (GGHALF's M, A, E, P, Q, Z, N):
//       the lanes where x < -60, then where x < -15, then where the sign bit of c is set, then
//       add and f'; -c²/2, then H; E; Horner's partial sums and scratch; the same; z3, then s
//       (or 1/c); the numerator, then u, then the sign to flip H with
//   V11-V15  -60, -20, 10, -15, -0; V16, V17  {-0.5, 1/(3√2)}, {1/√(2π), P}
//   V18-V24  erfcx's coefficients halved, in pairs ({c12, a4} in V24); V25, V26  {a0, a1},
//       {a2, a3}; V27-V30  the e^x constants in pairs; V31  1.0
TEXT ·GELUGradF32NEON(SB), NOSPLIT, $0-72
	MOVD	$gelug<>(SB), R3
	VLD1.P	64(R3), [V11.D2, V12.D2, V13.D2, V14.D2]
	VLD1.P	64(R3), [V15.D2, V16.D2, V17.D2, V18.D2]
	VLD1.P	64(R3), [V19.D2, V20.D2, V21.D2, V22.D2]
	VLD1.P	64(R3), [V23.D2, V24.D2, V25.D2, V26.D2]
	VLD1.P	64(R3), [V27.D2, V28.D2, V29.D2, V30.D2]
	VLD1	(R3), [V31.D2]
	MOVD	dx_base+0(FP), R0
	MOVD	dx_len+8(FP), R3
	MOVD	dy_base+24(FP), R1
	MOVD	x_base+48(FP), R2

one:
	CMP	$4, R3
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	VLD1.P	16(R2), [V1.S4]
	FCVTL_D2(2, 1)
	FCVTL_D2(3, 0)
	FCVTL2_D2(4, 1)
	FCVTL2_D2(5, 0)
	GGHALF(2, 3, 0, 1, 6, 7, 8, 9, 10)
	GGHALF(4, 5, 0, 1, 6, 7, 8, 9, 10)
	FCVTN_S2(0, 3)
	FCVTN2_S4(0, 5)
	VST1.P	[V0.S4], 16(R0)
	SUB	$4, R3
	B	one

tail:
	// 0..3 elements left (grad_arm64.h).
	CBZ	R3, done
	TAIL3_OFFS
	TAIL3_LOAD(R1, V0)
	TAIL3_LOAD(R2, V1)
	FCVTL_D2(2, 1)
	FCVTL_D2(3, 0)
	FCVTL2_D2(4, 1)
	FCVTL2_D2(5, 0)
	GGHALF(2, 3, 0, 1, 6, 7, 8, 9, 10)
	GGHALF(4, 5, 0, 1, 6, 7, 8, 9, 10)
	FCVTN_S2(0, 3)
	FCVTN2_S4(0, 5)
	TAIL3_STORE(R0, V0)

done:
	RET

// GELUGrad for float64 with NEON, dx = dy·f'(x), f'(x) = Φ(x) + x·φ(x), with the method of the
// amd64 kernels (asm/_gen/streaming/gelugrad64.go, the AVX-512 variant's pieces: P = 8, K = 6,
// degree 10, ggrad64Tab8 of gelugradtab64.go). With c = min(|x|, 60), E = e^(-c²/2),
// G(c) = erfcx(c/√2)/2 (so that Φ(-c) = E·G and φ(c) = E/√(2π)) and D = c/√(2π) - G:
//
//	f'(x) = 1 + E·D    for x >= 0 (sign bit clear)
//	f'(x) = -E·D       for x < 0 (sign bit set, -0 included; D(0) = -1/2 either way)
//
// G from the pieces of gelu_f64_arm64.h, g(s) = G(c)/(1 - s) for s = c/(c + K) = s0 + sl, then
//
//	1 - s = w + (err - sl)       w = 1 - s0 rounded, err = (1 - w) - s0 exactly (Fast2Sum)
//	G = g·w + g·(err - sl)       one rounding
//	D = Dh + Dl                  Dh = ckh - G, Dl its error (TwoSum) + ckl, where c/√(2π) =
//	                             ckh + ckl (c·k1 rounded, its error by FMA, + c·k2; k1 + k2 =
//	                             1/√(2π))
//
// E = (M + Ml)·2^n from the steps of act_f64_arm64.h with -c²/2 a double-double (c² = ch + cl by
// FMA), M = 1 + s rounded and Ml its rounding error; with Dh and Dl given the sign of x,
// q = Dh·M + (Dh·Ml + Dl·M), one rounding, and qs = q·2^n1 with n1 = max(n, -1000), exact. Then
//
//	x >= 0:  dx = dy·(1 + qs)
//	x < 0:   dx = (dy·2^-b)·qs·2^(n - n1 + b)    b = 6 where |dy| > 1, else 0: the product
//	                                             cannot overflow, and the scaling (two normal
//	                                             factors, ACT64_HALVES) rounds once more only
//	                                             where dx is subnormal
//
// so that dy up to the largest float64 times an f' far below the subnormals (x down to -54)
// comes out right. Where x < -60, dx = dy·-0 (NaN for an infinite dy); where x is NaN, dx = x,
// as the pure-Go path (kernels/grad_ref.go) takes them; x >= 10 gives dy·1 = dy. Within 2 ULP
// of dy·f' correctly rounded away from the zero of f' (x = -0.7518); the exact loop and contract
// in the doc comment of gelugrad_arm64.go.

// ggrad64c<> holds, each in both float64 lanes unless said: 60 (the clamp of |x|), K = 6 (also
// b), 1.5·2^52; the pairs {P, P/K} = {8, 4/3} and {1/K, -0.5}; the byte indices {0 x8, 8 x8} and
// {0, 1, ..., 7} in each lane (gelu_f64_arm64.h); then the constants of the steps after the
// polynomial: the pair {k1, k2} (1/√(2π) = k1 + k2, those of gelugrad64.go), the pair {2^-6, 0},
// -1000 and -0.0 (the sign bit).
DATA ggrad64c<>+0(SB)/8, $0x404e000000000000
DATA ggrad64c<>+8(SB)/8, $0x404e000000000000
DATA ggrad64c<>+16(SB)/8, $0x4018000000000000
DATA ggrad64c<>+24(SB)/8, $0x4018000000000000
DATA ggrad64c<>+32(SB)/8, $0x4338000000000000
DATA ggrad64c<>+40(SB)/8, $0x4338000000000000
DATA ggrad64c<>+48(SB)/8, $0x4020000000000000
DATA ggrad64c<>+56(SB)/8, $0x3ff5555555555555
DATA ggrad64c<>+64(SB)/8, $0x3fc5555555555555
DATA ggrad64c<>+72(SB)/8, $0xbfe0000000000000
DATA ggrad64c<>+80(SB)/8, $0x0000000000000000
DATA ggrad64c<>+88(SB)/8, $0x0808080808080808
DATA ggrad64c<>+96(SB)/8, $0x0706050403020100
DATA ggrad64c<>+104(SB)/8, $0x0706050403020100
DATA ggrad64c<>+112(SB)/8, $0x3fd9884533d43651
DATA ggrad64c<>+120(SB)/8, $0xbc7cbc0d30ebfd15
DATA ggrad64c<>+128(SB)/8, $0x3f90000000000000
DATA ggrad64c<>+136(SB)/8, $0x0000000000000000
DATA ggrad64c<>+144(SB)/8, $0xc08f400000000000
DATA ggrad64c<>+152(SB)/8, $0xc08f400000000000
DATA ggrad64c<>+160(SB)/8, $0x8000000000000000
DATA ggrad64c<>+168(SB)/8, $0x8000000000000000
GLOBL ggrad64c<>(SB), RODATA|NOPTR, $176

// ggrad64t<> holds the coefficients of the pieces' polynomials (ggrad64Tab8 of
// asm/_gen/streaming/gelugradtab64.go), that of u^10 first: for each power, its value in pieces
// 0..7 (64 bytes, the table of one TBL4_B16).
DATA ggrad64t<>+0(SB)/8, $0xbde50428b06415b8
DATA ggrad64t<>+8(SB)/8, $0xbdf2a59487e2438e
DATA ggrad64t<>+16(SB)/8, $0xbdf115e5228db4bd
DATA ggrad64t<>+24(SB)/8, $0xbddf252a47c76a6f
DATA ggrad64t<>+32(SB)/8, $0x3d95dab8ea5bd977
DATA ggrad64t<>+40(SB)/8, $0x3dc91043e38709e4
DATA ggrad64t<>+48(SB)/8, $0x3dc51f66e8f60d11
DATA ggrad64t<>+56(SB)/8, $0x3dbd556ff47b3d33
DATA ggrad64t<>+64(SB)/8, $0x3e38bfd19abfea59
DATA ggrad64t<>+72(SB)/8, $0x3e2fdeed52a56665
DATA ggrad64t<>+80(SB)/8, $0x3e10c1350c5824da
DATA ggrad64t<>+88(SB)/8, $0xbe0dd46b5f925c1a
DATA ggrad64t<>+96(SB)/8, $0xbe1732a33c886e33
DATA ggrad64t<>+104(SB)/8, $0xbe11d86adb6b51d2
DATA ggrad64t<>+112(SB)/8, $0xbe046c5ccbc12cd0
DATA ggrad64t<>+120(SB)/8, $0xbdf3a4dc51abe078
DATA ggrad64t<>+128(SB)/8, $0xbe5d96b1125dd64c
DATA ggrad64t<>+136(SB)/8, $0x3e515b15d4954a49
DATA ggrad64t<>+144(SB)/8, $0x3e63e7eabab699e3
DATA ggrad64t<>+152(SB)/8, $0x3e6390b86176e85f
DATA ggrad64t<>+160(SB)/8, $0x3e5b6359a61ef453
DATA ggrad64t<>+168(SB)/8, $0x3e4efd1846dd3762
DATA ggrad64t<>+176(SB)/8, $0x3e3ead3d4c740bab
DATA ggrad64t<>+184(SB)/8, $0x3e2c508d00afea08
DATA ggrad64t<>+192(SB)/8, $0xbeb1e7f4a1382ec9
DATA ggrad64t<>+200(SB)/8, $0xbeb2771c9fee4362
DATA ggrad64t<>+208(SB)/8, $0xbead39d6a27f32bb
DATA ggrad64t<>+216(SB)/8, $0xbea2fc2a68bde14a
DATA ggrad64t<>+224(SB)/8, $0xbe952718facf5112
DATA ggrad64t<>+232(SB)/8, $0xbe8520d3f16415f1
DATA ggrad64t<>+240(SB)/8, $0xbe73d17eabff2674
DATA ggrad64t<>+248(SB)/8, $0xbe6232f1c51731b8
DATA ggrad64t<>+256(SB)/8, $0x3efb2a1c9a6e2a33
DATA ggrad64t<>+264(SB)/8, $0x3ef2fe4111a5ae0b
DATA ggrad64t<>+272(SB)/8, $0x3ee74f6d4d407473
DATA ggrad64t<>+280(SB)/8, $0x3ed98b7bb5226f64
DATA ggrad64t<>+288(SB)/8, $0x3ec9a89f4c003d21
DATA ggrad64t<>+296(SB)/8, $0x3eb86fea585f2a35
DATA ggrad64t<>+304(SB)/8, $0x3ea6db18f5f87b90
DATA ggrad64t<>+312(SB)/8, $0x3e959af11f08ab8d
DATA ggrad64t<>+320(SB)/8, $0xbf35096a364b607b
DATA ggrad64t<>+328(SB)/8, $0xbf28c010d103c26d
DATA ggrad64t<>+336(SB)/8, $0xbf1aba5ff1cff61d
DATA ggrad64t<>+344(SB)/8, $0xbf0af54af22e7304
DATA ggrad64t<>+352(SB)/8, $0xbefa0eb37a9b5f71
DATA ggrad64t<>+360(SB)/8, $0xbee8dcb2078215ff
DATA ggrad64t<>+368(SB)/8, $0xbed80b6317afa13d
DATA ggrad64t<>+376(SB)/8, $0xbec801bed6e0e791
DATA ggrad64t<>+384(SB)/8, $0x3f660f5d46abba27
DATA ggrad64t<>+392(SB)/8, $0x3f578ef7dfd844ce
DATA ggrad64t<>+400(SB)/8, $0x3f47ded2a30fb769
DATA ggrad64t<>+408(SB)/8, $0x3f376f3a31820632
DATA ggrad64t<>+416(SB)/8, $0x3f26ddfc9a03f2bb
DATA ggrad64t<>+424(SB)/8, $0x3f16b8df3473e7f7
DATA ggrad64t<>+432(SB)/8, $0x3f076628a40b226a
DATA ggrad64t<>+440(SB)/8, $0x3ef9335557aaa7df
DATA ggrad64t<>+448(SB)/8, $0xbf90cf42a1c4dd3b
DATA ggrad64t<>+456(SB)/8, $0xbf81269a6c1f5f07
DATA ggrad64t<>+464(SB)/8, $0xbf71258be1f9a8b2
DATA ggrad64t<>+472(SB)/8, $0xbf612fc5c926f121
DATA ggrad64t<>+480(SB)/8, $0xbf51a8ee4f6f7e4a
DATA ggrad64t<>+488(SB)/8, $0xbf42e8cc069540ee
DATA ggrad64t<>+496(SB)/8, $0xbf35453205868942
DATA ggrad64t<>+504(SB)/8, $0xbf29297b9b891f85
DATA ggrad64t<>+512(SB)/8, $0x3fb2d9cc1920d755
DATA ggrad64t<>+520(SB)/8, $0x3fa34da6abaca210
DATA ggrad64t<>+528(SB)/8, $0x3f9409523a203376
DATA ggrad64t<>+536(SB)/8, $0x3f8585b397e0e43f
DATA ggrad64t<>+544(SB)/8, $0x3f7846a855218810
DATA ggrad64t<>+552(SB)/8, $0x3f6cedc026207379
DATA ggrad64t<>+560(SB)/8, $0x3f6230db0de22ee8
DATA ggrad64t<>+568(SB)/8, $0x3f5805a1fc17e643
DATA ggrad64t<>+576(SB)/8, $0xbfce4c67cdbe5179
DATA ggrad64t<>+584(SB)/8, $0xbfc08f1e9a3a5714
DATA ggrad64t<>+592(SB)/8, $0xbfb2fd6057ad84c9
DATA ggrad64t<>+600(SB)/8, $0xbfa71c6c51054ad1
DATA ggrad64t<>+608(SB)/8, $0xbf9de8e35161daa9
DATA ggrad64t<>+616(SB)/8, $0xbf947a95e2aa8d53
DATA ggrad64t<>+624(SB)/8, $0xbf8d6f2f751cbf27
DATA ggrad64t<>+632(SB)/8, $0xbf8604c6ec793232
DATA ggrad64t<>+640(SB)/8, $0x3fe0000000000000
DATA ggrad64t<>+648(SB)/8, $0x3fd4aa8f6c30cbb2
DATA ggrad64t<>+656(SB)/8, $0x3fccb07d0e6e31be
DATA ggrad64t<>+664(SB)/8, $0x3fc53ea891e1b065
DATA ggrad64t<>+672(SB)/8, $0x3fc095608c7b15f1
DATA ggrad64t<>+680(SB)/8, $0x3fbaf84b93093c5d
DATA ggrad64t<>+688(SB)/8, $0x3fb6a03fdb45c9c7
DATA ggrad64t<>+696(SB)/8, $0x3fb371327751d3ed
GLOBL ggrad64t<>(SB), RODATA|NOPTR, $704

// GG64_GD sets VT = Dh and V9 = Dl, D = Dh + Dl with the sign of x applied, from V2 = K·sl,
// V5 = s0 and V6 = g (GELU64_IDX, GELU64_HORNER1) and x in V0, and leaves c = min(|x|, 60) in V2.
// 23 instructions. Reads V0, V2, V5, V6, V12, V16, V19 ({k1, k2}), V22 (the sign bit), V31;
// writes V2-V5 and V7-V9 only.
#define GG64_GD \
	FSUB_D2(3, 31, 5);    \
	FSUB_D2(4, 31, 3);    \
	FSUB_D2(4, 4, 5);     \
	FMULE_D2(2, 2, 16, 0); \
	FSUB_D2(4, 4, 2);     \
	FMUL_D2(4, 4, 6);     \
	FMLA_D2(4, 6, 3);     \
	FABS_D2(2, 0);        \
	FMIN_D2(2, 2, 12);    \
	FMULE_D2(3, 2, 19, 0); \
	FNEG_D2(5, 3);        \
	FMLAE_D2(5, 2, 19, 0); \
	FMLAE_D2(5, 2, 19, 1); \
	FSUB_D2(7, 3, 4);     \
	FSUB_D2(8, 7, 3);     \
	FSUB_D2(9, 7, 8);     \
	FSUB_D2(9, 3, 9);     \
	FADD_D2(8, 4, 8);     \
	FSUB_D2(9, 9, 8);     \
	FADD_D2(9, 5, 9);     \
	AND_B16(8, 0, 22);    \
	EOR_B16(7, 7, 8);     \
	EOR_B16(9, 9, 8)

// GG64_DX sets V3 = dx from x in V0, dy in V1, c in V2, Dh in V7 and Dl in V9 (GG64_GD): E as
// (M + Ml)·2^n, q, qs and the two forms of dx, then the lanes where x < -60 or x is NaN. 70
// instructions. Reads V0-V2, V7, V9, V12, V13, V16, V20-V22, V24-V31; writes V2-V6, V8-V10 only.
#define GG64_DX \
	FMUL_D2(3, 2, 2);      \
	FNEG_D2(4, 3);         \
	FMLA_D2(4, 2, 2);      \
	FMULE_D2(3, 3, 16, 1); \
	FMULE_D2(4, 4, 16, 1); \
	ACT64_RED(3, 5);       \
	FADD_D2(3, 3, 4);      \
	ACT64_POLY(3, 4, 2);   \
	FADD_D2(10, 3, 31);    \
	FSUB_D2(4, 10, 31);    \
	FSUB_D2(4, 3, 4);      \
	FMUL_D2(4, 7, 4);      \
	FMLA_D2(4, 9, 10);     \
	FMLA_D2(4, 7, 10);     \
	FMAX_D2(2, 5, 21);     \
	FSUB_D2(5, 5, 2);      \
	ACT64_POW2(2);         \
	FMUL_D2(4, 4, 2);      \
	FADD_D2(2, 4, 31);     \
	FMUL_D2(2, 2, 1);      \
	FABS_D2(3, 1);         \
	FCMGT_D2(3, 3, 31);    \
	AND_B16(8, 3, 13);     \
	FADD_D2(5, 5, 8);      \
	FMULE_D2(10, 1, 20, 0); \
	BSL_B16(3, 10, 1);     \
	FMUL_D2(3, 3, 4);      \
	ACT64_HALVES(5, 10);   \
	FMUL_D2(3, 3, 10);     \
	FMUL_D2(3, 3, 5);      \
	CMGEZ_D2(8, 0);        \
	BIT_B16(3, 2, 8);      \
	FNEG_D2(8, 0);         \
	FCMGT_D2(8, 8, 12);    \
	FMUL_D2(9, 1, 22);     \
	BIT_B16(3, 9, 8);      \
	FCMEQ_D2(8, 0, 0);     \
	BIF_B16(3, 0, 8)

// GG64 sets V3 = dx for x in V0 and dy in V1, two float64 lanes: the pieces (GELU64_IDX and
// GELU64_HORNER1 with the coefficients of ggrad64t<>), then GG64_GD and GG64_DX. 147
// instructions, one division. Reads V0, V1, V12-V18, V31, R5 (the constants after the
// polynomial); writes V2-V11, V19-V22 and R4 only.
#define GG64 \
	VMOV	V0.B16, V2.B16;                         \
	GELU64_IDX(2, 3, 4, 5, 7);                      \
	MOVD	$ggrad64t<>(SB), R4;                    \
	GELU64_HORNER1(3, 4, 6, 7);                     \
	VLD1	(R5), [V19.D2, V20.D2, V21.D2, V22.D2]; \
	GG64_GD;                                        \
	GG64_DX

// func GELUGradF64NEON(dx, dy, x []float64)
//
// Registers:
//   R0  address of the next dx element
//   R1  address of the next dy element
//   R2  address of the next x element
//   R3  elements left
//   R4  the next coefficients of ggrad64t<>
//   R5  the constants after the polynomial, ggrad64c<>+112
//   V0  x; V1  dy; V3  dx
//   V2-V11  per GELU64_IDX, GELU64_HORNER1, GG64_GD and GG64_DX: c, then K·sl, then c, then
//       scratch and 2^n1, then dy·(1 + qs) (V2); the byte indices, then w, then ckh, then ch
//       and r and s, then the result (V3); u, then G, then cl, then Ml and q (V4); s0, then ckl,
//       then n (V5); g (V6); Horner's other register, then Dh (V7); scratch (V8); Dl (V9); M,
//       then scratch (V10)
//   V12  60; V13  K = 6; V14  1.5·2^52; V15  {P, P/K}; V16  {1/K, -0.5}; V17, V18  byte indices
//   V19-V22  a coefficient's values in the 8 pieces, then {k1, k2}, {2^-6, 0}, -1000 and -0.0
//   V23-V31  constants (act_f64_arm64.h)
TEXT ·GELUGradF64NEON(SB), NOSPLIT, $0-72
	ACT64_LOADCONST
	MOVD	$ggrad64c<>(SB), R3
	VLD1.P	64(R3), [V12.D2, V13.D2, V14.D2, V15.D2]
	VLD1.P	48(R3), [V16.D2, V17.D2, V18.D2]
	MOVD	R3, R5
	MOVD	dx_base+0(FP), R0
	MOVD	dx_len+8(FP), R3
	MOVD	dy_base+24(FP), R1
	MOVD	x_base+48(FP), R2

loop:
	CMP	$2, R3
	BLT	tail
	VLD1.P	16(R1), [V1.D2]
	VLD1.P	16(R2), [V0.D2]
	GG64
	VST1.P	[V3.D2], 16(R0)
	SUB	$2, R3
	B	loop

tail:
	// 0 or 1 element left: one lane.
	CBZ	R3, done64
	VLD1	(R1), V1.D[0]
	VLD1	(R2), V0.D[0]
	GG64
	VST1	V3.D[0], (R0)

done64:
	RET
