//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp_f32_arm64.h"

// Tanh for float32 with NEON, in float64: with y = -2|x| clamped to [-120, 0] and
// e^y - 1 = (2^n - 1) + 2^n*w from the float64 step of exp_f32_arm64.h (2^n - 1 is exact, and for
// n = 0 it is w itself, so there is no cancellation near 0),
//
//	tanh|x| = -(e^y - 1) / (2 + (e^y - 1))
//
// one float64 division, the sign of x put back (BIT), and one rounding to float32: within 1 ULP
// of the correctly rounded tanh, x itself for tiny x (+-0 and subnormals kept), +-1 for large
// |x|, NaN for NaN. The exact loop and contract are in the doc comment of tanh_f32_arm64.go.

// TANHHALF sets VQ = tanh(VW) for the two float64 lanes of VW; VN, VP, VS are scratch. It expects
// the constants of exp_f32_arm64.h and V17 = -2, V18 = 2, V19 = the sign bit. Registers are
// numbers. Reads VW, V17-V19 and V22-V31; writes VQ, VN, VP and VS only (VW is kept).
#define TANHHALF(W, N, P, Q, S) \
	FABS_D2(S, W);      \
	FMUL_D2(S, S, 17);  \
	FMAX_D2(S, S, 22);  \
	FMUL_D2(N, S, 23);  \
	FRINTN_D2(N, N);    \
	FMLA_D2(S, N, 24);  \
	MOV_B16(P, 26);     \
	FMLA_D2(P, S, 25);  \
	MOV_B16(Q, 27);     \
	FMLA_D2(Q, P, S);   \
	MOV_B16(P, 28);     \
	FMLA_D2(P, Q, S);   \
	MOV_B16(Q, 29);     \
	FMLA_D2(Q, P, S);   \
	MOV_B16(P, 30);     \
	FMLA_D2(P, Q, S);   \
	FMUL_D2(Q, S, S);   \
	FMLA_D2(S, Q, P);   \
	FCVTZS_D2(N, N);    \
	SHL_D2(N, N, 52);   \
	ADD_D2(N, N, 31);   \
	FSUB_D2(Q, N, 31);  \
	FMLA_D2(Q, N, S);   \
	FADD_D2(P, Q, 18);  \
	FABS_D2(Q, Q);      \
	FDIV_D2(Q, Q, P);   \
	BIT_B16(Q, W, 19)

// tanhc<> holds -2, 2 and the sign bit, each in both float64 lanes.
DATA tanhc<>+0(SB)/8, $0xc000000000000000
DATA tanhc<>+8(SB)/8, $0xc000000000000000
DATA tanhc<>+16(SB)/8, $0x4000000000000000
DATA tanhc<>+24(SB)/8, $0x4000000000000000
DATA tanhc<>+32(SB)/8, $0x8000000000000000
DATA tanhc<>+40(SB)/8, $0x8000000000000000
GLOBL tanhc<>(SB), RODATA|NOPTR, $48

// func TanhF32NEON(dst, src []float32)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the constant tables, while loading them
//   V0  four x, then the four results
//   V1, V2  the low and the high float64 half of x
//   V3-V6, V7-V10  scratch of each half (the result in V5 and V9)
//   V17, V18, V19  -2, 2 and the sign bit
//   V20-V31  constants (exp_f32_arm64.h)
TEXT ·TanhF32NEON(SB), NOSPLIT, $0-48
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	EXP32_LOADCONST
	MOVD	$tanhc<>(SB), R3
	VLD1	(R3), [V17.D2, V18.D2, V19.D2]
one:
	CMP	$4, R2
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	FCVTL_D2(1, 0)
	FCVTL2_D2(2, 0)
	TANHHALF(1, 3, 4, 5, 6)
	TANHHALF(2, 7, 8, 9, 10)
	FCVTN_S2(0, 5)
	FCVTN2_S4(0, 9)
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
	FCVTL_D2(1, 0)
	FCVTL2_D2(2, 0)
	TANHHALF(1, 3, 4, 5, 6)
	TANHHALF(2, 7, 8, 9, 10)
	FCVTN_S2(0, 5)
	FCVTN2_S4(0, 9)
	VST1.P	V0.S[0], 4(R0)
	CMP	$2, R2
	BLT	done
	VST1.P	V0.S[1], 4(R0)
	CMP	$3, R2
	BLT	done
	VST1.P	V0.S[2], 4(R0)

done:
	RET
