//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp_f32_arm64.h"

// Sigmoid for float32 with NEON, in float64: e/(1+e) for x < 0 and 1/(1+e) for x >= 0, with
// e = e^-|x| by the float64 step of exp_f32_arm64.h (within 2^-32), one float64 division, and one
// rounding to float32 at the end: within 1 ULP of the correctly rounded sigmoid, 0 and 1 exactly
// where that rounds to them. The constant registers are in exp_f32_arm64.h; the exact loop and
// contract in the doc comment of sigmoid_f32_arm64.go.

// func SigmoidF32NEON(dst, src []float32)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the constant table, while loading it
//   V0  four x, then the four results
//   V1-V5, V6-V10  the low and the high float64 half, five registers each: x, then -|x| and w;
//       all ones where x < 0, then the numerator; e, 1+e and the result; two scratch
//   V20-V31  constants (exp_f32_arm64.h)
TEXT ·SigmoidF32NEON(SB), NOSPLIT, $0-48
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	EXP32_LOADCONST
one:
	CMP	$4, R2
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	FCVTL_D2(1, 0)
	FCVTL2_D2(6, 0)
	FCMLTZ_D2(2, 1)
	FABS_D2(1, 1)
	FNEG_D2(1, 1)
	FMAX_D2(1, 1, 22)
	EXP32_CORE64(1, 3, 4, 5)
	BSL_B16(2, 3, 31)
	FADD_D2(3, 3, 31)
	FDIV_D2(3, 2, 3)
	FCMLTZ_D2(7, 6)
	FABS_D2(6, 6)
	FNEG_D2(6, 6)
	FMAX_D2(6, 6, 22)
	EXP32_CORE64(6, 8, 9, 10)
	BSL_B16(7, 8, 31)
	FADD_D2(8, 8, 31)
	FDIV_D2(8, 7, 8)
	FCVTN_S2(0, 3)
	FCVTN2_S4(0, 8)
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
	FCVTL2_D2(6, 0)
	FCMLTZ_D2(2, 1)
	FABS_D2(1, 1)
	FNEG_D2(1, 1)
	FMAX_D2(1, 1, 22)
	EXP32_CORE64(1, 3, 4, 5)
	BSL_B16(2, 3, 31)
	FADD_D2(3, 3, 31)
	FDIV_D2(3, 2, 3)
	FCMLTZ_D2(7, 6)
	FABS_D2(6, 6)
	FNEG_D2(6, 6)
	FMAX_D2(6, 6, 22)
	EXP32_CORE64(6, 8, 9, 10)
	BSL_B16(7, 8, 31)
	FADD_D2(8, 8, 31)
	FDIV_D2(8, 7, 8)
	FCVTN_S2(0, 3)
	FCVTN2_S4(0, 8)
	VST1.P	V0.S[0], 4(R0)
	CMP	$2, R2
	BLT	done
	VST1.P	V0.S[1], 4(R0)
	CMP	$3, R2
	BLT	done
	VST1.P	V0.S[2], 4(R0)

done:
	RET
