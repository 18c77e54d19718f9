//go:build !purego

#include "textflag.h"

// GEMM micro-kernel for float64 with AVX2 and FMA3: a 6 x 8 tile of C, 2 vector registers
// per row. The loop it computes, the packed layout and the contract are in the doc comment of
// gemm_f64_avx2_amd64.go.

// Registers:
//   SI  the packed A micro-panel at the current step (6 elements per step)
//   DI  the packed B micro-panel at the current step (8 elements per step)
//   CX  steps (of k) left
//   DX  the C row being stored; AX the C row being prefetched
//   R8  ldc in bytes
//   Y0-Y11  the sums: row i of the tile in Y(2*i) .. Y(2*i+1), 4 columns each
//   Y12, Y13  A element of the row, broadcast (alternating between rows)
//   Y14-Y15  the B step, 4 columns each

// ROW multiplies the A element at off(SI), broadcast into bc, by the B step and adds it to one row.
#define ROW(off, bc, c0, c1) \
	VBROADCASTSD	off(SI), bc; \
	VFMADD231PD	Y14, bc, c0; \
	VFMADD231PD	Y15, bc, c1

// STEP does one step l of the k loop: ao and bo are the byte offsets of the step from SI and DI.
#define STEP(ao, bo) \
	VMOVUPD	(bo+0)(DI), Y14; \
	VMOVUPD	(bo+32)(DI), Y15; \
	ROW(ao+0, Y12, Y0, Y1); \
	ROW(ao+8, Y13, Y2, Y3); \
	ROW(ao+16, Y12, Y4, Y5); \
	ROW(ao+24, Y13, Y6, Y7); \
	ROW(ao+32, Y12, Y8, Y9); \
	ROW(ao+40, Y13, Y10, Y11)

// ADDROW adds one row of sums to the C row at DX and stores it; STOREROW stores it; both
// move DX to the next row.
#define ADDROW(c0, c1) \
	VADDPD	0(DX), c0, c0; \
	VADDPD	32(DX), c1, c1; \
	VMOVUPD	c0, 0(DX); \
	VMOVUPD	c1, 32(DX); \
	ADDQ	R8, DX

#define STOREROW(c0, c1) \
	VMOVUPD	c0, 0(DX); \
	VMOVUPD	c1, 32(DX); \
	ADDQ	R8, DX

// func GemmF64AVX2(a, b, c []float64, k, ldc int, add bool)
TEXT ·GemmF64AVX2(SB), NOSPLIT, $0-89
	MOVQ	a_base+0(FP), SI
	MOVQ	b_base+24(FP), DI
	MOVQ	c_base+48(FP), DX
	MOVQ	k+72(FP), CX
	MOVQ	ldc+80(FP), R8
	SHLQ	$3, R8

	// Zero the sums.
	VPXOR	Y0, Y0, Y0
	VPXOR	Y1, Y1, Y1
	VPXOR	Y2, Y2, Y2
	VPXOR	Y3, Y3, Y3
	VPXOR	Y4, Y4, Y4
	VPXOR	Y5, Y5, Y5
	VPXOR	Y6, Y6, Y6
	VPXOR	Y7, Y7, Y7
	VPXOR	Y8, Y8, Y8
	VPXOR	Y9, Y9, Y9
	VPXOR	Y10, Y10, Y10
	VPXOR	Y11, Y11, Y11

	// Ask for the C tile now, so that it is in L1 when the sums are added to it.
	MOVQ	DX, AX
	PREFETCHT0	(AX)
	PREFETCHT0	56(AX)
	ADDQ	R8, AX
	PREFETCHT0	(AX)
	PREFETCHT0	56(AX)
	ADDQ	R8, AX
	PREFETCHT0	(AX)
	PREFETCHT0	56(AX)
	ADDQ	R8, AX
	PREFETCHT0	(AX)
	PREFETCHT0	56(AX)
	ADDQ	R8, AX
	PREFETCHT0	(AX)
	PREFETCHT0	56(AX)
	ADDQ	R8, AX
	PREFETCHT0	(AX)
	PREFETCHT0	56(AX)

	CMPQ	CX, $4
	JB	steps1

steps4:
	STEP(0, 0)
	STEP(48, 64)
	STEP(96, 128)
	STEP(144, 192)
	ADDQ	$192, SI
	ADDQ	$256, DI
	SUBQ	$4, CX
	CMPQ	CX, $4
	JAE	steps4

steps1:
	TESTQ	CX, CX
	JZ	store
	STEP(0, 0)
	ADDQ	$48, SI
	ADDQ	$64, DI
	DECQ	CX
	JMP	steps1

store:
	CMPB	add+88(FP), $0
	JEQ	overwrite
	ADDROW(Y0, Y1)
	ADDROW(Y2, Y3)
	ADDROW(Y4, Y5)
	ADDROW(Y6, Y7)
	ADDROW(Y8, Y9)
	ADDROW(Y10, Y11)
	VZEROUPPER
	RET

overwrite:
	STOREROW(Y0, Y1)
	STOREROW(Y2, Y3)
	STOREROW(Y4, Y5)
	STOREROW(Y6, Y7)
	STOREROW(Y8, Y9)
	STOREROW(Y10, Y11)
	VZEROUPPER
	RET
