//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "act_arm64.h"

// Log for float32 with NEON, in float64: each x is widened (a float32 subnormal becomes a normal
// float64), LOG64 (act_arm64.h) gives ln x within about 2^-34, and the result is rounded once to
// float32. LOG64 needs a positive, finite input: the lanes where x is not in (0, +Inf) take, in
// float32, -Inf where x is ±0 and sqrt(x) elsewhere, which is +Inf for +Inf and NaN for a
// negative x or NaN. The exact loop and contract are in the doc comment of log_arm64.go.

// func LogF32NEON(dst, src []float32)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the constant table, while loading it
//   V0  four x
//   V1-V6, V7-V12  the low and the high float64 half: x; ln x; four scratch
//   V13-V19  constants (act_arm64.h)
//   V24  ln x in float32; V25  the mask of 0 < x < +Inf; V26  the special results, then the
//       results; V27  scratch
//   V28, V29  +Inf and -Inf in four float32 lanes
//   V31  1.0 in two float64 lanes
TEXT ·LogF32NEON(SB), NOSPLIT, $0-48
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	LOG64_LOADCONST
	FMOVD	$1.0, F31
	VDUP	V31.D[0], V31.D2
	MOVW	$0x7f800000, R4
	VDUP	R4, V28.S4
	MOVW	$0xff800000, R4
	VDUP	R4, V29.S4

one:
	CMP	$4, R2
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	FCVTL_D2(1, 0)
	FCVTL2_D2(7, 0)
	LOG64(1, 2, 3, 4, 5, 6)
	LOG64(7, 8, 9, 10, 11, 12)
	FCVTN_S2(24, 2)
	FCVTN2_S4(24, 8)
	FCMGTZ_S4(25, 0)
	FCMGT_S4(27, 28, 0)
	AND_B16(25, 25, 27)
	FSQRT_S4(26, 0)
	FCMEQZ_S4(27, 0)
	BIT_B16(26, 29, 27)
	BIT_B16(26, 24, 25)
	VST1.P	[V26.S4], 16(R0)
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
	FCVTL_D2(1, 0)
	FCVTL2_D2(7, 0)
	LOG64(1, 2, 3, 4, 5, 6)
	LOG64(7, 8, 9, 10, 11, 12)
	FCVTN_S2(24, 2)
	FCVTN2_S4(24, 8)
	FCMGTZ_S4(25, 0)
	FCMGT_S4(27, 28, 0)
	AND_B16(25, 25, 27)
	FSQRT_S4(26, 0)
	FCMEQZ_S4(27, 0)
	BIT_B16(26, 29, 27)
	BIT_B16(26, 24, 25)
	VST1.P	V26.S[0], 4(R0)
	CMP	$2, R2
	BLT	done
	VST1.P	V26.S[1], 4(R0)
	CMP	$3, R2
	BLT	done
	VST1.P	V26.S[2], 4(R0)

done:
	RET
