//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// GEMM micro-kernel for float32 with NEON: a 6 x 16 tile of C, 4 vector registers per row,
// 24 accumulators. The loop it computes, the packed layout and the contract are in the doc
// comment of gemm_f32_arm64.go. Each A element is loaded broadcast to every lane
// (LD1R), so the kernel reads A with any row and step strides, as the driver packs it.

// func GemmF32NEON(a []float32, rs, cs int, b, c []float32, k, ldc int, add bool)
//
// Registers:
//   R4-R9  element (i, l) of the A micro-panel, rows i = 0..5, at the current step l; each
//          moves on by cs after its element is loaded
//   R12  the A step stride cs in bytes; R13  the A row stride rs in bytes
//   R1  the packed B micro-panel at the current step (16 elements, 64 bytes, per step)
//   R2  steps (of k) left
//   R0  the C row being read or stored; R14  ldc in bytes; R15  add
//   V0-V23  the sums: row i of the tile in V(4*i) .. V(4*i+3), 4 columns each
//   V24-V27  the B step
//   V28-V31  A elements, each broadcast to every lane (rotating over the rows)
TEXT ·GemmF32NEON(SB), NOSPLIT, $0-105
	MOVD	a_base+0(FP), R4
	MOVD	rs+24(FP), R13
	MOVD	cs+32(FP), R12
	MOVD	b_base+40(FP), R1
	MOVD	c_base+64(FP), R0
	MOVD	k+88(FP), R2
	MOVD	ldc+96(FP), R14
	MOVBU	add+104(FP), R15
	LSL	$2, R13
	LSL	$2, R12
	LSL	$2, R14
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
	VLD1.P	64(R1), [V24.S4, V25.S4, V26.S4, V27.S4]
	VLD1R.P	(R4)(R12), [V28.S4]
	VLD1R.P	(R5)(R12), [V29.S4]
	VLD1R.P	(R6)(R12), [V30.S4]
	VFMLA	V28.S4, V24.S4, V0.S4
	VFMLA	V28.S4, V25.S4, V1.S4
	VFMLA	V28.S4, V26.S4, V2.S4
	VFMLA	V28.S4, V27.S4, V3.S4
	VLD1R.P	(R7)(R12), [V31.S4]
	VFMLA	V29.S4, V24.S4, V4.S4
	VFMLA	V29.S4, V25.S4, V5.S4
	VFMLA	V29.S4, V26.S4, V6.S4
	VFMLA	V29.S4, V27.S4, V7.S4
	VLD1R.P	(R8)(R12), [V28.S4]
	VFMLA	V30.S4, V24.S4, V8.S4
	VFMLA	V30.S4, V25.S4, V9.S4
	VFMLA	V30.S4, V26.S4, V10.S4
	VFMLA	V30.S4, V27.S4, V11.S4
	VLD1R.P	(R9)(R12), [V29.S4]
	VFMLA	V31.S4, V24.S4, V12.S4
	VFMLA	V31.S4, V25.S4, V13.S4
	VFMLA	V31.S4, V26.S4, V14.S4
	VFMLA	V31.S4, V27.S4, V15.S4
	VFMLA	V28.S4, V24.S4, V16.S4
	VFMLA	V28.S4, V25.S4, V17.S4
	VFMLA	V28.S4, V26.S4, V18.S4
	VFMLA	V28.S4, V27.S4, V19.S4
	VFMLA	V29.S4, V24.S4, V20.S4
	VFMLA	V29.S4, V25.S4, V21.S4
	VFMLA	V29.S4, V26.S4, V22.S4
	VFMLA	V29.S4, V27.S4, V23.S4
	SUBS	$1, R2
	BNE	loop

store:
	CBZ	R15, overwrite

	// add: C row += sums, row by row.
	VLD1	(R0), [V24.S4, V25.S4, V26.S4, V27.S4]
	FADD_S4(0, 0, 24)
	FADD_S4(1, 1, 25)
	FADD_S4(2, 2, 26)
	FADD_S4(3, 3, 27)
	VST1	[V0.S4, V1.S4, V2.S4, V3.S4], (R0)
	ADD	R14, R0
	VLD1	(R0), [V24.S4, V25.S4, V26.S4, V27.S4]
	FADD_S4(4, 4, 24)
	FADD_S4(5, 5, 25)
	FADD_S4(6, 6, 26)
	FADD_S4(7, 7, 27)
	VST1	[V4.S4, V5.S4, V6.S4, V7.S4], (R0)
	ADD	R14, R0
	VLD1	(R0), [V24.S4, V25.S4, V26.S4, V27.S4]
	FADD_S4(8, 8, 24)
	FADD_S4(9, 9, 25)
	FADD_S4(10, 10, 26)
	FADD_S4(11, 11, 27)
	VST1	[V8.S4, V9.S4, V10.S4, V11.S4], (R0)
	ADD	R14, R0
	VLD1	(R0), [V24.S4, V25.S4, V26.S4, V27.S4]
	FADD_S4(12, 12, 24)
	FADD_S4(13, 13, 25)
	FADD_S4(14, 14, 26)
	FADD_S4(15, 15, 27)
	VST1	[V12.S4, V13.S4, V14.S4, V15.S4], (R0)
	ADD	R14, R0
	VLD1	(R0), [V24.S4, V25.S4, V26.S4, V27.S4]
	FADD_S4(16, 16, 24)
	FADD_S4(17, 17, 25)
	FADD_S4(18, 18, 26)
	FADD_S4(19, 19, 27)
	VST1	[V16.S4, V17.S4, V18.S4, V19.S4], (R0)
	ADD	R14, R0
	VLD1	(R0), [V24.S4, V25.S4, V26.S4, V27.S4]
	FADD_S4(20, 20, 24)
	FADD_S4(21, 21, 25)
	FADD_S4(22, 22, 26)
	FADD_S4(23, 23, 27)
	VST1	[V20.S4, V21.S4, V22.S4, V23.S4], (R0)
	RET

overwrite:
	VST1	[V0.S4, V1.S4, V2.S4, V3.S4], (R0)
	ADD	R14, R0
	VST1	[V4.S4, V5.S4, V6.S4, V7.S4], (R0)
	ADD	R14, R0
	VST1	[V8.S4, V9.S4, V10.S4, V11.S4], (R0)
	ADD	R14, R0
	VST1	[V12.S4, V13.S4, V14.S4, V15.S4], (R0)
	ADD	R14, R0
	VST1	[V16.S4, V17.S4, V18.S4, V19.S4], (R0)
	ADD	R14, R0
	VST1	[V20.S4, V21.S4, V22.S4, V23.S4], (R0)
	RET
