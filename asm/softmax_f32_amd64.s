//go:build !purego

#include "textflag.h"
#include "exp_f32_amd64.h"

// Softmax over rows of float32: per row three passes, the maximum, e^(x-max) into dst with its
// sum, and dst times 1/sum. The sum is accumulated in float64 (each e^(x-max) widened exactly),
// so its rounding is negligible; 1/sum is rounded once to float32.

// EXPSUM32_512 sets X = e^(X - Z31), for X - Z31 <= 0 or NaN (so only the lower clamp is
// needed), and adds its 16 values, widened to float64, to ACC. XY and TY are the Y names of X
// and T; T, N, P and R are scratch. Its four parts EXPSUM32_512_A to _D are what the unrolled
// loop interleaves over four vectors, so that their long dependency chains overlap.
#define EXPSUM32_512(X, XY, T, TY, N, P, R, ACC) \
	EXPSUM32_512_A(X, XY, T, TY, N, P, R, ACC); \
	EXPSUM32_512_B(X, XY, T, TY, N, P, R, ACC); \
	EXPSUM32_512_C(X, XY, T, TY, N, P, R, ACC); \
	EXPSUM32_512_D(X, XY, T, TY, N, P, R, ACC)

#define EXPSUM32_512_A(X, XY, T, TY, N, P, R, ACC) \
	VSUBPS Z31, X, X; \
	VMAXPS X, Z24, X; \
	EXP32_512_RED(X, T, N)

#define EXPSUM32_512_B(X, XY, T, TY, N, P, R, ACC) \
	EXP32_512_POLY(X, T, N, P, R)

#define EXPSUM32_512_C(X, XY, T, TY, N, P, R, ACC) \
	EXP32_512_SCALE(X, T, N, P, R)

#define EXPSUM32_512_D(X, XY, T, TY, N, P, R, ACC) \
	VCVTPS2PD     XY, N;       \
	VADDPD        N, ACC, ACC; \
	VEXTRACTF32X8 $1, X, TY;   \
	VCVTPS2PD     TY, T;       \
	VADDPD        T, ACC, ACC

// func SoftmaxF32AVX512(dst, src []float32, cols int)
//
// Rows of fewer than 16 elements are loaded and stored under the mask K2. Longer rows end with
// an unmasked vector over their last 16 elements, which overlaps elements already done: the max
// pass takes it as it is; the exp pass loads it before anything of the row is stored (dst may
// be src), stores it over equal values and adds only its last cols%16 lanes (K3) to the sum; the
// scale pass loads it before scaling the row. Masked stores followed by loads of the same
// memory are slow, and each row would have one per pass.
//
// Registers:
//	SI      src row
//	DI      dst row
//	BX      rows left
//	R10     cols
//	R11     cols*4, the row stride in bytes
//	R12     cols*4 - 64, the offset of the last 16 elements of a row
//	R9, R8  src and dst pointers within a pass
//	CX      elements left in a pass
//	AX, DX  row count division, masks
//	K2      the first cols%16 lanes (rows of fewer than 16)
//	K3      the last cols%16 lanes (the new lanes of the overlapping last vector)
//	Z0-Z15  four vectors in flight, four registers each (x, t, k/16, polynomial)
//	Z16     the last 16 elements of the row
//	Z17-Z19, Z30 R[j], one register per vector
//	Z20-Z25 exp constants as in ExpF32AVX512
//	Z26-Z29 running maxima, then float64 partial sums
//	Z31     the row's maximum, then 1/sum
TEXT ·SoftmaxF32AVX512(SB), NOSPLIT, $0-56
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
	SHLQ  $2, R11
	LEAQ  -64(R11), R12
	MOVQ  R10, CX
	ANDQ  $15, CX
	MOVL  $1, AX
	SHLL  CX, AX
	DECL  AX
	KMOVW AX, K2
	MOVL  $16, DX
	SUBL  CX, DX
	MOVL  DX, CX
	SHLL  CX, AX
	KMOVW AX, K3
	EXP32_512_LOADCONST

rows512_row:
	// Pass 1: the row's maximum into every lane of Z31.
	VBROADCASTSS C_NEGINF, Z26
	VMOVAPS      Z26, Z27
	VMOVAPS      Z26, Z28
	VMOVAPS      Z26, Z29
	MOVQ         SI, R9
	MOVQ         R10, CX
	CMPQ         CX, $16
	JB           rows512_max_short
	VMAXPS       (SI)(R12*1), Z29, Z29
	CMPQ         CX, $64
	JB           rows512_max_one

rows512_max_four:
	VMAXPS 0(R9), Z26, Z26
	VMAXPS 64(R9), Z27, Z27
	VMAXPS 128(R9), Z28, Z28
	VMAXPS 192(R9), Z29, Z29
	ADDQ   $256, R9
	SUBQ   $64, CX
	CMPQ   CX, $64
	JAE    rows512_max_four

rows512_max_one:
	CMPQ   CX, $16
	JB     rows512_max_reduce
	VMAXPS 0(R9), Z27, Z27
	ADDQ   $64, R9
	SUBQ   $16, CX
	JMP    rows512_max_one

rows512_max_short:
	VMAXPS 0(R9), Z28, K2, Z28

rows512_max_reduce:
	VMAXPS        Z27, Z26, Z26
	VMAXPS        Z29, Z28, Z28
	VMAXPS        Z28, Z26, Z26
	VEXTRACTF32X8 $1, Z26, Y0
	VMAXPS        Y26, Y0, Y0
	VEXTRACTF128  $1, Y0, X1
	VMAXPS        X1, X0, X0
	VPERMILPS     $0x4e, X0, X1
	VMAXPS        X1, X0, X0
	VPERMILPS     $0xb1, X0, X1
	VMAXSS        X1, X0, X0
	VBROADCASTSS  X0, Z31

	// Pass 2: dst = e^(src - max), and the sum in float64.
	VPXORQ Z26, Z26, Z26
	VPXORQ Z27, Z27, Z27
	VPXORQ Z28, Z28, Z28
	VPXORQ Z29, Z29, Z29
	MOVQ   SI, R9
	MOVQ   DI, R8
	MOVQ   R10, CX
	CMPQ   CX, $16
	JB     rows512_exp_short
	VMOVUPS (SI)(R12*1), Z16
	CMPQ   CX, $64
	JB     rows512_exp_one

rows512_exp_four:
	VMOVUPS 0(R9), Z0
	VMOVUPS 64(R9), Z4
	VMOVUPS 128(R9), Z8
	VMOVUPS 192(R9), Z12
	EXPSUM32_512_A(Z0, Y0, Z1, Y1, Z2, Z3, Z17, Z26)
	EXPSUM32_512_A(Z4, Y4, Z5, Y5, Z6, Z7, Z18, Z27)
	EXPSUM32_512_A(Z8, Y8, Z9, Y9, Z10, Z11, Z19, Z28)
	EXPSUM32_512_A(Z12, Y12, Z13, Y13, Z14, Z15, Z30, Z29)
	EXPSUM32_512_B(Z0, Y0, Z1, Y1, Z2, Z3, Z17, Z26)
	EXPSUM32_512_B(Z4, Y4, Z5, Y5, Z6, Z7, Z18, Z27)
	EXPSUM32_512_B(Z8, Y8, Z9, Y9, Z10, Z11, Z19, Z28)
	EXPSUM32_512_B(Z12, Y12, Z13, Y13, Z14, Z15, Z30, Z29)
	EXPSUM32_512_C(Z0, Y0, Z1, Y1, Z2, Z3, Z17, Z26)
	EXPSUM32_512_C(Z4, Y4, Z5, Y5, Z6, Z7, Z18, Z27)
	EXPSUM32_512_C(Z8, Y8, Z9, Y9, Z10, Z11, Z19, Z28)
	EXPSUM32_512_C(Z12, Y12, Z13, Y13, Z14, Z15, Z30, Z29)
	EXPSUM32_512_D(Z0, Y0, Z1, Y1, Z2, Z3, Z17, Z26)
	EXPSUM32_512_D(Z4, Y4, Z5, Y5, Z6, Z7, Z18, Z27)
	EXPSUM32_512_D(Z8, Y8, Z9, Y9, Z10, Z11, Z19, Z28)
	EXPSUM32_512_D(Z12, Y12, Z13, Y13, Z14, Z15, Z30, Z29)
	VMOVUPS Z0, 0(R8)
	VMOVUPS Z4, 64(R8)
	VMOVUPS Z8, 128(R8)
	VMOVUPS Z12, 192(R8)
	ADDQ    $256, R9
	ADDQ    $256, R8
	SUBQ    $64, CX
	CMPQ    CX, $64
	JAE     rows512_exp_four

rows512_exp_one:
	CMPQ    CX, $16
	JB      rows512_exp_last
	VMOVUPS 0(R9), Z0
	EXPSUM32_512(Z0, Y0, Z1, Y1, Z2, Z3, Z17, Z26)
	VMOVUPS Z0, 0(R8)
	ADDQ    $64, R9
	ADDQ    $64, R8
	SUBQ    $16, CX
	JMP     rows512_exp_one

rows512_exp_last:
	// 1 to 15 elements left: the row's last 16 from Z16, only the new lanes summed.
	TESTQ     CX, CX
	JZ        rows512_exp_reduce
	VSUBPS    Z31, Z16, Z0
	VMAXPS    Z0, Z24, Z0
	EXP32_512(Z0, Z1, Z2, Z3, Z17)
	VMOVUPS   Z0, (DI)(R12*1)
	VMOVAPS.Z Z0, K3, Z0
	JMP       rows512_exp_sum1

rows512_exp_short:
	// Fewer than 16 elements: masked load and store.
	VMOVUPS.Z 0(R9), K2, Z0
	VSUBPS    Z31, Z0, Z0
	VMAXPS    Z0, Z24, Z0
	EXP32_512(Z0, Z1, Z2, Z3, Z17)
	VMOVUPS   Z0, K2, 0(R8)
	VMOVAPS.Z Z0, K2, Z0 // only the live lanes count

rows512_exp_sum1:
	VCVTPS2PD     Y0, Z2
	VADDPD        Z2, Z27, Z27
	VEXTRACTF32X8 $1, Z0, Y1
	VCVTPS2PD     Y1, Z1
	VADDPD        Z1, Z28, Z28

rows512_exp_reduce:
	VADDPD        Z27, Z26, Z26
	VADDPD        Z29, Z28, Z28
	VADDPD        Z28, Z26, Z26
	VEXTRACTF64X4 $1, Z26, Y0
	VADDPD        Y26, Y0, Y0
	VEXTRACTF128  $1, Y0, X1
	VADDPD        X1, X0, X0
	VPERMILPD     $1, X0, X1
	VADDSD        X1, X0, X0
	MOVQ          $0x3ff0000000000000, AX
	VMOVQ         AX, X1
	VDIVSD        X0, X1, X1 // 1/sum in float64
	VCVTSD2SS     X1, X1, X1 // rounded once to float32
	VBROADCASTSS  X1, Z31

	// Pass 3: dst *= 1/sum.
	MOVQ DI, R8
	MOVQ R10, CX
	CMPQ CX, $16
	JB   rows512_scale_short
	VMOVUPS (DI)(R12*1), Z16
	CMPQ CX, $64
	JB   rows512_scale_one

rows512_scale_four:
	VMULPS  0(R8), Z31, Z0
	VMULPS  64(R8), Z31, Z1
	VMULPS  128(R8), Z31, Z2
	VMULPS  192(R8), Z31, Z3
	VMOVUPS Z0, 0(R8)
	VMOVUPS Z1, 64(R8)
	VMOVUPS Z2, 128(R8)
	VMOVUPS Z3, 192(R8)
	ADDQ    $256, R8
	SUBQ    $64, CX
	CMPQ    CX, $64
	JAE     rows512_scale_four

rows512_scale_one:
	CMPQ    CX, $16
	JB      rows512_scale_last
	VMULPS  0(R8), Z31, Z0
	VMOVUPS Z0, 0(R8)
	ADDQ    $64, R8
	SUBQ    $16, CX
	JMP     rows512_scale_one

rows512_scale_last:
	TESTQ   CX, CX
	JZ      rows512_next
	VMULPS  Z31, Z16, Z0
	VMOVUPS Z0, (DI)(R12*1)
	JMP     rows512_next

rows512_scale_short:
	VMOVUPS.Z 0(R8), K2, Z0
	VMULPS    Z31, Z0, Z0
	VMOVUPS   Z0, K2, 0(R8)

rows512_next:
	ADDQ R11, SI
	ADDQ R11, DI
	DECQ BX
	JNZ  rows512_row

rows512_done:
	VZEROUPPER
	RET

// SUM32_256 adds the 8 values of X, widened to float64, to ACC. XX and TX are the X names of X
// and T; T and K are scratch.
#define SUM32_256(X, XX, T, TX, K, ACC) \
	VCVTPS2PD    XX, K;       \
	VADDPD       K, ACC, ACC; \
	VEXTRACTF128 $1, X, TX;   \
	VCVTPS2PD    TX, T;       \
	VADDPD       T, ACC, ACC

// EXPNEG32_256 sets X = e^X for X <= 0 or NaN (lower clamp only, two-step scaling); T, K and P
// are scratch.
#define EXPNEG32_256(X, T, K, P) \
	VMOVUPS C_NBOUND, T;      \
	VMAXPS  X, T, X;          \
	EXP32_256(X, T, K, P);    \
	EXP32_256_SLOW(X, T, K)

// func SoftmaxF32AVX2(dst, src []float32, cols int)
//
// Registers:
//	SI       src row
//	DI       dst row
//	BX       rows left
//	R10      cols
//	R11      cols*4, the row stride in bytes
//	R12      cols*4 - 32, the offset of the last 8 elements of a row
//	R9, R8   src and dst pointers within a pass
//	CX       elements left in a pass
//	AX, DX   row count division
//	Y0-Y7    two vectors in flight, four registers each (x, t, k, polynomial); Y0-Y5 running
//	         maxima and the masked last elements in the first pass
//	Y8, Y9   range check of the two vectors
//	Y10      the last 8 elements of the row
//	Y11      all ones in the first 8 - cols%8 lanes, which the last vector repeats
//	Y12      the row's maximum, then 1/sum
//	Y13, Y14 float64 partial sums
//	Y15      mask for rows of fewer than 8 elements
// Every other constant is a memory operand. Rows of 8 or more end with an overlapping unmasked
// vector, as in SoftmaxF32AVX512.
TEXT ·SoftmaxF32AVX2(SB), NOSPLIT, $0-56
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
	SHLQ  $2, R11
	LEAQ  -32(R11), R12
	MOVQ  R10, CX
	ANDQ  $7, CX
	MOVQ  $8, AX
	SUBQ  CX, AX
	MOVQ  AX, X11
	VPBROADCASTD X11, Y11
	VPCMPGTD     C_IDX0, Y11, Y11

rows256_row:
	// Pass 1: the row's maximum into every lane of Y12.
	VMOVUPS C_NEGINF, Y0
	VMOVAPS Y0, Y1
	VMOVAPS Y0, Y2
	VMOVAPS Y0, Y3
	MOVQ    SI, R9
	MOVQ    R10, CX
	CMPQ    CX, $8
	JB      rows256_max_short
	VMAXPS  (SI)(R12*1), Y3, Y3
	CMPQ    CX, $32
	JB      rows256_max_one

rows256_max_four:
	VMAXPS 0(R9), Y0, Y0
	VMAXPS 32(R9), Y1, Y1
	VMAXPS 64(R9), Y2, Y2
	VMAXPS 96(R9), Y3, Y3
	ADDQ   $128, R9
	SUBQ   $32, CX
	CMPQ   CX, $32
	JAE    rows256_max_four

rows256_max_one:
	CMPQ   CX, $8
	JB     rows256_max_reduce
	VMAXPS 0(R9), Y1, Y1
	ADDQ   $32, R9
	SUBQ   $8, CX
	JMP    rows256_max_one

rows256_max_short:
	TAILMASK32_256(Y15, X15)
	VMASKMOVPS 0(R9), Y15, Y4
	VMOVUPS    C_NEGINF, Y5
	VBLENDVPS  Y15, Y4, Y5, Y4
	VMAXPS     Y4, Y2, Y2

rows256_max_reduce:
	VMAXPS       Y1, Y0, Y0
	VMAXPS       Y3, Y2, Y2
	VMAXPS       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VMAXPS       X1, X0, X0
	VPERMILPS    $0x4e, X0, X1
	VMAXPS       X1, X0, X0
	VPERMILPS    $0xb1, X0, X1
	VMAXSS       X1, X0, X0
	VBROADCASTSS X0, Y12

	// Pass 2: dst = e^(src - max), and the sum in float64.
	VXORPD Y13, Y13, Y13
	VXORPD Y14, Y14, Y14
	MOVQ    SI, R9
	MOVQ    DI, R8
	MOVQ    R10, CX
	CMPQ    CX, $8
	JB      rows256_exp_short
	VMOVUPS (SI)(R12*1), Y10
	CMPQ    CX, $16
	JB      rows256_exp_one

rows256_exp_two:
	VMOVUPS 0(R9), Y0
	VMOVUPS 32(R9), Y4
	VSUBPS  Y12, Y0, Y0
	VSUBPS  Y12, Y4, Y4
	FASTCHECK32_256(Y0, Y8)
	FASTCHECK32_256(Y4, Y9)
	VPOR    Y9, Y8, Y8
	VPTEST  Y8, Y8
	JNZ     rows256_exp_two_slow
	EXP32_256_RED(Y0, Y1, Y2)
	EXP32_256_RED(Y4, Y5, Y6)
	EXP32_256_POLY(Y0, Y1, Y2, Y3)
	EXP32_256_POLY(Y4, Y5, Y6, Y7)
	EXP32_256_FAST(Y0, Y1)
	EXP32_256_FAST(Y4, Y5)

rows256_exp_two_sum:
	SUM32_256(Y0, X0, Y1, X1, Y2, Y13)
	SUM32_256(Y4, X4, Y5, X5, Y6, Y14)
	VMOVUPS Y0, 0(R8)
	VMOVUPS Y4, 32(R8)
	ADDQ    $64, R9
	ADDQ    $64, R8
	SUBQ    $16, CX
	CMPQ    CX, $16
	JAE     rows256_exp_two

rows256_exp_one:
	CMPQ    CX, $8
	JB      rows256_exp_last
	VMOVUPS 0(R9), Y0
	VSUBPS  Y12, Y0, Y0
	EXPNEG32_256(Y0, Y1, Y2, Y3)
	SUM32_256(Y0, X0, Y1, X1, Y2, Y13)
	VMOVUPS Y0, 0(R8)
	ADDQ    $32, R9
	ADDQ    $32, R8
	SUBQ    $8, CX
	JMP     rows256_exp_one

rows256_exp_last:
	// 1 to 7 elements left: the row's last 8 from Y10, only the new lanes summed.
	TESTQ   CX, CX
	JZ      rows256_exp_reduce
	VSUBPS  Y12, Y10, Y0
	EXPNEG32_256(Y0, Y1, Y2, Y3)
	VMOVUPS Y0, (DI)(R12*1)
	VANDNPS Y0, Y11, Y0
	SUM32_256(Y0, X0, Y1, X1, Y2, Y14)
	JMP     rows256_exp_reduce

rows256_exp_short:
	TAILMASK32_256(Y15, X15)
	VMASKMOVPS 0(R9), Y15, Y0
	VSUBPS     Y12, Y0, Y0
	EXPNEG32_256(Y0, Y1, Y2, Y3)
	VMASKMOVPS Y0, Y15, 0(R8)
	VANDPS     Y15, Y0, Y0 // only the live lanes count
	SUM32_256(Y0, X0, Y1, X1, Y2, Y14)

rows256_exp_reduce:
	VADDPD       Y14, Y13, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD       X1, X0, X0
	VPERMILPD    $1, X0, X1
	VADDSD       X1, X0, X0
	MOVQ         $0x3ff0000000000000, AX
	VMOVQ        AX, X1
	VDIVSD       X0, X1, X1 // 1/sum in float64
	VCVTSD2SS    X1, X1, X1 // rounded once to float32
	VBROADCASTSS X1, Y12

	// Pass 3: dst *= 1/sum.
	MOVQ    DI, R8
	MOVQ    R10, CX
	CMPQ    CX, $8
	JB      rows256_scale_short
	VMOVUPS (DI)(R12*1), Y10
	CMPQ    CX, $32
	JB      rows256_scale_one

rows256_scale_four:
	VMULPS  0(R8), Y12, Y0
	VMULPS  32(R8), Y12, Y1
	VMULPS  64(R8), Y12, Y2
	VMULPS  96(R8), Y12, Y3
	VMOVUPS Y0, 0(R8)
	VMOVUPS Y1, 32(R8)
	VMOVUPS Y2, 64(R8)
	VMOVUPS Y3, 96(R8)
	ADDQ    $128, R8
	SUBQ    $32, CX
	CMPQ    CX, $32
	JAE     rows256_scale_four

rows256_scale_one:
	CMPQ    CX, $8
	JB      rows256_scale_last
	VMULPS  0(R8), Y12, Y0
	VMOVUPS Y0, 0(R8)
	ADDQ    $32, R8
	SUBQ    $8, CX
	JMP     rows256_scale_one

rows256_scale_last:
	TESTQ   CX, CX
	JZ      rows256_next
	VMULPS  Y12, Y10, Y0
	VMOVUPS Y0, (DI)(R12*1)
	JMP     rows256_next

rows256_scale_short:
	TAILMASK32_256(Y15, X15)
	VMASKMOVPS 0(R8), Y15, Y0
	VMULPS     Y12, Y0, Y0
	VMASKMOVPS Y0, Y15, 0(R8)

rows256_next:
	ADDQ R11, SI
	ADDQ R11, DI
	DECQ BX
	JNZ  rows256_row

rows256_done:
	VZEROUPPER
	RET

rows256_exp_two_slow:
	// Some x - max is below -87 or NaN: clamp, and scale in two steps.
	EXPNEG32_256(Y0, Y1, Y2, Y3)
	EXPNEG32_256(Y4, Y5, Y6, Y7)
	JMP rows256_exp_two_sum
