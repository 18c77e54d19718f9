//go:build !purego

#include "textflag.h"
#include "exp_f32_amd64.h"

// EXP32_512_POLYREG and EXP32_512_SCALEREG are EXP32_512_POLY and EXP32_512_SCALE with every
// constant in a register (Z25 1.0, Z27 D3, Z29 D2, Z30 the RHO16 table, Z31 the THI16 table):
// the same operations on the same values, without the five loads per vector that otherwise
// compete with the loads of x for the load ports.
#define EXP32_512_POLYREG(X, T, N, P, R) \
	VFMADD231PS Z22, N, X; \
	VFMADD231PS Z23, N, X; \
	VMOVAPS     Z27, P;    \
	VFMADD213PS Z29, X, P; \
	VFMADD213PS Z25, X, P; \
	VPERMPS     Z30, T, R

#define EXP32_512_SCALEREG(X, T, N, P, R) \
	VFMADD213PS R, P, X;   \
	VPERMPS     Z31, T, P; \
	VFMADD213PS P, P, X;   \
	VSCALEFPS   N, X, X

// func ExpF32AVX512(dst, src []float32)
//
// Registers:
//	DI      next dst element
//	SI      next src element
//	CX      elements left
//	AX      the last 16 src elements; mask bits for fewer than 16 elements
//	R8      the last 16 dst elements
//	K1      mask for fewer than 16 elements
//	Z0-Z15  four vectors in flight, four registers each (x, t, k/16, polynomial)
//	Z16-Z19 R[j], one register per vector
//	Z20-Z26 1/ln2, 1.5*2^19, -ln2hi, -ln2lo, -104, 1.0, 104
//	Z27     D3
//	Z28     the last 16 elements of src
//	Z29     D2
//	Z30     the table RHO16
//	Z31     the table THI16
// The unrolled loop runs the stages of EXP32_512 (reduction, polynomial, scaling; the last two
// as EXP32_512_POLYREG and _SCALEREG, constants in registers) for the four vectors side by
// side, rather than one vector's chain after the other, so that the FMA units have independent
// work while each chain waits on its latencies. The loop loads nothing but x.
TEXT ·ExpF32AVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	EXP32_512_LOADCONST
	VBROADCASTSS C_BOUND, Z26
	VBROADCASTSS C_D3, Z27
	VBROADCASTSS C_D2, Z29
	VMOVUPS      C_RHO16, Z30
	VMOVUPS      C_THI16, Z31
	CMPQ         CX, $16
	JB           avx512_short

	// At least 16 elements: the last 16 are loaded now, before anything is stored (dst may be
	// src), and done last with an unmasked store that overlaps elements already written, with
	// the same values. Masked loads and stores at the end are slow where the masked-off lanes
	// meet memory just stored to.
	LEAQ    -64(SI)(CX*4), AX
	VMOVUPS (AX), Z28
	LEAQ    -64(DI)(CX*4), R8
	CMPQ    CX, $64
	JB      avx512_one

avx512_four:
	VMOVUPS 0(SI), Z0
	VMOVUPS 64(SI), Z4
	VMOVUPS 128(SI), Z8
	VMOVUPS 192(SI), Z12
	CLAMP32_512(Z0, Z24, Z26)
	CLAMP32_512(Z4, Z24, Z26)
	CLAMP32_512(Z8, Z24, Z26)
	CLAMP32_512(Z12, Z24, Z26)
	EXP32_512_RED(Z0, Z1, Z2)
	EXP32_512_RED(Z4, Z5, Z6)
	EXP32_512_RED(Z8, Z9, Z10)
	EXP32_512_RED(Z12, Z13, Z14)
	EXP32_512_POLYREG(Z0, Z1, Z2, Z3, Z16)
	EXP32_512_POLYREG(Z4, Z5, Z6, Z7, Z17)
	EXP32_512_POLYREG(Z8, Z9, Z10, Z11, Z18)
	EXP32_512_POLYREG(Z12, Z13, Z14, Z15, Z19)
	EXP32_512_SCALEREG(Z0, Z1, Z2, Z3, Z16)
	EXP32_512_SCALEREG(Z4, Z5, Z6, Z7, Z17)
	EXP32_512_SCALEREG(Z8, Z9, Z10, Z11, Z18)
	EXP32_512_SCALEREG(Z12, Z13, Z14, Z15, Z19)
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
	JB      avx512_last
	VMOVUPS 0(SI), Z0
	CLAMP32_512(Z0, Z24, Z26)
	EXP32_512(Z0, Z1, Z2, Z3, Z16)
	VMOVUPS Z0, 0(DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     avx512_one

avx512_last:
	// 1 to 15 elements left: the last 16 elements, from Z28.
	TESTQ   CX, CX
	JZ      avx512_done
	CLAMP32_512(Z28, Z24, Z26)
	EXP32_512(Z28, Z1, Z2, Z3, Z16)
	VMOVUPS Z28, (R8)
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
	CLAMP32_512(Z0, Z24, Z26)
	EXP32_512(Z0, Z1, Z2, Z3, Z16)
	VMOVUPS   Z0, K1, 0(DI)

avx512_done:
	VZEROUPPER
	RET

// func ExpF32AVX2(dst, src []float32)
//
// Registers:
//	DI      next dst element
//	SI      next src element
//	CX      elements left
//	AX, R8  the last 8 src and dst elements
//	Y0-Y11  three vectors in flight, four registers each (x, t, k, polynomial)
//	Y12-Y13 range check of the three vectors
//	Y14     the last 8 elements of src
//	Y15     mask for fewer than 8 elements
// Every constant is a memory operand. The unrolled loop takes a shorter path when every |x| in
// the block is at most 87 (no clamping, 2^n added to the exponent directly); both paths run
// the stages of EXP32_256 for the three vectors side by side, as in ExpF32AVX512.
TEXT ·ExpF32AVX2(SB), NOSPLIT, $0-48
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
	FASTCHECK32_256x3(Y0, Y4, Y8, Y12, Y13, avx2_three_slow)
	EXP32_256_RED(Y0, Y1, Y2)
	EXP32_256_RED(Y4, Y5, Y6)
	EXP32_256_RED(Y8, Y9, Y10)
	EXP32_256_POLY(Y0, Y1, Y2, Y3)
	EXP32_256_POLY(Y4, Y5, Y6, Y7)
	EXP32_256_POLY(Y8, Y9, Y10, Y11)
	EXP32_256_FAST(Y0, Y1)
	EXP32_256_FAST(Y4, Y5)
	EXP32_256_FAST(Y8, Y9)

avx2_three_store:
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
	JB      avx2_last
	VMOVUPS 0(SI), Y0
	CLAMP32_256(Y0, Y1)
	EXP32_256(Y0, Y1, Y2, Y3)
	EXP32_256_SLOW(Y0, Y1, Y2)
	VMOVUPS Y0, 0(DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX
	JMP     avx2_one

avx2_last:
	// 1 to 7 elements left: the last 8 elements, from Y14.
	TESTQ   CX, CX
	JZ      avx2_done
	VMOVAPS Y14, Y0
	CLAMP32_256(Y0, Y1)
	EXP32_256(Y0, Y1, Y2, Y3)
	EXP32_256_SLOW(Y0, Y1, Y2)
	VMOVUPS Y0, (R8)
	JMP     avx2_done

avx2_short:
	// Fewer than 8 elements: VMASKMOVPS neither reads nor writes the masked-off lanes.
	TESTQ      CX, CX
	JZ         avx2_done
	TAILMASK32_256(Y15, X15)
	VMASKMOVPS 0(SI), Y15, Y0
	CLAMP32_256(Y0, Y1)
	EXP32_256(Y0, Y1, Y2, Y3)
	EXP32_256_SLOW(Y0, Y1, Y2)
	VMASKMOVPS Y0, Y15, 0(DI)

avx2_done:
	VZEROUPPER
	RET

avx2_three_slow:
	// Some lane is beyond +-87, infinite or NaN: clamp, and scale in two steps.
	CLAMP32_256(Y0, Y1)
	CLAMP32_256(Y4, Y5)
	CLAMP32_256(Y8, Y9)
	EXP32_256_RED(Y0, Y1, Y2)
	EXP32_256_RED(Y4, Y5, Y6)
	EXP32_256_RED(Y8, Y9, Y10)
	EXP32_256_POLY(Y0, Y1, Y2, Y3)
	EXP32_256_POLY(Y4, Y5, Y6, Y7)
	EXP32_256_POLY(Y8, Y9, Y10, Y11)
	EXP32_256_SLOW(Y0, Y1, Y2)
	EXP32_256_SLOW(Y4, Y5, Y6)
	EXP32_256_SLOW(Y8, Y9, Y10)
	JMP avx2_three_store
