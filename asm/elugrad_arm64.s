//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp_f32_arm64.h"
#include "grad_arm64.h"
#include "act_f64_arm64.h"

// ELUGrad for float32 with NEON, in float64: dx = dy where x > 0 or x is NaN, and
// dy·alpha·e^x where x <= 0, as the doc comment of elugrad_arm64.go has it. Four elements at a
// time, each half widened to two float64 lanes, where
//
//	e = e^max(x, -300)         EXP32_CORE64 (exp_f32_arm64.h), within 2^-32 relative; x is also
//	                           clamped to 0 from above (the lanes of x > 0 take dy at the end)
//	e = 0 where x < -1500      -Inf included, as the float64 formula has it
//	dx = (dy·alpha)·e          dy·alpha exact in float64, one rounding, then one to float32
//
// Below x = -300, e^x·|dy·alpha| < 2^-176 for every float32 dy and alpha, so holding e at e^-300
// still rounds every finite product to ±0 with the sign of the formula's, and an infinite dy (or
// alpha) gives ±Inf down to -1500 and NaN below, as the formula does. e^±0 is exactly 1, so
// x = ±0 gives alpha·dy rounded once, as in float32. The float32 select at the end keeps dy
// exactly where !(x <= 0) (FCMLE against #0.0 is false for NaN). The constant registers V20-V31
// are those of exp_f32_arm64.h (V20-V22, its clamps, are not used).

// ELUGHALF(X, D, N, P, Q, M) sets VD = (dy·alpha)·e^x for the two float64 lanes x of VX and dy of
// VD, x clamped as above; VN, VP, VQ and VM are scratch. Reads VX, VD, V16-V19, V23-V31; writes
// VD, VX, VN, VP, VQ and VM only.
#define ELUGHALF(X, D, N, P, Q, M) \
	FCMGT_D2(M, 19, X);       \
	FMAX_D2(X, X, 18);        \
	FMIN_D2(X, X, 17);        \
	EXP32_CORE64(X, N, P, Q); \
	BIC_B16(N, N, M);         \
	FMUL_D2(D, D, 16);        \
	FMUL_D2(D, D, N)

// func ELUGradF32NEON(alpha float32, dx, dy, x []float32)
//
// Registers:
//   R0  address of the next dx element
//   R1  address of the next dy element
//   R2  address of the next x element
//   R3  elements left (R3 is also the constant table's address, while loading it)
//   R4-R6  the tail's offsets and addresses (grad_arm64.h); R4 also while setting constants
//   V0  four dy, then the results; V1  four x
//   V2, V3 and V10, V11  the low and the high float64 half: x, then w; dy, then the product
//   V4-V7  scratch of both halves; V9  the mask of x <= 0; V12  the four products in float32
//   V16  alpha in two float64 lanes; V17  0.0; V18  -300.0; V19  -1500.0
//   V20-V31  constants (exp_f32_arm64.h)
TEXT ·ELUGradF32NEON(SB), NOSPLIT, $0-80
	EXP32_LOADCONST
	FMOVS	alpha+0(FP), F16
	FCVTSD	F16, F16
	VDUP	V16.D[0], V16.D2
	VEOR	V17.B16, V17.B16, V17.B16
	MOVD	$0xc072c00000000000, R4
	VDUP	R4, V18.D2
	MOVD	$0xc097700000000000, R4
	VDUP	R4, V19.D2
	MOVD	dx_base+8(FP), R0
	MOVD	dx_len+16(FP), R3
	MOVD	dy_base+32(FP), R1
	MOVD	x_base+56(FP), R2

one:
	CMP	$4, R3
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	VLD1.P	16(R2), [V1.S4]
	FCVTL_D2(2, 1)
	FCVTL_D2(3, 0)
	FCVTL2_D2(10, 1)
	FCVTL2_D2(11, 0)
	ELUGHALF(2, 3, 4, 5, 6, 7)
	ELUGHALF(10, 11, 4, 5, 6, 7)
	FCVTN_S2(12, 3)
	FCVTN2_S4(12, 11)
	FCMLEZ_S4(9, 1)
	BIT_B16(0, 12, 9)
	VST1.P	[V0.S4], 16(R0)
	SUB	$4, R3
	B	one

tail:
	// 0..3 elements left (grad_arm64.h).
	CBZ	R3, done
	TAIL3_OFFS
	TAIL3_LOAD(R1, V0)
	TAIL3_LOAD(R2, V1)
	FCVTL_D2(2, 1)
	FCVTL_D2(3, 0)
	FCVTL2_D2(10, 1)
	FCVTL2_D2(11, 0)
	ELUGHALF(2, 3, 4, 5, 6, 7)
	ELUGHALF(10, 11, 4, 5, 6, 7)
	FCVTN_S2(12, 3)
	FCVTN2_S4(12, 11)
	FCMLEZ_S4(9, 1)
	BIT_B16(0, 12, 9)
	TAIL3_STORE(R0, V0)

done:
	RET


// ELUGrad for float64 with NEON: dx = dy where x > 0 or x is NaN, and dy·alpha·e^x where x <= 0,
// as the package's float64 formula (eluGradNeg64) has it: with xe = x clamped to [-1500, 0],
// e^xe = (M + Ml)·2^n by the steps of act_f64_arm64.h (M = 1 + s rounded, Ml = s - (M - 1)
// exactly, about 0.51 ULP from e^r),
//
//	K = alpha·M + alpha·Ml     one rounding (FMA)
//	P = dy·(K·2^(n-3q))        one rounding: dy is multiplied into e^x's significand before the
//	                           rest of its scaling, so that a large dy and a tiny e^x give the
//	                           right product, and P overflows only where dx does
//	dx = P·2^q·2^q·2^q         ACT64_QUARTERS: exact, or within about 1.5 ULP where subnormal
//
// within about 2 ULP. Where x < -1500 (-Inf included) M and Ml are set to +0, so that
// dx = dy·(alpha·0), NaN for an infinite dy, as the formula has it. x = ±0 gives dy·alpha rounded
// once (e^0 is exactly 1). The lanes where !(x <= 0) take dy exactly (FCMLE against #0.0 is false
// for NaN). The exact loop and contract in the doc comment of elugrad_arm64.go.

// ELUG64(X, D, A, N, B, C, M) sets VM = dx for the two float64 lanes x of VX and dy of VD (both
// kept); VA, VN, VB and VC are scratch. 54 instructions. Registers are numbers. Reads VX, VD,
// V20-V22, V23-V31; writes VM and the scratch registers only.
#define ELUG64(X, D, A, N, B, C, M) \
	FCMGT_D2(M, 20, X);             \
	FMIN_D2(A, X, 21);              \
	FMAX_D2(A, A, 20);              \
	ACT64_RED(A, N);                \
	ACT64_POLY(A, B, C);            \
	FADD_D2(B, A, 31);              \
	FSUB_D2(C, B, 31);              \
	FSUB_D2(A, A, C);               \
	BIC_B16(B, B, M);               \
	BIC_B16(A, A, M);               \
	FMUL_D2(A, A, 22);              \
	FMLA_D2(A, B, 22);              \
	ACT64_QUARTERS(N, B, C, 21);    \
	FMUL_D2(A, A, N);               \
	FMUL_D2(A, A, D);               \
	FMUL_D2(A, A, B);               \
	FMUL_D2(A, A, B);               \
	FMUL_D2(A, A, B);               \
	FCMLEZ_D2(M, X);                \
	BSL_B16(M, A, D)

// func ELUGradF64NEON(alpha float64, dx, dy, x []float64)
//
// Registers:
//   R0  address of the next dx element
//   R1  address of the next dy element
//   R2  address of the next x element
//   R3  elements left (R3 is also the constant table's address, while loading it)
//   R4  -1500's bits, while setting V20
//   V0, V1  dy of the two vectors in flight; V2, V3  their x
//   V4-V7, V10-V13  the rest of ELUG64's registers of each vector (A, N, B, C): xe, then r, s,
//       Ml, K and the product; n, then 2^(n-3q); the polynomial, then M, then 2^q; scratch
//   V8, V9  the lanes where x < -1500, then where x <= 0, then the results
//   V20  -1500.0; V21  zero; V22  alpha
//   V23-V31  constants (act_f64_arm64.h)
TEXT ·ELUGradF64NEON(SB), NOSPLIT, $0-80
	ACT64_LOADCONST
	FMOVD	alpha+0(FP), F22
	VDUP	V22.D[0], V22.D2
	VEOR	V21.B16, V21.B16, V21.B16
	MOVD	$0xc097700000000000, R4
	VDUP	R4, V20.D2
	MOVD	dx_base+8(FP), R0
	MOVD	dx_len+16(FP), R3
	MOVD	dy_base+32(FP), R1
	MOVD	x_base+56(FP), R2

loop:
	CMP	$4, R3
	BLT	two
	VLD1.P	32(R1), [V0.D2, V1.D2]
	VLD1.P	32(R2), [V2.D2, V3.D2]
	ELUG64(2, 0, 4, 5, 6, 7, 8)
	ELUG64(3, 1, 10, 11, 12, 13, 9)
	VST1.P	[V8.D2, V9.D2], 32(R0)
	SUB	$4, R3
	B	loop

two:
	CMP	$2, R3
	BLT	tail
	VLD1.P	16(R1), [V0.D2]
	VLD1.P	16(R2), [V2.D2]
	ELUG64(2, 0, 4, 5, 6, 7, 8)
	VST1.P	[V8.D2], 16(R0)
	SUB	$2, R3

tail:
	// 0 or 1 element left: one lane.
	CBZ	R3, done
	VLD1	(R1), V0.D[0]
	VLD1	(R2), V2.D[0]
	ELUG64(2, 0, 4, 5, 6, 7, 8)
	VST1	V8.D[0], (R0)

done:
	RET
