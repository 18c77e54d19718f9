//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// DivUint8: dst[i] = T(src[i]) / d for float32 and float64 with NEON. The exact loops and
// contracts are in the doc comments of divuint8_arm64.go. Eight bytes at a time are widened to
// 64-bit lanes (VUXTL, VUXTL2: 8 to 16, 16 to 32, 32 to 64 bits) and converted to float64
// (UCVTF, exact); float32 multiplies them by 1/float64(d) and narrows them (FCVTN, one rounding:
// the correctly rounded quotient, as argued in asm/_gen/streaming/divuint8.go), float64
// divides them by d.

// WIDEN8 widens the bytes in the low half of V0 to float64 in V4-V7 (bytes 0-1, 2-3, 4-5, 6-7).
// Reads V0; writes V1-V7.
#define WIDEN8 \
	VUXTL	V0.B8, V1.H8 \
	VUXTL	V1.H4, V2.S4 \
	VUXTL2	V1.H8, V3.S4 \
	VUXTL	V2.S2, V4.D2 \
	VUXTL2	V2.S4, V5.D2 \
	VUXTL	V3.S2, V6.D2 \
	VUXTL2	V3.S4, V7.D2 \
	UCVTF_D2(4, 4) \
	UCVTF_D2(5, 5) \
	UCVTF_D2(6, 6) \
	UCVTF_D2(7, 7)

// func DivUint8F32NEON(dst []float32, src []uint8, d float32)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src byte
//   R2  elements left
//   R3  the byte of the scalar tail
//   V31 (F31)  1/float64(d) in both lanes
//   V0-V7  eight bytes, widened; V16, V17 the eight results
TEXT ·DivUint8F32NEON(SB), NOSPLIT, $0-52
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	FMOVS	d+48(FP), F1
	FCVTSD	F1, F1
	FMOVD	$1.0, F31
	FDIVD	F1, F31, F31
	VDUP	V31.D[0], V31.D2

loop:
	CMP	$8, R2
	BLT	tail
	VLD1.P	8(R1), [V0.B8]
	WIDEN8
	FMUL_D2(4, 4, 31)
	FMUL_D2(5, 5, 31)
	FMUL_D2(6, 6, 31)
	FMUL_D2(7, 7, 31)
	FCVTN_S2(16, 4)
	FCVTN2_S4(16, 5)
	FCVTN_S2(17, 6)
	FCVTN2_S4(17, 7)
	VST1.P	[V16.S4, V17.S4], 32(R0)
	SUB	$8, R2
	B	loop

tail:
	// The last len(src)%8 elements, one at a time with the same arithmetic.
	CBZ	R2, done
	MOVBU.P	1(R1), R3
	UCVTFWD	R3, F0
	FMULD	F31, F0, F0
	FCVTDS	F0, F0
	FMOVS.P	F0, 4(R0)
	SUB	$1, R2
	B	tail

done:
	RET

// func DivUint8F64NEON(dst []float64, src []uint8, d float64)
//
// Registers:
//   R0  address of the next dst element
//   R1  address of the next src byte
//   R2  elements left
//   R3  the byte of the scalar tail
//   V31 (F31)  d in both lanes
//   V0-V7  eight bytes, widened, then the eight results in V4-V7
TEXT ·DivUint8F64NEON(SB), NOSPLIT, $0-56
	MOVD	dst_base+0(FP), R0
	MOVD	src_base+24(FP), R1
	MOVD	src_len+32(FP), R2
	FMOVD	d+48(FP), F31
	VDUP	V31.D[0], V31.D2

loop:
	CMP	$8, R2
	BLT	tail
	VLD1.P	8(R1), [V0.B8]
	WIDEN8
	FDIV_D2(4, 4, 31)
	FDIV_D2(5, 5, 31)
	FDIV_D2(6, 6, 31)
	FDIV_D2(7, 7, 31)
	VST1.P	[V4.D2, V5.D2, V6.D2, V7.D2], 64(R0)
	SUB	$8, R2
	B	loop

tail:
	// The last len(src)%8 elements, one at a time.
	CBZ	R2, done
	MOVBU.P	1(R1), R3
	UCVTFWD	R3, F0
	FDIVD	F31, F0, F0
	FMOVD.P	F0, 8(R0)
	SUB	$1, R2
	B	tail

done:
	RET
