//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp_f64_arm64.h"

// The exponential pass of the float64 softmax with NEON: dst[i] = e^(src[i] - m) and their sum.
// The e^x core and the constant registers are in exp_f64_arm64.h; the exact loop and contract in
// the doc comment of softmax_f64_arm64.go.

// SUM64(S, C, V) adds V (two lanes, each in [0, 4]) into the partial sums VS and their rounding
// errors into VC: VS starts at 4, so that |VS| >= |VV| and Fast2Sum's error (VS - (VS + VV)) + VV
// is exact. Reads VS, VC, VV; writes VS, VC, V8, V9.
#define SUM64(S, C, V) \
	FADD_D2(8, S, V);  \
	FSUB_D2(9, S, 8);  \
	FADD_D2(9, 9, V);  \
	MOV_B16(S, 8);     \
	FADD_D2(C, C, 9)

// func ExpSubSumF64NEON(dst, src []float64, m float64) float64
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the constant table, while loading it
//   V0, V1  two vectors of x in flight, then x - m, then e^(x - m)
//   V10, V11  partial sums (four: two lanes each), each started at 4 (SUM64)
//   V12, V13  the rounding errors of the additions into V10 and V11
//   V8, V9  the sum of an addition and its error (SUM64)
//   V14  m in both lanes
//   V2-V4, V5-V7  scratch of V0 and of V1
//   V15-V31  constants (exp_f64_arm64.h)
TEXT ·ExpSubSumF64NEON(SB), NOSPLIT, $0-64
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	FMOVD	m+48(FP), F14
	VDUP	V14.D[0], V14.D2
	EXP64_LOADCONST
	FMOVD	$4.0, F10
	VDUP	V10.D[0], V10.D2
	MOV_B16(11, 10)
	VEOR	V12.B16, V12.B16, V12.B16
	VEOR	V13.B16, V13.B16, V13.B16
	CMP	$4, R2
	BLT	one

loop:
	VLD1.P	32(R1), [V0.D2, V1.D2]
	FSUB_D2(0, 0, 14)
	FSUB_D2(1, 1, 14)
	FMAX_D2(0, 0, 16)
	FMAX_D2(1, 1, 16)
	EXP64_CORE(0, 2, 3, 4)
	EXP64_CORE(1, 5, 6, 7)
	SUM64(10, 12, 0)
	SUM64(11, 13, 1)
	VST1.P	[V0.D2, V1.D2], 32(R0)
	SUB	$4, R2
	CMP	$4, R2
	BGE	loop

one:
	CMP	$2, R2
	BLT	tail
	VLD1.P	16(R1), [V0.D2]
	FSUB_D2(0, 0, 14)
	FMAX_D2(0, 0, 16)
	EXP64_CORE(0, 2, 3, 4)
	SUM64(10, 12, 0)
	VST1.P	[V0.D2], 16(R0)
	SUB	$2, R2
	B	one

tail:
	// 0 or 1 element left: one lane.
	CBZ	R2, done
	VLD1	(R1), V0.D[0]
	FSUB_D2(0, 0, 14)
	FMAX_D2(0, 0, 16)
	EXP64_CORE(0, 2, 3, 4)
	VMOV	ZR, V0.D[1] // lane 1 held no element: it must add nothing
	SUM64(10, 12, 0)
	VST1	V0.D[0], (R0)

done:
	// Each lane: (s - 4) + its error, s - 4 exact (s >= 4 is a multiple of its ULP, which 4 is
	// too), then the four lanes added.
	FMOVD	$4.0, F8
	VDUP	V8.D[0], V8.D2
	FSUB_D2(10, 10, 8)
	FSUB_D2(11, 11, 8)
	FADD_D2(10, 10, 12)
	FADD_D2(11, 11, 13)
	FADD_D2(10, 10, 11)
	FADDP_D2(10, 10, 10)
	FMOVD	F10, ret+56(FP)
	RET
