//go:build !purego

#include "textflag.h"

// Axpy: y[i] += alpha*x[i], for float32 and float64 with AVX-512 and with AVX2.
// The exact loops and contracts are in the doc comments of axpy_amd64.go.

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

// func AxpyF32AVX512(alpha float32, x, y []float32)
//
// Registers:
//   SI  address of the next x element
//   DI  address of the next y element
//   CX  elements left
//   AX, BX  scratch (tail mask)
//   Z15  alpha in every lane
//   Z0-Z3  y values being updated
//   Z4  x tail values
//   K1  tail mask
TEXT ·AxpyF32AVX512(SB), NOSPLIT, $0-56
	VBROADCASTSS	alpha+0(FP), Z15
	MOVQ	x_base+8(FP), SI
	MOVQ	x_len+16(FP), CX
	MOVQ	y_base+32(FP), DI
	CMPQ	CX, $64
	JB	one

loop4:
	VMOVUPS	(DI), Z0
	VMOVUPS	64(DI), Z1
	VMOVUPS	128(DI), Z2
	VMOVUPS	192(DI), Z3
	VFMADD231PS	(SI), Z15, Z0
	VFMADD231PS	64(SI), Z15, Z1
	VFMADD231PS	128(SI), Z15, Z2
	VFMADD231PS	192(SI), Z15, Z3
	VMOVUPS	Z0, (DI)
	VMOVUPS	Z1, 64(DI)
	VMOVUPS	Z2, 128(DI)
	VMOVUPS	Z3, 192(DI)
	ADDQ	$256, SI
	ADDQ	$256, DI
	SUBQ	$64, CX
	CMPQ	CX, $64
	JAE	loop4

one:
	CMPQ	CX, $16
	JB	tail
	VMOVUPS	(DI), Z0
	VFMADD231PS	(SI), Z15, Z0
	VMOVUPS	Z0, (DI)
	ADDQ	$64, SI
	ADDQ	$64, DI
	SUBQ	$16, CX
	JMP	one

	// The last len%16 elements: masked-off lanes are neither read nor written.
tail:
	TESTQ	CX, CX
	JZ	done
	MOVQ	$-1, AX
	SHLQ	CX, AX
	NOTQ	AX
	KMOVW	AX, K1
	VMOVUPS.Z	(DI), K1, Z0
	VMOVUPS.Z	(SI), K1, Z4
	VFMADD231PS	Z4, Z15, Z0
	VMOVUPS	Z0, K1, (DI)

done:
	VZEROUPPER
	RET

// func AxpyF32AVX2(alpha float32, x, y []float32)
//
// Registers:
//   SI  address of the next x element
//   DI  address of the next y element
//   CX  elements left
//   AX, BX  scratch (tail mask)
//   Y15  alpha in every lane
//   Y0-Y3  y values being updated
//   Y4  x tail values
//   Y13  tail mask (VMASKMOV)
TEXT ·AxpyF32AVX2(SB), NOSPLIT, $0-56
	VBROADCASTSS	alpha+0(FP), Y15
	MOVQ	x_base+8(FP), SI
	MOVQ	x_len+16(FP), CX
	MOVQ	y_base+32(FP), DI
	CMPQ	CX, $32
	JB	one

loop4:
	VMOVUPS	(DI), Y0
	VMOVUPS	32(DI), Y1
	VMOVUPS	64(DI), Y2
	VMOVUPS	96(DI), Y3
	VFMADD231PS	(SI), Y15, Y0
	VFMADD231PS	32(SI), Y15, Y1
	VFMADD231PS	64(SI), Y15, Y2
	VFMADD231PS	96(SI), Y15, Y3
	VMOVUPS	Y0, (DI)
	VMOVUPS	Y1, 32(DI)
	VMOVUPS	Y2, 64(DI)
	VMOVUPS	Y3, 96(DI)
	ADDQ	$128, SI
	ADDQ	$128, DI
	SUBQ	$32, CX
	CMPQ	CX, $32
	JAE	loop4

one:
	CMPQ	CX, $8
	JB	tail
	VMOVUPS	(DI), Y0
	VFMADD231PS	(SI), Y15, Y0
	VMOVUPS	Y0, (DI)
	ADDQ	$32, SI
	ADDQ	$32, DI
	SUBQ	$8, CX
	JMP	one

	// The last len%8 elements: masked-off lanes are neither read nor written.
tail:
	TESTQ	CX, CX
	JZ	done
	MOVQ	$8, AX
	SUBQ	CX, AX
	LEAQ	tailmask<>(SB), BX
	VMOVDQU	(BX)(AX*4), Y13
	VMASKMOVPS	(DI), Y13, Y0
	VMASKMOVPS	(SI), Y13, Y4
	VFMADD231PS	Y4, Y15, Y0
	VMASKMOVPS	Y0, Y13, (DI)

done:
	VZEROUPPER
	RET

// func AxpyF64AVX512(alpha float64, x, y []float64)
//
// Registers:
//   SI  address of the next x element
//   DI  address of the next y element
//   CX  elements left
//   AX, BX  scratch (tail mask)
//   Z15  alpha in every lane
//   Z0-Z3  y values being updated
//   Z4  x tail values
//   K1  tail mask
TEXT ·AxpyF64AVX512(SB), NOSPLIT, $0-56
	VBROADCASTSD	alpha+0(FP), Z15
	MOVQ	x_base+8(FP), SI
	MOVQ	x_len+16(FP), CX
	MOVQ	y_base+32(FP), DI
	CMPQ	CX, $32
	JB	one

loop4:
	VMOVUPD	(DI), Z0
	VMOVUPD	64(DI), Z1
	VMOVUPD	128(DI), Z2
	VMOVUPD	192(DI), Z3
	VFMADD231PD	(SI), Z15, Z0
	VFMADD231PD	64(SI), Z15, Z1
	VFMADD231PD	128(SI), Z15, Z2
	VFMADD231PD	192(SI), Z15, Z3
	VMOVUPD	Z0, (DI)
	VMOVUPD	Z1, 64(DI)
	VMOVUPD	Z2, 128(DI)
	VMOVUPD	Z3, 192(DI)
	ADDQ	$256, SI
	ADDQ	$256, DI
	SUBQ	$32, CX
	CMPQ	CX, $32
	JAE	loop4

one:
	CMPQ	CX, $8
	JB	tail
	VMOVUPD	(DI), Z0
	VFMADD231PD	(SI), Z15, Z0
	VMOVUPD	Z0, (DI)
	ADDQ	$64, SI
	ADDQ	$64, DI
	SUBQ	$8, CX
	JMP	one

	// The last len%8 elements: masked-off lanes are neither read nor written.
tail:
	TESTQ	CX, CX
	JZ	done
	MOVQ	$-1, AX
	SHLQ	CX, AX
	NOTQ	AX
	KMOVW	AX, K1
	VMOVUPD.Z	(DI), K1, Z0
	VMOVUPD.Z	(SI), K1, Z4
	VFMADD231PD	Z4, Z15, Z0
	VMOVUPD	Z0, K1, (DI)

done:
	VZEROUPPER
	RET

// func AxpyF64AVX2(alpha float64, x, y []float64)
//
// Registers:
//   SI  address of the next x element
//   DI  address of the next y element
//   CX  elements left
//   AX, BX  scratch (tail mask)
//   Y15  alpha in every lane
//   Y0-Y3  y values being updated
//   Y4  x tail values
//   Y13  tail mask (VMASKMOV)
TEXT ·AxpyF64AVX2(SB), NOSPLIT, $0-56
	VBROADCASTSD	alpha+0(FP), Y15
	MOVQ	x_base+8(FP), SI
	MOVQ	x_len+16(FP), CX
	MOVQ	y_base+32(FP), DI
	CMPQ	CX, $16
	JB	one

loop4:
	VMOVUPD	(DI), Y0
	VMOVUPD	32(DI), Y1
	VMOVUPD	64(DI), Y2
	VMOVUPD	96(DI), Y3
	VFMADD231PD	(SI), Y15, Y0
	VFMADD231PD	32(SI), Y15, Y1
	VFMADD231PD	64(SI), Y15, Y2
	VFMADD231PD	96(SI), Y15, Y3
	VMOVUPD	Y0, (DI)
	VMOVUPD	Y1, 32(DI)
	VMOVUPD	Y2, 64(DI)
	VMOVUPD	Y3, 96(DI)
	ADDQ	$128, SI
	ADDQ	$128, DI
	SUBQ	$16, CX
	CMPQ	CX, $16
	JAE	loop4

one:
	CMPQ	CX, $4
	JB	tail
	VMOVUPD	(DI), Y0
	VFMADD231PD	(SI), Y15, Y0
	VMOVUPD	Y0, (DI)
	ADDQ	$32, SI
	ADDQ	$32, DI
	SUBQ	$4, CX
	JMP	one

	// The last len%4 elements: masked-off lanes are neither read nor written.
tail:
	TESTQ	CX, CX
	JZ	done
	MOVQ	$4, AX
	SUBQ	CX, AX
	LEAQ	tailmask<>(SB), BX
	VMOVDQU	(BX)(AX*8), Y13
	VMASKMOVPD	(DI), Y13, Y0
	VMASKMOVPD	(SI), Y13, Y4
	VFMADD231PD	Y4, Y15, Y0
	VMASKMOVPD	Y0, Y13, (DI)

done:
	VZEROUPPER
	RET
