//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp_f32_arm64.h"
#include "act_arm64.h"

// ELU for float32 with NEON, in float64: each x is widened, clamped to [-120, 0] (the lanes of
// x > 0 take x itself at the end, and below -120 e^x - 1 is -1 in float64), e^x - 1 comes from
// EXPM1_64 (act_arm64.h: (2^n - 1) + 2^n*w, no cancellation near 0), is multiplied by alpha in
// float64 and rounded once to float32. Then, in float32, the lanes of ±0 take alpha*x (EXPM1_64
// gives +0 for -0, and the Go loop gives alpha*-0) and the lanes of x > 0 take x. NaN stays NaN
// through the clamps (FMIN, FMAX) and the arithmetic. The constant registers are in
// exp_f32_arm64.h; the exact loop and contract in the doc comment of elu_arm64.go.

// ELUHALF sets VQ = alpha*(e^VX - 1) for the two float64 lanes of VX, clamping VX first; VN, VP
// are scratch. Reads VX, V17 (float64 zero), V18 (alpha in float64), V22-V31; writes VQ, VN, VP
// and VX only.
#define ELUHALF(X, N, P, Q) \
	FMIN_D2(X, X, 17);   \
	FMAX_D2(X, X, 22);   \
	EXPM1_64(X, N, P, Q); \
	FMUL_D2(Q, Q, 18)

// func ELUF32NEON(alpha float32, dst, src []float32)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the constant table, while loading it
//   V0  four x
//   V1-V4, V5-V8  the low and the high float64 half: x, then w; scratch (two); the result
//   V9  the four results; V10  alpha*x in float32; V11  a mask
//   V16  alpha in four float32 lanes; V17  zero; V18  alpha in two float64 lanes
//   V20-V31  constants (exp_f32_arm64.h)
TEXT ·ELUF32NEON(SB), NOSPLIT, $0-56
	FMOVS	alpha+0(FP), F16
	VDUP	V16.S[0], V16.S4
	FCVTL_D2(18, 16)
	VEOR	V17.B16, V17.B16, V17.B16
	MOVD	dst_base+8(FP), R0
	MOVD	src_base+32(FP), R1
	MOVD	src_len+40(FP), R2
	EXP32_LOADCONST

one:
	CMP	$4, R2
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	FCVTL_D2(1, 0)
	FCVTL2_D2(5, 0)
	ELUHALF(1, 2, 3, 4)
	ELUHALF(5, 6, 7, 8)
	FCVTN_S2(9, 4)
	FCVTN2_S4(9, 8)
	FMUL_S4(10, 0, 16)
	FCMEQZ_S4(11, 0)
	BIT_B16(9, 10, 11)
	FCMGTZ_S4(11, 0)
	BIT_B16(9, 0, 11)
	VST1.P	[V9.S4], 16(R0)
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
	FCVTL2_D2(5, 0)
	ELUHALF(1, 2, 3, 4)
	ELUHALF(5, 6, 7, 8)
	FCVTN_S2(9, 4)
	FCVTN2_S4(9, 8)
	FMUL_S4(10, 0, 16)
	FCMEQZ_S4(11, 0)
	BIT_B16(9, 10, 11)
	FCMGTZ_S4(11, 0)
	BIT_B16(9, 0, 11)
	VST1.P	V9.S[0], 4(R0)
	CMP	$2, R2
	BLT	done
	VST1.P	V9.S[1], 4(R0)
	CMP	$3, R2
	BLT	done
	VST1.P	V9.S[2], 4(R0)

done:
	RET
