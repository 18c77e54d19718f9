//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp_f64_arm64.h"

// Exp for float64 with NEON: the method and the constant registers are in exp_f64_arm64.h; the
// exact loop and contract in the doc comment of exp_f64_arm64.go.

// func ExpF64NEON(dst, src []float64)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the constant table, while loading it
//   V0, V1  two vectors of x in flight, then e^x
//   V2-V4, V5-V7  scratch of V0 and of V1
//   V15-V31  constants (exp_f64_arm64.h)
TEXT ·ExpF64NEON(SB), NOSPLIT, $0-48
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	EXP64_LOADCONST
	CMP	$4, R2
	BLT	one

loop:
	VLD1.P	32(R1), [V0.D2, V1.D2]
	EXP64_CLAMP(0)
	EXP64_CLAMP(1)
	EXP64_CORE(0, 2, 3, 4)
	EXP64_CORE(1, 5, 6, 7)
	VST1.P	[V0.D2, V1.D2], 32(R0)
	SUB	$4, R2
	CMP	$4, R2
	BGE	loop

one:
	CMP	$2, R2
	BLT	tail
	VLD1.P	16(R1), [V0.D2]
	EXP64_CLAMP(0)
	EXP64_CORE(0, 2, 3, 4)
	VST1.P	[V0.D2], 16(R0)
	SUB	$2, R2
	B	one

tail:
	// 0 or 1 element left: one lane.
	CBZ	R2, done
	VLD1	(R1), V0.D[0]
	EXP64_CLAMP(0)
	EXP64_CORE(0, 2, 3, 4)
	VST1	V0.D[0], (R0)

done:
	RET
