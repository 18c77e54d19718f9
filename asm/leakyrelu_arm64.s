//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// LeakyReLU: dst[i] = x > 0 ? x : alpha*x, for float32 and float64 with NEON. The exact loops
// and contracts are in the doc comments of leakyrelu_arm64.go. Each lane becomes m ? x : alpha*x
// with m = (x > 0), all ones or zero: FCMGT against #0.0 is false for NaN and -0, whose product
// with alpha is then taken, as in the Go loop.

// func LeakyReLUF32NEON(alpha float32, dst, src []float32)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   V31  alpha in every lane
//   V0-V3  16 inputs; V4-V7  their masks, then the results; V8-V11  the products
TEXT ·LeakyReLUF32NEON(SB), NOSPLIT, $0-56
	FMOVS	alpha+0(FP), F31
	VDUP	V31.S[0], V31.S4
	MOVD	dst_base+8(FP), R0
	MOVD	src_base+32(FP), R1
	MOVD	src_len+40(FP), R2
	CMP	$16, R2
	BLT	one

loop4:
	VLD1.P	64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	FCMGTZ_S4(4, 0)
	FCMGTZ_S4(5, 1)
	FCMGTZ_S4(6, 2)
	FCMGTZ_S4(7, 3)
	FMUL_S4(8, 0, 31)
	FMUL_S4(9, 1, 31)
	FMUL_S4(10, 2, 31)
	FMUL_S4(11, 3, 31)
	VBSL	V8.B16, V0.B16, V4.B16
	VBSL	V9.B16, V1.B16, V5.B16
	VBSL	V10.B16, V2.B16, V6.B16
	VBSL	V11.B16, V3.B16, V7.B16
	VST1.P	[V4.S4, V5.S4, V6.S4, V7.S4], 64(R0)
	SUB	$16, R2
	CMP	$16, R2
	BGE	loop4

one:
	CMP	$4, R2
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	FCMGTZ_S4(4, 0)
	FMUL_S4(8, 0, 31)
	VBSL	V8.B16, V0.B16, V4.B16
	VST1.P	[V4.S4], 16(R0)
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
	FCMGTZ_S4(4, 0)
	FMUL_S4(8, 0, 31)
	VBSL	V8.B16, V0.B16, V4.B16
	VST1.P	V4.S[0], 4(R0)
	CMP	$2, R2
	BLT	done
	VST1.P	V4.S[1], 4(R0)
	CMP	$3, R2
	BLT	done
	VST1.P	V4.S[2], 4(R0)

done:
	RET

// func LeakyReLUF64NEON(alpha float64, dst, src []float64)
//
// Registers: as LeakyReLUF32NEON, with two float64 lanes per register.
TEXT ·LeakyReLUF64NEON(SB), NOSPLIT, $0-56
	FMOVD	alpha+0(FP), F31
	VDUP	V31.D[0], V31.D2
	MOVD	dst_base+8(FP), R0
	MOVD	src_base+32(FP), R1
	MOVD	src_len+40(FP), R2
	CMP	$8, R2
	BLT	one

loop4:
	VLD1.P	64(R1), [V0.D2, V1.D2, V2.D2, V3.D2]
	FCMGTZ_D2(4, 0)
	FCMGTZ_D2(5, 1)
	FCMGTZ_D2(6, 2)
	FCMGTZ_D2(7, 3)
	FMUL_D2(8, 0, 31)
	FMUL_D2(9, 1, 31)
	FMUL_D2(10, 2, 31)
	FMUL_D2(11, 3, 31)
	VBSL	V8.B16, V0.B16, V4.B16
	VBSL	V9.B16, V1.B16, V5.B16
	VBSL	V10.B16, V2.B16, V6.B16
	VBSL	V11.B16, V3.B16, V7.B16
	VST1.P	[V4.D2, V5.D2, V6.D2, V7.D2], 64(R0)
	SUB	$8, R2
	CMP	$8, R2
	BGE	loop4

one:
	CMP	$2, R2
	BLT	tail
	VLD1.P	16(R1), [V0.D2]
	FCMGTZ_D2(4, 0)
	FMUL_D2(8, 0, 31)
	VBSL	V8.B16, V0.B16, V4.B16
	VST1.P	[V4.D2], 16(R0)
	SUB	$2, R2
	B	one

tail:
	// 0 or 1 element left: one lane.
	CBZ	R2, done
	VLD1	(R1), V0.D[0]
	FCMGTZ_D2(4, 0)
	FMUL_D2(8, 0, 31)
	VBSL	V8.B16, V0.B16, V4.B16
	VST1	V4.D[0], (R0)

done:
	RET
