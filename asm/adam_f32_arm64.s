//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// One Adam step over float32 slices with NEON, every operation rounded as the Go loop rounds it
// (separate multiplies and adds, FSQRT and FDIV correctly rounded), so the result is the loop's
// bit for bit. The exact loop and contract are in the doc comment of adam_f32_arm64.go.

// func AdamF32NEON(w, g, m, v []float32, b1, c1, b2, c2, lr, eps float32)
//
// Registers:
//   R0, R1, R2, R3  the next element of w, g, m and v
//   R4  elements left
//   R5, R6, R7  copies of R0, R2, R3 that the tail loads through (the stores use R0, R2, R3)
//   V0, V1  g; V2, V3  m; V6, V7  v; V8, V9  w (eight elements, four per register)
//   V4, V5, V10, V11  scratch
//   V24-V29  b1, c1, b2, c2, lr and eps in every lane
TEXT ·AdamF32NEON(SB), NOSPLIT, $0-120
	MOVD	w_base+0(FP), R0
	MOVD	w_len+8(FP), R4
	MOVD	g_base+24(FP), R1
	MOVD	m_base+48(FP), R2
	MOVD	v_base+72(FP), R3
	FMOVS	b1+96(FP), F24
	FMOVS	c1+100(FP), F25
	FMOVS	b2+104(FP), F26
	FMOVS	c2+108(FP), F27
	FMOVS	lr+112(FP), F28
	FMOVS	eps+116(FP), F29
	VDUP	V24.S[0], V24.S4
	VDUP	V25.S[0], V25.S4
	VDUP	V26.S[0], V26.S4
	VDUP	V27.S[0], V27.S4
	VDUP	V28.S[0], V28.S4
	VDUP	V29.S[0], V29.S4
	CMP	$8, R4
	BLT	one

loop:
	VLD1.P	32(R1), [V0.S4, V1.S4]
	VLD1	(R2), [V2.S4, V3.S4]
	VLD1	(R3), [V6.S4, V7.S4]
	VLD1	(R0), [V8.S4, V9.S4]
	FMUL_S4(2, 2, 24)
	FMUL_S4(3, 3, 24)
	FMUL_S4(4, 0, 25)
	FMUL_S4(10, 1, 25)
	FADD_S4(2, 2, 4)
	FADD_S4(3, 3, 10)
	FMUL_S4(6, 6, 26)
	FMUL_S4(7, 7, 26)
	FMUL_S4(4, 0, 27)
	FMUL_S4(10, 1, 27)
	FMUL_S4(4, 4, 0)
	FMUL_S4(10, 10, 1)
	FADD_S4(6, 6, 4)
	FADD_S4(7, 7, 10)
	FSQRT_S4(4, 6)
	FSQRT_S4(10, 7)
	FADD_S4(4, 4, 29)
	FADD_S4(10, 10, 29)
	FMUL_S4(5, 2, 28)
	FMUL_S4(11, 3, 28)
	FDIV_S4(5, 5, 4)
	FDIV_S4(11, 11, 10)
	FSUB_S4(8, 8, 5)
	FSUB_S4(9, 9, 11)
	VST1.P	[V2.S4, V3.S4], 32(R2)
	VST1.P	[V6.S4, V7.S4], 32(R3)
	VST1.P	[V8.S4, V9.S4], 32(R0)
	SUB	$8, R4
	CMP	$8, R4
	BGE	loop

one:
	CMP	$4, R4
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	VLD1	(R2), [V2.S4]
	VLD1	(R3), [V6.S4]
	VLD1	(R0), [V8.S4]
	FMUL_S4(2, 2, 24)
	FMUL_S4(4, 0, 25)
	FADD_S4(2, 2, 4)
	FMUL_S4(6, 6, 26)
	FMUL_S4(4, 0, 27)
	FMUL_S4(4, 4, 0)
	FADD_S4(6, 6, 4)
	FSQRT_S4(4, 6)
	FADD_S4(4, 4, 29)
	FMUL_S4(5, 2, 28)
	FDIV_S4(5, 5, 4)
	FSUB_S4(8, 8, 5)
	VST1.P	[V2.S4], 16(R2)
	VST1.P	[V6.S4], 16(R3)
	VST1.P	[V8.S4], 16(R0)
	SUB	$4, R4

tail:
	// 0..3 elements left: into the low lanes, one lane at a time, through R1 and the copies
	// R5, R6, R7; the results go back lane by lane through R0, R2, R3.
	CBZ	R4, done
	MOVD	R0, R5
	MOVD	R2, R6
	MOVD	R3, R7
	VLD1.P	4(R1), V0.S[0]
	VLD1.P	4(R6), V2.S[0]
	VLD1.P	4(R7), V6.S[0]
	VLD1.P	4(R5), V8.S[0]
	CMP	$2, R4
	BLT	tailop
	VLD1.P	4(R1), V0.S[1]
	VLD1.P	4(R6), V2.S[1]
	VLD1.P	4(R7), V6.S[1]
	VLD1.P	4(R5), V8.S[1]
	CMP	$3, R4
	BLT	tailop
	VLD1.P	4(R1), V0.S[2]
	VLD1.P	4(R6), V2.S[2]
	VLD1.P	4(R7), V6.S[2]
	VLD1.P	4(R5), V8.S[2]

tailop:
	FMUL_S4(2, 2, 24)
	FMUL_S4(4, 0, 25)
	FADD_S4(2, 2, 4)
	FMUL_S4(6, 6, 26)
	FMUL_S4(4, 0, 27)
	FMUL_S4(4, 4, 0)
	FADD_S4(6, 6, 4)
	FSQRT_S4(4, 6)
	FADD_S4(4, 4, 29)
	FMUL_S4(5, 2, 28)
	FDIV_S4(5, 5, 4)
	FSUB_S4(8, 8, 5)
	VST1.P	V2.S[0], 4(R2)
	VST1.P	V6.S[0], 4(R3)
	VST1.P	V8.S[0], 4(R0)
	CMP	$2, R4
	BLT	done
	VST1.P	V2.S[1], 4(R2)
	VST1.P	V6.S[1], 4(R3)
	VST1.P	V8.S[1], 4(R0)
	CMP	$3, R4
	BLT	done
	VST1.P	V2.S[2], 4(R2)
	VST1.P	V6.S[2], 4(R3)
	VST1.P	V8.S[2], 4(R0)

done:
	RET
