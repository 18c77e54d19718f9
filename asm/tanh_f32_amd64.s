//go:build !purego

#include "textflag.h"
#include "exp_f64_amd64.h"

// Tanh of float32 in float64 arithmetic: for 2^-13 <= |x|, tanh|x| = (e-1)/(e+1) with
// e = e^(2|x|) from the float64 exp core (within 1 float64 ULP); e-1 is exact for e in [1, 2]
// (Sterbenz), so the quotient is within about 2^-40 relative of tanh|x| and one rounding to
// float32 makes it the correctly rounded tanh but for inputs within 2^-40 of a rounding
// midpoint. 2|x| is clamped to 40 (tanh 20 rounds to 1; e^40 keeps (e-1)/(e+1) finite). Below
// 2^-13, tanh x = x(1 - x^2/3 + ...) rounds to x itself, which also keeps +-0 and subnormals.
// The sign of x is put back with an OR; NaN stays NaN.

// F40: float64 40.0
DATA tanhc<>+0(SB)/8, $0x4044000000000000
DATA tanhc<>+8(SB)/8, $0x4044000000000000
DATA tanhc<>+16(SB)/8, $0x4044000000000000
DATA tanhc<>+24(SB)/8, $0x4044000000000000
// SIGN32: the float32 sign bit
DATA tanhc<>+32(SB)/4, $0x80000000
DATA tanhc<>+36(SB)/4, $0x80000000
DATA tanhc<>+40(SB)/4, $0x80000000
DATA tanhc<>+44(SB)/4, $0x80000000
DATA tanhc<>+48(SB)/4, $0x80000000
DATA tanhc<>+52(SB)/4, $0x80000000
DATA tanhc<>+56(SB)/4, $0x80000000
DATA tanhc<>+60(SB)/4, $0x80000000
// ABS32: all float32 bits but the sign
DATA tanhc<>+64(SB)/4, $0x7fffffff
DATA tanhc<>+68(SB)/4, $0x7fffffff
DATA tanhc<>+72(SB)/4, $0x7fffffff
DATA tanhc<>+76(SB)/4, $0x7fffffff
DATA tanhc<>+80(SB)/4, $0x7fffffff
DATA tanhc<>+84(SB)/4, $0x7fffffff
DATA tanhc<>+88(SB)/4, $0x7fffffff
DATA tanhc<>+92(SB)/4, $0x7fffffff
// TINY32: the bits of 2^-13: as integers, |x| below it compares below
DATA tanhc<>+96(SB)/4, $0x39000000
DATA tanhc<>+100(SB)/4, $0x39000000
DATA tanhc<>+104(SB)/4, $0x39000000
DATA tanhc<>+108(SB)/4, $0x39000000
DATA tanhc<>+112(SB)/4, $0x39000000
DATA tanhc<>+116(SB)/4, $0x39000000
DATA tanhc<>+120(SB)/4, $0x39000000
DATA tanhc<>+124(SB)/4, $0x39000000
// IDX32: int32 lane indices 0..7, for AVX2 tail masks
DATA tanhc<>+128(SB)/4, $0
DATA tanhc<>+132(SB)/4, $1
DATA tanhc<>+136(SB)/4, $2
DATA tanhc<>+140(SB)/4, $3
DATA tanhc<>+144(SB)/4, $4
DATA tanhc<>+148(SB)/4, $5
DATA tanhc<>+152(SB)/4, $6
DATA tanhc<>+156(SB)/4, $7
GLOBL tanhc<>(SB), RODATA|NOPTR, $160

#define C_F40 tanhc<>+0(SB)
#define C_SIGN32 tanhc<>+32(SB)
#define C_ABS32 tanhc<>+64(SB)
#define C_TINY32 tanhc<>+96(SB)
#define C_IDX32 tanhc<>+128(SB)

// TANH512_HALF sets H = tanh|h| for 8 float64 lanes h; T, N, E are scratch. Z25 = 1.0,
// Z27 = 40.0.
#define TANH512_HALF(H, T, N, E) \
	VANDPD.BCST C_ABS, H, H; \
	VADDPD      H, H, H;     \
	VMINPD      H, Z27, H;   \
	EXP512_CORE(H, T, N, E); \
	VSUBPD      Z25, H, T;   \
	VADDPD      Z25, H, H;   \
	VDIVPD      H, T, H

// TANH512 sets R = tanh(X) for 16 float32 lanes; X is kept. XY, LY, HY are the Y names of X,
// L and H. L, H and T, N, E are scratch; K3 is clobbered. Z28 = sign mask, Z29 = 2^-13 bits,
// Z30 = abs mask.
#define TANH512(X, XY, R, L, LY, H, HY, T, N, E) \
	VCVTPS2PD     XY, L;             \
	VEXTRACTF32X8 $1, X, HY;         \
	VCVTPS2PD     HY, H;             \
	TANH512_HALF(L, T, N, E);        \
	TANH512_HALF(H, T, N, E);        \
	VCVTPD2PS     L, LY;             \
	VCVTPD2PS     H, HY;             \
	VINSERTF32X8  $1, HY, L, R;      \
	VPTERNLOGD    $0xf8, Z28, X, R;  \
	VPANDD        Z30, X, T;         \
	VPCMPGTD      T, Z29, K3;        \
	VMOVAPS       X, K3, R

// func TanhF32AVX512(dst, src []float32)
//
// Registers:
//	DI      next dst element
//	SI      next src element
//	CX      elements left
//	AX      the last 16 src elements; mask bits for fewer than 16 elements
//	R8      the last 16 dst elements
//	K1      mask for fewer than 16 elements
//	K3      lanes with |x| < 2^-13
//	Z0      x (16 lanes); Z1 the result
//	Z2-Z7   the low and high 8 lanes as float64, exp scratch
//	Z8      the last 16 elements of src
//	Z16-Z26 float64 exp constants (exp_f64_amd64.h), Z25 = 1.0
//	Z27     40.0
//	Z28-Z30 float32 sign mask, bits of 2^-13, abs mask
TEXT ·TanhF32AVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	EXP512_LOADCONST
	VBROADCASTSD C_F40, Z27
	VPBROADCASTD C_SIGN32, Z28
	VPBROADCASTD C_TINY32, Z29
	VPBROADCASTD C_ABS32, Z30
	CMPQ         CX, $16
	JB           avx512_short

	// At least 16 elements: the last 16 are loaded now, before anything is stored (dst may be
	// src), and done last with an unmasked store over elements already written, with the same
	// values (masked tails are slow where the masked-off lanes meet memory just stored to).
	LEAQ    -64(SI)(CX*4), AX
	VMOVUPS (AX), Z8
	LEAQ    -64(DI)(CX*4), R8

avx512_one:
	CMPQ    CX, $16
	JB      avx512_last
	VMOVUPS 0(SI), Z0
	TANH512(Z0, Y0, Z1, Z2, Y2, Z3, Y3, Z4, Z5, Z6)
	VMOVUPS Z1, 0(DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     avx512_one

avx512_last:
	// 1 to 15 elements left: the last 16 elements, from Z8.
	TESTQ   CX, CX
	JZ      avx512_done
	TANH512(Z8, Y8, Z1, Z2, Y2, Z3, Y3, Z4, Z5, Z6)
	VMOVUPS Z1, (R8)
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
	TANH512(Z0, Y0, Z1, Z2, Y2, Z3, Y3, Z4, Z5, Z6)
	VMOVUPS   Z1, K1, 0(DI)

avx512_done:
	VZEROUPPER
	RET

// TANH256_HALF sets H = tanh|h| for 4 float64 lanes h; T and P are scratch.
#define TANH256_HALF(H, T, P) \
	VANDPD  C_ABS, H, H;   \
	VADDPD  H, H, H;       \
	VMOVUPD C_F40, T;      \
	VMINPD  H, T, H;       \
	EXP256_FAST(H, T, P);  \
	VSUBPD  C_ONE, H, T;   \
	VADDPD  C_ONE, H, H;   \
	VDIVPD  H, T, H

// TANH256 sets R = tanh(X) for 8 float32 lanes; X is kept. XX, RX, LX, HX are the X names of
// X, R, L and H. L, H, T, P are scratch.
#define TANH256(X, XX, R, RX, L, LX, H, HX, T, P) \
	VCVTPS2PD    XX, L;             \
	VEXTRACTF128 $1, X, HX;         \
	VCVTPS2PD    HX, H;             \
	TANH256_HALF(L, T, P);          \
	TANH256_HALF(H, T, P);          \
	VCVTPD2PSY   L, LX;             \
	VCVTPD2PSY   H, HX;             \
	VINSERTF128  $1, HX, L, R;      \
	VANDPS       C_SIGN32, X, T;    \
	VORPS        T, R, R;           \
	VANDPS       C_ABS32, X, T;     \
	VMOVUPS      C_TINY32, P;       \
	VPCMPGTD     T, P, T;           \
	VBLENDVPS    T, X, R, R

// func TanhF32AVX2(dst, src []float32)
//
// Registers:
//	DI      next dst element
//	SI      next src element
//	CX      elements left
//	Y0      x (8 lanes); Y1 the result
//	AX, R8  the last 8 src and dst elements
//	Y2-Y5   the low and high 4 lanes as float64, exp scratch
//	Y14     the last 8 elements of src
//	Y15     mask for fewer than 8 elements
// Every constant is a memory operand.
TEXT ·TanhF32AVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	CMPQ CX, $8
	JB   avx2_short

	// At least 8 elements: the last 8 are loaded now and done last, as in TanhF32AVX512.
	LEAQ    -32(SI)(CX*4), AX
	VMOVUPS (AX), Y14
	LEAQ    -32(DI)(CX*4), R8

avx2_one:
	CMPQ    CX, $8
	JB      avx2_last
	VMOVUPS 0(SI), Y0
	TANH256(Y0, X0, Y1, X1, Y2, X2, Y3, X3, Y4, Y5)
	VMOVUPS Y1, 0(DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX
	JMP     avx2_one

avx2_last:
	// 1 to 7 elements left: the last 8 elements, from Y14.
	TESTQ   CX, CX
	JZ      avx2_done
	TANH256(Y14, X14, Y1, X1, Y2, X2, Y3, X3, Y4, Y5)
	VMOVUPS Y1, (R8)
	JMP     avx2_done

avx2_short:
	// Fewer than 8 elements: VMASKMOVPS neither reads nor writes the masked-off lanes.
	TESTQ        CX, CX
	JZ           avx2_done
	VMOVQ        CX, X15
	VPBROADCASTD X15, Y15
	VPCMPGTD     C_IDX32, Y15, Y15
	VMASKMOVPS   0(SI), Y15, Y0
	TANH256(Y0, X0, Y1, X1, Y2, X2, Y3, X3, Y4, Y5)
	VMASKMOVPS   Y1, Y15, 0(DI)

avx2_done:
	VZEROUPPER
	RET
