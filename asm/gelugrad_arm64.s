//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "grad_arm64.h"

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
