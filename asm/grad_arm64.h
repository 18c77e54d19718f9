// Shared by the backward kernels for NEON (relugrad, leakyrelugrad, sigmoidgrad, tanhgrad,
// elugrad, silugrad, softplusgrad, gelugrad and gelutanhgrad _arm64.s): the instructions
// neon_arm64.h lacks, the tail of a float32 loop over three slices, and σ(x) in float64 lanes.
// Registers in macro arguments are numbers, as in neon_arm64.h, except where a macro says it
// takes names.

// FACGE Vd, Vn, Vm: all ones where |Vn| >= |Vm|, else zero (false for NaN).
#define FACGE_S4(d, n, m) WORD $(0x6E20EC00|((m)<<16)|((n)<<5)|(d))
#define FACGE_D2(d, n, m) WORD $(0x6E60EC00|((m)<<16)|((n)<<5)|(d))

// The last 1..3 float32 elements of a loop over dx (R0), dy (R1) and x or y (R2), R3 of them
// left, without touching memory past the slices: lane 0 takes element 0, lane 1 element
// min(1, R3-1) and lane 2 element R3-1, so that a lane past the end repeats an element that is
// there (lane 3 is not loaded: whatever it holds is computed and never stored). The stores go
// from lane 2 down to lane 0, so an element written twice gets the same value twice, and all the
// loads come first, so dx may be dy or x.
//
// TAIL3_OFFS sets R4 = 4*min(1, R3-1) and R5 = 4*(R3-1), the byte offsets of lanes 1 and 2, for
// R3 in 1..3. Reads R3; writes R4 and R5 only.
#define TAIL3_OFFS \
	MOVD $4, R4;           \
	CMP  $2, R3;           \
	CSEL GE, R4, ZR, R4;   \
	SUB  $1, R3, R5;       \
	LSL  $2, R5, R5

// TAIL3_LOAD(P, V) loads lanes 0..2 of V (a register name, V0..V31) from the address in P (a
// register name) at offsets 0, R4 and R5. Reads P, R4, R5; writes V's lanes 0..2 and R6 only.
#define TAIL3_LOAD(P, V) \
	VLD1 (P), V.S[0];      \
	ADD  R4, P, R6;        \
	VLD1 (R6), V.S[1];     \
	ADD  R5, P, R6;        \
	VLD1 (R6), V.S[2]

// TAIL3_STORE(P, V) stores lanes 2, 1 and 0 of V (a register name) at offsets R5, R4 and 0 from
// the address in P (a register name). Reads P, V, R4, R5; writes R6 and the memory only.
#define TAIL3_STORE(P, V) \
	ADD  R5, P, R6;        \
	VST1 V.S[2], (R6);     \
	ADD  R4, P, R6;        \
	VST1 V.S[1], (R6);     \
	VST1 V.S[0], (P)

// GRAD_SIGMOID64 sets VS = σ(x) = 1/(1 + e^-x) for the two float64 lanes x of VX, which must
// lie in [-300, 300] (or be NaN), without cancellation for either sign:
//
//	e = e^-|x|                 EXP32_CORE64 (exp_f32_arm64.h), within 2^-32 relative; down to
//	                           e^-300, whose 2^n is still a normal float64 (n = -433) and whose
//	                           reduction error (one constant for ln2) stays below 2^-45
//	q = 1/(1 + e)              σ(|x|), one division: q in [1/2, 1]
//	σ(x) = q for x >= 0, e·q for x < 0
//
// It also leaves VE = e, VQ = q and VP = e·q (σ(-|x|)), for the callers that need σ(-x) as well:
// σ(-x) is VP where x >= 0 and VQ where x < 0. NaN propagates into every output. -0 counts as
// x >= 0 (σ = q = 1/2 either way). Reads VX, V23-V31 (EXP32_LOADCONST: V31 is 1.0); writes VS,
// VE, VQ, VA and VP only. All six registers must differ.
#define GRAD_SIGMOID64(X, S, E, Q, A, P) \
	FABS_D2(A, X);            \
	FNEG_D2(A, A);            \
	EXP32_CORE64(A, E, P, Q); \
	FADD_D2(Q, E, 31);        \
	FDIV_D2(Q, 31, Q);        \
	FMUL_D2(P, E, Q);         \
	FCMLTZ_D2(S, X);          \
	BSL_B16(S, P, Q)
