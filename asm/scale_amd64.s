//go:build !purego

#include "textflag.h"

// Scale: dst[i] = alpha*src[i], for float32 and float64 with AVX-512 and with AVX2.
// The exact loops and contracts are in the doc comments of scale_amd64.go.

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

// func ScaleF32AVX512(alpha float32, dst, src []float32)
//
// Registers:
//   DI  address of the next dst element
//   SI  address of the next src element
//   CX  elements left
//   AX, BX  scratch (tail mask)
//   Z15  alpha in every lane
//   Z0-Z3  results in flight
//   K1  tail mask
TEXT ·ScaleF32AVX512(SB), NOSPLIT, $0-56
	MOVQ	dst_base+8(FP), DI
	MOVQ	src_base+32(FP), SI
	MOVQ	src_len+40(FP), CX
	VBROADCASTSS	alpha+0(FP), Z15
	CMPQ	CX, $64
	JB	one

loop4:
	VMULPS	(SI), Z15, Z0
	VMULPS	64(SI), Z15, Z1
	VMULPS	128(SI), Z15, Z2
	VMULPS	192(SI), Z15, Z3
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
	VMULPS	(SI), Z15, Z0
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
	VMOVUPS.Z	(SI), K1, Z0
	VMULPS	Z0, Z15, Z0
	VMOVUPS	Z0, K1, (DI)

done:
	VZEROUPPER
	RET

// func ScaleF32AVX2(alpha float32, dst, src []float32)
//
// Registers:
//   DI  address of the next dst element
//   SI  address of the next src element
//   CX  elements left
//   AX, BX  scratch (tail mask)
//   Y15  alpha in every lane
//   Y0-Y3  results in flight
//   Y13  tail mask (VMASKMOV)
TEXT ·ScaleF32AVX2(SB), NOSPLIT, $0-56
	MOVQ	dst_base+8(FP), DI
	MOVQ	src_base+32(FP), SI
	MOVQ	src_len+40(FP), CX
	VBROADCASTSS	alpha+0(FP), Y15
	CMPQ	CX, $32
	JB	one

loop4:
	VMULPS	(SI), Y15, Y0
	VMULPS	32(SI), Y15, Y1
	VMULPS	64(SI), Y15, Y2
	VMULPS	96(SI), Y15, Y3
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
	VMULPS	(SI), Y15, Y0
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
	VMASKMOVPS	(SI), Y13, Y0
	VMULPS	Y0, Y15, Y0
	VMASKMOVPS	Y0, Y13, (DI)

done:
	VZEROUPPER
	RET

// func ScaleF64AVX512(alpha float64, dst, src []float64)
//
// Registers:
//   DI  address of the next dst element
//   SI  address of the next src element
//   CX  elements left
//   AX, BX  scratch (tail mask)
//   Z15  alpha in every lane
//   Z0-Z3  results in flight
//   K1  tail mask
TEXT ·ScaleF64AVX512(SB), NOSPLIT, $0-56
	MOVQ	dst_base+8(FP), DI
	MOVQ	src_base+32(FP), SI
	MOVQ	src_len+40(FP), CX
	VBROADCASTSD	alpha+0(FP), Z15
	CMPQ	CX, $32
	JB	one

loop4:
	VMULPD	(SI), Z15, Z0
	VMULPD	64(SI), Z15, Z1
	VMULPD	128(SI), Z15, Z2
	VMULPD	192(SI), Z15, Z3
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
	VMULPD	(SI), Z15, Z0
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
	VMOVUPD.Z	(SI), K1, Z0
	VMULPD	Z0, Z15, Z0
	VMOVUPD	Z0, K1, (DI)

done:
	VZEROUPPER
	RET

// func ScaleF64AVX2(alpha float64, dst, src []float64)
//
// Registers:
//   DI  address of the next dst element
//   SI  address of the next src element
//   CX  elements left
//   AX, BX  scratch (tail mask)
//   Y15  alpha in every lane
//   Y0-Y3  results in flight
//   Y13  tail mask (VMASKMOV)
TEXT ·ScaleF64AVX2(SB), NOSPLIT, $0-56
	MOVQ	dst_base+8(FP), DI
	MOVQ	src_base+32(FP), SI
	MOVQ	src_len+40(FP), CX
	VBROADCASTSD	alpha+0(FP), Y15
	CMPQ	CX, $16
	JB	one

loop4:
	VMULPD	(SI), Y15, Y0
	VMULPD	32(SI), Y15, Y1
	VMULPD	64(SI), Y15, Y2
	VMULPD	96(SI), Y15, Y3
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
	VMULPD	(SI), Y15, Y0
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
	VMASKMOVPD	(SI), Y13, Y0
	VMULPD	Y0, Y15, Y0
	VMASKMOVPD	Y0, Y13, (DI)

done:
	VZEROUPPER
	RET
