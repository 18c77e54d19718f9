//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// Exp for float32 with NEON, in float32, four lanes per register. The exact loop and contract are
// in the doc comment of exp_f32_arm64.go. For x clamped to [-110, 110] (which does not change the
// result: e^x overflows above 88.73 and rounds to 0 below -103.98):
//
//	n = round(x*log2(e))          FRINTN, ties to even
//	r1 = x - n*ln2hi              one FMA, exact: ln2hi (ln2 rounded to float32) is a
//	                              multiple of 2^-24, and where n != 0, |x| > 0.34 is a
//	                              multiple of 2^-25, so r1 (below 0.36) fits in 24 bits
//	rl = -n*ln2lo, r = r1 + rl    r is r1 + rl rounded; |r| <= ln2/2 (plus rounding)
//	q = q(r)                      degree 5, a Chebyshev fit of (e^r - 1 - r)/r^2 on
//	                              [-0.3466, 0.3466]: 1 + r + r^2*q is e^r within 2^-30
//	s = rl + r^2*q                the small part, one FMA
//	h = 1 + r1, e = r1 - (h - 1)  h + e = 1 + r1 exactly (Fast2Sum: |r1| < 1)
//	p = h + (s + e)               e^r, one rounding at the end
//	e^x = p * 2^floor(n/2) * 2^(n-floor(n/2))
//
// Both powers of 2 are normal float32 built from the integer n (FCVTZS) in the exponent field;
// the first product is exact, the second rounds once, to +Inf, a subnormal or 0 where the result
// is one. A Go model of this sequence, operation by operation (kernels'
// exp32_neonmodel_test.go, which the arm64 tests compare with this kernel bit for bit), is
// within 1 ULP of the correctly rounded e^x on all 2^32 inputs. NaN propagates: FMAX and FMIN
// keep it, FCVTZS turns it into 0, and every floating-point step after keeps it.
//
// Constants, one per register in all four lanes, loaded from expf32n<> into V20-V31:
//	V20	LO: -110: e^x rounds to 0 below -103.98
//	V21	HI: 110: e^x overflows above 88.73
//	V22	LOG2E: log2(e)
//	V23	NLN2HI: -ln2 rounded to float32: x - n*ln2hi is exact for the n it meets
//	V24	NLN2LO: -(ln2 - ln2hi)
//	V25	C5: q coefficient of r^5: 0.00019890988
//	V26	C4: q coefficient of r^4: 0.0013933647
//	V27	C3: q coefficient of r^3: 0.0083333105
//	V28	C2: q coefficient of r^2: 0.041666467
//	V29	C1: q coefficient of r^1: 0.16666667
//	V30	C0: q coefficient of r^0: 0.5
//	V31	ONE: 1.0; also 127<<23, the exponent bias in place

DATA expf32n<>+0(SB)/4, $0xc2dc0000
DATA expf32n<>+4(SB)/4, $0xc2dc0000
DATA expf32n<>+8(SB)/4, $0xc2dc0000
DATA expf32n<>+12(SB)/4, $0xc2dc0000
DATA expf32n<>+16(SB)/4, $0x42dc0000
DATA expf32n<>+20(SB)/4, $0x42dc0000
DATA expf32n<>+24(SB)/4, $0x42dc0000
DATA expf32n<>+28(SB)/4, $0x42dc0000
DATA expf32n<>+32(SB)/4, $0x3fb8aa3b
DATA expf32n<>+36(SB)/4, $0x3fb8aa3b
DATA expf32n<>+40(SB)/4, $0x3fb8aa3b
DATA expf32n<>+44(SB)/4, $0x3fb8aa3b
DATA expf32n<>+48(SB)/4, $0xbf317218
DATA expf32n<>+52(SB)/4, $0xbf317218
DATA expf32n<>+56(SB)/4, $0xbf317218
DATA expf32n<>+60(SB)/4, $0xbf317218
DATA expf32n<>+64(SB)/4, $0x3102e308
DATA expf32n<>+68(SB)/4, $0x3102e308
DATA expf32n<>+72(SB)/4, $0x3102e308
DATA expf32n<>+76(SB)/4, $0x3102e308
DATA expf32n<>+80(SB)/4, $0x39509277
DATA expf32n<>+84(SB)/4, $0x39509277
DATA expf32n<>+88(SB)/4, $0x39509277
DATA expf32n<>+92(SB)/4, $0x39509277
DATA expf32n<>+96(SB)/4, $0x3ab6a190
DATA expf32n<>+100(SB)/4, $0x3ab6a190
DATA expf32n<>+104(SB)/4, $0x3ab6a190
DATA expf32n<>+108(SB)/4, $0x3ab6a190
DATA expf32n<>+112(SB)/4, $0x3c088870
DATA expf32n<>+116(SB)/4, $0x3c088870
DATA expf32n<>+120(SB)/4, $0x3c088870
DATA expf32n<>+124(SB)/4, $0x3c088870
DATA expf32n<>+128(SB)/4, $0x3d2aaa75
DATA expf32n<>+132(SB)/4, $0x3d2aaa75
DATA expf32n<>+136(SB)/4, $0x3d2aaa75
DATA expf32n<>+140(SB)/4, $0x3d2aaa75
DATA expf32n<>+144(SB)/4, $0x3e2aaaab
DATA expf32n<>+148(SB)/4, $0x3e2aaaab
DATA expf32n<>+152(SB)/4, $0x3e2aaaab
DATA expf32n<>+156(SB)/4, $0x3e2aaaab
DATA expf32n<>+160(SB)/4, $0x3f000000
DATA expf32n<>+164(SB)/4, $0x3f000000
DATA expf32n<>+168(SB)/4, $0x3f000000
DATA expf32n<>+172(SB)/4, $0x3f000000
DATA expf32n<>+176(SB)/4, $0x3f800000
DATA expf32n<>+180(SB)/4, $0x3f800000
DATA expf32n<>+184(SB)/4, $0x3f800000
DATA expf32n<>+188(SB)/4, $0x3f800000
GLOBL expf32n<>(SB), RODATA|NOPTR, $192

// EXPF32_CORE sets VX = e^VX for the four float32 lanes of VX; VN, VR, VP, VQ, VS are scratch.
// 33 instructions, 8.25 per element; each Horner step copies a coefficient (MOV) and adds into
// it (FMLA), which accumulates into its destination. Registers are numbers. Reads VX and the
// constants V20-V31 (loaded from expf32n<>); writes VX, VN, VR, VP, VQ and VS only.
#define EXPF32_CORE(X, N, R, P, Q, S) \
	FMAX_S4(X, X, 20);   \
	FMIN_S4(X, X, 21);   \
	FMUL_S4(N, X, 22);   \
	FRINTN_S4(N, N);     \
	FMLA_S4(X, N, 23);   \
	FMUL_S4(S, N, 24);   \
	FADD_S4(R, X, S);    \
	MOV_B16(P, 26);      \
	FMLA_S4(P, R, 25);   \
	MOV_B16(Q, 27);      \
	FMLA_S4(Q, P, R);    \
	MOV_B16(P, 28);      \
	FMLA_S4(P, Q, R);    \
	MOV_B16(Q, 29);      \
	FMLA_S4(Q, P, R);    \
	MOV_B16(P, 30);      \
	FMLA_S4(P, Q, R);    \
	FMUL_S4(R, R, R);    \
	FMLA_S4(S, R, P);    \
	FADD_S4(P, X, 31);   \
	FSUB_S4(Q, P, 31);   \
	FSUB_S4(X, X, Q);    \
	FADD_S4(S, S, X);    \
	FADD_S4(P, P, S);    \
	FCVTZS_S4(N, N);     \
	SSHR_S4(Q, N, 1);    \
	SUB_S4(N, N, Q);     \
	SHL_S4(Q, Q, 23);    \
	ADD_S4(Q, Q, 31);    \
	SHL_S4(N, N, 23);    \
	ADD_S4(N, N, 31);    \
	FMUL_S4(P, P, Q);    \
	FMUL_S4(X, P, N)

// func ExpF32NEON(dst, src []float32)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the constant table, while loading it
//   V0, V1  two vectors of x in flight, then e^x
//   V2-V6, V7-V11  scratch of V0 and of V1
//   V20-V31  constants (above)
TEXT ·ExpF32NEON(SB), NOSPLIT, $0-48
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	MOVD	$expf32n<>(SB), R3
	VLD1.P	64(R3), [V20.S4, V21.S4, V22.S4, V23.S4]
	VLD1.P	64(R3), [V24.S4, V25.S4, V26.S4, V27.S4]
	VLD1	(R3), [V28.S4, V29.S4, V30.S4, V31.S4]
	CMP	$8, R2
	BLT	one

loop:
	VLD1.P	32(R1), [V0.S4, V1.S4]
	EXPF32_CORE(0, 2, 3, 4, 5, 6)
	EXPF32_CORE(1, 7, 8, 9, 10, 11)
	VST1.P	[V0.S4, V1.S4], 32(R0)
	SUB	$8, R2
	CMP	$8, R2
	BGE	loop

one:
	CMP	$4, R2
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	EXPF32_CORE(0, 2, 3, 4, 5, 6)
	VST1.P	[V0.S4], 16(R0)
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
	EXPF32_CORE(0, 2, 3, 4, 5, 6)
	VST1.P	V0.S[0], 4(R0)
	CMP	$2, R2
	BLT	done
	VST1.P	V0.S[1], 4(R0)
	CMP	$3, R2
	BLT	done
	VST1.P	V0.S[2], 4(R0)

done:
	RET
