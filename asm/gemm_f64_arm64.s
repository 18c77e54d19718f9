//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// GEMM micro-kernel for float64 with NEON: a 6 x 8 tile of C, 4 vector registers per row,
// 24 accumulators. The loop it computes, the packed layout and the contract are in the doc
// comment of gemm_f64_arm64.go. Each A element is loaded broadcast to every lane
// (LD1R), so the kernel reads A with any row and step strides, as the driver packs it.

// func GemmF64NEON(a []float64, rs, cs int, b, c []float64, k, ldc int, add bool)
//
// Registers:
//   R4-R9  element (i, l) of the A micro-panel, rows i = 0..5, at the current step l; each
//          moves on by cs after its element is loaded
//   R12  the A step stride cs in bytes; R13  the A row stride rs in bytes
//   R1  the packed B micro-panel at the current step (8 elements, 64 bytes, per step)
//   R2  steps (of k) left
//   R0  the C row being read or stored; R14  ldc in bytes; R15  add
//   V0-V23  the sums: row i of the tile in V(4*i) .. V(4*i+3), 2 columns each
//   V24-V27  the B step
//   V28-V31  A elements, each broadcast to every lane (rotating over the rows)
TEXT ·GemmF64NEON(SB), NOSPLIT, $0-105
	MOVD	a_base+0(FP), R4
	MOVD	rs+24(FP), R13
	MOVD	cs+32(FP), R12
	MOVD	b_base+40(FP), R1
	MOVD	c_base+64(FP), R0
	MOVD	k+88(FP), R2
	MOVD	ldc+96(FP), R14
	MOVBU	add+104(FP), R15
	LSL	$3, R13
	LSL	$3, R12
	LSL	$3, R14
	ADD	R13, R4, R5
	ADD	R13, R5, R6
	ADD	R13, R6, R7
	ADD	R13, R7, R8
	ADD	R13, R8, R9
	VEOR	V0.B16, V0.B16, V0.B16
	VEOR	V1.B16, V1.B16, V1.B16
	VEOR	V2.B16, V2.B16, V2.B16
	VEOR	V3.B16, V3.B16, V3.B16
	VEOR	V4.B16, V4.B16, V4.B16
	VEOR	V5.B16, V5.B16, V5.B16
	VEOR	V6.B16, V6.B16, V6.B16
	VEOR	V7.B16, V7.B16, V7.B16
	VEOR	V8.B16, V8.B16, V8.B16
	VEOR	V9.B16, V9.B16, V9.B16
	VEOR	V10.B16, V10.B16, V10.B16
	VEOR	V11.B16, V11.B16, V11.B16
	VEOR	V12.B16, V12.B16, V12.B16
	VEOR	V13.B16, V13.B16, V13.B16
	VEOR	V14.B16, V14.B16, V14.B16
	VEOR	V15.B16, V15.B16, V15.B16
	VEOR	V16.B16, V16.B16, V16.B16
	VEOR	V17.B16, V17.B16, V17.B16
	VEOR	V18.B16, V18.B16, V18.B16
	VEOR	V19.B16, V19.B16, V19.B16
	VEOR	V20.B16, V20.B16, V20.B16
	VEOR	V21.B16, V21.B16, V21.B16
	VEOR	V22.B16, V22.B16, V22.B16
	VEOR	V23.B16, V23.B16, V23.B16
	CBZ	R2, store

loop:
	// One step l: 24 fused multiply-adds, 6 broadcast loads of A and one load of B.
	VLD1.P	64(R1), [V24.D2, V25.D2, V26.D2, V27.D2]
	VLD1R.P	(R4)(R12), [V28.D2]
	VLD1R.P	(R5)(R12), [V29.D2]
	VLD1R.P	(R6)(R12), [V30.D2]
	VFMLA	V28.D2, V24.D2, V0.D2
	VFMLA	V28.D2, V25.D2, V1.D2
	VFMLA	V28.D2, V26.D2, V2.D2
	VFMLA	V28.D2, V27.D2, V3.D2
	VLD1R.P	(R7)(R12), [V31.D2]
	VFMLA	V29.D2, V24.D2, V4.D2
	VFMLA	V29.D2, V25.D2, V5.D2
	VFMLA	V29.D2, V26.D2, V6.D2
	VFMLA	V29.D2, V27.D2, V7.D2
	VLD1R.P	(R8)(R12), [V28.D2]
	VFMLA	V30.D2, V24.D2, V8.D2
	VFMLA	V30.D2, V25.D2, V9.D2
	VFMLA	V30.D2, V26.D2, V10.D2
	VFMLA	V30.D2, V27.D2, V11.D2
	VLD1R.P	(R9)(R12), [V29.D2]
	VFMLA	V31.D2, V24.D2, V12.D2
	VFMLA	V31.D2, V25.D2, V13.D2
	VFMLA	V31.D2, V26.D2, V14.D2
	VFMLA	V31.D2, V27.D2, V15.D2
	VFMLA	V28.D2, V24.D2, V16.D2
	VFMLA	V28.D2, V25.D2, V17.D2
	VFMLA	V28.D2, V26.D2, V18.D2
	VFMLA	V28.D2, V27.D2, V19.D2
	VFMLA	V29.D2, V24.D2, V20.D2
	VFMLA	V29.D2, V25.D2, V21.D2
	VFMLA	V29.D2, V26.D2, V22.D2
	VFMLA	V29.D2, V27.D2, V23.D2
	SUBS	$1, R2
	BNE	loop

store:
	CBZ	R15, overwrite

	// add: C row += sums, row by row.
	VLD1	(R0), [V24.D2, V25.D2, V26.D2, V27.D2]
	FADD_D2(0, 0, 24)
	FADD_D2(1, 1, 25)
	FADD_D2(2, 2, 26)
	FADD_D2(3, 3, 27)
	VST1	[V0.D2, V1.D2, V2.D2, V3.D2], (R0)
	ADD	R14, R0
	VLD1	(R0), [V24.D2, V25.D2, V26.D2, V27.D2]
	FADD_D2(4, 4, 24)
	FADD_D2(5, 5, 25)
	FADD_D2(6, 6, 26)
	FADD_D2(7, 7, 27)
	VST1	[V4.D2, V5.D2, V6.D2, V7.D2], (R0)
	ADD	R14, R0
	VLD1	(R0), [V24.D2, V25.D2, V26.D2, V27.D2]
	FADD_D2(8, 8, 24)
	FADD_D2(9, 9, 25)
	FADD_D2(10, 10, 26)
	FADD_D2(11, 11, 27)
	VST1	[V8.D2, V9.D2, V10.D2, V11.D2], (R0)
	ADD	R14, R0
	VLD1	(R0), [V24.D2, V25.D2, V26.D2, V27.D2]
	FADD_D2(12, 12, 24)
	FADD_D2(13, 13, 25)
	FADD_D2(14, 14, 26)
	FADD_D2(15, 15, 27)
	VST1	[V12.D2, V13.D2, V14.D2, V15.D2], (R0)
	ADD	R14, R0
	VLD1	(R0), [V24.D2, V25.D2, V26.D2, V27.D2]
	FADD_D2(16, 16, 24)
	FADD_D2(17, 17, 25)
	FADD_D2(18, 18, 26)
	FADD_D2(19, 19, 27)
	VST1	[V16.D2, V17.D2, V18.D2, V19.D2], (R0)
	ADD	R14, R0
	VLD1	(R0), [V24.D2, V25.D2, V26.D2, V27.D2]
	FADD_D2(20, 20, 24)
	FADD_D2(21, 21, 25)
	FADD_D2(22, 22, 26)
	FADD_D2(23, 23, 27)
	VST1	[V20.D2, V21.D2, V22.D2, V23.D2], (R0)
	RET

overwrite:
	VST1	[V0.D2, V1.D2, V2.D2, V3.D2], (R0)
	ADD	R14, R0
	VST1	[V4.D2, V5.D2, V6.D2, V7.D2], (R0)
	ADD	R14, R0
	VST1	[V8.D2, V9.D2, V10.D2, V11.D2], (R0)
	ADD	R14, R0
	VST1	[V12.D2, V13.D2, V14.D2, V15.D2], (R0)
	ADD	R14, R0
	VST1	[V16.D2, V17.D2, V18.D2, V19.D2], (R0)
	ADD	R14, R0
	VST1	[V20.D2, V21.D2, V22.D2, V23.D2], (R0)
	RET
