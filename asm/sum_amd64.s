//go:build !purego

#include "textflag.h"

// Sum: the sum of x, for float32 and float64 with AVX-512 and with AVX2.
// The exact loops and contracts are in the doc comments of sum_amd64.go.

// tailmask holds eight all-ones dwords then eight zero dwords: the 32 bytes at offset
// 4*(8-k) are the VMASKMOV mask that selects the first k dwords.
DATA tailmask<>+0(SB)/8, $0xffffffffffffffff
DATA tailmask<>+8(SB)/8, $0xffffffffffffffff
DATA tailmask<>+16(SB)/8, $0xffffffffffffffff
DATA tailmask<>+24(SB)/8, $0xffffffffffffffff
DATA tailmask<>+32(SB)/8, $0
DATA tailmask<>+40(SB)/8, $0
DATA tailmask<>+48(SB)/8, $0
DATA tailmask<>+56(SB)/8, $0
GLOBL tailmask<>(SB), RODATA|NOPTR, $64

// func SumF32AVX512(x []float32) float32
//
// Registers:
//   SI  address of the next x element
//   CX  elements left
//   AX, BX  scratch
//   Z0-Z7  partial sums
//   Z8  tail values
//   K1  tail mask
TEXT ·SumF32AVX512(SB), NOSPLIT, $0-28
	MOVQ	x_base+0(FP), SI
	MOVQ	x_len+8(FP), CX
	VXORPS	X0, X0, X0
	VXORPS	X1, X1, X1
	VXORPS	X2, X2, X2
	VXORPS	X3, X3, X3
	VXORPS	X4, X4, X4
	VXORPS	X5, X5, X5
	VXORPS	X6, X6, X6
	VXORPS	X7, X7, X7
	CMPQ	CX, $128
	JB	one

loop:
	VADDPS	(SI), Z0, Z0
	VADDPS	64(SI), Z1, Z1
	VADDPS	128(SI), Z2, Z2
	VADDPS	192(SI), Z3, Z3
	VADDPS	256(SI), Z4, Z4
	VADDPS	320(SI), Z5, Z5
	VADDPS	384(SI), Z6, Z6
	VADDPS	448(SI), Z7, Z7
	ADDQ	$512, SI
	SUBQ	$128, CX
	CMPQ	CX, $128
	JAE	loop

one:
	CMPQ	CX, $16
	JB	tail
	VADDPS	(SI), Z0, Z0
	ADDQ	$64, SI
	SUBQ	$16, CX
	JMP	one

	// The last len%16 elements: masked-off lanes are not read and count as 0.
tail:
	TESTQ	CX, CX
	JZ	reduce
	MOVQ	$-1, AX
	SHLQ	CX, AX
	NOTQ	AX
	KMOVW	AX, K1
	VMOVUPS.Z	(SI), K1, Z8
	VADDPS	Z8, Z1, Z1

reduce:
	VADDPS	Z4, Z0, Z0
	VADDPS	Z5, Z1, Z1
	VADDPS	Z6, Z2, Z2
	VADDPS	Z7, Z3, Z3
	VADDPS	Z2, Z0, Z0
	VADDPS	Z3, Z1, Z1
	VADDPS	Z1, Z0, Z0
	VEXTRACTF64X4	$1, Z0, Y1
	VADDPS	Y1, Y0, Y0
	VEXTRACTF128	$1, Y0, X1
	VADDPS	X1, X0, X0
	VMOVHLPS	X0, X0, X1
	VADDPS	X1, X0, X0
	VMOVSHDUP	X0, X1
	VADDSS	X1, X0, X0
	VMOVSS	X0, ret+24(FP)
	VZEROUPPER
	RET

// func SumF32AVX2(x []float32) float32
//
// Registers:
//   SI  address of the next x element
//   CX  elements left
//   AX, BX  scratch
//   Y0-Y7  partial sums
//   Y8  tail values
//   Y13  tail mask (VMASKMOV)
TEXT ·SumF32AVX2(SB), NOSPLIT, $0-28
	MOVQ	x_base+0(FP), SI
	MOVQ	x_len+8(FP), CX
	VXORPS	X0, X0, X0
	VXORPS	X1, X1, X1
	VXORPS	X2, X2, X2
	VXORPS	X3, X3, X3
	VXORPS	X4, X4, X4
	VXORPS	X5, X5, X5
	VXORPS	X6, X6, X6
	VXORPS	X7, X7, X7
	CMPQ	CX, $64
	JB	one

loop:
	VADDPS	(SI), Y0, Y0
	VADDPS	32(SI), Y1, Y1
	VADDPS	64(SI), Y2, Y2
	VADDPS	96(SI), Y3, Y3
	VADDPS	128(SI), Y4, Y4
	VADDPS	160(SI), Y5, Y5
	VADDPS	192(SI), Y6, Y6
	VADDPS	224(SI), Y7, Y7
	ADDQ	$256, SI
	SUBQ	$64, CX
	CMPQ	CX, $64
	JAE	loop

one:
	CMPQ	CX, $8
	JB	tail
	VADDPS	(SI), Y0, Y0
	ADDQ	$32, SI
	SUBQ	$8, CX
	JMP	one

	// The last len%8 elements: masked-off lanes are not read and count as 0.
tail:
	TESTQ	CX, CX
	JZ	reduce
	MOVQ	$8, AX
	SUBQ	CX, AX
	LEAQ	tailmask<>(SB), BX
	VMOVDQU	(BX)(AX*4), Y13
	VMASKMOVPS	(SI), Y13, Y8
	VADDPS	Y8, Y1, Y1

reduce:
	VADDPS	Y4, Y0, Y0
	VADDPS	Y5, Y1, Y1
	VADDPS	Y6, Y2, Y2
	VADDPS	Y7, Y3, Y3
	VADDPS	Y2, Y0, Y0
	VADDPS	Y3, Y1, Y1
	VADDPS	Y1, Y0, Y0
	VEXTRACTF128	$1, Y0, X1
	VADDPS	X1, X0, X0
	VMOVHLPS	X0, X0, X1
	VADDPS	X1, X0, X0
	VMOVSHDUP	X0, X1
	VADDSS	X1, X0, X0
	VMOVSS	X0, ret+24(FP)
	VZEROUPPER
	RET

// func SumF64AVX512(x []float64) float64
//
// Registers:
//   SI  address of the next x element
//   CX  elements left
//   AX, BX  scratch
//   Z0-Z7  partial sums
//   Z8  tail values
//   K1  tail mask
TEXT ·SumF64AVX512(SB), NOSPLIT, $0-32
	MOVQ	x_base+0(FP), SI
	MOVQ	x_len+8(FP), CX
	VXORPD	X0, X0, X0
	VXORPD	X1, X1, X1
	VXORPD	X2, X2, X2
	VXORPD	X3, X3, X3
	VXORPD	X4, X4, X4
	VXORPD	X5, X5, X5
	VXORPD	X6, X6, X6
	VXORPD	X7, X7, X7
	CMPQ	CX, $64
	JB	one

loop:
	VADDPD	(SI), Z0, Z0
	VADDPD	64(SI), Z1, Z1
	VADDPD	128(SI), Z2, Z2
	VADDPD	192(SI), Z3, Z3
	VADDPD	256(SI), Z4, Z4
	VADDPD	320(SI), Z5, Z5
	VADDPD	384(SI), Z6, Z6
	VADDPD	448(SI), Z7, Z7
	ADDQ	$512, SI
	SUBQ	$64, CX
	CMPQ	CX, $64
	JAE	loop

one:
	CMPQ	CX, $8
	JB	tail
	VADDPD	(SI), Z0, Z0
	ADDQ	$64, SI
	SUBQ	$8, CX
	JMP	one

	// The last len%8 elements: masked-off lanes are not read and count as 0.
tail:
	TESTQ	CX, CX
	JZ	reduce
	MOVQ	$-1, AX
	SHLQ	CX, AX
	NOTQ	AX
	KMOVW	AX, K1
	VMOVUPD.Z	(SI), K1, Z8
	VADDPD	Z8, Z1, Z1

reduce:
	VADDPD	Z4, Z0, Z0
	VADDPD	Z5, Z1, Z1
	VADDPD	Z6, Z2, Z2
	VADDPD	Z7, Z3, Z3
	VADDPD	Z2, Z0, Z0
	VADDPD	Z3, Z1, Z1
	VADDPD	Z1, Z0, Z0
	VEXTRACTF64X4	$1, Z0, Y1
	VADDPD	Y1, Y0, Y0
	VEXTRACTF128	$1, Y0, X1
	VADDPD	X1, X0, X0
	VUNPCKHPD	X0, X0, X1
	VADDSD	X1, X0, X0
	VMOVSD	X0, ret+24(FP)
	VZEROUPPER
	RET

// func SumF64AVX2(x []float64) float64
//
// Registers:
//   SI  address of the next x element
//   CX  elements left
//   AX, BX  scratch
//   Y0-Y7  partial sums
//   Y8  tail values
//   Y13  tail mask (VMASKMOV)
TEXT ·SumF64AVX2(SB), NOSPLIT, $0-32
	MOVQ	x_base+0(FP), SI
	MOVQ	x_len+8(FP), CX
	VXORPD	X0, X0, X0
	VXORPD	X1, X1, X1
	VXORPD	X2, X2, X2
	VXORPD	X3, X3, X3
	VXORPD	X4, X4, X4
	VXORPD	X5, X5, X5
	VXORPD	X6, X6, X6
	VXORPD	X7, X7, X7
	CMPQ	CX, $32
	JB	one

loop:
	VADDPD	(SI), Y0, Y0
	VADDPD	32(SI), Y1, Y1
	VADDPD	64(SI), Y2, Y2
	VADDPD	96(SI), Y3, Y3
	VADDPD	128(SI), Y4, Y4
	VADDPD	160(SI), Y5, Y5
	VADDPD	192(SI), Y6, Y6
	VADDPD	224(SI), Y7, Y7
	ADDQ	$256, SI
	SUBQ	$32, CX
	CMPQ	CX, $32
	JAE	loop

one:
	CMPQ	CX, $4
	JB	tail
	VADDPD	(SI), Y0, Y0
	ADDQ	$32, SI
	SUBQ	$4, CX
	JMP	one

	// The last len%4 elements: masked-off lanes are not read and count as 0.
tail:
	TESTQ	CX, CX
	JZ	reduce
	MOVQ	$4, AX
	SUBQ	CX, AX
	LEAQ	tailmask<>(SB), BX
	VMOVDQU	(BX)(AX*8), Y13
	VMASKMOVPD	(SI), Y13, Y8
	VADDPD	Y8, Y1, Y1

reduce:
	VADDPD	Y4, Y0, Y0
	VADDPD	Y5, Y1, Y1
	VADDPD	Y6, Y2, Y2
	VADDPD	Y7, Y3, Y3
	VADDPD	Y2, Y0, Y0
	VADDPD	Y3, Y1, Y1
	VADDPD	Y1, Y0, Y0
	VEXTRACTF128	$1, Y0, X1
	VADDPD	X1, X0, X0
	VUNPCKHPD	X0, X0, X1
	VADDSD	X1, X0, X0
	VMOVSD	X0, ret+24(FP)
	VZEROUPPER
	RET
