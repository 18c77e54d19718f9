//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// Step: dst[i] = 1 where src[i] > 0, else +0 (NaN and -0 included), for float32 and float64
// with NEON. The exact loops and contracts are in the doc comments of step_arm64.go. Each lane is
// (x > 0) AND 1.0: FCMGT against #0.0 gives all ones where x > 0 and zero for NaN, -0 and +0.

// func StepF32NEON(dst, src []float32)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the bits of 1.0
//   V31  1.0 in every lane
//   V0-V3  inputs; V4-V7  their masks, then the results
TEXT ·StepF32NEON(SB), NOSPLIT, $0-48
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	MOVW	$0x3f800000, R3
	VDUP	R3, V31.S4
	CMP	$16, R2
	BLT	one

loop:
	VLD1.P	64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	FCMGTZ_S4(4, 0)
	FCMGTZ_S4(5, 1)
	FCMGTZ_S4(6, 2)
	FCMGTZ_S4(7, 3)
	VAND	V31.B16, V4.B16, V4.B16
	VAND	V31.B16, V5.B16, V5.B16
	VAND	V31.B16, V6.B16, V6.B16
	VAND	V31.B16, V7.B16, V7.B16
	VST1.P	[V4.S4, V5.S4, V6.S4, V7.S4], 64(R0)
	SUB	$16, R2
	CMP	$16, R2
	BGE	loop

one:
	CMP	$4, R2
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	FCMGTZ_S4(4, 0)
	VAND	V31.B16, V4.B16, V4.B16
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
	VAND	V31.B16, V4.B16, V4.B16
	VST1.P	V4.S[0], 4(R0)
	CMP	$2, R2
	BLT	done
	VST1.P	V4.S[1], 4(R0)
	CMP	$3, R2
	BLT	done
	VST1.P	V4.S[2], 4(R0)

done:
	RET

// func StepF64NEON(dst, src []float64)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the bits of 1.0
//   V31  1.0 in every lane
//   V0-V3  inputs; V4-V7  their masks, then the results
TEXT ·StepF64NEON(SB), NOSPLIT, $0-48
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	MOVD	$0x3ff0000000000000, R3
	VDUP	R3, V31.D2
	CMP	$8, R2
	BLT	one

loop:
	VLD1.P	64(R1), [V0.D2, V1.D2, V2.D2, V3.D2]
	FCMGTZ_D2(4, 0)
	FCMGTZ_D2(5, 1)
	FCMGTZ_D2(6, 2)
	FCMGTZ_D2(7, 3)
	VAND	V31.B16, V4.B16, V4.B16
	VAND	V31.B16, V5.B16, V5.B16
	VAND	V31.B16, V6.B16, V6.B16
	VAND	V31.B16, V7.B16, V7.B16
	VST1.P	[V4.D2, V5.D2, V6.D2, V7.D2], 64(R0)
	SUB	$8, R2
	CMP	$8, R2
	BGE	loop

one:
	CMP	$2, R2
	BLT	tail
	VLD1.P	16(R1), [V0.D2]
	FCMGTZ_D2(4, 0)
	VAND	V31.B16, V4.B16, V4.B16
	VST1.P	[V4.D2], 16(R0)
	SUB	$2, R2
	B	one

tail:
	// 0 or 1 element left: one lane.
	CBZ	R2, done
	VLD1	(R1), V0.D[0]
	FCMGTZ_D2(4, 0)
	VAND	V31.B16, V4.B16, V4.B16
	VST1	V4.D[0], (R0)

done:
	RET

