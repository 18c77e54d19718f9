//go:build !purego

#include "textflag.h"
#include "exp_f64_amd64.h"

// SUM256(V, S1, S2) adds the four values of V (each in [0, 4]) into the partial sums Y13 with the
// rounding error of each addition kept in 0(SP): Y13 starts at 4, so that |Y13| >= |V| and
// Fast2Sum's error (Y13 - (Y13 + V)) + V is exact. The row's sum then carries a few roundings
// relative to itself, however many elements it has, instead of one per element. Reads V, Y13 and
// 0(SP); writes Y13, 0(SP), S1 and S2.
#define SUM256(V, S1, S2) \
	VADDPD  V, Y13, S1;  \
	VSUBPD  S1, Y13, Y13; \
	VADDPD  V, Y13, S2;  \
	VMOVAPD S1, Y13;     \
	VADDPD  0(SP), S2, S2; \
	VMOVUPD S2, 0(SP)

// Softmax over rows of float64: per row three passes, the maximum, e^(x-max) into dst with its
// sum, and dst times 1/sum.

// EXPSUB512 sets X = e^(X - Z31) and adds it to ACC. X - Z31 <= 0 (or NaN), so only the lower
// clamp is needed.
#define EXPSUB512(X, T, N, E, ACC) \
	VSUBPD Z31, X, X;                   \
	VMAXPD X, Z26, X;                   \
	EXP512_CORE(X, T, N, E);            \
	VADDPD X, ACC, ACC

// func SoftmaxF64AVX512(dst, src []float64, cols int)
//
// Registers:
//	SI      src row
//	DI      dst row
//	BX      rows left
//	R10     cols
//	R11     cols*8, the row stride in bytes
//	R9, R8  src and dst pointers within a pass
//	CX      elements left in a pass
//	AX, DX  row count division, tail mask
//	K2      the last cols%8 elements of a row
//	Z0-Z15  four vectors in flight, four registers each (x, t, k/16, polynomial)
//	Z16-Z26 exp constants as in ExpF64AVX512
//	Z27-Z30 running maxima, then partial sums
//	Z31     the row's maximum, then 1/sum
TEXT ·SoftmaxF64AVX512(SB), NOSPLIT, $0-56
	MOVQ  dst_base+0(FP), DI
	MOVQ  src_base+24(FP), SI
	MOVQ  src_len+32(FP), AX
	MOVQ  cols+48(FP), R10
	TESTQ R10, R10
	JLE   rows512_done
	XORL  DX, DX
	DIVQ  R10
	MOVQ  AX, BX
	TESTQ BX, BX
	JZ    rows512_done
	MOVQ  R10, R11
	SHLQ  $3, R11
	MOVQ  R10, CX
	ANDQ  $7, CX
	MOVQ  $1, AX
	SHLQ  CX, AX
	DECQ  AX
	KMOVB AX, K2
	EXP512_LOADCONST

rows512_row:
	// Pass 1: the row's maximum into every lane of Z31.
	VBROADCASTSD C_NEGINF, Z27
	VMOVAPD      Z27, Z28
	VMOVAPD      Z27, Z29
	VMOVAPD      Z27, Z30
	MOVQ         SI, R9
	MOVQ         R10, CX
	CMPQ         CX, $32
	JB           rows512_max_one

rows512_max_four:
	VMAXPD 0(R9), Z27, Z27
	VMAXPD 64(R9), Z28, Z28
	VMAXPD 128(R9), Z29, Z29
	VMAXPD 192(R9), Z30, Z30
	ADDQ   $256, R9
	SUBQ   $32, CX
	CMPQ   CX, $32
	JAE    rows512_max_four

rows512_max_one:
	CMPQ   CX, $8
	JB     rows512_max_tail
	VMAXPD 0(R9), Z28, Z28
	ADDQ   $64, R9
	SUBQ   $8, CX
	JMP    rows512_max_one

rows512_max_tail:
	TESTQ  CX, CX
	JZ     rows512_max_reduce
	VMAXPD 0(R9), Z29, K2, Z29

rows512_max_reduce:
	VMAXPD        Z28, Z27, Z27
	VMAXPD        Z30, Z29, Z29
	VMAXPD        Z29, Z27, Z27
	VEXTRACTF64X4 $1, Z27, Y0
	VMAXPD        Y27, Y0, Y0
	VEXTRACTF128  $1, Y0, X1
	VMAXPD        X1, X0, X0
	VPERMILPD     $1, X0, X1
	VMAXSD        X1, X0, X0
	VBROADCASTSD  X0, Z31

	// Pass 2: dst = e^(src - max), and the sum into X0.
	VPXORQ Z27, Z27, Z27
	VPXORQ Z28, Z28, Z28
	VPXORQ Z29, Z29, Z29
	VPXORQ Z30, Z30, Z30
	MOVQ   SI, R9
	MOVQ   DI, R8
	MOVQ   R10, CX
	CMPQ   CX, $32
	JB     rows512_exp_one

rows512_exp_four:
	VMOVUPD 0(R9), Z0
	VMOVUPD 64(R9), Z4
	VMOVUPD 128(R9), Z8
	VMOVUPD 192(R9), Z12
	EXPSUB512(Z0, Z1, Z2, Z3, Z27)
	EXPSUB512(Z4, Z5, Z6, Z7, Z28)
	EXPSUB512(Z8, Z9, Z10, Z11, Z29)
	EXPSUB512(Z12, Z13, Z14, Z15, Z30)
	VMOVUPD Z0, 0(R8)
	VMOVUPD Z4, 64(R8)
	VMOVUPD Z8, 128(R8)
	VMOVUPD Z12, 192(R8)
	ADDQ    $256, R9
	ADDQ    $256, R8
	SUBQ    $32, CX
	CMPQ    CX, $32
	JAE     rows512_exp_four

rows512_exp_one:
	CMPQ    CX, $8
	JB      rows512_exp_tail
	VMOVUPD 0(R9), Z0
	EXPSUB512(Z0, Z1, Z2, Z3, Z27)
	VMOVUPD Z0, 0(R8)
	ADDQ    $64, R9
	ADDQ    $64, R8
	SUBQ    $8, CX
	JMP     rows512_exp_one

rows512_exp_tail:
	TESTQ     CX, CX
	JZ        rows512_exp_reduce
	VMOVUPD.Z 0(R9), K2, Z0
	VSUBPD    Z31, Z0, Z0
	VMAXPD    Z0, Z26, Z0
	EXP512_CORE(Z0, Z1, Z2, Z3)
	VMOVUPD   Z0, K2, 0(R8)
	VADDPD    Z0, Z28, K2, Z28

rows512_exp_reduce:
	VADDPD        Z28, Z27, Z27
	VADDPD        Z30, Z29, Z29
	VADDPD        Z29, Z27, Z27
	VEXTRACTF64X4 $1, Z27, Y0
	VADDPD        Y27, Y0, Y0
	VEXTRACTF128  $1, Y0, X1
	VADDPD        X1, X0, X0
	VPERMILPD     $1, X0, X1
	VADDSD        X1, X0, X0
	VDIVSD        X0, X25, X1 // 1/sum (X25 holds 1.0)
	VBROADCASTSD  X1, Z31

	// Pass 3: dst *= 1/sum.
	MOVQ DI, R8
	MOVQ R10, CX
	CMPQ CX, $32
	JB   rows512_scale_one

rows512_scale_four:
	VMULPD  0(R8), Z31, Z0
	VMULPD  64(R8), Z31, Z1
	VMULPD  128(R8), Z31, Z2
	VMULPD  192(R8), Z31, Z3
	VMOVUPD Z0, 0(R8)
	VMOVUPD Z1, 64(R8)
	VMOVUPD Z2, 128(R8)
	VMOVUPD Z3, 192(R8)
	ADDQ    $256, R8
	SUBQ    $32, CX
	CMPQ    CX, $32
	JAE     rows512_scale_four

rows512_scale_one:
	CMPQ    CX, $8
	JB      rows512_scale_tail
	VMULPD  0(R8), Z31, Z0
	VMOVUPD Z0, 0(R8)
	ADDQ    $64, R8
	SUBQ    $8, CX
	JMP     rows512_scale_one

rows512_scale_tail:
	TESTQ     CX, CX
	JZ        rows512_next
	VMOVUPD.Z 0(R8), K2, Z0
	VMULPD    Z31, Z0, Z0
	VMOVUPD   Z0, K2, 0(R8)

rows512_next:
	ADDQ R11, SI
	ADDQ R11, DI
	DECQ BX
	JNZ  rows512_row

rows512_done:
	VZEROUPPER
	RET

// EXPNEG256 sets X = e^X for X <= 0 or NaN, so only the lower clamp is needed; T and P are
// scratch.
#define EXPNEG256(X, T, P) \
	VMOVUPD C_LO, T;      \
	VMAXPD  X, T, X;      \
	EXP256_CORE(X, T, P)


// func SoftmaxF64AVX2(dst, src []float64, cols int)
//
// Registers:
//	SI       src row
//	DI       dst row
//	BX       rows left
//	R10      cols
//	R11      cols*8, the row stride in bytes
//	R9, R8   src and dst pointers within a pass
//	CX       elements left in a pass
//	AX, DX   row count division
//	Y0-Y11   four vectors in flight, three registers each (x, t, polynomial); Y0-Y5 running
//	         maxima and the masked last elements in the first pass
//	Y12      the row's maximum
//	Y13      partial sums, each started at 4 (see SUM256)
//	Y14, Y15 range check of four vectors; Y15 tail mask; Y14 1/sum in the last pass
//	0(SP)    the rounding errors of the partial sums (32 bytes of frame)
// Every other constant is a memory operand.
TEXT ·SoftmaxF64AVX2(SB), NOSPLIT, $32-56
	MOVQ  dst_base+0(FP), DI
	MOVQ  src_base+24(FP), SI
	MOVQ  src_len+32(FP), AX
	MOVQ  cols+48(FP), R10
	TESTQ R10, R10
	JLE   rows256_done
	XORL  DX, DX
	DIVQ  R10
	MOVQ  AX, BX
	TESTQ BX, BX
	JZ    rows256_done
	MOVQ  R10, R11
	SHLQ  $3, R11

rows256_row:
	// Pass 1: the row's maximum into every lane of Y12.
	VMOVUPD C_NEGINF, Y0
	VMOVAPD Y0, Y1
	VMOVAPD Y0, Y2
	VMOVAPD Y0, Y3
	MOVQ    SI, R9
	MOVQ    R10, CX
	CMPQ    CX, $16
	JB      rows256_max_one

rows256_max_four:
	VMAXPD 0(R9), Y0, Y0
	VMAXPD 32(R9), Y1, Y1
	VMAXPD 64(R9), Y2, Y2
	VMAXPD 96(R9), Y3, Y3
	ADDQ   $128, R9
	SUBQ   $16, CX
	CMPQ   CX, $16
	JAE    rows256_max_four

rows256_max_one:
	CMPQ   CX, $4
	JB     rows256_max_tail
	VMAXPD 0(R9), Y1, Y1
	ADDQ   $32, R9
	SUBQ   $4, CX
	JMP    rows256_max_one

rows256_max_tail:
	TESTQ      CX, CX
	JZ         rows256_max_reduce
	TAILMASK256(Y15, X15)
	VMASKMOVPD 0(R9), Y15, Y4
	VMOVUPD    C_NEGINF, Y5
	VBLENDVPD  Y15, Y4, Y5, Y4
	VMAXPD     Y4, Y2, Y2

rows256_max_reduce:
	VMAXPD       Y1, Y0, Y0
	VMAXPD       Y3, Y2, Y2
	VMAXPD       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VMAXPD       X1, X0, X0
	VPERMILPD    $1, X0, X1
	VMAXSD       X1, X0, X0
	VBROADCASTSD X0, Y12

	// Pass 2: dst = e^(src - max), and the sum into X0. Each lane of the partial sums starts at 4
	// and the errors at 0 (SUM256).
	VBROADCASTSD C_ONE, Y13
	VADDPD       Y13, Y13, Y13
	VADDPD       Y13, Y13, Y13
	VXORPD       Y1, Y1, Y1
	VMOVUPD      Y1, 0(SP)
	MOVQ         SI, R9
	MOVQ         DI, R8
	MOVQ         R10, CX
	CMPQ         CX, $16
	JB           rows256_exp_one

rows256_exp_four:
	VMOVUPD 0(R9), Y0
	VMOVUPD 32(R9), Y3
	VMOVUPD 64(R9), Y6
	VMOVUPD 96(R9), Y9
	VSUBPD  Y12, Y0, Y0
	VSUBPD  Y12, Y3, Y3
	VSUBPD  Y12, Y6, Y6
	VSUBPD  Y12, Y9, Y9
	FASTCHECK256x4(Y0, Y3, Y6, Y9, Y14, Y15, rows256_exp_four_slow)
	EXP256_FAST(Y0, Y1, Y2)
	EXP256_FAST(Y3, Y4, Y5)
	EXP256_FAST(Y6, Y7, Y8)
	EXP256_FAST(Y9, Y10, Y11)

rows256_exp_four_sum:
	VADDPD Y3, Y0, Y1
	VADDPD Y9, Y6, Y2
	VADDPD Y2, Y1, Y1
	SUM256(Y1, Y2, Y4)
	VMOVUPD Y0, 0(R8)
	VMOVUPD Y3, 32(R8)
	VMOVUPD Y6, 64(R8)
	VMOVUPD Y9, 96(R8)
	ADDQ    $128, R9
	ADDQ    $128, R8
	SUBQ    $16, CX
	CMPQ    CX, $16
	JAE     rows256_exp_four

rows256_exp_one:
	CMPQ    CX, $4
	JB      rows256_exp_tail
	VMOVUPD 0(R9), Y0
	VSUBPD  Y12, Y0, Y0
	EXPNEG256(Y0, Y1, Y2)
	SUM256(Y0, Y1, Y2)
	VMOVUPD Y0, 0(R8)
	ADDQ    $32, R9
	ADDQ    $32, R8
	SUBQ    $4, CX
	JMP     rows256_exp_one

rows256_exp_tail:
	TESTQ      CX, CX
	JZ         rows256_exp_reduce
	TAILMASK256(Y15, X15)
	VMASKMOVPD 0(R9), Y15, Y0
	VSUBPD     Y12, Y0, Y0
	EXPNEG256(Y0, Y1, Y2)
	VMASKMOVPD Y0, Y15, 0(R8)
	VANDPD     Y15, Y0, Y0 // only the live lanes count
	SUM256(Y0, Y1, Y2)

rows256_exp_reduce:
	// Each lane: (s - 4) + e, where s - 4 is exact (s >= 4 is a multiple of its ULP, which 4 is
	// too), then the lanes added.
	VBROADCASTSD C_ONE, Y1
	VADDPD       Y1, Y1, Y1
	VADDPD       Y1, Y1, Y1
	VSUBPD       Y1, Y13, Y0
	VADDPD       0(SP), Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VPERMILPD    $1, X0, X1
	VADDSD       X1, X0, X0
	VMOVSD       C_ONE, X1
	VDIVSD       X0, X1, X1
	VBROADCASTSD X1, Y14

	// Pass 3: dst *= 1/sum.
	MOVQ DI, R8
	MOVQ R10, CX
	CMPQ CX, $16
	JB   rows256_scale_one

rows256_scale_four:
	VMULPD  0(R8), Y14, Y0
	VMULPD  32(R8), Y14, Y1
	VMULPD  64(R8), Y14, Y2
	VMULPD  96(R8), Y14, Y3
	VMOVUPD Y0, 0(R8)
	VMOVUPD Y1, 32(R8)
	VMOVUPD Y2, 64(R8)
	VMOVUPD Y3, 96(R8)
	ADDQ    $128, R8
	SUBQ    $16, CX
	CMPQ    CX, $16
	JAE     rows256_scale_four

rows256_scale_one:
	CMPQ    CX, $4
	JB      rows256_scale_tail
	VMULPD  0(R8), Y14, Y0
	VMOVUPD Y0, 0(R8)
	ADDQ    $32, R8
	SUBQ    $4, CX
	JMP     rows256_scale_one

rows256_scale_tail:
	TESTQ      CX, CX
	JZ         rows256_next
	TAILMASK256(Y15, X15)
	VMASKMOVPD 0(R8), Y15, Y0
	VMULPD     Y14, Y0, Y0
	VMASKMOVPD Y0, Y15, 0(R8)

rows256_next:
	ADDQ R11, SI
	ADDQ R11, DI
	DECQ BX
	JNZ  rows256_row

rows256_done:
	VZEROUPPER
	RET

rows256_exp_four_slow:
	// Some x - max is below -708 or NaN: clamp, and scale in two steps.
	EXPNEG256(Y0, Y1, Y2)
	EXPNEG256(Y3, Y4, Y5)
	EXPNEG256(Y6, Y7, Y8)
	EXPNEG256(Y9, Y10, Y11)
	JMP rows256_exp_four_sum
