// Shared by gelu_arm64.s and gelugrad_arm64.s: the float64 pieces of polynomials in s = c/(c + K)
// of GELU and GELUGrad (asm/_gen/streaming/gelu64.go and gelugrad64.go), P = 8 of them, centred
// on s = n/P, n = round(P·s), each a polynomial of degree 10 in u = P·s - n. With c in VA,
//
//	dh = c + K, dl = c - (dh - K)     c + K exactly (dh - K is exact: K is an integer)
//	s0 = c/dh                         FDIV, rounded
//	e = (c - s0·dh) - s0·dl           the residual of the quotient (FMLS; the first part exact)
//	K·sl = e·(1 - s0)                 s = s0 + sl: 1/(c + K) = (1 - s)/K
//	n = round(P·s0), u = (P·s0 - n) + (P/K)·(K·sl)   with 1.5·2^52 added and subtracted
//
// and the polynomial of piece n at u by Horner's scheme, each coefficient picked per lane by TBL
// from its 8 values (64 bytes, four registers, loaded for each coefficient from a table that
// holds, highest power first, each power's values in pieces 0..7), with the byte indices
// 8n..8n+7 of each lane built from n in the low bits of P·s0 + 1.5·2^52. A NaN c makes every
// result NaN (TBL gives 0 bytes for an index past the table). The kernels keep their constants
// in these registers, each in both lanes unless said:
//	V12	the clamp of c (used by the kernels)
//	V13	K
//	V14	1.5·2^52
//	V15	{P, P/K}
//	V17	the byte indices {0 x8, 8 x8}: byte 0 of each lane in every byte of it
//	V18	the byte indices {0, 1, ..., 7} in each lane
//	V19-V22	a coefficient's values in the 8 pieces, while Horner's scheme runs
//	V31	1.0 (act_f64_arm64.h)

// GELU64_IDX(A, B, C, D, T) is the first step, on x in VA: it sets VA = K·sl, VB = the byte
// indices of piece n in each lane (for TBL), VC = u and VD = s0; VT is scratch. 18 instructions,
// one division. Reads VA, V12-V15, V17, V18, V31; writes VA, VB, VC, VD and VT only.
#define GELU64_IDX(A, B, C, D, T) \
	FABS_D2(A, A);         \
	FMIN_D2(A, A, 12);     \
	FADD_D2(B, A, 13);     \
	FSUB_D2(C, B, 13);     \
	FSUB_D2(C, A, C);      \
	FDIV_D2(D, A, B);      \
	FMLS_D2(A, D, B);      \
	FMLS_D2(A, D, C);      \
	FSUB_D2(B, 31, D);     \
	FMUL_D2(A, A, B);      \
	FMULE_D2(C, D, 15, 0); \
	FADD_D2(B, C, 14);     \
	FSUB_D2(T, B, 14);     \
	FSUB_D2(C, C, T);      \
	FMLAE_D2(C, A, 15, 1); \
	SHL_D2(B, B, 3);       \
	TBL1_B16(B, B, 17);    \
	ORR_B16(B, B, 18)

// GELU64_LDC loads the next coefficient's 8 values (from R4, which it advances) into V19-V22.
#define GELU64_LDC VLD1.P 64(R4), [V19.D2, V20.D2, V21.D2, V22.D2]

// GELU64_STEP(B, U, ACC, T) is one Horner step: VT = c + VACC·VU, c the coefficient of V19-V22
// picked by the byte indices of VB. 2 instructions. Reads VB, VU, VACC, V19-V22; writes VT only.
#define GELU64_STEP(B, U, ACC, T) \
	TBL4_B16(T, 19, B); \
	FMLA_D2(T, ACC, U)

// GELU64_HORNER1(B, U, ACC, T) evaluates the polynomial of piece n (byte indices in VB) at u (VU)
// into VACC, VT scratch, loading the coefficients from R4 (which it advances by 704 bytes). 32
// instructions. Reads VB, VU, R4; writes VACC, VT, V19-V22 and R4 only.
#define GELU64_HORNER1(B, U, ACC, T) \
	GELU64_LDC; TBL4_B16(ACC, 19, B);                                  \
	GELU64_LDC; GELU64_STEP(B, U, ACC, T); GELU64_LDC; GELU64_STEP(B, U, T, ACC); \
	GELU64_LDC; GELU64_STEP(B, U, ACC, T); GELU64_LDC; GELU64_STEP(B, U, T, ACC); \
	GELU64_LDC; GELU64_STEP(B, U, ACC, T); GELU64_LDC; GELU64_STEP(B, U, T, ACC); \
	GELU64_LDC; GELU64_STEP(B, U, ACC, T); GELU64_LDC; GELU64_STEP(B, U, T, ACC); \
	GELU64_LDC; GELU64_STEP(B, U, ACC, T); GELU64_LDC; GELU64_STEP(B, U, T, ACC)

// GELU64_HORNER2 is GELU64_HORNER1 on two vectors at once, (VB, VU, VACC, VT) and (VB2, VU2,
// VACC2, VT2), each coefficient loaded once for both. 53 instructions.
#define GELU64_HORNER2(B, U, ACC, T, B2, U2, ACC2, T2) \
	GELU64_LDC; TBL4_B16(ACC, 19, B); TBL4_B16(ACC2, 19, B2);                        \
	GELU64_LDC; GELU64_STEP(B, U, ACC, T); GELU64_STEP(B2, U2, ACC2, T2);            \
	GELU64_LDC; GELU64_STEP(B, U, T, ACC); GELU64_STEP(B2, U2, T2, ACC2);            \
	GELU64_LDC; GELU64_STEP(B, U, ACC, T); GELU64_STEP(B2, U2, ACC2, T2);            \
	GELU64_LDC; GELU64_STEP(B, U, T, ACC); GELU64_STEP(B2, U2, T2, ACC2);            \
	GELU64_LDC; GELU64_STEP(B, U, ACC, T); GELU64_STEP(B2, U2, ACC2, T2);            \
	GELU64_LDC; GELU64_STEP(B, U, T, ACC); GELU64_STEP(B2, U2, T2, ACC2);            \
	GELU64_LDC; GELU64_STEP(B, U, ACC, T); GELU64_STEP(B2, U2, ACC2, T2);            \
	GELU64_LDC; GELU64_STEP(B, U, T, ACC); GELU64_STEP(B2, U2, T2, ACC2);            \
	GELU64_LDC; GELU64_STEP(B, U, ACC, T); GELU64_STEP(B2, U2, ACC2, T2);            \
	GELU64_LDC; GELU64_STEP(B, U, T, ACC); GELU64_STEP(B2, U2, T2, ACC2)
