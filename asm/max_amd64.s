//go:build !purego

#include "textflag.h"

// Max: the largest element of x, NaN if there is one, for float32 and float64 with AVX-512 and with AVX2.
// The exact loops and contracts are in the doc comments of max_amd64.go.

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

// func MaxF32AVX512(x []float32) float32
//
// Registers:
//   SI  address of the next x element
//   CX  elements left
//   AX, BX  scratch
//   Z0-Z3  running maxima
//   Z4-Z7  x values
//   Z8  -Inf in every lane
//   K2, K3  lanes where every x seen so far was a number (ANDed ordered compares)
//   K1  tail mask
TEXT ·MaxF32AVX512(SB), NOSPLIT, $0-28
	MOVQ	x_base+0(FP), SI
	MOVQ	x_len+8(FP), CX
	MOVL	$0xff800000, AX
	VPBROADCASTD	AX, Z8
	VMOVAPS	Z8, Z0
	VMOVAPS	Z8, Z1
	VMOVAPS	Z8, Z2
	VMOVAPS	Z8, Z3
	KXNORW	K2, K2, K2
	KXNORW	K3, K3, K3
	CMPQ	CX, $64
	JB	one

loop:
	VMOVUPS	(SI), Z4
	VMOVUPS	64(SI), Z5
	VMOVUPS	128(SI), Z6
	VMOVUPS	192(SI), Z7
	VMAXPS	Z4, Z0, Z0
	VMAXPS	Z5, Z1, Z1
	VMAXPS	Z6, Z2, Z2
	VMAXPS	Z7, Z3, Z3
	VCMPPS	$7, Z5, Z4, K2, K2
	VCMPPS	$7, Z7, Z6, K3, K3
	ADDQ	$256, SI
	SUBQ	$64, CX
	CMPQ	CX, $64
	JAE	loop

one:
	CMPQ	CX, $16
	JB	tail
	VMOVUPS	(SI), Z4
	VMAXPS	Z4, Z0, Z0
	VCMPPS	$7, Z4, Z4, K2, K2
	ADDQ	$64, SI
	SUBQ	$16, CX
	JMP	one

	// The last len%16 elements: masked-off lanes are not read and count as -Inf.
tail:
	TESTQ	CX, CX
	JZ	reduce
	MOVQ	$-1, AX
	SHLQ	CX, AX
	NOTQ	AX
	KMOVW	AX, K1
	VMOVAPS	Z8, Z4
	VMOVUPS	(SI), K1, Z4
	VMAXPS	Z4, Z1, Z1
	VCMPPS	$7, Z4, Z4, K2, K2

reduce:
	KANDW	K2, K3, K2
	KMOVW	K2, AX
	CMPL	AX, $0xffff
	JNE	nan
	VMAXPS	Z2, Z0, Z0
	VMAXPS	Z3, Z1, Z1
	VMAXPS	Z1, Z0, Z0
	VEXTRACTF64X4	$1, Z0, Y1
	VMAXPS	Y1, Y0, Y0
	VEXTRACTF128	$1, Y0, X1
	VMAXPS	X1, X0, X0
	VMOVHLPS	X0, X0, X1
	VMAXPS	X1, X0, X0
	VMOVSHDUP	X0, X1
	VMAXSS	X1, X0, X0
	VMOVSS	X0, ret+24(FP)
	VZEROUPPER
	RET

	// A NaN was seen: the result is the default quiet NaN.
nan:
	MOVL	$0x7fc00000, AX
	MOVL	AX, ret+24(FP)
	VZEROUPPER
	RET

// func MaxF32AVX2(x []float32) float32
//
// Registers:
//   SI  address of the next x element
//   CX  elements left
//   AX, BX  scratch
//   Y0-Y3  running maxima
//   Y4-Y7  x values
//   Y8  -Inf in every lane
//   Y9  lanes where a NaN was seen (ORed unordered compares)
//   Y10, Y11  compare results
//   Y13  tail mask (VMASKMOV)
TEXT ·MaxF32AVX2(SB), NOSPLIT, $0-28
	MOVQ	x_base+0(FP), SI
	MOVQ	x_len+8(FP), CX
	MOVL	$0xff800000, AX
	VMOVD	AX, X8
	VPBROADCASTD	X8, Y8
	VMOVAPS	Y8, Y0
	VMOVAPS	Y8, Y1
	VMOVAPS	Y8, Y2
	VMOVAPS	Y8, Y3
	VXORPS	X9, X9, X9
	CMPQ	CX, $32
	JB	one

loop:
	VMOVUPS	(SI), Y4
	VMOVUPS	32(SI), Y5
	VMOVUPS	64(SI), Y6
	VMOVUPS	96(SI), Y7
	VMAXPS	Y4, Y0, Y0
	VMAXPS	Y5, Y1, Y1
	VMAXPS	Y6, Y2, Y2
	VMAXPS	Y7, Y3, Y3
	VCMPPS	$3, Y5, Y4, Y10
	VCMPPS	$3, Y7, Y6, Y11
	VORPS	Y10, Y9, Y9
	VORPS	Y11, Y9, Y9
	ADDQ	$128, SI
	SUBQ	$32, CX
	CMPQ	CX, $32
	JAE	loop

one:
	CMPQ	CX, $8
	JB	tail
	VMOVUPS	(SI), Y4
	VMAXPS	Y4, Y0, Y0
	VCMPPS	$3, Y4, Y4, Y10
	VORPS	Y10, Y9, Y9
	ADDQ	$32, SI
	SUBQ	$8, CX
	JMP	one

	// The last len%8 elements: masked-off lanes are not read and count as -Inf.
tail:
	TESTQ	CX, CX
	JZ	reduce
	MOVQ	$8, AX
	SUBQ	CX, AX
	LEAQ	tailmask<>(SB), BX
	VMOVDQU	(BX)(AX*4), Y13
	VMASKMOVPS	(SI), Y13, Y4
	VBLENDVPS	Y13, Y4, Y8, Y4
	VMAXPS	Y4, Y1, Y1
	VCMPPS	$3, Y4, Y4, Y10
	VORPS	Y10, Y9, Y9

reduce:
	VPTEST	Y9, Y9
	JNZ	nan
	VMAXPS	Y2, Y0, Y0
	VMAXPS	Y3, Y1, Y1
	VMAXPS	Y1, Y0, Y0
	VEXTRACTF128	$1, Y0, X1
	VMAXPS	X1, X0, X0
	VMOVHLPS	X0, X0, X1
	VMAXPS	X1, X0, X0
	VMOVSHDUP	X0, X1
	VMAXSS	X1, X0, X0
	VMOVSS	X0, ret+24(FP)
	VZEROUPPER
	RET

	// A NaN was seen: the result is the default quiet NaN.
nan:
	MOVL	$0x7fc00000, AX
	MOVL	AX, ret+24(FP)
	VZEROUPPER
	RET

// func MaxF64AVX512(x []float64) float64
//
// Registers:
//   SI  address of the next x element
//   CX  elements left
//   AX, BX  scratch
//   Z0-Z3  running maxima
//   Z4-Z7  x values
//   Z8  -Inf in every lane
//   K2, K3  lanes where every x seen so far was a number (ANDed ordered compares)
//   K1  tail mask
TEXT ·MaxF64AVX512(SB), NOSPLIT, $0-32
	MOVQ	x_base+0(FP), SI
	MOVQ	x_len+8(FP), CX
	MOVQ	$0xfff0000000000000, AX
	VPBROADCASTQ	AX, Z8
	VMOVAPD	Z8, Z0
	VMOVAPD	Z8, Z1
	VMOVAPD	Z8, Z2
	VMOVAPD	Z8, Z3
	KXNORW	K2, K2, K2
	KXNORW	K3, K3, K3
	CMPQ	CX, $32
	JB	one

loop:
	VMOVUPD	(SI), Z4
	VMOVUPD	64(SI), Z5
	VMOVUPD	128(SI), Z6
	VMOVUPD	192(SI), Z7
	VMAXPD	Z4, Z0, Z0
	VMAXPD	Z5, Z1, Z1
	VMAXPD	Z6, Z2, Z2
	VMAXPD	Z7, Z3, Z3
	VCMPPD	$7, Z5, Z4, K2, K2
	VCMPPD	$7, Z7, Z6, K3, K3
	ADDQ	$256, SI
	SUBQ	$32, CX
	CMPQ	CX, $32
	JAE	loop

one:
	CMPQ	CX, $8
	JB	tail
	VMOVUPD	(SI), Z4
	VMAXPD	Z4, Z0, Z0
	VCMPPD	$7, Z4, Z4, K2, K2
	ADDQ	$64, SI
	SUBQ	$8, CX
	JMP	one

	// The last len%8 elements: masked-off lanes are not read and count as -Inf.
tail:
	TESTQ	CX, CX
	JZ	reduce
	MOVQ	$-1, AX
	SHLQ	CX, AX
	NOTQ	AX
	KMOVW	AX, K1
	VMOVAPD	Z8, Z4
	VMOVUPD	(SI), K1, Z4
	VMAXPD	Z4, Z1, Z1
	VCMPPD	$7, Z4, Z4, K2, K2

reduce:
	KANDW	K2, K3, K2
	KMOVW	K2, AX
	ANDL	$0xff, AX
	CMPL	AX, $0xff
	JNE	nan
	VMAXPD	Z2, Z0, Z0
	VMAXPD	Z3, Z1, Z1
	VMAXPD	Z1, Z0, Z0
	VEXTRACTF64X4	$1, Z0, Y1
	VMAXPD	Y1, Y0, Y0
	VEXTRACTF128	$1, Y0, X1
	VMAXPD	X1, X0, X0
	VUNPCKHPD	X0, X0, X1
	VMAXSD	X1, X0, X0
	VMOVSD	X0, ret+24(FP)
	VZEROUPPER
	RET

	// A NaN was seen: the result is the default quiet NaN.
nan:
	MOVQ	$0x7ff8000000000000, AX
	MOVQ	AX, ret+24(FP)
	VZEROUPPER
	RET

// func MaxF64AVX2(x []float64) float64
//
// Registers:
//   SI  address of the next x element
//   CX  elements left
//   AX, BX  scratch
//   Y0-Y3  running maxima
//   Y4-Y7  x values
//   Y8  -Inf in every lane
//   Y9  lanes where a NaN was seen (ORed unordered compares)
//   Y10, Y11  compare results
//   Y13  tail mask (VMASKMOV)
TEXT ·MaxF64AVX2(SB), NOSPLIT, $0-32
	MOVQ	x_base+0(FP), SI
	MOVQ	x_len+8(FP), CX
	MOVQ	$0xfff0000000000000, AX
	VMOVQ	AX, X8
	VPBROADCASTQ	X8, Y8
	VMOVAPD	Y8, Y0
	VMOVAPD	Y8, Y1
	VMOVAPD	Y8, Y2
	VMOVAPD	Y8, Y3
	VXORPD	X9, X9, X9
	CMPQ	CX, $16
	JB	one

loop:
	VMOVUPD	(SI), Y4
	VMOVUPD	32(SI), Y5
	VMOVUPD	64(SI), Y6
	VMOVUPD	96(SI), Y7
	VMAXPD	Y4, Y0, Y0
	VMAXPD	Y5, Y1, Y1
	VMAXPD	Y6, Y2, Y2
	VMAXPD	Y7, Y3, Y3
	VCMPPD	$3, Y5, Y4, Y10
	VCMPPD	$3, Y7, Y6, Y11
	VORPD	Y10, Y9, Y9
	VORPD	Y11, Y9, Y9
	ADDQ	$128, SI
	SUBQ	$16, CX
	CMPQ	CX, $16
	JAE	loop

one:
	CMPQ	CX, $4
	JB	tail
	VMOVUPD	(SI), Y4
	VMAXPD	Y4, Y0, Y0
	VCMPPD	$3, Y4, Y4, Y10
	VORPD	Y10, Y9, Y9
	ADDQ	$32, SI
	SUBQ	$4, CX
	JMP	one

	// The last len%4 elements: masked-off lanes are not read and count as -Inf.
tail:
	TESTQ	CX, CX
	JZ	reduce
	MOVQ	$4, AX
	SUBQ	CX, AX
	LEAQ	tailmask<>(SB), BX
	VMOVDQU	(BX)(AX*8), Y13
	VMASKMOVPD	(SI), Y13, Y4
	VBLENDVPD	Y13, Y4, Y8, Y4
	VMAXPD	Y4, Y1, Y1
	VCMPPD	$3, Y4, Y4, Y10
	VORPD	Y10, Y9, Y9

reduce:
	VPTEST	Y9, Y9
	JNZ	nan
	VMAXPD	Y2, Y0, Y0
	VMAXPD	Y3, Y1, Y1
	VMAXPD	Y1, Y0, Y0
	VEXTRACTF128	$1, Y0, X1
	VMAXPD	X1, X0, X0
	VUNPCKHPD	X0, X0, X1
	VMAXSD	X1, X0, X0
	VMOVSD	X0, ret+24(FP)
	VZEROUPPER
	RET

	// A NaN was seen: the result is the default quiet NaN.
nan:
	MOVQ	$0x7ff8000000000000, AX
	MOVQ	AX, ret+24(FP)
	VZEROUPPER
	RET
