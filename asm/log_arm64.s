//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "act_arm64.h"
#include "log_f64_arm64.h"

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


// Log for float64 with NEON: the ln core of log_f64_arm64.h (fdlibm's method, that of math.Log
// and of the amd64 kernels), within 1 ULP. k and f come from the bits of x: with t = bits(x) -
// bits(√2/2), k = t >> 52 (arithmetic) and 1 + f = x·2^-k, as bits x less k<<52, in
// [√2/2, √2), so f = (1 + f) - 1 exactly. A subnormal x is scaled by 2^54 first (exactly) and k
// less 54, so subnormal inputs are taken exactly. The core needs a positive, finite x: the lanes
// where x is not in (0, +Inf) take -Inf where x is ±0 and sqrt(x) elsewhere, which is +Inf for
// +Inf and NaN for a negative x (-Inf included) or NaN (x·2^54 keeps every one of those what it
// was). The exact loop and contract in the doc comment of log_arm64.go.

// logf64<> holds, each in both float64 lanes: 2^-1022 (the smallest normal float64), 54.0, the
// bits of √2/2 (the lower end of 1 + f), 2^54, +Inf and -Inf.
DATA logf64<>+0(SB)/8, $0x0010000000000000
DATA logf64<>+8(SB)/8, $0x0010000000000000
DATA logf64<>+16(SB)/8, $0x404b000000000000
DATA logf64<>+24(SB)/8, $0x404b000000000000
DATA logf64<>+32(SB)/8, $0x3fe6a09e667f3bcd
DATA logf64<>+40(SB)/8, $0x3fe6a09e667f3bcd
DATA logf64<>+48(SB)/8, $0x4350000000000000
DATA logf64<>+56(SB)/8, $0x4350000000000000
DATA logf64<>+64(SB)/8, $0x7ff0000000000000
DATA logf64<>+72(SB)/8, $0x7ff0000000000000
DATA logf64<>+80(SB)/8, $0xfff0000000000000
DATA logf64<>+88(SB)/8, $0xfff0000000000000
GLOBL logf64<>(SB), RODATA|NOPTR, $96

// LOGF64(X, K, F, S, Z, P, Q) sets VF = ln x for the two float64 lanes x of VX (scaled by 2^54
// in place where subnormal); the others are scratch. 42 instructions, one division, one square
// root. Registers are numbers. Reads VX, V16-V27, V31; writes VX, VF and the scratch registers
// only.
#define LOGF64(X, K, F, S, Z, P, Q) \
	FCMGT_D2(S, 22, X);        \
	FMUL_D2(F, X, 25);         \
	BIT_B16(X, F, S);          \
	AND_B16(S, S, 23);         \
	SUB_D2(K, X, 24);          \
	SSHR_D2(K, K, 52);         \
	SHL_D2(F, K, 52);          \
	SUB_D2(F, X, F);           \
	FSUB_D2(F, F, 31);         \
	SCVTF_D2(K, K);            \
	FSUB_D2(K, K, S);          \
	LN64_QUOT(F, S);           \
	LN64_POLY(S, Z, P, Q);     \
	FMULE_D2(Q, K, 20, 1);     \
	LN64_COMBINE(K, F, S, P, Q, Z); \
	FCMGTZ_D2(K, X);           \
	FCMGT_D2(F, 26, X);        \
	AND_B16(K, K, F);          \
	FSQRT_D2(F, X);            \
	FCMEQZ_D2(S, X);           \
	BIT_B16(F, 27, S);         \
	BIT_B16(F, Z, K)

// func LogF64NEON(dst, src []float64)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src element
//   R2  elements left
//   R3  the constant tables, while loading them
//   V0, V1  x of the two vectors of an iteration (scaled where subnormal); V14, V15  their
//       results (LOGF64's F: x·2^54, then 1 + f, f, the special results and ln x)
//   V2-V6, V8-V12  the rest of LOGF64's registers of each vector (K, S, Z, P, Q): k, then the
//       lanes where 0 < x < +Inf; the lanes where x < 2^-1022, then 54 or 0, s, the lanes where x
//       is ±0; z, then ln x of the core; the polynomial, then hfsq + R; scratch, then k·ln2lo
//   V16-V21  constants (log_f64_arm64.h)
//   V22  2^-1022; V23  54.0; V24  the bits of √2/2; V25  2^54; V26  +Inf; V27  -Inf
//   V31  1.0
TEXT ·LogF64NEON(SB), NOSPLIT, $0-48
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	LN64_LOADCONST
	MOVD	$logf64<>(SB), R3
	VLD1.P	64(R3), [V22.D2, V23.D2, V24.D2, V25.D2]
	VLD1	(R3), [V26.D2, V27.D2]
	FMOVD	$1.0, F31
	VDUP	V31.D[0], V31.D2

loop:
	CMP	$4, R2
	BLT	two
	VLD1.P	32(R1), [V0.D2, V1.D2]
	LOGF64(0, 2, 14, 3, 4, 5, 6)
	LOGF64(1, 8, 15, 9, 10, 11, 12)
	VST1.P	[V14.D2, V15.D2], 32(R0)
	SUB	$4, R2
	B	loop

two:
	CMP	$2, R2
	BLT	tail
	VLD1.P	16(R1), [V0.D2]
	LOGF64(0, 2, 14, 3, 4, 5, 6)
	VST1.P	[V14.D2], 16(R0)
	SUB	$2, R2

tail:
	// 0 or 1 element left: one lane.
	CBZ	R2, done
	VLD1	(R1), V0.D[0]
	LOGF64(0, 2, 14, 3, 4, 5, 6)
	VST1	V14.D[0], (R0)

done:
	RET
