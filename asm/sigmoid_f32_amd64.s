//go:build !purego

#include "textflag.h"
#include "exp_f32_amd64.h"

// Sigmoid as e/(1+e) for x < 0 and 1/(1+e) for x >= 0, with e = e^-|x| (never overflows; for
// x < 0 the result follows e^x through the subnormals).
//
// AVX-512 divides by one Newton step from VRCP14PS, against the exact denominator 1+e rather
// than its rounding: with num = e or 1, r = VRCP14PS(1+e) (relative error below 2^-14) and
// y0 = num*r, the residual num - y0*(1+e) is (num - y0) - y0*e: num - y0 is exact (y0 is within
// a factor of 2 of num, except near x = 0, where its rounding costs at most 2^-25), and one FMA
// rounds the rest, so y = y0 + r*(num - y0 - y0*e) is num/(1+e) within about 2^-28 relative
// before its one rounding. No VDIVPS, and the rounding of 1+e never enters the result.
//
// AVX2 divides by d = 1+e rounded, q = num/d (VDIVPS is faster there than a refined VRCPPS),
// and corrects q against the exact 1+e the same way: y = q + r*((num - q) - q*e), where r, an
// approximation of 1/d, needs only a few bits. Where every |x| of the three vectors of the
// unrolled loop is at most 87, -|x| needs no clamp and 2^n goes straight into the exponent.

// SIG32_512 sets Y = sigmoid(X), with K a mask register; X, T, N, P, R are scratch. VPMOVD2M
// keeps the sign of x in K; the lower clamp at -104 is all -|x| needs (VMAXPS keeps a NaN). Its
// four parts SIG32_512_A to _D are what the unrolled loop interleaves over four vectors: the
// chain of one vector is long (about 60 cycles), and four of them side by side keep the FMA
// units busier than one after the other (about 15% faster, measured).
#define SIG32_512(X, Y, T, N, P, R, K) \
	SIG32_512_A(X, Y, T, N, P, R, K); \
	SIG32_512_B(X, Y, T, N, P, R, K); \
	SIG32_512_C(X, Y, T, N, P, R, K); \
	SIG32_512_D(X, Y, T, N, P, R, K)

#define SIG32_512_A(X, Y, T, N, P, R, K) \
	VPMOVD2M  X, K;      \
	VPORD     Z31, X, X; \
	VMAXPS    X, Z24, X; \
	EXP32_512_RED(X, T, N)

#define SIG32_512_B(X, Y, T, N, P, R, K) \
	EXP32_512_POLY(X, T, N, P, R)

#define SIG32_512_C(X, Y, T, N, P, R, K) \
	EXP32_512_SCALE(X, T, N, P, R); \
	VADDPS    Z25, X, T;           \
	VRCP14PS  T, P

#define SIG32_512_D(X, Y, T, N, P, R, K) \
	VBLENDMPS    X, Z25, K, N; \
	VMULPS       N, P, Y;      \
	VSUBPS       Y, N, N;      \
	VFNMADD231PS Y, X, N;      \
	VFMADD231PS  N, P, Y

// func SigmoidF32AVX512(dst, src []float32)
//
// Registers:
//	DI      next dst element
//	SI      next src element
//	CX      elements left
//	AX      the last 16 src elements; mask bits for fewer than 16 elements
//	R8      the last 16 dst elements
//	K1      mask for fewer than 16 elements
//	Z0-Z15  four vectors in flight, four registers each (x and then e; t and then 1+e; k/16
//	        and then the numerator e or 1, then the residual; polynomial and then 1/(1+e))
//	Z16-Z19 R[j], one register per vector
//	Z20-Z25 1/ln2, 1.5*2^19, -ln2hi, -ln2lo, -104, 1.0
//	Z26-Z29 the quotient, sigmoid(x), one register per vector
//	Z30     the last 16 elements of src
//	Z31     the sign bit
//	K2-K5   the lanes where x is negative, one mask per vector
TEXT ·SigmoidF32AVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	EXP32_512_LOADCONST
	VPBROADCASTD C_SIGN, Z31
	CMPQ         CX, $16
	JB           avx512_short

	// At least 16 elements: the last 16 are loaded now and done last, as in ExpF32AVX512.
	LEAQ    -64(SI)(CX*4), AX
	VMOVUPS (AX), Z30
	LEAQ    -64(DI)(CX*4), R8
	CMPQ    CX, $64
	JB      avx512_one

avx512_four:
	VMOVUPS 0(SI), Z0
	VMOVUPS 64(SI), Z4
	VMOVUPS 128(SI), Z8
	VMOVUPS 192(SI), Z12
	SIG32_512_A(Z0, Z26, Z1, Z2, Z3, Z16, K2)
	SIG32_512_A(Z4, Z27, Z5, Z6, Z7, Z17, K3)
	SIG32_512_A(Z8, Z28, Z9, Z10, Z11, Z18, K4)
	SIG32_512_A(Z12, Z29, Z13, Z14, Z15, Z19, K5)
	SIG32_512_B(Z0, Z26, Z1, Z2, Z3, Z16, K2)
	SIG32_512_B(Z4, Z27, Z5, Z6, Z7, Z17, K3)
	SIG32_512_B(Z8, Z28, Z9, Z10, Z11, Z18, K4)
	SIG32_512_B(Z12, Z29, Z13, Z14, Z15, Z19, K5)
	SIG32_512_C(Z0, Z26, Z1, Z2, Z3, Z16, K2)
	SIG32_512_C(Z4, Z27, Z5, Z6, Z7, Z17, K3)
	SIG32_512_C(Z8, Z28, Z9, Z10, Z11, Z18, K4)
	SIG32_512_C(Z12, Z29, Z13, Z14, Z15, Z19, K5)
	SIG32_512_D(Z0, Z26, Z1, Z2, Z3, Z16, K2)
	SIG32_512_D(Z4, Z27, Z5, Z6, Z7, Z17, K3)
	SIG32_512_D(Z8, Z28, Z9, Z10, Z11, Z18, K4)
	SIG32_512_D(Z12, Z29, Z13, Z14, Z15, Z19, K5)
	VMOVUPS Z26, 0(DI)
	VMOVUPS Z27, 64(DI)
	VMOVUPS Z28, 128(DI)
	VMOVUPS Z29, 192(DI)
	ADDQ    $256, SI
	ADDQ    $256, DI
	SUBQ    $64, CX
	CMPQ    CX, $64
	JAE     avx512_four

avx512_one:
	CMPQ    CX, $16
	JB      avx512_last
	VMOVUPS 0(SI), Z0
	SIG32_512(Z0, Z26, Z1, Z2, Z3, Z16, K2)
	VMOVUPS Z26, 0(DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     avx512_one

avx512_last:
	// 1 to 15 elements left: the last 16 elements, from Z30.
	TESTQ   CX, CX
	JZ      avx512_done
	SIG32_512(Z30, Z26, Z1, Z2, Z3, Z16, K2)
	VMOVUPS Z26, (R8)
	JMP     avx512_done

avx512_short:
	// Fewer than 16 elements: masked load and store, the masked-off lanes are never touched.
	TESTQ     CX, CX
	JZ        avx512_done
	MOVL      $1, AX
	SHLL      CX, AX
	DECL      AX
	KMOVW     AX, K1
	VMOVUPS.Z 0(SI), K1, Z0
	SIG32_512(Z0, Z26, Z1, Z2, Z3, Z16, K2)
	VMOVUPS   Z26, K1, 0(DI)

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

// SIGPOST32_256 sets K = (T < 0 ? X : 1) / (1 + X), for X = e^-|x| and T = x; X, T and P are
// clobbered. VBLENDVPS picks the numerator num by the sign bit of x. q = num/d, for d = 1+e
// rounded, is corrected against the exact 1+e as in the AVX-512 version: y = q + r*((num - q)
// - q*e), with r = VRCPPS(d) (12 bits are plenty for a correction of about 2^-24 relative).
#define SIGPOST32_256(X, T, K, P) \
	SIGPOST32_256_A(X, T, K, P); \
	SIGPOST32_256_B(X, T, K, P)

#define SIGPOST32_256_A(X, T, K, P) \
	VMOVUPS      C_ONE, P;   \
	VBLENDVPS    T, X, P, T; \
	VADDPS       P, X, K;    \
	VRCPPS       K, P;       \
	VDIVPS       K, T, K

#define SIGPOST32_256_B(X, T, K, P) \
	VSUBPS       K, T, T;    \
	VFNMADD231PS K, X, T;    \
	VFMADD231PS  T, P, K

// FASTMAX_NEG: bits of -87.0: as signed integers, the bits of -|x| compare above them where
// |x| > 87, infinite or NaN
DATA sig32c<>+0(SB)/4, $0xc2ae0000
DATA sig32c<>+4(SB)/4, $0xc2ae0000
DATA sig32c<>+8(SB)/4, $0xc2ae0000
DATA sig32c<>+12(SB)/4, $0xc2ae0000
DATA sig32c<>+16(SB)/4, $0xc2ae0000
DATA sig32c<>+20(SB)/4, $0xc2ae0000
DATA sig32c<>+24(SB)/4, $0xc2ae0000
DATA sig32c<>+28(SB)/4, $0xc2ae0000
GLOBL sig32c<>(SB), RODATA|NOPTR, $32

// func SigmoidF32AVX2(dst, src []float32)
//
// Registers:
//	DI      next dst element
//	SI      next src element
//	CX      elements left
//	AX, R8  the last 8 src and dst elements
//	Y0-Y11  three vectors in flight, four registers each (-|x| and then e; t, then x again,
//	        then the numerator and the residual; k, then 1+e, then the quotient; polynomial,
//	        then the approximate reciprocal of 1+e)
//	Y12     range check of the three vectors
//	Y14     the last 8 elements of src
//	Y15     mask for fewer than 8 elements
// Every constant is a memory operand. x is loaded a second time for its sign, before the store,
// so dst may be src. The unrolled loop takes a shorter path when every |x| in the block is at
// most 87 (2^n added to the exponent directly).
TEXT ·SigmoidF32AVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	CMPQ CX, $8
	JB   avx2_short

	// At least 8 elements: the last 8 are loaded now and done last, as in ExpF32AVX512.
	LEAQ    -32(SI)(CX*4), AX
	VMOVUPS (AX), Y14
	LEAQ    -32(DI)(CX*4), R8
	CMPQ    CX, $24
	JB      avx2_one

avx2_three:
	VMOVUPS 0(SI), Y0
	VMOVUPS 32(SI), Y4
	VMOVUPS 64(SI), Y8
	// -|x|; if every |x| is at most 87, no clamp and the short scaling.
	VORPS    C_SIGN, Y0, Y0
	VORPS    C_SIGN, Y4, Y4
	VORPS    C_SIGN, Y8, Y8
	VPMAXSD  Y4, Y0, Y12
	VPMAXSD  Y8, Y12, Y12
	VPCMPGTD sig32c<>(SB), Y12, Y12
	VPTEST   Y12, Y12
	JNZ      avx2_three_slow
	EXP32_256_RED(Y0, Y1, Y2)
	EXP32_256_RED(Y4, Y5, Y6)
	EXP32_256_RED(Y8, Y9, Y10)
	EXP32_256_POLY(Y0, Y1, Y2, Y3)
	EXP32_256_POLY(Y4, Y5, Y6, Y7)
	EXP32_256_POLY(Y8, Y9, Y10, Y11)
	EXP32_256_FAST(Y0, Y1)
	EXP32_256_FAST(Y4, Y5)
	EXP32_256_FAST(Y8, Y9)

avx2_three_post:
	VMOVUPS 0(SI), Y1
	VMOVUPS 32(SI), Y5
	VMOVUPS 64(SI), Y9
	SIGPOST32_256_A(Y0, Y1, Y2, Y3)
	SIGPOST32_256_A(Y4, Y5, Y6, Y7)
	SIGPOST32_256_A(Y8, Y9, Y10, Y11)
	SIGPOST32_256_B(Y0, Y1, Y2, Y3)
	SIGPOST32_256_B(Y4, Y5, Y6, Y7)
	SIGPOST32_256_B(Y8, Y9, Y10, Y11)
	VMOVUPS Y2, 0(DI)
	VMOVUPS Y6, 32(DI)
	VMOVUPS Y10, 64(DI)
	ADDQ    $96, SI
	ADDQ    $96, DI
	SUBQ    $24, CX
	CMPQ    CX, $24
	JAE     avx2_three

avx2_one:
	CMPQ    CX, $8
	JB      avx2_last
	VMOVUPS 0(SI), Y0
	SIGPRE32_256(Y0, Y1, Y2, Y3)
	EXP32_256_SLOW(Y0, Y1, Y2)
	VMOVUPS 0(SI), Y1
	SIGPOST32_256(Y0, Y1, Y2, Y3)
	VMOVUPS Y2, 0(DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX
	JMP     avx2_one

avx2_last:
	// 1 to 7 elements left: the last 8 elements, from Y14.
	TESTQ   CX, CX
	JZ      avx2_done
	VMOVAPS Y14, Y0
	SIGPRE32_256(Y0, Y1, Y2, Y3)
	EXP32_256_SLOW(Y0, Y1, Y2)
	SIGPOST32_256(Y0, Y14, Y2, Y3)
	VMOVUPS Y2, (R8)
	JMP     avx2_done

avx2_short:
	// Fewer than 8 elements: VMASKMOVPS neither reads nor writes the masked-off lanes.
	TESTQ      CX, CX
	JZ         avx2_done
	TAILMASK32_256(Y15, X15)
	VMASKMOVPS 0(SI), Y15, Y0
	SIGPRE32_256(Y0, Y1, Y2, Y3)
	EXP32_256_SLOW(Y0, Y1, Y2)
	VMASKMOVPS 0(SI), Y15, Y1
	SIGPOST32_256(Y0, Y1, Y2, Y3)
	VMASKMOVPS Y2, Y15, 0(DI)

avx2_done:
	VZEROUPPER
	RET

avx2_three_slow:
	// Some |x| is beyond 87, infinite or NaN: clamp, and scale in two steps (Y0, Y4 and Y8
	// already hold -|x|; setting the sign bit again changes nothing).
	SIGPRE32_256(Y0, Y1, Y2, Y3)
	SIGPRE32_256(Y4, Y5, Y6, Y7)
	SIGPRE32_256(Y8, Y9, Y10, Y11)
	EXP32_256_SLOW(Y0, Y1, Y2)
	EXP32_256_SLOW(Y4, Y5, Y6)
	EXP32_256_SLOW(Y8, Y9, Y10)
	JMP avx2_three_post
