//go:build !purego

#include "textflag.h"
#include "exp_f64_amd64.h"

// Sigmoid as e/(1+e) for x < 0 and 1/(1+e) for x >= 0, with e = e^-|x| (never overflows; for
// x < 0 the result follows e^x through the subnormals). One division, correctly rounded.

// SIG512 sets X = sigmoid(X); T, N, E, M are scratch.
#define SIG512(X, T, N, E, M) \
	VPSRAQ     $63, X, M;         \
	VPORQ.BCST C_SIGN, X, X;      \
	VMAXPD     X, Z26, X;         \
	EXP512_CORE(X, T, N, E);      \
	VPTERNLOGQ $0xca, Z25, X, M;  \
	VADDPD     Z25, X, X;         \
	VDIVPD     X, M, X

// func SigmoidF64AVX512(dst, src []float64)
//
// Registers:
//	DI      next dst element
//	SI      next src element
//	CX      elements left
//	AX      tail mask bits
//	K1      tail mask
//	Z0-Z15  four vectors in flight, four registers each (x, t, k/16, polynomial)
//	Z16-Z19 2^(j/16) for j = 0..15, and its rounding errors
//	Z27-Z30 all ones in the lanes where x is negative, one register per vector; then the
//	        numerator, e or 1
//	Z20-Z26 16/ln2, 1.5*2^52, -ln2hi, -ln2lo, 1100, 1.0, -1100
TEXT ·SigmoidF64AVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	EXP512_LOADCONST
	CMPQ CX, $32
	JB   avx512_one

avx512_four:
	VMOVUPD 0(SI), Z0
	VMOVUPD 64(SI), Z4
	VMOVUPD 128(SI), Z8
	VMOVUPD 192(SI), Z12
	SIG512(Z0, Z1, Z2, Z3, Z27)
	SIG512(Z4, Z5, Z6, Z7, Z28)
	SIG512(Z8, Z9, Z10, Z11, Z29)
	SIG512(Z12, Z13, Z14, Z15, Z30)
	VMOVUPD Z0, 0(DI)
	VMOVUPD Z4, 64(DI)
	VMOVUPD Z8, 128(DI)
	VMOVUPD Z12, 192(DI)
	ADDQ    $256, SI
	ADDQ    $256, DI
	SUBQ    $32, CX
	CMPQ    CX, $32
	JAE     avx512_four

avx512_one:
	CMPQ CX, $8
	JB   avx512_tail
	VMOVUPD 0(SI), Z0
	SIG512(Z0, Z1, Z2, Z3, Z27)
	VMOVUPD Z0, 0(DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $8, CX
	JMP     avx512_one

avx512_tail:
	// 0 to 7 elements left: masked load and store, the masked-off lanes are never touched.
	TESTQ     CX, CX
	JZ        avx512_done
	MOVQ      $1, AX
	SHLQ      CX, AX
	DECQ      AX
	KMOVB     AX, K1
	VMOVUPD.Z 0(SI), K1, Z0
	SIG512(Z0, Z1, Z2, Z3, Z27)
	VMOVUPD   Z0, K1, 0(DI)

avx512_done:
	VZEROUPPER
	RET

// SIGPRE256 sets X = e^-|X|; T and P are scratch.
#define SIGPRE256(X, T, P) \
	VORPD   C_SIGN, X, X; \
	VMOVUPD C_LO, T;      \
	VMAXPD  X, T, X;      \
	EXP256_CORE(X, T, P)

// SIGPREFAST256 is SIGPRE256 for |X| <= 708.
#define SIGPREFAST256(X, T, P) \
	VORPD C_SIGN, X, X; \
	EXP256_FAST(X, T, P)

// SIGPOST256 sets X = (T < 0 ? X : 1) / (1 + X), for X = e^-|x| and T = x; P is scratch.
// VBLENDVPD picks by the sign bit of x.
#define SIGPOST256(X, T, P) \
	VMOVUPD   C_ONE, P;   \
	VBLENDVPD T, X, P, T; \
	VADDPD    P, X, X;    \
	VDIVPD    X, T, X

// func SigmoidF64AVX2(dst, src []float64)
//
// Registers:
//	DI      next dst element
//	SI      next src element
//	CX      elements left
//	Y0-Y11  four vectors in flight, three registers each (x, t and then x again, polynomial)
//	Y12-Y13 range check of the four vectors
//	Y15     tail mask
// Every constant is a memory operand. x is loaded a second time for its sign, before the store,
// so dst may be src. The unrolled loop takes a shorter path when every |x| in the block is at
// most 708 (no clamping, 2^n added to the exponent directly).
TEXT ·SigmoidF64AVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	CMPQ CX, $16
	JB   avx2_one

avx2_four:
	VMOVUPD 0(SI), Y0
	VMOVUPD 32(SI), Y3
	VMOVUPD 64(SI), Y6
	VMOVUPD 96(SI), Y9
	FASTCHECK256x4(Y0, Y3, Y6, Y9, Y12, Y13, avx2_four_slow)
	SIGPREFAST256(Y0, Y1, Y2)
	SIGPREFAST256(Y3, Y4, Y5)
	SIGPREFAST256(Y6, Y7, Y8)
	SIGPREFAST256(Y9, Y10, Y11)

avx2_four_post:
	VMOVUPD 0(SI), Y1
	VMOVUPD 32(SI), Y4
	VMOVUPD 64(SI), Y7
	VMOVUPD 96(SI), Y10
	SIGPOST256(Y0, Y1, Y2)
	SIGPOST256(Y3, Y4, Y5)
	SIGPOST256(Y6, Y7, Y8)
	SIGPOST256(Y9, Y10, Y11)
	VMOVUPD Y0, 0(DI)
	VMOVUPD Y3, 32(DI)
	VMOVUPD Y6, 64(DI)
	VMOVUPD Y9, 96(DI)
	ADDQ    $128, SI
	ADDQ    $128, DI
	SUBQ    $16, CX
	CMPQ    CX, $16
	JAE     avx2_four

avx2_one:
	CMPQ CX, $4
	JB   avx2_tail
	VMOVUPD 0(SI), Y0
	SIGPRE256(Y0, Y1, Y2)
	VMOVUPD 0(SI), Y1
	SIGPOST256(Y0, Y1, Y2)
	VMOVUPD Y0, 0(DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $4, CX
	JMP     avx2_one

avx2_tail:
	// 0 to 3 elements left: VMASKMOVPD neither reads nor writes the masked-off lanes.
	TESTQ      CX, CX
	JZ         avx2_done
	TAILMASK256(Y15, X15)
	VMASKMOVPD 0(SI), Y15, Y0
	SIGPRE256(Y0, Y1, Y2)
	VMASKMOVPD 0(SI), Y15, Y1
	SIGPOST256(Y0, Y1, Y2)
	VMASKMOVPD Y0, Y15, 0(DI)

avx2_done:
	VZEROUPPER
	RET

avx2_four_slow:
	// Some |x| is beyond 708, infinite or NaN: clamp, and scale in two steps.
	SIGPRE256(Y0, Y1, Y2)
	SIGPRE256(Y3, Y4, Y5)
	SIGPRE256(Y6, Y7, Y8)
	SIGPRE256(Y9, Y10, Y11)
	JMP avx2_four_post
