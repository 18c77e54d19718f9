//go:build !purego

#include "textflag.h"
#include "exp32_amd64.h"

// Sigmoid as e/(1+e) for x < 0 and 1/(1+e) for x >= 0, with e = e^-|x| (never overflows; for
// x < 0 the result follows e^x through the subnormals). The rounding of 1+e would cost up to one
// ULP of the result, so it is corrected: with d = 1+e rounded and dl = e - (d-1) its exact
// error (d-1 is exact as d is in [1, 2], and so is dl), num/(d+dl) = q - q*dl/d to first order,
// for q = num/d (one division, correctly rounded); 1/d in the correction needs only a few bits
// and comes from the approximate reciprocal.

// SIG32_512 sets X = sigmoid(X); T, N, P, M are scratch.
#define SIG32_512(X, T, N, P, M) \
	VPSRAD       $31, X, M;        \
	VPORD.BCST   C_SIGN, X, X;     \
	VMAXPS       X, Z24, X;        \
	EXP32_512(X, T, N, P);         \
	VPTERNLOGD   $0xca, Z25, X, M; \
	VADDPS       Z25, X, T;        \
	VSUBPS       Z25, T, N;        \
	VSUBPS       N, X, X;          \
	VRCP14PS     T, P;             \
	VDIVPS       T, M, M;          \
	VMULPS       M, P, P;          \
	VFNMADD213PS M, P, X

// func SigmoidF32AVX512(dst, src []float32)
//
// Registers:
//	DI      next dst element
//	SI      next src element
//	CX      elements left
//	AX      tail mask bits
//	K1      tail mask
//	Z0-Z15  four vectors in flight, four registers each (x, t, k/32, polynomial)
//	Z16-Z19 2^(j/32) for j = 0..31, and its rounding errors
//	Z20-Z25 32/ln2, 1.5*2^23, -ln2hi, -ln2lo, -104, 1.0
//	Z26-Z29 all ones in the lanes where x is negative, one register per vector; then the
//	        numerator, e or 1
TEXT ·SigmoidF32AVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	EXP32_512_LOADCONST
	CMPQ CX, $64
	JB   avx512_one

avx512_four:
	VMOVUPS 0(SI), Z0
	VMOVUPS 64(SI), Z4
	VMOVUPS 128(SI), Z8
	VMOVUPS 192(SI), Z12
	SIG32_512(Z0, Z1, Z2, Z3, Z26)
	SIG32_512(Z4, Z5, Z6, Z7, Z27)
	SIG32_512(Z8, Z9, Z10, Z11, Z28)
	SIG32_512(Z12, Z13, Z14, Z15, Z29)
	VMOVUPS Z0, 0(DI)
	VMOVUPS Z4, 64(DI)
	VMOVUPS Z8, 128(DI)
	VMOVUPS Z12, 192(DI)
	ADDQ    $256, SI
	ADDQ    $256, DI
	SUBQ    $64, CX
	CMPQ    CX, $64
	JAE     avx512_four

avx512_one:
	CMPQ    CX, $16
	JB      avx512_tail
	VMOVUPS 0(SI), Z0
	SIG32_512(Z0, Z1, Z2, Z3, Z26)
	VMOVUPS Z0, 0(DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     avx512_one

avx512_tail:
	// 0 to 15 elements left: masked load and store, the masked-off lanes are never touched.
	TESTQ     CX, CX
	JZ        avx512_done
	MOVL      $1, AX
	SHLL      CX, AX
	DECL      AX
	KMOVW     AX, K1
	VMOVUPS.Z 0(SI), K1, Z0
	SIG32_512(Z0, Z1, Z2, Z3, Z26)
	VMOVUPS   Z0, K1, 0(DI)

avx512_done:
	VZEROUPPER
	RET

// SIGPRE32_256 sets X = 2^(j/8) e^r for -|X| and T = t, for EXP32_256_FAST or _SLOW; K and P
// are scratch. The lower clamp at -104 is all -|x| needs (it keeps a NaN).
#define SIGPRE32_256(X, T, K, P) \
	VORPS   C_SIGN, X, X;   \
	VMOVUPS C_NBOUND, T;    \
	VMAXPS  X, T, X;        \
	EXP32_256(X, T, K, P)

// SIGPOST32_256 sets X = (T < 0 ? X : 1) / (1 + X), for X = e^-|x| and T = x, with the
// rounding of 1 + X corrected; K and P are scratch. VBLENDVPS picks by the sign bit of x.
#define SIGPOST32_256(X, T, K, P) \
	VMOVUPS      C_ONE, P;   \
	VBLENDVPS    T, X, P, T; \
	VADDPS       P, X, K;    \
	VSUBPS       P, K, P;    \
	VSUBPS       P, X, X;    \
	VRCPPS       K, P;       \
	VDIVPS       K, T, T;    \
	VMULPS       T, P, P;    \
	VFNMADD213PS T, P, X

// func SigmoidF32AVX2(dst, src []float32)
//
// Registers:
//	DI      next dst element
//	SI      next src element
//	CX      elements left
//	Y0-Y11  three vectors in flight, four registers each (x, t and then x again, k, polynomial)
//	Y12-Y13 range check of the three vectors
//	Y15     tail mask
// Every constant is a memory operand. x is loaded a second time for its sign, before the store,
// so dst may be src. The unrolled loop takes a shorter path when every |x| in the block is at
// most 87 (2^n added to the exponent directly).
TEXT ·SigmoidF32AVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	CMPQ CX, $24
	JB   avx2_one

avx2_three:
	VMOVUPS 0(SI), Y0
	VMOVUPS 32(SI), Y4
	VMOVUPS 64(SI), Y8
	FASTCHECK32_256x3(Y0, Y4, Y8, Y12, Y13, avx2_three_slow)
	SIGPRE32_256(Y0, Y1, Y2, Y3)
	SIGPRE32_256(Y4, Y5, Y6, Y7)
	SIGPRE32_256(Y8, Y9, Y10, Y11)
	EXP32_256_FAST(Y0, Y1)
	EXP32_256_FAST(Y4, Y5)
	EXP32_256_FAST(Y8, Y9)

avx2_three_post:
	VMOVUPS 0(SI), Y1
	VMOVUPS 32(SI), Y5
	VMOVUPS 64(SI), Y9
	SIGPOST32_256(Y0, Y1, Y2, Y3)
	SIGPOST32_256(Y4, Y5, Y6, Y7)
	SIGPOST32_256(Y8, Y9, Y10, Y11)
	VMOVUPS Y0, 0(DI)
	VMOVUPS Y4, 32(DI)
	VMOVUPS Y8, 64(DI)
	ADDQ    $96, SI
	ADDQ    $96, DI
	SUBQ    $24, CX
	CMPQ    CX, $24
	JAE     avx2_three

avx2_one:
	CMPQ    CX, $8
	JB      avx2_tail
	VMOVUPS 0(SI), Y0
	SIGPRE32_256(Y0, Y1, Y2, Y3)
	EXP32_256_SLOW(Y0, Y1, Y2)
	VMOVUPS 0(SI), Y1
	SIGPOST32_256(Y0, Y1, Y2, Y3)
	VMOVUPS Y0, 0(DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX
	JMP     avx2_one

avx2_tail:
	// 0 to 7 elements left: VMASKMOVPS neither reads nor writes the masked-off lanes.
	TESTQ      CX, CX
	JZ         avx2_done
	TAILMASK32_256(Y15)
	VMASKMOVPS 0(SI), Y15, Y0
	SIGPRE32_256(Y0, Y1, Y2, Y3)
	EXP32_256_SLOW(Y0, Y1, Y2)
	VMASKMOVPS 0(SI), Y15, Y1
	SIGPOST32_256(Y0, Y1, Y2, Y3)
	VMASKMOVPS Y0, Y15, 0(DI)

avx2_done:
	VZEROUPPER
	RET

avx2_three_slow:
	// Some |x| is beyond 87, infinite or NaN: clamp, and scale in two steps.
	SIGPRE32_256(Y0, Y1, Y2, Y3)
	SIGPRE32_256(Y4, Y5, Y6, Y7)
	SIGPRE32_256(Y8, Y9, Y10, Y11)
	EXP32_256_SLOW(Y0, Y1, Y2)
	EXP32_256_SLOW(Y4, Y5, Y6)
	EXP32_256_SLOW(Y8, Y9, Y10)
	JMP avx2_three_post
