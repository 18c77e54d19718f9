//go:build !purego

#include "textflag.h"

// GEMM micro-kernel for float32 with AVX-512: a 6 x 56 tile of C, three ZMM and one YMM
// register per row. The loop it computes, the packed layout and the contract are in the doc
// comment of gemm_f32w_avx512_amd64.go.

// Registers:
//   SI  element (0, l) of the A micro-panel at the current step l
//   R9  the A row stride rs in bytes; R10 = 3*rs, R11 = 5*rs
//   R13 the A step stride cs in bytes
//   DI  the packed B micro-panel at the current step (56 elements, 224 bytes, per step)
//   CX  steps (of k) left
//   DX  the C row being stored; AX the C row being prefetched
//   R8  ldc in bytes
//   Z9-Z26  the sums of columns 0-47: row i in Z(9+3*i) .. Z(11+3*i), 16 columns each
//   Y0-Y5   the sums of columns 48-55: row i in Y(i)
//   Z7, Z8  A element of the row, broadcast (alternating between rows); Y7, Y8 their low halves
//   Z27-Z29, Y6  the B step: columns 0-47 in three ZMM, columns 48-55 in Y6

// ROW multiplies the A element at src, broadcast into bc (low half bcy), by the B step and adds
// it to one row.
#define ROW(src, bc, bcy, c0, c1, c2, c3) \
	VBROADCASTSS	src, bc; \
	VFMADD231PS	Z27, bc, c0; \
	VFMADD231PS	Z28, bc, c1; \
	VFMADD231PS	Z29, bc, c2; \
	VFMADD231PS	Y6, bcy, c3

// STEP does one step l of the k loop and moves SI to the next; bo is the byte offset of the B
// step from DI.
#define STEP(bo) \
	VMOVUPS	(bo+0)(DI), Z27; \
	VMOVUPS	(bo+64)(DI), Z28; \
	VMOVUPS	(bo+128)(DI), Z29; \
	VMOVUPS	(bo+192)(DI), Y6; \
	ROW((SI), Z7, Y7, Z9, Z10, Z11, Y0); \
	ROW((SI)(R9*1), Z8, Y8, Z12, Z13, Z14, Y1); \
	ROW((SI)(R9*2), Z7, Y7, Z15, Z16, Z17, Y2); \
	ROW((SI)(R10*1), Z8, Y8, Z18, Z19, Z20, Y3); \
	ROW((SI)(R9*4), Z7, Y7, Z21, Z22, Z23, Y4); \
	ROW((SI)(R11*1), Z8, Y8, Z24, Z25, Z26, Y5); \
	ADDQ	R13, SI

// ADDROW adds one row of sums to the C row at DX and stores it; STOREROW stores it; both
// move DX to the next row.
#define ADDROW(c0, c1, c2, c3) \
	VADDPS	0(DX), c0, c0; \
	VADDPS	64(DX), c1, c1; \
	VADDPS	128(DX), c2, c2; \
	VADDPS	192(DX), c3, c3; \
	VMOVUPS	c0, 0(DX); \
	VMOVUPS	c1, 64(DX); \
	VMOVUPS	c2, 128(DX); \
	VMOVUPS	c3, 192(DX); \
	ADDQ	R8, DX

#define STOREROW(c0, c1, c2, c3) \
	VMOVUPS	c0, 0(DX); \
	VMOVUPS	c1, 64(DX); \
	VMOVUPS	c2, 128(DX); \
	VMOVUPS	c3, 192(DX); \
	ADDQ	R8, DX

// PREFETCHROW asks for the 224 bytes of the C row at AX and moves AX to the next row.
#define PREFETCHROW \
	PREFETCHT0	(AX); \
	PREFETCHT0	64(AX); \
	PREFETCHT0	128(AX); \
	PREFETCHT0	220(AX); \
	ADDQ	R8, AX

// func GemmWideF32AVX512(a []float32, rs, cs int, b, c []float32, k, ldc int, add bool)
TEXT ·GemmWideF32AVX512(SB), NOSPLIT, $0-105
	MOVQ	a_base+0(FP), SI
	MOVQ	rs+24(FP), R9
	MOVQ	cs+32(FP), R13
	MOVQ	b_base+40(FP), DI
	MOVQ	c_base+64(FP), DX
	MOVQ	k+88(FP), CX
	MOVQ	ldc+96(FP), R8
	SHLQ	$2, R8
	SHLQ	$2, R9
	SHLQ	$2, R13
	LEAQ	(R9)(R9*2), R10
	LEAQ	(R9)(R9*4), R11

	// Zero the sums (a VEX write of a YMM register clears the upper half too).
	VXORPS	Y0, Y0, Y0
	VXORPS	Y1, Y1, Y1
	VXORPS	Y2, Y2, Y2
	VXORPS	Y3, Y3, Y3
	VXORPS	Y4, Y4, Y4
	VXORPS	Y5, Y5, Y5
	VPXORD	Z9, Z9, Z9
	VPXORD	Z10, Z10, Z10
	VPXORD	Z11, Z11, Z11
	VPXORD	Z12, Z12, Z12
	VPXORD	Z13, Z13, Z13
	VPXORD	Z14, Z14, Z14
	VPXORD	Z15, Z15, Z15
	VPXORD	Z16, Z16, Z16
	VPXORD	Z17, Z17, Z17
	VPXORD	Z18, Z18, Z18
	VPXORD	Z19, Z19, Z19
	VPXORD	Z20, Z20, Z20
	VPXORD	Z21, Z21, Z21
	VPXORD	Z22, Z22, Z22
	VPXORD	Z23, Z23, Z23
	VPXORD	Z24, Z24, Z24
	VPXORD	Z25, Z25, Z25
	VPXORD	Z26, Z26, Z26

	// Ask for the C tile now, so that it is in L1 when the sums are added to it.
	MOVQ	DX, AX
	PREFETCHROW
	PREFETCHROW
	PREFETCHROW
	PREFETCHROW
	PREFETCHROW
	PREFETCHROW

	CMPQ	CX, $4
	JB	steps1

steps4:
	STEP(0)
	STEP(224)
	STEP(448)
	STEP(672)
	ADDQ	$896, DI
	SUBQ	$4, CX
	CMPQ	CX, $4
	JAE	steps4

steps1:
	TESTQ	CX, CX
	JZ	store
	STEP(0)
	ADDQ	$224, DI
	DECQ	CX
	JMP	steps1

store:
	CMPB	add+104(FP), $0
	JEQ	overwrite
	ADDROW(Z9, Z10, Z11, Y0)
	ADDROW(Z12, Z13, Z14, Y1)
	ADDROW(Z15, Z16, Z17, Y2)
	ADDROW(Z18, Z19, Z20, Y3)
	ADDROW(Z21, Z22, Z23, Y4)
	ADDROW(Z24, Z25, Z26, Y5)
	VZEROUPPER
	RET

overwrite:
	STOREROW(Z9, Z10, Z11, Y0)
	STOREROW(Z12, Z13, Z14, Y1)
	STOREROW(Z15, Z16, Z17, Y2)
	STOREROW(Z18, Z19, Z20, Y3)
	STOREROW(Z21, Z22, Z23, Y4)
	STOREROW(Z24, Z25, Z26, Y5)
	VZEROUPPER
	RET
