//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp_f32_arm64.h"
#include "act_arm64.h"
#include "act_f64_arm64.h"
#include "log_f64_arm64.h"

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

// LogSoftmax for float64 with NEON, with the method of the amd64 kernels
// (asm/_gen/streaming/logsoftmax64.go), row by row in three passes:
//  1. m = the row's maximum (FMAX keeps a NaN; the lane past the end of the row holds -Inf).
//  2. d = x - m rounded, as the reference rounds it, clamped to -1100 (NaN kept), and S = the
//     sum of e^d over the whole row, each term from the steps of act_f64_arm64.h (within about
//     0.52 ULP), scaled by 2^n as two normal factors (ACT64_HALVES) with one rounding, down
//     through the subnormals to 0. The terms equal to 1 (those of the maximal elements) are
//     counted, the others summed exactly but for the rounding of the terms: each addition's
//     rounding error, from TwoSum, goes into a second sum (whose own roundings are below 2^-100
//     of S); the two lanes are then added with TwoSum likewise, and S = hi + lo from a last
//     TwoSum with the count. A NaN or +Inf in the row, or a row of -Inf only, makes some d a
//     NaN, and S a NaN. The lane past the end of a row of odd length holds -Inf: its term is 0
//     (or NaN where m is -Inf or NaN, whose row is NaN either way).
//  3. lse = ln S = ln hi + lo/hi, by the ln core of log_f64_arm64.h (fdlibm's method, within
//     1 ULP; hi >= 1, a normal number, so k and f come from its bits as they are) with lo/hi as
//     its low term: where one entry dominates, hi = 1 and lse = lo, the sum of the small terms
//     itself, so the maximal element gets -lo rather than -0; NaN where S is a NaN (hi - hi is
//     added to lo/hi). Each element becomes (x - m) - lse.
// d - lse does not cancel (d <= 0 <= lse) and lse is within about 1.5 ULP, so each element is
// within about 2 ULP of the exact log-softmax of the rounded d. The exact loop and contract in
// the doc comment of logsoftmax_arm64.go.

// ls64c<> holds -Inf and the bits of √2/2 (the lower end of 1 + f in the ln core), each in both
// float64 lanes.
DATA ls64c<>+0(SB)/8, $0xfff0000000000000
DATA ls64c<>+8(SB)/8, $0xfff0000000000000
DATA ls64c<>+16(SB)/8, $0x3fe6a09e667f3bcd
DATA ls64c<>+24(SB)/8, $0x3fe6a09e667f3bcd
GLOBL ls64c<>(SB), RODATA|NOPTR, $32

// LS64_TERM(A, N, P, Q, H) adds the terms e^d, d = x - m, of the two float64 lanes x of VA to the
// sums: 1.0 to the count V12 where the term is 1, the others to V10 by TwoSum, the rounding error
// into V11. 50 instructions. Reads VA, V10-V13, V23-V31; writes VA, VN, VP, VQ, VH and V10-V12
// only.
#define LS64_TERM(A, N, P, Q, H) \
	FSUB_D2(A, A, 13);   \
	FMAX_D2(A, A, 23);   \
	ACT64_RED(A, N);     \
	ACT64_POLY(A, P, Q); \
	FADD_D2(A, A, 31);   \
	ACT64_HALVES(N, H);  \
	FMUL_D2(A, A, H);    \
	FMUL_D2(A, A, N);    \
	FCMEQ_D2(H, A, 31);  \
	BIC_B16(A, A, H);    \
	AND_B16(H, H, 31);   \
	FADD_D2(12, 12, H);  \
	FADD_D2(P, 10, A);   \
	FSUB_D2(Q, P, 10);   \
	FSUB_D2(H, P, Q);    \
	FSUB_D2(H, 10, H);   \
	FSUB_D2(Q, A, Q);    \
	FADD_D2(Q, H, Q);    \
	FADD_D2(11, 11, Q);  \
	MOV_B16(10, P)

// func LogSoftmaxF64NEON(dst, src []float64, cols int)
//
// Registers:
//   R0, R1  the current row of dst and of src
//   R2  elements of src left
//   R3  the constant tables, while loading them
//   R5  cols; R6  elements of the row left in a pass; R7, R8  the next src and dst element of
//       a pass; R9  8*cols, the bytes of a row
//   V0, V1  pass 1: two vectors of x; V2, V3  the maxima of each lane
//   V0-V9  pass 2: two vectors, LS64_TERM's A, N, P, Q, H: V0, V2, V3, V4, V5 and V1, V6, V7,
//       V8, V9; then the sums of the two lanes and the ln core (V0-V6)
//   V0, V1  pass 3: two vectors of x, then of results
//   V10  the sums of the terms other than 1; V11  the sums of their rounding errors, then lo/hi
//   V12  the counts of the terms equal to 1; V13  m in both lanes
//   V14  -Inf; V15  the bits of √2/2
//   V16-V21  constants (log_f64_arm64.h); V22  lse in both lanes
//   V23-V31  constants (act_f64_arm64.h; V23: -1100, the clamp of d)
TEXT ·LogSoftmaxF64NEON(SB), NOSPLIT, $0-56
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	MOVD	cols+48(FP), R5
	CMP	$0, R5
	BLE	done64
	LSL	$3, R5, R9
	ACT64_LOADCONST
	LN64_LOADCONST
	MOVD	$ls64c<>(SB), R3
	VLD1	(R3), [V14.D2, V15.D2]

row64:
	CMP	R5, R2
	BLT	done64

	// Pass 1: the maximum.
	MOVD	R1, R7
	MOVD	R5, R6
	VMOV	V14.B16, V2.B16
	VMOV	V14.B16, V3.B16

max64:
	CMP	$4, R6
	BLT	max64two
	VLD1.P	32(R7), [V0.D2, V1.D2]
	FMAX_D2(2, 2, 0)
	FMAX_D2(3, 3, 1)
	SUB	$4, R6
	B	max64

max64two:
	CMP	$2, R6
	BLT	max64one
	VLD1.P	16(R7), [V0.D2]
	FMAX_D2(2, 2, 0)
	SUB	$2, R6

max64one:
	CBZ	R6, max64done
	VMOV	V14.B16, V0.B16
	VLD1	(R7), V0.D[0]
	FMAX_D2(3, 3, 0)

max64done:
	FMAX_D2(2, 2, 3)
	FMAXP_D2(13, 2, 2)

	// Pass 2: the terms equal to 1 counted, the others summed with TwoSum.
	VEOR	V10.B16, V10.B16, V10.B16
	VEOR	V11.B16, V11.B16, V11.B16
	VEOR	V12.B16, V12.B16, V12.B16
	MOVD	R1, R7
	MOVD	R5, R6

sum64:
	CMP	$4, R6
	BLT	sum64two
	VLD1.P	32(R7), [V0.D2, V1.D2]
	LS64_TERM(0, 2, 3, 4, 5)
	LS64_TERM(1, 6, 7, 8, 9)
	SUB	$4, R6
	B	sum64

sum64two:
	CMP	$2, R6
	BLT	sum64one
	VLD1.P	16(R7), [V0.D2]
	LS64_TERM(0, 2, 3, 4, 5)
	SUB	$2, R6

sum64one:
	CBZ	R6, sum64done
	VMOV	V14.B16, V0.B16
	VLD1	(R7), V0.D[0]
	LS64_TERM(0, 2, 3, 4, 5)

sum64done:
	// S = count + the sums = hi + lo (lane 0): the lanes of the sums by TwoSum, then the count.
	DUPE_D2(4, 10, 1)
	DUPE_D2(5, 11, 1)
	DUPE_D2(6, 12, 1)
	FADD_D2(12, 12, 6)
	FADD_D2(11, 11, 5)
	FADD_D2(2, 10, 4)
	FSUB_D2(3, 2, 10)
	FSUB_D2(6, 2, 3)
	FSUB_D2(6, 10, 6)
	FSUB_D2(3, 4, 3)
	FADD_D2(3, 6, 3)
	FADD_D2(11, 11, 3)
	FADD_D2(0, 12, 2)
	FSUB_D2(3, 0, 12)
	FSUB_D2(6, 0, 3)
	FSUB_D2(6, 12, 6)
	FSUB_D2(3, 2, 3)
	FADD_D2(3, 6, 3)
	FADD_D2(11, 11, 3)
	FDIV_D2(11, 11, 0)
	FSUB_D2(6, 0, 0)
	FADD_D2(11, 11, 6)
	DUPE_D2(0, 0, 0)
	DUPE_D2(11, 11, 0)

	// lse = ln hi + lo/hi: k and f from the bits of hi (normal, at least 1), then the ln core.
	SUB_D2(1, 0, 15)
	SSHR_D2(1, 1, 52)
	SHL_D2(2, 1, 52)
	SUB_D2(2, 0, 2)
	FSUB_D2(2, 2, 31)
	SCVTF_D2(1, 1)
	LN64_QUOT(2, 3)
	LN64_POLY(3, 4, 5, 6)
	FMLAE_D2(11, 1, 20, 1)
	LN64_COMBINE(1, 2, 3, 5, 11, 22)

	// Pass 3: (x - m) - lse.
	MOVD	R1, R7
	MOVD	R0, R8
	MOVD	R5, R6

out64:
	CMP	$4, R6
	BLT	out64two
	VLD1.P	32(R7), [V0.D2, V1.D2]
	FSUB_D2(0, 0, 13)
	FSUB_D2(1, 1, 13)
	FSUB_D2(0, 0, 22)
	FSUB_D2(1, 1, 22)
	VST1.P	[V0.D2, V1.D2], 32(R8)
	SUB	$4, R6
	B	out64

out64two:
	CMP	$2, R6
	BLT	out64one
	VLD1.P	16(R7), [V0.D2]
	FSUB_D2(0, 0, 13)
	FSUB_D2(0, 0, 22)
	VST1.P	[V0.D2], 16(R8)
	SUB	$2, R6

out64one:
	CBZ	R6, next64
	VLD1	(R7), V0.D[0]
	FSUB_D2(0, 0, 13)
	FSUB_D2(0, 0, 22)
	VST1	V0.D[0], (R8)

next64:
	ADD	R9, R1, R1
	ADD	R9, R0, R0
	SUB	R5, R2, R2
	B	row64

done64:
	RET
