//go:build !purego

#include "textflag.h"
#include "exp_f64_amd64.h"

// func ExpF64AVX512(dst, src []float64)
//
// Registers:
//	DI      next dst element
//	SI      next src element
//	CX      elements left
//	AX      tail mask bits
//	K1      tail mask
//	Z0-Z15  four vectors in flight, four registers each (x, t, k/16, polynomial)
//	Z16-Z19 2^(j/16) for j = 0..15, and its rounding errors
//	Z20-Z26 16/ln2, 1.5*2^52, -ln2hi, -ln2lo, 1100, 1.0, -1100
TEXT ·ExpF64AVX512(SB), NOSPLIT, $0-48
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
	CLAMP512(Z0)
	CLAMP512(Z4)
	CLAMP512(Z8)
	CLAMP512(Z12)
	EXP512_CORE(Z0, Z1, Z2, Z3)
	EXP512_CORE(Z4, Z5, Z6, Z7)
	EXP512_CORE(Z8, Z9, Z10, Z11)
	EXP512_CORE(Z12, Z13, Z14, Z15)
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
	CLAMP512(Z0)
	EXP512_CORE(Z0, Z1, Z2, Z3)
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
	CLAMP512(Z0)
	EXP512_CORE(Z0, Z1, Z2, Z3)
	VMOVUPD   Z0, K1, 0(DI)

avx512_done:
	VZEROUPPER
	RET

// func ExpF64AVX2(dst, src []float64)
//
// Registers:
//	DI      next dst element
//	SI      next src element
//	CX      elements left
//	Y0-Y11  four vectors in flight, three registers each (x, t, polynomial)
//	Y12-Y13 range check of the four vectors
//	Y15     tail mask
// Every constant is a memory operand. The unrolled loop takes a shorter path when every |x| in
// the block is at most 708 (no clamping, 2^n added to the exponent directly).
TEXT ·ExpF64AVX2(SB), NOSPLIT, $0-48
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
	EXP256_FAST(Y0, Y1, Y2)
	EXP256_FAST(Y3, Y4, Y5)
	EXP256_FAST(Y6, Y7, Y8)
	EXP256_FAST(Y9, Y10, Y11)

avx2_four_store:
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
	CLAMP256(Y0, Y1)
	EXP256_CORE(Y0, Y1, Y2)
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
	CLAMP256(Y0, Y1)
	EXP256_CORE(Y0, Y1, Y2)
	VMASKMOVPD Y0, Y15, 0(DI)

avx2_done:
	VZEROUPPER
	RET

avx2_four_slow:
	// Some lane is beyond +-708, infinite or NaN: clamp, and scale in two steps.
	CLAMP256(Y0, Y1)
	CLAMP256(Y3, Y4)
	CLAMP256(Y6, Y7)
	CLAMP256(Y9, Y10)
	EXP256_CORE(Y0, Y1, Y2)
	EXP256_CORE(Y3, Y4, Y5)
	EXP256_CORE(Y6, Y7, Y8)
	EXP256_CORE(Y9, Y10, Y11)
	JMP avx2_four_store
