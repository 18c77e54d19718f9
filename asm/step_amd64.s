//go:build !purego

#include "textflag.h"

// Step: dst[i] = 1 where src[i] > 0, else 0, for float32 and float64 with AVX-512 and with AVX2.
// The exact loops and contracts are in the doc comments of step_amd64.go.

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

// func StepF32AVX512(dst, src []float32)
//
// Registers:
//   DI  address of the next dst element
//   SI  address of the next src element
//   CX  elements left
//   AX, BX  scratch (tail mask)
//   Z15  zero in every lane
//   Z14  1.0 in every lane
//   K2-K5  lanes where 0 < x
//   Z0-Z3  results in flight
//   K1  tail mask
TEXT ·StepF32AVX512(SB), NOSPLIT, $0-48
	MOVQ	dst_base+0(FP), DI
	MOVQ	src_base+24(FP), SI
	MOVQ	src_len+32(FP), CX
	VXORPS	X15, X15, X15
	MOVL	$0x3f800000, AX
	VPBROADCASTD	AX, Z14
	CMPQ	CX, $64
	JB	one

loop4:
	VCMPPS	$0x11, (SI), Z15, K2
	VMOVAPS.Z	Z14, K2, Z0
	VCMPPS	$0x11, 64(SI), Z15, K3
	VMOVAPS.Z	Z14, K3, Z1
	VCMPPS	$0x11, 128(SI), Z15, K4
	VMOVAPS.Z	Z14, K4, Z2
	VCMPPS	$0x11, 192(SI), Z15, K5
	VMOVAPS.Z	Z14, K5, Z3
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
	VCMPPS	$0x11, (SI), Z15, K2
	VMOVAPS.Z	Z14, K2, Z0
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
	VCMPPS	$0x11, Z0, Z15, K2
	VMOVAPS.Z	Z14, K2, Z0
	VMOVUPS	Z0, K1, (DI)

done:
	VZEROUPPER
	RET

// func StepF32AVX2(dst, src []float32)
//
// Registers:
//   DI  address of the next dst element
//   SI  address of the next src element
//   CX  elements left
//   AX, BX  scratch (tail mask)
//   Y15  zero in every lane
//   Y14  1.0 in every lane
//   Y0-Y3  results in flight
//   Y13  tail mask (VMASKMOV)
TEXT ·StepF32AVX2(SB), NOSPLIT, $0-48
	MOVQ	dst_base+0(FP), DI
	MOVQ	src_base+24(FP), SI
	MOVQ	src_len+32(FP), CX
	VXORPS	X15, X15, X15
	MOVL	$0x3f800000, AX
	VMOVD	AX, X14
	VPBROADCASTD	X14, Y14
	CMPQ	CX, $32
	JB	one

loop4:
	VCMPPS	$0x11, (SI), Y15, Y0
	VANDPS	Y14, Y0, Y0
	VCMPPS	$0x11, 32(SI), Y15, Y1
	VANDPS	Y14, Y1, Y1
	VCMPPS	$0x11, 64(SI), Y15, Y2
	VANDPS	Y14, Y2, Y2
	VCMPPS	$0x11, 96(SI), Y15, Y3
	VANDPS	Y14, Y3, Y3
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
	VCMPPS	$0x11, (SI), Y15, Y0
	VANDPS	Y14, Y0, Y0
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
	VCMPPS	$0x11, Y0, Y15, Y0
	VANDPS	Y14, Y0, Y0
	VMASKMOVPS	Y0, Y13, (DI)

done:
	VZEROUPPER
	RET

// func StepF64AVX512(dst, src []float64)
//
// Registers:
//   DI  address of the next dst element
//   SI  address of the next src element
//   CX  elements left
//   AX, BX  scratch (tail mask)
//   Z15  zero in every lane
//   Z14  1.0 in every lane
//   K2-K5  lanes where 0 < x
//   Z0-Z3  results in flight
//   K1  tail mask
TEXT ·StepF64AVX512(SB), NOSPLIT, $0-48
	MOVQ	dst_base+0(FP), DI
	MOVQ	src_base+24(FP), SI
	MOVQ	src_len+32(FP), CX
	VXORPD	X15, X15, X15
	MOVQ	$0x3ff0000000000000, AX
	VPBROADCASTQ	AX, Z14
	CMPQ	CX, $32
	JB	one

loop4:
	VCMPPD	$0x11, (SI), Z15, K2
	VMOVAPD.Z	Z14, K2, Z0
	VCMPPD	$0x11, 64(SI), Z15, K3
	VMOVAPD.Z	Z14, K3, Z1
	VCMPPD	$0x11, 128(SI), Z15, K4
	VMOVAPD.Z	Z14, K4, Z2
	VCMPPD	$0x11, 192(SI), Z15, K5
	VMOVAPD.Z	Z14, K5, Z3
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
	VCMPPD	$0x11, (SI), Z15, K2
	VMOVAPD.Z	Z14, K2, Z0
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
	VCMPPD	$0x11, Z0, Z15, K2
	VMOVAPD.Z	Z14, K2, Z0
	VMOVUPD	Z0, K1, (DI)

done:
	VZEROUPPER
	RET

// func StepF64AVX2(dst, src []float64)
//
// Registers:
//   DI  address of the next dst element
//   SI  address of the next src element
//   CX  elements left
//   AX, BX  scratch (tail mask)
//   Y15  zero in every lane
//   Y14  1.0 in every lane
//   Y0-Y3  results in flight
//   Y13  tail mask (VMASKMOV)
TEXT ·StepF64AVX2(SB), NOSPLIT, $0-48
	MOVQ	dst_base+0(FP), DI
	MOVQ	src_base+24(FP), SI
	MOVQ	src_len+32(FP), CX
	VXORPD	X15, X15, X15
	MOVQ	$0x3ff0000000000000, AX
	VMOVQ	AX, X14
	VPBROADCASTQ	X14, Y14
	CMPQ	CX, $16
	JB	one

loop4:
	VCMPPD	$0x11, (SI), Y15, Y0
	VANDPD	Y14, Y0, Y0
	VCMPPD	$0x11, 32(SI), Y15, Y1
	VANDPD	Y14, Y1, Y1
	VCMPPD	$0x11, 64(SI), Y15, Y2
	VANDPD	Y14, Y2, Y2
	VCMPPD	$0x11, 96(SI), Y15, Y3
	VANDPD	Y14, Y3, Y3
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
	VCMPPD	$0x11, (SI), Y15, Y0
	VANDPD	Y14, Y0, Y0
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
	VCMPPD	$0x11, Y0, Y15, Y0
	VANDPD	Y14, Y0, Y0
	VMASKMOVPD	Y0, Y13, (DI)

done:
	VZEROUPPER
	RET
