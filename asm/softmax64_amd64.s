//go:build !purego

#include "textflag.h"
#include "exp64_amd64.h"

// The three passes of a float64 softmax row: the maximum, e^(x-max) with its sum, and the
// scaling by 1/sum. The row loop lives in package kernels.

// AVX512_TAILMASK sets K1 to the first CX lanes (CX in 1..7), using AX.
#define AVX512_TAILMASK \
	MOVQ  $1, AX; \
	SHLQ  CX, AX; \
	DECQ  AX;     \
	KMOVB AX, K1

// func SoftmaxMaxF64AVX512(x []float64) float64
//
// Registers:
//	SI      next element
//	CX      elements left
//	AX, K1  tail mask
//	Z0-Z3   running maxima, -Inf at the start
TEXT ·SoftmaxMaxF64AVX512(SB), NOSPLIT, $0-32
	MOVQ         x_base+0(FP), SI
	MOVQ         x_len+8(FP), CX
	VBROADCASTSD C_NEGINF, Z0
	VMOVAPD      Z0, Z1
	VMOVAPD      Z0, Z2
	VMOVAPD      Z0, Z3
	CMPQ         CX, $32
	JB           max512_one

max512_four:
	VMAXPD 0(SI), Z0, Z0
	VMAXPD 64(SI), Z1, Z1
	VMAXPD 128(SI), Z2, Z2
	VMAXPD 192(SI), Z3, Z3
	ADDQ   $256, SI
	SUBQ   $32, CX
	CMPQ   CX, $32
	JAE    max512_four

max512_one:
	CMPQ   CX, $8
	JB     max512_tail
	VMAXPD 0(SI), Z1, Z1
	ADDQ   $64, SI
	SUBQ   $8, CX
	JMP    max512_one

max512_tail:
	TESTQ  CX, CX
	JZ     max512_reduce
	AVX512_TAILMASK
	VMAXPD 0(SI), Z2, K1, Z2 // merge-masked: the other lanes keep their value and are not read

max512_reduce:
	VMAXPD        Z1, Z0, Z0
	VMAXPD        Z3, Z2, Z2
	VMAXPD        Z2, Z0, Z0
	VEXTRACTF64X4 $1, Z0, Y1
	VMAXPD        Y1, Y0, Y0
	VEXTRACTF128  $1, Y0, X1
	VMAXPD        X1, X0, X0
	VPERMILPD     $1, X0, X1
	VMAXSD        X1, X0, X0
	VZEROUPPER
	MOVSD         X0, ret+24(FP)
	RET

// EXPSUB512 sets X = e^(X - Z31) and adds it to ACC. X - Z31 <= 0 (or NaN), so only the lower
// clamp is needed.
#define EXPSUB512(X, T, N, E, ACC) \
	VSUBPD Z31, X, X;                   \
	VMAXPD X, Z26, X;                   \
	EXP512_CORE(X, T, N, E);            \
	VADDPD X, ACC, ACC

// func SoftmaxExpSumF64AVX512(dst, src []float64, sub float64) float64
//
// Registers:
//	DI      next dst element
//	SI      next src element
//	CX      elements left
//	AX, K1  tail mask
//	Z0-Z15  four vectors in flight, four registers each (x, t, k/16, polynomial)
//	Z16-Z19 2^(j/16) for j = 0..15, and its rounding errors
//	Z20-Z26 16/ln2, 1.5*2^52, -ln2hi, -ln2lo, 1100, 1.0, -1100
//	Z27-Z30 partial sums
//	Z31     sub
TEXT ·SoftmaxExpSumF64AVX512(SB), NOSPLIT, $0-64
	MOVQ         dst_base+0(FP), DI
	MOVQ         src_base+24(FP), SI
	MOVQ         src_len+32(FP), CX
	VBROADCASTSD sub+48(FP), Z31
	EXP512_LOADCONST
	VPXORQ       Z27, Z27, Z27
	VPXORQ       Z28, Z28, Z28
	VPXORQ       Z29, Z29, Z29
	VPXORQ       Z30, Z30, Z30
	CMPQ         CX, $32
	JB           expsum512_one

expsum512_four:
	VMOVUPD 0(SI), Z0
	VMOVUPD 64(SI), Z4
	VMOVUPD 128(SI), Z8
	VMOVUPD 192(SI), Z12
	EXPSUB512(Z0, Z1, Z2, Z3, Z27)
	EXPSUB512(Z4, Z5, Z6, Z7, Z28)
	EXPSUB512(Z8, Z9, Z10, Z11, Z29)
	EXPSUB512(Z12, Z13, Z14, Z15, Z30)
	VMOVUPD Z0, 0(DI)
	VMOVUPD Z4, 64(DI)
	VMOVUPD Z8, 128(DI)
	VMOVUPD Z12, 192(DI)
	ADDQ    $256, SI
	ADDQ    $256, DI
	SUBQ    $32, CX
	CMPQ    CX, $32
	JAE     expsum512_four

expsum512_one:
	CMPQ    CX, $8
	JB      expsum512_tail
	VMOVUPD 0(SI), Z0
	EXPSUB512(Z0, Z1, Z2, Z3, Z27)
	VMOVUPD Z0, 0(DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $8, CX
	JMP     expsum512_one

expsum512_tail:
	TESTQ     CX, CX
	JZ        expsum512_reduce
	AVX512_TAILMASK
	VMOVUPD.Z 0(SI), K1, Z0
	VSUBPD    Z31, Z0, Z0
	VMAXPD    Z0, Z26, Z0
	EXP512_CORE(Z0, Z1, Z2, Z3)
	VMOVUPD   Z0, K1, 0(DI)
	VADDPD    Z0, Z28, K1, Z28 // only the live lanes count

expsum512_reduce:
	VADDPD        Z28, Z27, Z27
	VADDPD        Z30, Z29, Z29
	VADDPD        Z29, Z27, Z0
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPD        Y1, Y0, Y0
	VEXTRACTF128  $1, Y0, X1
	VADDPD        X1, X0, X0
	VPERMILPD     $1, X0, X1
	VADDSD        X1, X0, X0
	VZEROUPPER
	MOVSD         X0, ret+56(FP)
	RET

// func SoftmaxScaleF64AVX512(x []float64, a float64)
//
// Registers:
//	DI      next element
//	CX      elements left
//	AX, K1  tail mask
//	Z0-Z3   products
//	Z31     a
TEXT ·SoftmaxScaleF64AVX512(SB), NOSPLIT, $0-32
	MOVQ         x_base+0(FP), DI
	MOVQ         x_len+8(FP), CX
	VBROADCASTSD a+24(FP), Z31
	CMPQ         CX, $32
	JB           scale512_one

scale512_four:
	VMULPD  0(DI), Z31, Z0
	VMULPD  64(DI), Z31, Z1
	VMULPD  128(DI), Z31, Z2
	VMULPD  192(DI), Z31, Z3
	VMOVUPD Z0, 0(DI)
	VMOVUPD Z1, 64(DI)
	VMOVUPD Z2, 128(DI)
	VMOVUPD Z3, 192(DI)
	ADDQ    $256, DI
	SUBQ    $32, CX
	CMPQ    CX, $32
	JAE     scale512_four

scale512_one:
	CMPQ    CX, $8
	JB      scale512_tail
	VMULPD  0(DI), Z31, Z0
	VMOVUPD Z0, 0(DI)
	ADDQ    $64, DI
	SUBQ    $8, CX
	JMP     scale512_one

scale512_tail:
	TESTQ     CX, CX
	JZ        scale512_done
	AVX512_TAILMASK
	VMOVUPD.Z 0(DI), K1, Z0
	VMULPD    Z31, Z0, Z0
	VMOVUPD   Z0, K1, 0(DI)

scale512_done:
	VZEROUPPER
	RET

// func SoftmaxMaxF64AVX2(x []float64) float64
//
// Registers:
//	SI      next element
//	CX      elements left
//	Y0-Y3   running maxima, -Inf at the start
//	Y4      tail: the last elements, -Inf in the masked-off lanes
//	Y5      -Inf
//	Y15     tail mask
TEXT ·SoftmaxMaxF64AVX2(SB), NOSPLIT, $0-32
	MOVQ    x_base+0(FP), SI
	MOVQ    x_len+8(FP), CX
	VMOVUPD C_NEGINF, Y0
	VMOVAPD Y0, Y1
	VMOVAPD Y0, Y2
	VMOVAPD Y0, Y3
	CMPQ    CX, $16
	JB      max256_one

max256_four:
	VMAXPD 0(SI), Y0, Y0
	VMAXPD 32(SI), Y1, Y1
	VMAXPD 64(SI), Y2, Y2
	VMAXPD 96(SI), Y3, Y3
	ADDQ   $128, SI
	SUBQ   $16, CX
	CMPQ   CX, $16
	JAE    max256_four

max256_one:
	CMPQ   CX, $4
	JB     max256_tail
	VMAXPD 0(SI), Y1, Y1
	ADDQ   $32, SI
	SUBQ   $4, CX
	JMP    max256_one

max256_tail:
	TESTQ      CX, CX
	JZ         max256_reduce
	TAILMASK256(Y15)
	VMASKMOVPD 0(SI), Y15, Y4
	VMOVUPD    C_NEGINF, Y5
	VBLENDVPD  Y15, Y4, Y5, Y4
	VMAXPD     Y4, Y2, Y2

max256_reduce:
	VMAXPD       Y1, Y0, Y0
	VMAXPD       Y3, Y2, Y2
	VMAXPD       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VMAXPD       X1, X0, X0
	VPERMILPD    $1, X0, X1
	VMAXSD       X1, X0, X0
	VZEROUPPER
	MOVSD        X0, ret+24(FP)
	RET

// EXPNEG256 sets X = e^X for X <= 0 or NaN, so only the lower clamp is needed; T and P are
// scratch.
#define EXPNEG256(X, T, P) \
	VMOVUPD C_LO, T;      \
	VMAXPD  X, T, X;      \
	EXP256_CORE(X, T, P)

// func SoftmaxExpSumF64AVX2(dst, src []float64, sub float64) float64
//
// Registers:
//	DI       next dst element
//	SI       next src element
//	CX       elements left
//	Y0-Y11   four vectors in flight, three registers each (x, t, polynomial)
//	Y12      sub
//	Y13      partial sums
//	Y14, Y15 range check of the four vectors; Y15 tail mask
// Every other constant is a memory operand. The unrolled loop takes a shorter path when every
// x - sub in the block is at least -708 (no clamping, 2^n added to the exponent directly).
TEXT ·SoftmaxExpSumF64AVX2(SB), NOSPLIT, $0-64
	MOVQ         dst_base+0(FP), DI
	MOVQ         src_base+24(FP), SI
	MOVQ         src_len+32(FP), CX
	VBROADCASTSD sub+48(FP), Y12
	VXORPD       Y13, Y13, Y13
	VXORPD       Y14, Y14, Y14
	CMPQ         CX, $16
	JB           expsum256_one

expsum256_four:
	VMOVUPD 0(SI), Y0
	VMOVUPD 32(SI), Y3
	VMOVUPD 64(SI), Y6
	VMOVUPD 96(SI), Y9
	VSUBPD  Y12, Y0, Y0
	VSUBPD  Y12, Y3, Y3
	VSUBPD  Y12, Y6, Y6
	VSUBPD  Y12, Y9, Y9
	FASTCHECK256x4(Y0, Y3, Y6, Y9, Y14, Y15, expsum256_four_slow)
	EXP256_FAST(Y0, Y1, Y2)
	EXP256_FAST(Y3, Y4, Y5)
	EXP256_FAST(Y6, Y7, Y8)
	EXP256_FAST(Y9, Y10, Y11)

expsum256_four_sum:
	VADDPD  Y0, Y13, Y13
	VADDPD  Y3, Y13, Y13
	VADDPD  Y6, Y13, Y13
	VADDPD  Y9, Y13, Y13
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y3, 32(DI)
	VMOVUPD Y6, 64(DI)
	VMOVUPD Y9, 96(DI)
	ADDQ    $128, SI
	ADDQ    $128, DI
	SUBQ    $16, CX
	CMPQ    CX, $16
	JAE     expsum256_four

expsum256_one:
	CMPQ    CX, $4
	JB      expsum256_tail
	VMOVUPD 0(SI), Y0
	VSUBPD  Y12, Y0, Y0
	EXPNEG256(Y0, Y1, Y2)
	VADDPD  Y0, Y13, Y13
	VMOVUPD Y0, 0(DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $4, CX
	JMP     expsum256_one

expsum256_tail:
	TESTQ      CX, CX
	JZ         expsum256_reduce
	TAILMASK256(Y15)
	VMASKMOVPD 0(SI), Y15, Y0
	VSUBPD     Y12, Y0, Y0
	EXPNEG256(Y0, Y1, Y2)
	VMASKMOVPD Y0, Y15, 0(DI)
	VANDPD     Y15, Y0, Y0 // only the live lanes count
	VADDPD     Y0, Y13, Y13

expsum256_reduce:
	VMOVAPD      Y13, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VPERMILPD    $1, X0, X1
	VADDSD       X1, X0, X0
	VZEROUPPER
	MOVSD        X0, ret+56(FP)
	RET

expsum256_four_slow:
	// Some x - sub is below -708 or NaN: clamp, and scale in two steps.
	EXPNEG256(Y0, Y1, Y2)
	EXPNEG256(Y3, Y4, Y5)
	EXPNEG256(Y6, Y7, Y8)
	EXPNEG256(Y9, Y10, Y11)
	JMP expsum256_four_sum

// func SoftmaxScaleF64AVX2(x []float64, a float64)
//
// Registers:
//	DI      next element
//	CX      elements left
//	Y0-Y3   products
//	Y14     a
//	Y15     tail mask
TEXT ·SoftmaxScaleF64AVX2(SB), NOSPLIT, $0-32
	MOVQ         x_base+0(FP), DI
	MOVQ         x_len+8(FP), CX
	VBROADCASTSD a+24(FP), Y14
	CMPQ         CX, $16
	JB           scale256_one

scale256_four:
	VMULPD  0(DI), Y14, Y0
	VMULPD  32(DI), Y14, Y1
	VMULPD  64(DI), Y14, Y2
	VMULPD  96(DI), Y14, Y3
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	ADDQ    $128, DI
	SUBQ    $16, CX
	CMPQ    CX, $16
	JAE     scale256_four

scale256_one:
	CMPQ    CX, $4
	JB      scale256_tail
	VMULPD  0(DI), Y14, Y0
	VMOVUPD Y0, 0(DI)
	ADDQ    $32, DI
	SUBQ    $4, CX
	JMP     scale256_one

scale256_tail:
	TESTQ      CX, CX
	JZ         scale256_done
	TAILMASK256(Y15)
	VMASKMOVPD 0(DI), Y15, Y0
	VMULPD     Y14, Y0, Y0
	VMASKMOVPD Y0, Y15, 0(DI)

scale256_done:
	VZEROUPPER
	RET
