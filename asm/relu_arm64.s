//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// ReLU: dst[i] = max(src[i], 0), NaN and -0 passed through, for float32 and float64 with NEON.
// The exact loops and contracts are in the doc comments of relu_arm64.go. Each lane x becomes
// m ? 0 : x with m = (x < 0), all ones or zero: FCMLT against #0.0 is false for NaN and -0.

// func ReLUF32NEON(dst, src []float32)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   V31  zero
//   V0-V3  16 inputs; V4-V7  their masks, then the results
TEXT ·ReLUF32NEON(SB), NOSPLIT, $0-48
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	VEOR	V31.B16, V31.B16, V31.B16
	CMP	$16, R2
	BLT	one

loop4:
	VLD1.P	64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	FCMLTZ_S4(4, 0)
	FCMLTZ_S4(5, 1)
	FCMLTZ_S4(6, 2)
	FCMLTZ_S4(7, 3)
	VBSL	V0.B16, V31.B16, V4.B16
	VBSL	V1.B16, V31.B16, V5.B16
	VBSL	V2.B16, V31.B16, V6.B16
	VBSL	V3.B16, V31.B16, V7.B16
	VST1.P	[V4.S4, V5.S4, V6.S4, V7.S4], 64(R0)
	SUB	$16, R2
	CMP	$16, R2
	BGE	loop4

one:
	CMP	$4, R2
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	FCMLTZ_S4(4, 0)
	VBSL	V0.B16, V31.B16, V4.B16
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
	FCMLTZ_S4(4, 0)
	VBSL	V0.B16, V31.B16, V4.B16
	VST1.P	V4.S[0], 4(R0)
	CMP	$2, R2
	BLT	done
	VST1.P	V4.S[1], 4(R0)
	CMP	$3, R2
	BLT	done
	VST1.P	V4.S[2], 4(R0)

done:
	RET

// func ReLUF64NEON(dst, src []float64)
//
// Registers: as ReLUF32NEON, with two float64 lanes per register.
TEXT ·ReLUF64NEON(SB), NOSPLIT, $0-48
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	VEOR	V31.B16, V31.B16, V31.B16
	CMP	$8, R2
	BLT	one

loop4:
	VLD1.P	64(R1), [V0.D2, V1.D2, V2.D2, V3.D2]
	FCMLTZ_D2(4, 0)
	FCMLTZ_D2(5, 1)
	FCMLTZ_D2(6, 2)
	FCMLTZ_D2(7, 3)
	VBSL	V0.B16, V31.B16, V4.B16
	VBSL	V1.B16, V31.B16, V5.B16
	VBSL	V2.B16, V31.B16, V6.B16
	VBSL	V3.B16, V31.B16, V7.B16
	VST1.P	[V4.D2, V5.D2, V6.D2, V7.D2], 64(R0)
	SUB	$8, R2
	CMP	$8, R2
	BGE	loop4

one:
	CMP	$2, R2
	BLT	tail
	VLD1.P	16(R1), [V0.D2]
	FCMLTZ_D2(4, 0)
	VBSL	V0.B16, V31.B16, V4.B16
	VST1.P	[V4.D2], 16(R0)
	SUB	$2, R2
	B	one

tail:
	// 0 or 1 element left: one lane.
	CBZ	R2, done
	VLD1	(R1), V0.D[0]
	FCMLTZ_D2(4, 0)
	VBSL	V0.B16, V31.B16, V4.B16
	VST1	V4.D[0], (R0)

done:
	RET
