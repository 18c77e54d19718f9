//go:build !purego

#include "textflag.h"

// Dot: the dot product of x and y, for float32 and float64 with AVX-512 and with AVX2.
// The exact loops and contracts are in the doc comments of dot_amd64.go.

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

// func DotF32AVX512(x, y []float32) float32
//
// Registers:
//   SI  address of the next x element
//   DI  address of the next y element
//   CX  elements left
//   AX, BX  scratch
//   Z0-Z3  partial sums
//   Z4-Z7  x values
//   K1  tail mask
TEXT ·DotF32AVX512(SB), NOSPLIT, $0-52
	MOVQ	x_base+0(FP), SI
	MOVQ	x_len+8(FP), CX
	MOVQ	y_base+24(FP), DI
	VXORPS	X0, X0, X0
	VXORPS	X1, X1, X1
	VXORPS	X2, X2, X2
	VXORPS	X3, X3, X3
	CMPQ	CX, $64
	JB	one

loop:
	VMOVUPS	(SI), Z4
	VMOVUPS	64(SI), Z5
	VMOVUPS	128(SI), Z6
	VMOVUPS	192(SI), Z7
	VFMADD231PS	(DI), Z4, Z0
	VFMADD231PS	64(DI), Z5, Z1
	VFMADD231PS	128(DI), Z6, Z2
	VFMADD231PS	192(DI), Z7, Z3
	ADDQ	$256, SI
	ADDQ	$256, DI
	SUBQ	$64, CX
	CMPQ	CX, $64
	JAE	loop

one:
	CMPQ	CX, $16
	JB	tail
	VMOVUPS	(SI), Z4
	VFMADD231PS	(DI), Z4, Z0
	ADDQ	$64, SI
	ADDQ	$64, DI
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
	VMOVUPS.Z	(SI), K1, Z4
	VMOVUPS.Z	(DI), K1, Z5
	VFMADD231PS	Z5, Z4, Z1

reduce:
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
	VMOVSS	X0, ret+48(FP)
	VZEROUPPER
	RET

// func DotF32AVX2(x, y []float32) float32
//
// Registers:
//   SI  address of the next x element
//   DI  address of the next y element
//   CX  elements left
//   AX, BX  scratch
//   Y0-Y3  partial sums
//   Y4-Y7  x values
//   Y13  tail mask (VMASKMOV)
TEXT ·DotF32AVX2(SB), NOSPLIT, $0-52
	MOVQ	x_base+0(FP), SI
	MOVQ	x_len+8(FP), CX
	MOVQ	y_base+24(FP), DI
	VXORPS	X0, X0, X0
	VXORPS	X1, X1, X1
	VXORPS	X2, X2, X2
	VXORPS	X3, X3, X3
	CMPQ	CX, $32
	JB	one

loop:
	VMOVUPS	(SI), Y4
	VMOVUPS	32(SI), Y5
	VMOVUPS	64(SI), Y6
	VMOVUPS	96(SI), Y7
	VFMADD231PS	(DI), Y4, Y0
	VFMADD231PS	32(DI), Y5, Y1
	VFMADD231PS	64(DI), Y6, Y2
	VFMADD231PS	96(DI), Y7, Y3
	ADDQ	$128, SI
	ADDQ	$128, DI
	SUBQ	$32, CX
	CMPQ	CX, $32
	JAE	loop

one:
	CMPQ	CX, $8
	JB	tail
	VMOVUPS	(SI), Y4
	VFMADD231PS	(DI), Y4, Y0
	ADDQ	$32, SI
	ADDQ	$32, DI
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
	VMASKMOVPS	(SI), Y13, Y4
	VMASKMOVPS	(DI), Y13, Y5
	VFMADD231PS	Y5, Y4, Y1

reduce:
	VADDPS	Y2, Y0, Y0
	VADDPS	Y3, Y1, Y1
	VADDPS	Y1, Y0, Y0
	VEXTRACTF128	$1, Y0, X1
	VADDPS	X1, X0, X0
	VMOVHLPS	X0, X0, X1
	VADDPS	X1, X0, X0
	VMOVSHDUP	X0, X1
	VADDSS	X1, X0, X0
	VMOVSS	X0, ret+48(FP)
	VZEROUPPER
	RET

// func DotF64AVX512(x, y []float64) float64
//
// Registers:
//   SI  address of the next x element
//   DI  address of the next y element
//   CX  elements left
//   AX, BX  scratch
//   Z0-Z3  partial sums
//   Z4-Z7  x values
//   K1  tail mask
TEXT ·DotF64AVX512(SB), NOSPLIT, $0-56
	MOVQ	x_base+0(FP), SI
	MOVQ	x_len+8(FP), CX
	MOVQ	y_base+24(FP), DI
	VXORPD	X0, X0, X0
	VXORPD	X1, X1, X1
	VXORPD	X2, X2, X2
	VXORPD	X3, X3, X3
	CMPQ	CX, $32
	JB	one

loop:
	VMOVUPD	(SI), Z4
	VMOVUPD	64(SI), Z5
	VMOVUPD	128(SI), Z6
	VMOVUPD	192(SI), Z7
	VFMADD231PD	(DI), Z4, Z0
	VFMADD231PD	64(DI), Z5, Z1
	VFMADD231PD	128(DI), Z6, Z2
	VFMADD231PD	192(DI), Z7, Z3
	ADDQ	$256, SI
	ADDQ	$256, DI
	SUBQ	$32, CX
	CMPQ	CX, $32
	JAE	loop

one:
	CMPQ	CX, $8
	JB	tail
	VMOVUPD	(SI), Z4
	VFMADD231PD	(DI), Z4, Z0
	ADDQ	$64, SI
	ADDQ	$64, DI
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
	VMOVUPD.Z	(SI), K1, Z4
	VMOVUPD.Z	(DI), K1, Z5
	VFMADD231PD	Z5, Z4, Z1

reduce:
	VADDPD	Z2, Z0, Z0
	VADDPD	Z3, Z1, Z1
	VADDPD	Z1, Z0, Z0
	VEXTRACTF64X4	$1, Z0, Y1
	VADDPD	Y1, Y0, Y0
	VEXTRACTF128	$1, Y0, X1
	VADDPD	X1, X0, X0
	VUNPCKHPD	X0, X0, X1
	VADDSD	X1, X0, X0
	VMOVSD	X0, ret+48(FP)
	VZEROUPPER
	RET

// func DotF64AVX2(x, y []float64) float64
//
// Registers:
//   SI  address of the next x element
//   DI  address of the next y element
//   CX  elements left
//   AX, BX  scratch
//   Y0-Y3  partial sums
//   Y4-Y7  x values
//   Y13  tail mask (VMASKMOV)
TEXT ·DotF64AVX2(SB), NOSPLIT, $0-56
	MOVQ	x_base+0(FP), SI
	MOVQ	x_len+8(FP), CX
	MOVQ	y_base+24(FP), DI
	VXORPD	X0, X0, X0
	VXORPD	X1, X1, X1
	VXORPD	X2, X2, X2
	VXORPD	X3, X3, X3
	CMPQ	CX, $16
	JB	one

loop:
	VMOVUPD	(SI), Y4
	VMOVUPD	32(SI), Y5
	VMOVUPD	64(SI), Y6
	VMOVUPD	96(SI), Y7
	VFMADD231PD	(DI), Y4, Y0
	VFMADD231PD	32(DI), Y5, Y1
	VFMADD231PD	64(DI), Y6, Y2
	VFMADD231PD	96(DI), Y7, Y3
	ADDQ	$128, SI
	ADDQ	$128, DI
	SUBQ	$16, CX
	CMPQ	CX, $16
	JAE	loop

one:
	CMPQ	CX, $4
	JB	tail
	VMOVUPD	(SI), Y4
	VFMADD231PD	(DI), Y4, Y0
	ADDQ	$32, SI
	ADDQ	$32, DI
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
	VMASKMOVPD	(SI), Y13, Y4
	VMASKMOVPD	(DI), Y13, Y5
	VFMADD231PD	Y5, Y4, Y1

reduce:
	VADDPD	Y2, Y0, Y0
	VADDPD	Y3, Y1, Y1
	VADDPD	Y1, Y0, Y0
	VEXTRACTF128	$1, Y0, X1
	VADDPD	X1, X0, X0
	VUNPCKHPD	X0, X0, X1
	VADDSD	X1, X0, X0
	VMOVSD	X0, ret+48(FP)
	VZEROUPPER
	RET
