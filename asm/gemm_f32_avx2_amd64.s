//go:build !purego

#include "textflag.h"

// GEMM micro-kernel for float32 with AVX2 and FMA3: a 6 x 16 tile of C, 2 vector registers
// per row. The loop it computes, the packed layout and the contract are in the doc comment of
// gemm_f32_avx2_amd64.go.

// Registers:
//   SI  element (0, l) of the A micro-panel at the current step l
//   R9  the A row stride rs in bytes; R10 = 3*rs, R11 = 5*rs (the address of
//       row i is SI plus one of these times 1, 2, 4 or 8)
//   R13 the A step stride cs in bytes
//   DI  the packed B micro-panel at the current step (16 elements per step)
//   CX  steps (of k) left
//   DX  the C row being stored; AX the C row being prefetched
//   R8  ldc in bytes
//   Y0-Y11  the sums: row i of the tile in Y(2*i) .. Y(2*i+1), 8 columns each
//   Y12, Y13  A element of the row, broadcast (alternating between rows)
//   Y14-Y15  the B step, 8 columns each

// ROW multiplies the A element at src, broadcast into bc, by the B step and adds it to one row.
#define ROW(src, bc, c0, c1) \
	VBROADCASTSS	src, bc; \
	VFMADD231PS	Y14, bc, c0; \
	VFMADD231PS	Y15, bc, c1

// STEP does one step l of the k loop and moves SI and BX to the next; bo is the byte offset of
// the B step from DI.
#define STEP(bo) \
	VMOVUPS	(bo+0)(DI), Y14; \
	VMOVUPS	(bo+32)(DI), Y15; \
	ROW((SI), Y12, Y0, Y1); \
	ROW((SI)(R9*1), Y13, Y2, Y3); \
	ROW((SI)(R9*2), Y12, Y4, Y5); \
	ROW((SI)(R10*1), Y13, Y6, Y7); \
	ROW((SI)(R9*4), Y12, Y8, Y9); \
	ROW((SI)(R11*1), Y13, Y10, Y11); \
	ADDQ	R13, SI

// ADDROW adds one row of sums to the C row at DX and stores it; STOREROW stores it; both
// move DX to the next row.
#define ADDROW(c0, c1) \
	VADDPS	0(DX), c0, c0; \
	VADDPS	32(DX), c1, c1; \
	VMOVUPS	c0, 0(DX); \
	VMOVUPS	c1, 32(DX); \
	ADDQ	R8, DX

#define STOREROW(c0, c1) \
	VMOVUPS	c0, 0(DX); \
	VMOVUPS	c1, 32(DX); \
	ADDQ	R8, DX

// func GemmF32AVX2(a []float32, rs, cs int, b, c []float32, k, ldc int, add bool)
TEXT ·GemmF32AVX2(SB), NOSPLIT, $0-105
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
	PREFETCHT0	60(AX)
	ADDQ	R8, AX
	PREFETCHT0	(AX)
	PREFETCHT0	60(AX)
	ADDQ	R8, AX
	PREFETCHT0	(AX)
	PREFETCHT0	60(AX)
	ADDQ	R8, AX
	PREFETCHT0	(AX)
	PREFETCHT0	60(AX)
	ADDQ	R8, AX
	PREFETCHT0	(AX)
	PREFETCHT0	60(AX)
	ADDQ	R8, AX
	PREFETCHT0	(AX)
	PREFETCHT0	60(AX)

	CMPQ	CX, $4
	JB	steps1

steps4:
	STEP(0)
	STEP(64)
	STEP(128)
	STEP(192)
	ADDQ	$256, DI
	SUBQ	$4, CX
	CMPQ	CX, $4
	JAE	steps4

steps1:
	TESTQ	CX, CX
	JZ	store
	STEP(0)
	ADDQ	$64, DI
	DECQ	CX
	JMP	steps1

store:
	CMPB	add+104(FP), $0
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
