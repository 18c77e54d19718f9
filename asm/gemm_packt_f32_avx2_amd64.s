//go:build !purego

#include "textflag.h"

// 8 x 8 transposing copy for GEMM packing, float32, AVX2. The loop it computes and its
// contract are in the doc comment of gemm_packt_f32_avx2_amd64.go.

// func GemmPackTF32AVX2(dst []float32, w int, src []float32, ld, k int)
//
// Registers:
//   DI  step l of dst (lane 0); steps l+1 .. l+7 are DI + j*w*4
//   SI  column l of src row 0; rows 1 .. 7 are SI + i*ld*4
//   CX  blocks of 8 steps left
//   R8  ld in bytes; R10 = 3*ld, R11 = 5*ld, R12 = 7*ld (bytes)
//   R9  w in bytes; R13 = 3*w, BX = 5*w, DX = 7*w (bytes)
//   Y0-Y7  the 8 x 8 block as read (row i in Yi), then the half-transposed rows
//   Y8-Y15  intermediate shuffles, then the 8 steps to store (step j in Y(8+j))
TEXT ·GemmPackTF32AVX2(SB), NOSPLIT, $0-72
	MOVQ	dst_base+0(FP), DI
	MOVQ	w+24(FP), R9
	MOVQ	src_base+32(FP), SI
	MOVQ	ld+56(FP), R8
	MOVQ	k+64(FP), CX
	SHRQ	$3, CX
	JZ	done
	SHLQ	$2, R8
	SHLQ	$2, R9
	LEAQ	(R8)(R8*2), R10
	LEAQ	(R8)(R8*4), R11
	LEAQ	(R10)(R8*4), R12
	LEAQ	(R9)(R9*2), R13
	LEAQ	(R9)(R9*4), BX
	LEAQ	(R13)(R9*4), DX

loop:
	VMOVUPS	(SI), Y0
	VMOVUPS	(SI)(R8*1), Y1
	VMOVUPS	(SI)(R8*2), Y2
	VMOVUPS	(SI)(R10*1), Y3
	VMOVUPS	(SI)(R8*4), Y4
	VMOVUPS	(SI)(R11*1), Y5
	VMOVUPS	(SI)(R10*2), Y6
	VMOVUPS	(SI)(R12*1), Y7

	// Pairs of rows interleaved: Y8 = a0 b0 a1 b1 | a4 b4 a5 b5, Y9 = a2 b2 a3 b3 | a6 b6 a7 b7, ...
	VUNPCKLPS	Y1, Y0, Y8
	VUNPCKHPS	Y1, Y0, Y9
	VUNPCKLPS	Y3, Y2, Y10
	VUNPCKHPS	Y3, Y2, Y11
	VUNPCKLPS	Y5, Y4, Y12
	VUNPCKHPS	Y5, Y4, Y13
	VUNPCKLPS	Y7, Y6, Y14
	VUNPCKHPS	Y7, Y6, Y15

	// Quads: Y0 = a0 b0 c0 d0 | a4 b4 c4 d4, Y1 = a1 b1 c1 d1 | a5 ..., Y4 = e0 f0 g0 h0 | e4 ...
	VSHUFPS	$0x44, Y10, Y8, Y0
	VSHUFPS	$0xEE, Y10, Y8, Y1
	VSHUFPS	$0x44, Y11, Y9, Y2
	VSHUFPS	$0xEE, Y11, Y9, Y3
	VSHUFPS	$0x44, Y14, Y12, Y4
	VSHUFPS	$0xEE, Y14, Y12, Y5
	VSHUFPS	$0x44, Y15, Y13, Y6
	VSHUFPS	$0xEE, Y15, Y13, Y7

	// Halves joined: step j = column j of the block, a_j .. h_j.
	VPERM2F128	$0x20, Y4, Y0, Y8
	VPERM2F128	$0x20, Y5, Y1, Y9
	VPERM2F128	$0x20, Y6, Y2, Y10
	VPERM2F128	$0x20, Y7, Y3, Y11
	VPERM2F128	$0x31, Y4, Y0, Y12
	VPERM2F128	$0x31, Y5, Y1, Y13
	VPERM2F128	$0x31, Y6, Y2, Y14
	VPERM2F128	$0x31, Y7, Y3, Y15

	VMOVUPS	Y8, (DI)
	VMOVUPS	Y9, (DI)(R9*1)
	VMOVUPS	Y10, (DI)(R9*2)
	VMOVUPS	Y11, (DI)(R13*1)
	VMOVUPS	Y12, (DI)(R9*4)
	VMOVUPS	Y13, (DI)(BX*1)
	VMOVUPS	Y14, (DI)(R13*2)
	VMOVUPS	Y15, (DI)(DX*1)

	ADDQ	$32, SI
	LEAQ	(DI)(R9*8), DI
	DECQ	CX
	JNZ	loop

	VZEROUPPER

done:
	RET
