//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp_f32_arm64.h"

// The exponential pass of the float32 softmax with NEON: dst[i] = e^(src[i] - m), with x - m
// rounded to float32 first, and the float64 sum of the float64 values before they are rounded to
// float32. The e^x core and the constant registers are in exp_f32_arm64.h; the exact loop and
// contract in the doc comment of softmax_f32_arm64.go.

// func ExpSubSumF32NEON(dst, src []float32, m float32) float64
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the constant table, while loading it; R4 the bits of -Inf
//   V0  four x, then x - m, then e^(x - m)
//   V1-V8  the two float64 halves and three scratch registers each
//   V17, V18  float64 partial sums (four: two lanes each)
//   V19  m in every lane
//   V20-V31  constants (exp_f32_arm64.h)
TEXT ·ExpSubSumF32NEON(SB), NOSPLIT, $0-64
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	FMOVS	m+48(FP), F19
	VDUP	V19.S[0], V19.S4
	EXP32_LOADCONST
	VEOR	V17.B16, V17.B16, V17.B16
	VEOR	V18.B16, V18.B16, V18.B16
one:
	CMP	$4, R2
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	FSUB_S4(0, 0, 19)
	EXP32_CLAMP(0)
	FCVTL_D2(1, 0)
	FCVTL2_D2(2, 0)
	EXP32_CORE64(1, 3, 4, 5)
	EXP32_CORE64(2, 6, 7, 8)
	FADD_D2(17, 17, 3)
	FADD_D2(18, 18, 6)
	FCVTN_S2(0, 3)
	FCVTN2_S4(0, 6)
	VST1.P	[V0.S4], 16(R0)
	SUB	$4, R2
	B	one

tail:
	// 0..3 elements left: load them into the low lanes of V0, one lane at a time.
	CBZ	R2, done
	// The lanes past the end hold -Inf, whose e^(-Inf - m) is 0 for every m but -Inf, +Inf and
	// NaN, for which any row has a NaN sum anyway (m being its maximum).
	MOVW	$0xff800000, R4
	VDUP	R4, V0.S4
	VLD1.P	4(R1), V0.S[0]
	CMP	$2, R2
	BLT	tailop
	VLD1.P	4(R1), V0.S[1]
	CMP	$3, R2
	BLT	tailop
	VLD1.P	4(R1), V0.S[2]

tailop:
	FSUB_S4(0, 0, 19)
	EXP32_CLAMP(0)
	FCVTL_D2(1, 0)
	FCVTL2_D2(2, 0)
	EXP32_CORE64(1, 3, 4, 5)
	EXP32_CORE64(2, 6, 7, 8)
	FADD_D2(17, 17, 3)
	FADD_D2(18, 18, 6)
	FCVTN_S2(0, 3)
	FCVTN2_S4(0, 6)
	VST1.P	V0.S[0], 4(R0)
	CMP	$2, R2
	BLT	done
	VST1.P	V0.S[1], 4(R0)
	CMP	$3, R2
	BLT	done
	VST1.P	V0.S[2], 4(R0)

done:
	FADD_D2(17, 17, 18)
	FADDP_D2(17, 17, 17)
	FMOVD	F17, ret+56(FP)
	RET
