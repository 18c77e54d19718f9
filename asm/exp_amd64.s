//go:build !purego

#include "textflag.h"
#include "exp32_amd64.h"

// func ExpF32AVX512(dst, src []float32)
//
// Registers:
//	DI      next dst element
//	SI      next src element
//	CX      elements left
//	AX      tail mask bits
//	K1      tail mask
//	Z0-Z15  four vectors in flight, four registers each (x, t, k/32, polynomial)
//	Z16-Z19 2^(j/32) for j = 0..31, and its rounding errors
//	Z20-Z26 32/ln2, 1.5*2^23, -ln2hi, -ln2lo, -104, 1.0, 104
TEXT ·ExpF32AVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	EXP32_512_LOADCONST
	VBROADCASTSS C_BOUND, Z26
	CMPQ CX, $64
	JB   avx512_one

avx512_four:
	VMOVUPS 0(SI), Z0
	VMOVUPS 64(SI), Z4
	VMOVUPS 128(SI), Z8
	VMOVUPS 192(SI), Z12
	CLAMP32_512(Z0)
	CLAMP32_512(Z4)
	CLAMP32_512(Z8)
	CLAMP32_512(Z12)
	EXP32_512(Z0, Z1, Z2, Z3)
	EXP32_512(Z4, Z5, Z6, Z7)
	EXP32_512(Z8, Z9, Z10, Z11)
	EXP32_512(Z12, Z13, Z14, Z15)
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
	CLAMP32_512(Z0)
	EXP32_512(Z0, Z1, Z2, Z3)
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
	CLAMP32_512(Z0)
	EXP32_512(Z0, Z1, Z2, Z3)
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
//	Y0-Y11  three vectors in flight, four registers each (x, t, k, polynomial)
//	Y12-Y13 range check of the three vectors
//	Y15     tail mask
// Every constant is a memory operand. The unrolled loop takes a shorter path when every |x| in
// the block is at most 87 (no clamping, 2^n added to the exponent directly).
TEXT ·ExpF32AVX2(SB), NOSPLIT, $0-48
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
	EXP32_256(Y0, Y1, Y2, Y3)
	EXP32_256(Y4, Y5, Y6, Y7)
	EXP32_256(Y8, Y9, Y10, Y11)
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
	JB      avx2_tail
	VMOVUPS 0(SI), Y0
	CLAMP32_256(Y0, Y1)
	EXP32_256(Y0, Y1, Y2, Y3)
	EXP32_256_SLOW(Y0, Y1, Y2)
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
	EXP32_256(Y0, Y1, Y2, Y3)
	EXP32_256(Y4, Y5, Y6, Y7)
	EXP32_256(Y8, Y9, Y10, Y11)
	EXP32_256_SLOW(Y0, Y1, Y2)
	EXP32_256_SLOW(Y4, Y5, Y6)
	EXP32_256_SLOW(Y8, Y9, Y10)
	JMP avx2_three_store
