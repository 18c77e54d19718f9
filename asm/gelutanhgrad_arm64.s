//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"
#include "exp_f32_arm64.h"
#include "grad_arm64.h"
#include "act_f64_arm64.h"

// GELUTanhGrad for float32 with NEON, in float64: dx = dy·f'(x) for f(x) = x·σ(v),
// v = 2u = x·(A + B·x²), A = 2√(2/π), B = 0.044715·A, so that
//
//	f'(x) = σ(v)·(1 + x·v'·σ(-v)),  v' = A + 3B·x²
//
// as the doc comment of gelutanhgrad_arm64.go has it. Four elements at a time, each half widened
// to two float64 lanes, where, with x clamped to at most 10 (xc):
//
//	v = xc·(A + B·xc²), v' = A + 3B·xc²   xc² is exact; v and v' within a few 2^-53 relative
//	e = e^-|v|, q = 1/(1 + e)            GRAD_SIGMOID64 (grad_arm64.h) on v held at -300 from
//	                                     below: σ(v) = q or e·q, and σ(v)·σ(-v) = e·q² for
//	                                     either sign
//	f' = σ(v) + xc·v'·e·q²               one FMA; no 1 - σ anywhere: it cancels only next to the
//	                                     zero of f' at -0.7525, where the error is relative to
//	                                     the terms
//	f' = -0 where x < -27.328646         (v < -1500, -Inf included) as the float64 formula has it
//	dx = dy·f'                           one rounding in float64, then one to float32
//
// At 10 (and so above, +Inf included) e is below 2^-125, q is exactly 1 and x·v'·e·q² below
// 2^-117, so f' is exactly 1 and dx = dy. Where v < -300 (x below about -16.3), σ(v) is taken
// at -300 while x·v' is not: f' is then some negative number below 2^-420 in magnitude, against
// the true one below 2^-420 too, so every finite dy·f' still rounds to -0 or +0 with the
// formula's sign, and an infinite dy gives ∓Inf down to the cut and NaN (dy·-0) below, as the
// formula does. NaN in x propagates through the clamps (FMIN, FMAX) and the arithmetic. The
// constant registers V20-V31 are those of exp_f32_arm64.h (V20-V22, its clamps, are not used).

// gelutg<> holds, each in both float64 lanes: A = 2√(2/π), B = 0.044715·A, 3B, 10, -300, -0 and
// the cut, -27.328646 (the least float32 x with x·(A + B·x²) >= -1500 in float64).
DATA gelutg<>+0(SB)/8, $0x3ff9884533d43651
DATA gelutg<>+8(SB)/8, $0x3ff9884533d43651
DATA gelutg<>+16(SB)/8, $0x3fb2444f2a4d8b4b
DATA gelutg<>+24(SB)/8, $0x3fb2444f2a4d8b4b
DATA gelutg<>+32(SB)/8, $0x3fcb6676bf7450f0
DATA gelutg<>+40(SB)/8, $0x3fcb6676bf7450f0
DATA gelutg<>+48(SB)/8, $0x4024000000000000
DATA gelutg<>+56(SB)/8, $0x4024000000000000
DATA gelutg<>+64(SB)/8, $0xc072c00000000000
DATA gelutg<>+72(SB)/8, $0xc072c00000000000
DATA gelutg<>+80(SB)/8, $0x8000000000000000
DATA gelutg<>+88(SB)/8, $0x8000000000000000
DATA gelutg<>+96(SB)/8, $0xc03b542220000000
DATA gelutg<>+104(SB)/8, $0xc03b542220000000
GLOBL gelutg<>(SB), RODATA|NOPTR, $112

// GTGHALF(X, D, M, W, S, E, Q, A, P) sets VD = dy·f'(x) for the two float64 lanes x of VX and
// dy of VD; VM, VW, VS, VE, VQ, VA and VP are scratch (VX ends as xc·v'). 40 instructions, one
// division. Registers are numbers. Reads VX, VD, V13-V19 (gelutg<>), V23-V31; writes VD, VX and
// the scratch registers only.
#define GTGHALF(X, D, M, W, S, E, Q, A, P) \
	FCMGT_D2(M, 19, X);               \
	FMIN_D2(X, X, 16);                \
	FMUL_D2(P, X, X);                 \
	MOV_B16(W, 13);                   \
	FMLA_D2(W, P, 14);                \
	MOV_B16(Q, 13);                   \
	FMLA_D2(Q, P, 15);                \
	FMUL_D2(W, W, X);                 \
	FMUL_D2(X, X, Q);                 \
	FMAX_D2(W, W, 17);                \
	GRAD_SIGMOID64(W, S, E, Q, A, P); \
	FMUL_D2(P, P, Q);                 \
	FMLA_D2(S, P, X);                 \
	BIT_B16(S, 18, M);                \
	FMUL_D2(D, D, S)

// func GELUTanhGradF32NEON(dx, dy, x []float32)
//
// Registers:
//   R0  address of the next dx element
//   R1  address of the next dy element
//   R2  address of the next x element
//   R3  elements left (R3 is also the constant tables' address, while loading them)
//   R4-R6  the tail's offsets and addresses (grad_arm64.h)
//   V0  four dy; V1  four x
//   V2, V3 and V10, V11  the low and the high float64 half: x, then xc·v'; dy, then the product
//   V4-V9, V12  scratch of both halves; V12  then the four results in float32
//   V13 A; V14 B; V15 3B; V16 10.0; V17 -300.0; V18 -0.0; V19 the cut (float64 in both lanes)
//   V20-V31  constants (exp_f32_arm64.h)
TEXT ·GELUTanhGradF32NEON(SB), NOSPLIT, $0-72
	EXP32_LOADCONST
	MOVD	$gelutg<>(SB), R3
	VLD1.P	64(R3), [V13.D2, V14.D2, V15.D2, V16.D2]
	VLD1	(R3), [V17.D2, V18.D2, V19.D2]
	MOVD	dx_base+0(FP), R0
	MOVD	dx_len+8(FP), R3
	MOVD	dy_base+24(FP), R1
	MOVD	x_base+48(FP), R2

one:
	CMP	$4, R3
	BLT	tail
	VLD1.P	16(R1), [V0.S4]
	VLD1.P	16(R2), [V1.S4]
	FCVTL_D2(2, 1)
	FCVTL_D2(3, 0)
	FCVTL2_D2(10, 1)
	FCVTL2_D2(11, 0)
	GTGHALF(2, 3, 4, 5, 6, 7, 8, 9, 12)
	GTGHALF(10, 11, 4, 5, 6, 7, 8, 9, 12)
	FCVTN_S2(12, 3)
	FCVTN2_S4(12, 11)
	VST1.P	[V12.S4], 16(R0)
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
	GTGHALF(2, 3, 4, 5, 6, 7, 8, 9, 12)
	GTGHALF(10, 11, 4, 5, 6, 7, 8, 9, 12)
	FCVTN_S2(12, 3)
	FCVTN2_S4(12, 11)
	TAIL3_STORE(R0, V12)

done:
	RET


// GELUTanhGrad for float64 with NEON: dx = dy·σ(v)·(1 + w·σ(-v)), w = x·v', as the package's
// float64 formula (geluTanhGrad64) has it, by the x·σ backward steps of act_f64_arm64.h, with
// c = min(x, 10) and A = Ahi + Alo, B = Bhi + Blo and 3B = 3Bhi + 3Blo as double-doubles (those
// of kernels/activation_ref.go and grad_ref.go):
//
//	v = c·(A + B·c²)        as GELUTanhF64NEON forms it: a = -|v| as a double-double ah + al
//	                        (c², B·c², A + B·c² and the product each keep their rounding error:
//	                        FMA, TwoSum), ah clamped at -1500, al added to the reduced argument
//	σ(v), σ(-v)             XSG64_SIG and XSG64_SM, each a pair
//	v' = A + 3B·c²          a double-double dh + dl, formed the same way
//	w = c·dh + wl           c·dh rounded, wl = (c·dh - w) + c·dl (FMA)
//	p = σ(v)·(1 + w·σ(-v))  XSG64_KP, with wl·sm0 added to the low part of w·σ(-v)
//	dx = dy·p·2^m           XSG64_SCALE: dy multiplied in before the scaling below 2^-512
//
// within about 1 ULP (the tests allow 4 from the formula), except next to the zero of f' at
// -0.7525, where the error is relative to σ(v). From 10 on the derivative is 1 within 2^-117 and
// dx rounds to dy, as the formula has it (+Inf included: the clamp keeps Inf out of c). Where
// x < -27.328645758718256 (where v < -1500 as the formula rounds it, -Inf included) dx = dy·-0,
// NaN for an infinite dy: those lanes are computed from whatever c gives (x is not clamped from
// below) and replaced. NaN in x gives NaN. The exact loop and contract in the doc comment of
// gelutanhgrad_arm64.go.

// gtg64<> holds, in both float64 lanes unless a pair {lane 0, lane 1} is given: 10 (the upper
// clamp of x), the cut -27.328645758718256 (the least float64 x with x·(Ahi + Bhi·x²) >= -1500
// as the formula rounds it, the amd64 kernels' geluTanhGrad64Cut), Ahi, {Alo, -0}, {Bhi, Blo},
// -the largest float64 and the largest float64 (the clamp of dy in dy·pl), -512 (XSG64_SCALE's
// least first exponent), -1022 (the least exponent of e), {3Bhi, 3Blo} and -1500 (the clamp of
// -|v|).
DATA gtg64<>+0(SB)/8, $0x4024000000000000
DATA gtg64<>+8(SB)/8, $0x4024000000000000
DATA gtg64<>+16(SB)/8, $0xc03b542220e1a9fd
DATA gtg64<>+24(SB)/8, $0xc03b542220e1a9fd
DATA gtg64<>+32(SB)/8, $0x3ff9884533d43651
DATA gtg64<>+40(SB)/8, $0x3ff9884533d43651
DATA gtg64<>+48(SB)/8, $0xbc9cbc0d30ebfd15
DATA gtg64<>+56(SB)/8, $0x8000000000000000
DATA gtg64<>+64(SB)/8, $0x3fb2444f2a4d8b4b
DATA gtg64<>+72(SB)/8, $0xbc26c843a29d1c70
DATA gtg64<>+80(SB)/8, $0xffefffffffffffff
DATA gtg64<>+88(SB)/8, $0xffefffffffffffff
DATA gtg64<>+96(SB)/8, $0x7fefffffffffffff
DATA gtg64<>+104(SB)/8, $0x7fefffffffffffff
DATA gtg64<>+112(SB)/8, $0xc080000000000000
DATA gtg64<>+120(SB)/8, $0xc080000000000000
DATA gtg64<>+128(SB)/8, $0xc08ff00000000000
DATA gtg64<>+136(SB)/8, $0xc08ff00000000000
DATA gtg64<>+144(SB)/8, $0x3fcb6676bf7450f0
DATA gtg64<>+152(SB)/8, $0xbc411632b9f5d554
DATA gtg64<>+160(SB)/8, $0xc097700000000000
DATA gtg64<>+168(SB)/8, $0xc097700000000000
GLOBL gtg64<>(SB), RODATA|NOPTR, $176

// GTG64(X, D, A, B, C, E, F, G, H, J, N, P, K) sets VG = dx for the two float64 lanes x of VX
// (clamped to 10 in place) and dy of VD (kept); the others are scratch. 143 instructions, one
// division. Registers are numbers. Reads VX, VD, V13-V31; writes VX, VG and the scratch
// registers only.
#define GTG64(X, D, A, B, C, E, F, G, H, J, N, P, K) \
	FMIN_D2(X, X, 13);                              \
	FMUL_D2(B, X, X);                               \
	FNEG_D2(C, B);                                  \
	FMLA_D2(C, X, X);                               \
	FMULE_D2(E, B, 17, 0);                          \
	FNEG_D2(F, E);                                  \
	FMLAE_D2(F, B, 17, 0);                          \
	FMULE_D2(C, C, 17, 0);                          \
	FMLAE_D2(C, B, 17, 1);                          \
	FADD_D2(F, F, C);                               \
	FADD_D2(B, E, 15);                              \
	FSUB_D2(C, B, 15);                              \
	FSUB_D2(A, B, C);                               \
	FSUB_D2(A, A, 15);                              \
	FSUB_D2(E, E, C);                               \
	FSUB_D2(E, E, A);                               \
	FMLAE_D2(F, 31, 16, 0);                         \
	FADD_D2(E, E, F);                               \
	FABS_D2(C, X);                                  \
	FNEG_D2(C, C);                                  \
	FMUL_D2(A, C, B);                               \
	FNEG_D2(F, A);                                  \
	FMLA_D2(F, C, B);                               \
	FMLA_D2(F, C, E);                               \
	FMAX_D2(A, A, 23);                              \
	ACT64_RED(A, N);                                \
	FADD_D2(A, A, F);                               \
	ACT64_POLY(A, B, C);                            \
	XSG64_SIG(X, A, N, B, C, E, F, G, H, J, P, 21); \
	XSG64_SM(A, C, E, F, G, H, P);                  \
	FMUL_D2(C, X, X);                               \
	FNEG_D2(F, C);                                  \
	FMLA_D2(F, X, X);                               \
	FMULE_D2(G, C, 22, 0);                          \
	FNEG_D2(H, G);                                  \
	FMLAE_D2(H, C, 22, 0);                          \
	FMLAE_D2(H, F, 22, 0);                          \
	FMLAE_D2(H, C, 22, 1);                          \
	FADD_D2(K, G, 15);                              \
	FSUB_D2(C, K, 15);                              \
	FSUB_D2(F, K, C);                               \
	FSUB_D2(F, F, 15);                              \
	FSUB_D2(G, G, C);                               \
	FSUB_D2(G, G, F);                               \
	FMLAE_D2(H, 31, 16, 0);                         \
	FADD_D2(G, G, H);                               \
	FMUL_D2(H, X, K);                               \
	FNEG_D2(F, H);                                  \
	FMLA_D2(F, X, K);                               \
	FMLA_D2(F, X, G);                               \
	FMUL_D2(E, E, H);                               \
	FMLA_D2(E, A, F);                               \
	XSG64_KP(H, A, B, C, E, F, G, J);               \
	BIC_B16(N, N, P);                               \
	XSG64_SCALE(D, N, A, G, C, 20, 19, 18);         \
	FCMGT_D2(C, 14, X);                             \
	FMULE_D2(A, D, 16, 1);                          \
	BIT_B16(G, A, C)

// func GELUTanhGradF64NEON(dx, dy, x []float64)
//
// One vector of two elements at a time: GTG64 needs 13 registers besides its constants.
//
// Registers:
//   R0  address of the next dx element
//   R1  address of the next dy element
//   R2  address of the next x element
//   R3  elements left (R3 is also the constant tables' address, while loading them)
//   V0  dy; V1  x, then c; V7  the result (GTG64's G: d - 1, then dl, 3Bhi·c², dl of v', the
//       TwoSum's scratch, pl and dx)
//   V2-V6, V8-V12  GTG64's scratch (A, B, C, E, F, H, J, N, P, K): the steps of v, then a, r,
//       s, Ml, numl, sm0, the TwoSum's scratch, ph and dy·-0; c², then qh, M, num and yl;
//       scratch, then 2^max(n, -1022), el, hk, the scaling's factors and the lanes where x is
//       below the cut; B·c², then ql, e, σ(-v)'s numerator, sml and the low part of k; scratch,
//       then al, d, kh; 1/d, then the low part of v' and w; y0; n, then m; the lanes where
//       x >= 0; dh
//   V13  10.0; V14  the cut; V15  Ahi; V16  {Alo, -0}; V17  {Bhi, Blo}; V18-V21  -the largest
//       float64, the largest float64, -512, -1022; V22  {3Bhi, 3Blo}; V23  -1500 (in place of
//       act_f64_arm64.h's -1100)
//   V24-V31  constants (act_f64_arm64.h)
TEXT ·GELUTanhGradF64NEON(SB), NOSPLIT, $0-72
	ACT64_LOADCONST
	MOVD	$gtg64<>(SB), R3
	VLD1.P	64(R3), [V13.D2, V14.D2, V15.D2, V16.D2]
	VLD1.P	64(R3), [V17.D2, V18.D2, V19.D2, V20.D2]
	VLD1	(R3), [V21.D2, V22.D2, V23.D2]
	MOVD	dx_base+0(FP), R0
	MOVD	dx_len+8(FP), R3
	MOVD	dy_base+24(FP), R1
	MOVD	x_base+48(FP), R2

loop:
	CMP	$2, R3
	BLT	tail
	VLD1.P	16(R1), [V0.D2]
	VLD1.P	16(R2), [V1.D2]
	GTG64(1, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
	VST1.P	[V7.D2], 16(R0)
	SUB	$2, R3
	B	loop

tail:
	// 0 or 1 element left: one lane.
	CBZ	R3, done
	VLD1	(R1), V0.D[0]
	VLD1	(R2), V1.D[0]
	GTG64(1, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
	VST1	V7.D[0], (R0)

done:
	RET
