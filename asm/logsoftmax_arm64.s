//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp_f32_arm64.h"
#include "act_arm64.h"

// LogSoftmax for float32 with NEON, three passes over each row:
//  1. m = the row's maximum (FMAX keeps a NaN); if m - m is not 0 (m NaN or infinite) the row
//     becomes NaN.
//  2. d = float64(x) - m (exact for float32 x and m, but where their exponents are more than 29
//     apart: then within 2^-53), and in float64 two sums: t of e^d over the elements with
//     -700 < d < 0 (e^d from the float64 step of exp_f32_arm64.h, within 2^-32; where it would
//     be below e^-700 < 2^-1009 it is left out, -Inf entries included), and the number of
//     elements with d = 0. The 1 of the maximum itself is never added, so small terms are not
//     rounded away.
//  3. t += count - 1; ln(1 + t) = ln u + (b - (u - a)) with a = max(1, t), b = min(1, t),
//     u = a + b (the last term the rounding error of u, within a relative t of its share of
//     ln(1 + t)), ln u by LOG64 (act_arm64.h): for t = 0 (a row of one element) it is +0. Each
//     element becomes (float64(x) - m) - ln(1 + t), rounded once to float32.
// The exact loop and contract are in the doc comment of logsoftmax_arm64.go.

// lsmc<> holds -700 in both float64 lanes.
DATA lsmc<>+0(SB)/8, $0xc085e00000000000
DATA lsmc<>+8(SB)/8, $0xc085e00000000000
GLOBL lsmc<>(SB), RODATA|NOPTR, $16

// LSMSUMHALF adds to VS the e^d of the two float64 lanes d = VX - m where -700 < d < 0, and to
// V12 1.0 for each lane where d = 0. The other lanes' e^d (of d at most -700, -Inf or NaN: any
// value, no exception is taken) are masked off. VM, VN, VP, VQ are scratch. Reads VX, VS, V12,
// V20 (-700), V22 (m), V23-V31; writes VS, V12, VX, VM, VN, VP and VQ only.
#define LSMSUMHALF(X, M, N, P, Q, S) \
	FSUB_D2(X, X, 22);   \
	FCMLTZ_D2(M, X);     \
	FCMGT_D2(N, X, 20);  \
	AND_B16(M, M, N);    \
	FCMEQZ_D2(P, X);     \
	AND_B16(P, P, 31);   \
	FADD_D2(12, 12, P);  \
	EXP32_CORE64(X, N, P, Q); \
	AND_B16(N, N, M);    \
	FADD_D2(S, S, N)

// LSMOUT sets V0 = the four float32 results of the four x in V0. Reads V0, V10 (ln(1 + t)) and
// V22 (m); writes V0, V1 and V2 only.
#define LSMOUT \
	FCVTL_D2(1, 0);     \
	FCVTL2_D2(2, 0);    \
	FSUB_D2(1, 1, 22);  \
	FSUB_D2(2, 2, 22);  \
	FSUB_D2(1, 1, 10);  \
	FSUB_D2(2, 2, 10);  \
	FCVTN_S2(0, 1);     \
	FCVTN2_S4(0, 2)

// func LogSoftmaxF32NEON(dst, src []float32, cols int)
//
// Registers:
//   R0, R1  the current row of dst and of src
//   R2  elements of src left
//   R3  the constant tables, while loading them; R4  bit patterns
//   R5  cols; R6  elements of the row left in a pass; R7, R8  the next src and dst element of
//       a pass; R9  4*cols, the bytes of a row
//   V0  four x, then four results
//   V1-V5, V6-V9, V13  pass 2: the low and the high float64 half: d, then w; the mask of
//       -700 < d < 0; e^d; two scratch. Pass 3: the halves. ln(1 + t): scratch.
//   V10, V11  pass 2: the sums of e^d (two lanes each); then t and ln(1 + t)
//   V12  the count of d = 0 (two lanes)
//   V13-V19  the constants of LOG64 (act_arm64.h), loaded for each row after pass 2
//   V16  pass 1: the maximum of each lane
//   V20  -700; V22  m in two float64 lanes
//   V23-V31  constants (exp_f32_arm64.h)
TEXT ·LogSoftmaxF32NEON(SB), NOSPLIT, $0-56
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	MOVD	cols+48(FP), R5
	CMP	$0, R5
	BLE	done
	LSL	$2, R5, R9
	EXP32_LOADCONST
	MOVD	$lsmc<>(SB), R3
	VLD1	(R3), [V20.D2]

row:
	CMP	R5, R2
	BLT	done

	// Pass 1: the maximum. The lanes past the end of the row hold -Inf.
	MOVD	R1, R7
	MOVD	R5, R6
	MOVW	$0xff800000, R4
	VDUP	R4, V16.S4

max4:
	CMP	$4, R6
	BLT	maxtail
	VLD1.P	16(R7), [V0.S4]
	FMAX_S4(16, 16, 0)
	SUB	$4, R6
	B	max4

maxtail:
	CBZ	R6, maxdone
	VDUP	R4, V0.S4
	VLD1.P	4(R7), V0.S[0]
	CMP	$2, R6
	BLT	maxop
	VLD1.P	4(R7), V0.S[1]
	CMP	$3, R6
	BLT	maxop
	VLD1.P	4(R7), V0.S[2]

maxop:
	FMAX_S4(16, 16, 0)

maxdone:
	FMAXP_S4(16, 16, 16)
	FMAXP_S4(16, 16, 16)
	FCVTL_D2(22, 16)
	FSUB_D2(0, 22, 22)
	FMOVD	F0, R4
	CBNZ	R4, nanrow

	// Pass 2: the sums. The lanes past the end of the row hold NaN, which adds to neither.
	VEOR	V10.B16, V10.B16, V10.B16
	VEOR	V11.B16, V11.B16, V11.B16
	VEOR	V12.B16, V12.B16, V12.B16
	MOVD	R1, R7
	MOVD	R5, R6

sum4:
	CMP	$4, R6
	BLT	sumtail
	VLD1.P	16(R7), [V0.S4]
	FCVTL_D2(1, 0)
	FCVTL2_D2(6, 0)
	LSMSUMHALF(1, 2, 3, 4, 5, 10)
	LSMSUMHALF(6, 7, 8, 9, 13, 11)
	SUB	$4, R6
	B	sum4

sumtail:
	CBZ	R6, sumdone
	MOVW	$0x7fc00000, R4
	VDUP	R4, V0.S4
	VLD1.P	4(R7), V0.S[0]
	CMP	$2, R6
	BLT	sumop
	VLD1.P	4(R7), V0.S[1]
	CMP	$3, R6
	BLT	sumop
	VLD1.P	4(R7), V0.S[2]

sumop:
	FCVTL_D2(1, 0)
	FCVTL2_D2(6, 0)
	LSMSUMHALF(1, 2, 3, 4, 5, 10)
	LSMSUMHALF(6, 7, 8, 9, 13, 11)

sumdone:
	// t = the sum + (count - 1), in both lanes; then ln(1 + t) into V10.
	FADD_D2(10, 10, 11)
	FADDP_D2(10, 10, 10)
	FADDP_D2(12, 12, 12)
	FSUB_D2(12, 12, 31)
	FADD_D2(10, 10, 12)
	LOG64_LOADCONST
	FMAX_D2(1, 10, 31)
	FMIN_D2(2, 10, 31)
	FADD_D2(3, 1, 2)
	FSUB_D2(4, 3, 1)
	FSUB_D2(4, 2, 4)
	LOG64(3, 3, 5, 6, 7, 8)
	FADD_D2(10, 3, 4)

	// Pass 3: (x - m) - ln(1 + t).
	MOVD	R1, R7
	MOVD	R0, R8
	MOVD	R5, R6

out4:
	CMP	$4, R6
	BLT	outtail
	VLD1.P	16(R7), [V0.S4]
	LSMOUT
	VST1.P	[V0.S4], 16(R8)
	SUB	$4, R6
	B	out4

outtail:
	CBZ	R6, next
	VLD1.P	4(R7), V0.S[0]
	CMP	$2, R6
	BLT	outop
	VLD1.P	4(R7), V0.S[1]
	CMP	$3, R6
	BLT	outop
	VLD1.P	4(R7), V0.S[2]

outop:
	LSMOUT
	VST1.P	V0.S[0], 4(R8)
	CMP	$2, R6
	BLT	next
	VST1.P	V0.S[1], 4(R8)
	CMP	$3, R6
	BLT	next
	VST1.P	V0.S[2], 4(R8)

next:
	ADD	R9, R1, R1
	ADD	R9, R0, R0
	SUB	R5, R2, R2
	B	row

nanrow:
	// A row of NaN.
	MOVD	R0, R8
	MOVD	R5, R6
	MOVW	$0x7fc00000, R4
	VDUP	R4, V0.S4

nan4:
	CMP	$4, R6
	BLT	nan1
	VST1.P	[V0.S4], 16(R8)
	SUB	$4, R6
	B	nan4

nan1:
	CBZ	R6, next
	VST1.P	V0.S[0], 4(R8)
	SUB	$1, R6
	B	nan1

done:
	RET
