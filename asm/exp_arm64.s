//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp32_arm64.h"

// Exp for float32 with NEON: the method and the constant registers are in exp32_arm64.h; the
// exact loop and contract in the doc comment of exp_arm64.go.

// func ExpF32NEON(dst, src []float32)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the constant table, while loading it
//   V0, V1  two vectors of x in flight, then e^x
//   V2-V9, V10-V17  scratch of V0 and of V1: the float64 halves and three registers each
//   V20-V31  constants (exp32_arm64.h)
TEXT ·ExpF32NEON(SB), NOSPLIT, $0-48
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	EXP32_LOADCONST
	CMP	$8, R2
	BLT	one

loop:
	VLD1.P	32(R1), [V0.S4, V1.S4]
	EXP32_CLAMP(0)
	EXP32_CLAMP(1)
	EXP32_CORE(0, 2, 3, 4, 5, 6, 7, 8, 9)
	EXP32_CORE(1, 10, 11, 12, 13, 14, 15, 16, 17)
	VST1.P	[V0.S4, V1.S4], 32(R0)
	SUB	$8, R2
	CMP	$8, R2
	BGE	loop

one:
	CMP	$4, R2
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	EXP32_CLAMP(0)
	EXP32_CORE(0, 2, 3, 4, 5, 6, 7, 8, 9)
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
	EXP32_CLAMP(0)
	EXP32_CORE(0, 2, 3, 4, 5, 6, 7, 8, 9)
	VST1.P	V0.S[0], 4(R0)
	CMP	$2, R2
	BLT	done
	VST1.P	V0.S[1], 4(R0)
	CMP	$3, R2
	BLT	done
	VST1.P	V0.S[2], 4(R0)

done:
	RET
