//go:build !purego

#include "textflag.h"

// GEMM micro-kernel for float64 with AVX-512: a 10 x 16 tile of C, 2 vector registers
// per row. The loop it computes, the packed layout and the contract are in the doc comment of
// gemm_f64_avx512_amd64.go.

// Registers:
//   SI  element (0, l) of the A micro-panel at the current step l; BX element (9, l)
//   R9  the A row stride rs in bytes; R10 = 3*rs, R11 = 5*rs, R12 = 7*rs (the address of
//       row i is SI or BX plus one of these times 1, 2, 4 or 8)
//   R13 the A step stride cs in bytes
//   DI  the packed B micro-panel at the current step (16 elements per step)
//   CX  steps (of k) left
//   DX  the C row being stored; AX the C row being prefetched
//   R8  ldc in bytes
//   Z0-Z19  the sums: row i of the tile in Z(2*i) .. Z(2*i+1), 8 columns each
//   Z20, Z21  A element of the row, broadcast (alternating between rows)
//   Z22-Z23  the B step, 8 columns each

// ROW multiplies the A element at src, broadcast into bc, by the B step and adds it to one row.
#define ROW(src, bc, c0, c1) \
	VBROADCASTSD	src, bc; \
	VFMADD231PD	Z22, bc, c0; \
	VFMADD231PD	Z23, bc, c1

// STEP does one step l of the k loop and moves SI and BX to the next; bo is the byte offset of
// the B step from DI.
#define STEP(bo) \
	VMOVUPD	(bo+0)(DI), Z22; \
	VMOVUPD	(bo+64)(DI), Z23; \
	ROW((SI), Z20, Z0, Z1); \
	ROW((SI)(R9*1), Z21, Z2, Z3); \
	ROW((SI)(R9*2), Z20, Z4, Z5); \
	ROW((SI)(R10*1), Z21, Z6, Z7); \
	ROW((SI)(R9*4), Z20, Z8, Z9); \
	ROW((SI)(R11*1), Z21, Z10, Z11); \
	ROW((SI)(R10*2), Z20, Z12, Z13); \
	ROW((SI)(R12*1), Z21, Z14, Z15); \
	ROW((SI)(R9*8), Z20, Z16, Z17); \
	ROW((BX), Z21, Z18, Z19); \
	ADDQ	R13, SI; \
	ADDQ	R13, BX

// ADDROW adds one row of sums to the C row at DX and stores it; STOREROW stores it; both
// move DX to the next row.
#define ADDROW(c0, c1) \
	VADDPD	0(DX), c0, c0; \
	VADDPD	64(DX), c1, c1; \
	VMOVUPD	c0, 0(DX); \
	VMOVUPD	c1, 64(DX); \
	ADDQ	R8, DX

#define STOREROW(c0, c1) \
	VMOVUPD	c0, 0(DX); \
	VMOVUPD	c1, 64(DX); \
	ADDQ	R8, DX

// func GemmF64AVX512(a []float64, rs, cs int, b, c []float64, k, ldc int, add bool)
TEXT ·GemmF64AVX512(SB), NOSPLIT, $0-105
	MOVQ	a_base+0(FP), SI
	MOVQ	rs+24(FP), R9
	MOVQ	cs+32(FP), R13
	MOVQ	b_base+40(FP), DI
	MOVQ	c_base+64(FP), DX
	MOVQ	k+88(FP), CX
	MOVQ	ldc+96(FP), R8
	SHLQ	$3, R8
	SHLQ	$3, R9
	SHLQ	$3, R13
	LEAQ	(R9)(R9*2), R10
	LEAQ	(R9)(R9*4), R11
	LEAQ	(R10)(R9*4), R12
	LEAQ	(R9)(R9*8), BX
	ADDQ	SI, BX

	// Zero the sums.
	VPXORD	Z0, Z0, Z0
	VPXORD	Z1, Z1, Z1
	VPXORD	Z2, Z2, Z2
	VPXORD	Z3, Z3, Z3
	VPXORD	Z4, Z4, Z4
	VPXORD	Z5, Z5, Z5
	VPXORD	Z6, Z6, Z6
	VPXORD	Z7, Z7, Z7
	VPXORD	Z8, Z8, Z8
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

	// Ask for the C tile now, so that it is in L1 when the sums are added to it.
	MOVQ	DX, AX
	PREFETCHT0	(AX)
	PREFETCHT0	64(AX)
	PREFETCHT0	120(AX)
	ADDQ	R8, AX
	PREFETCHT0	(AX)
	PREFETCHT0	64(AX)
	PREFETCHT0	120(AX)
	ADDQ	R8, AX
	PREFETCHT0	(AX)
	PREFETCHT0	64(AX)
	PREFETCHT0	120(AX)
	ADDQ	R8, AX
	PREFETCHT0	(AX)
	PREFETCHT0	64(AX)
	PREFETCHT0	120(AX)
	ADDQ	R8, AX
	PREFETCHT0	(AX)
	PREFETCHT0	64(AX)
	PREFETCHT0	120(AX)
	ADDQ	R8, AX
	PREFETCHT0	(AX)
	PREFETCHT0	64(AX)
	PREFETCHT0	120(AX)
	ADDQ	R8, AX
	PREFETCHT0	(AX)
	PREFETCHT0	64(AX)
	PREFETCHT0	120(AX)
	ADDQ	R8, AX
	PREFETCHT0	(AX)
	PREFETCHT0	64(AX)
	PREFETCHT0	120(AX)
	ADDQ	R8, AX
	PREFETCHT0	(AX)
	PREFETCHT0	64(AX)
	PREFETCHT0	120(AX)
	ADDQ	R8, AX
	PREFETCHT0	(AX)
	PREFETCHT0	64(AX)
	PREFETCHT0	120(AX)

	CMPQ	CX, $4
	JB	steps1

steps4:
	STEP(0)
	STEP(128)
	STEP(256)
	STEP(384)
	ADDQ	$512, DI
	SUBQ	$4, CX
	CMPQ	CX, $4
	JAE	steps4

steps1:
	TESTQ	CX, CX
	JZ	store
	STEP(0)
	ADDQ	$128, DI
	DECQ	CX
	JMP	steps1

store:
	CMPB	add+104(FP), $0
	JEQ	overwrite
	ADDROW(Z0, Z1)
	ADDROW(Z2, Z3)
	ADDROW(Z4, Z5)
	ADDROW(Z6, Z7)
	ADDROW(Z8, Z9)
	ADDROW(Z10, Z11)
	ADDROW(Z12, Z13)
	ADDROW(Z14, Z15)
	ADDROW(Z16, Z17)
	ADDROW(Z18, Z19)
	VZEROUPPER
	RET

overwrite:
	STOREROW(Z0, Z1)
	STOREROW(Z2, Z3)
	STOREROW(Z4, Z5)
	STOREROW(Z6, Z7)
	STOREROW(Z8, Z9)
	STOREROW(Z10, Z11)
	STOREROW(Z12, Z13)
	STOREROW(Z14, Z15)
	STOREROW(Z16, Z17)
	STOREROW(Z18, Z19)
	VZEROUPPER
	RET
