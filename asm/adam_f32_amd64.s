//go:build !purego

#include "textflag.h"

// Adam: one optimizer update of w, m and v from g, float32, with AVX-512 and with AVX2.
// The exact loop and contract are in the doc comments of adam_f32_amd64.go. Each operation is a
// separate multiply, add, square root, divide or subtract, in the loop's order, so the result is
// the pure-Go loop's bit for bit.

// adamtail holds eight all-ones dwords then eight zero dwords: the 32 bytes at offset 4*(8-k)
// are the VMASKMOV mask that selects the first k dwords.
DATA adamtail<>+0(SB)/8, $0xffffffffffffffff
DATA adamtail<>+8(SB)/8, $0xffffffffffffffff
DATA adamtail<>+16(SB)/8, $0xffffffffffffffff
DATA adamtail<>+24(SB)/8, $0xffffffffffffffff
DATA adamtail<>+32(SB)/8, $0
DATA adamtail<>+40(SB)/8, $0
DATA adamtail<>+48(SB)/8, $0
DATA adamtail<>+56(SB)/8, $0
GLOBL adamtail<>(SB), RODATA|NOPTR, $64

// func AdamF32AVX512(w, g, m, v []float32, b1, c1, b2, c2, lr, eps float32)
//
// Registers:
//   DI, SI, DX, R8  addresses of w, g, m, v
//   AX  index of the next element
//   CX  elements left
//   BX  scratch (tail mask)
//   Z10, Z11, Z12, Z13, Z14, Z15  b1, c1, b2, c2, lr, eps in every lane
//   Z0  g    Z1  m, then the new m    Z2  c1*g
//   Z3  v, then the new v    Z4  c2*g*g    Z5  sqrt(v)+eps    Z6  lr*m/(sqrt(v)+eps)    Z7  w
//   K1  tail mask
TEXT ·AdamF32AVX512(SB), NOSPLIT, $0-120
	MOVQ	w_base+0(FP), DI
	MOVQ	w_len+8(FP), CX
	MOVQ	g_base+24(FP), SI
	MOVQ	m_base+48(FP), DX
	MOVQ	v_base+72(FP), R8
	VBROADCASTSS	b1+96(FP), Z10
	VBROADCASTSS	c1+100(FP), Z11
	VBROADCASTSS	b2+104(FP), Z12
	VBROADCASTSS	c2+108(FP), Z13
	VBROADCASTSS	lr+112(FP), Z14
	VBROADCASTSS	eps+116(FP), Z15
	XORQ	AX, AX
	CMPQ	CX, $16
	JB	tail

loop:
	VMOVUPS	(SI)(AX*4), Z0
	VMULPS	(DX)(AX*4), Z10, Z1
	VMULPS	Z0, Z11, Z2
	VADDPS	Z2, Z1, Z1
	VMOVUPS	Z1, (DX)(AX*4)
	VMULPS	(R8)(AX*4), Z12, Z3
	VMULPS	Z0, Z13, Z4
	VMULPS	Z0, Z4, Z4
	VADDPS	Z4, Z3, Z3
	VMOVUPS	Z3, (R8)(AX*4)
	VSQRTPS	Z3, Z5
	VADDPS	Z15, Z5, Z5
	VMULPS	Z1, Z14, Z6
	VDIVPS	Z5, Z6, Z6
	VMOVUPS	(DI)(AX*4), Z7
	VSUBPS	Z6, Z7, Z7
	VMOVUPS	Z7, (DI)(AX*4)
	ADDQ	$16, AX
	SUBQ	$16, CX
	CMPQ	CX, $16
	JAE	loop

	// The last len%16 elements: masked-off lanes are neither read nor written.
tail:
	TESTQ	CX, CX
	JZ	done
	MOVQ	$-1, BX
	SHLQ	CX, BX
	NOTQ	BX
	KMOVW	BX, K1
	VMOVUPS.Z	(SI)(AX*4), K1, Z0
	VMOVUPS.Z	(DX)(AX*4), K1, Z1
	VMULPS	Z1, Z10, Z1
	VMULPS	Z0, Z11, Z2
	VADDPS	Z2, Z1, Z1
	VMOVUPS	Z1, K1, (DX)(AX*4)
	VMOVUPS.Z	(R8)(AX*4), K1, Z3
	VMULPS	Z3, Z12, Z3
	VMULPS	Z0, Z13, Z4
	VMULPS	Z0, Z4, Z4
	VADDPS	Z4, Z3, Z3
	VMOVUPS	Z3, K1, (R8)(AX*4)
	VSQRTPS	Z3, Z5
	VADDPS	Z15, Z5, Z5
	VMULPS	Z1, Z14, Z6
	VDIVPS	Z5, Z6, Z6
	VMOVUPS.Z	(DI)(AX*4), K1, Z7
	VSUBPS	Z6, Z7, Z7
	VMOVUPS	Z7, K1, (DI)(AX*4)

done:
	VZEROUPPER
	RET

// func AdamF32AVX2(w, g, m, v []float32, b1, c1, b2, c2, lr, eps float32)
//
// Registers:
//   DI, SI, DX, R8  addresses of w, g, m, v
//   AX  index of the next element
//   CX  elements left
//   BX, R9  scratch (tail mask offset and address)
//   Y10, Y11, Y12, Y13, Y14, Y15  b1, c1, b2, c2, lr, eps in every lane
//   Y0  g    Y1  m, then the new m    Y2  c1*g
//   Y3  v, then the new v    Y4  c2*g*g    Y5  sqrt(v)+eps    Y6  lr*m/(sqrt(v)+eps)    Y7  w
//   Y9  tail mask (VMASKMOV)
TEXT ·AdamF32AVX2(SB), NOSPLIT, $0-120
	MOVQ	w_base+0(FP), DI
	MOVQ	w_len+8(FP), CX
	MOVQ	g_base+24(FP), SI
	MOVQ	m_base+48(FP), DX
	MOVQ	v_base+72(FP), R8
	VBROADCASTSS	b1+96(FP), Y10
	VBROADCASTSS	c1+100(FP), Y11
	VBROADCASTSS	b2+104(FP), Y12
	VBROADCASTSS	c2+108(FP), Y13
	VBROADCASTSS	lr+112(FP), Y14
	VBROADCASTSS	eps+116(FP), Y15
	XORQ	AX, AX
	CMPQ	CX, $8
	JB	tail

loop:
	VMOVUPS	(SI)(AX*4), Y0
	VMULPS	(DX)(AX*4), Y10, Y1
	VMULPS	Y0, Y11, Y2
	VADDPS	Y2, Y1, Y1
	VMOVUPS	Y1, (DX)(AX*4)
	VMULPS	(R8)(AX*4), Y12, Y3
	VMULPS	Y0, Y13, Y4
	VMULPS	Y0, Y4, Y4
	VADDPS	Y4, Y3, Y3
	VMOVUPS	Y3, (R8)(AX*4)
	VSQRTPS	Y3, Y5
	VADDPS	Y15, Y5, Y5
	VMULPS	Y1, Y14, Y6
	VDIVPS	Y5, Y6, Y6
	VMOVUPS	(DI)(AX*4), Y7
	VSUBPS	Y6, Y7, Y7
	VMOVUPS	Y7, (DI)(AX*4)
	ADDQ	$8, AX
	SUBQ	$8, CX
	CMPQ	CX, $8
	JAE	loop

	// The last len%8 elements: masked-off lanes are neither read nor written.
tail:
	TESTQ	CX, CX
	JZ	done
	MOVQ	$8, BX
	SUBQ	CX, BX
	LEAQ	adamtail<>(SB), R9
	VMOVDQU	(R9)(BX*4), Y9
	LEAQ	(SI)(AX*4), SI
	LEAQ	(DX)(AX*4), DX
	LEAQ	(R8)(AX*4), R8
	LEAQ	(DI)(AX*4), DI
	VMASKMOVPS	(SI), Y9, Y0
	VMASKMOVPS	(DX), Y9, Y1
	VMULPS	Y1, Y10, Y1
	VMULPS	Y0, Y11, Y2
	VADDPS	Y2, Y1, Y1
	VMASKMOVPS	Y1, Y9, (DX)
	VMASKMOVPS	(R8), Y9, Y3
	VMULPS	Y3, Y12, Y3
	VMULPS	Y0, Y13, Y4
	VMULPS	Y0, Y4, Y4
	VADDPS	Y4, Y3, Y3
	VMASKMOVPS	Y3, Y9, (R8)
	VSQRTPS	Y3, Y5
	VADDPS	Y15, Y5, Y5
	VMULPS	Y1, Y14, Y6
	VDIVPS	Y5, Y6, Y6
	VMASKMOVPS	(DI), Y9, Y7
	VSUBPS	Y6, Y7, Y7
	VMASKMOVPS	Y7, Y9, (DI)

done:
	VZEROUPPER
	RET
