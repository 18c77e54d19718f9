//go:build !purego

#include "textflag.h"
#include "neon_arm64.h"

// MaxPool2x2ReLU and its backward pass for float32 with NEON: the exact loops and contracts are
// in the doc comments of maxpool_arm64.go. Each window's c channels go four at a time (c is a
// multiple of 4); the values compare as int32 (SMAX, CMGT), as kernels.MaxPool2x2ReLU defines.

// Signed int32 lanes: Vd = max(Vn, Vm); Vd = Vn > Vm ? all ones : 0; Vd = Vn > 0 ? all ones : 0.
#define SMAX_S4(d, n, m) WORD $(0x4EA06400|((m)<<16)|((n)<<5)|(d))
#define CMGT_S4(d, n, m) WORD $(0x4EA03400|((m)<<16)|((n)<<5)|(d))
#define CMGTZ_S4(d, n)   WORD $(0x4EA08800|((n)<<5)|(d))
// Vd = Vn == Vm ? all ones : 0 (int32 lanes).
#define CMEQ_S4(d, n, m) WORD $(0x6EA08C00|((m)<<16)|((n)<<5)|(d))
// XTN: the low halves of the int32 lanes of Vn into the four int16 lanes of Vd's low 64 bits,
// then of those into the low four bytes; UXTL back: four bytes zero-extended to int16, to int32.
#define XTN_H4(d, n)  WORD $(0x0E612800|((n)<<5)|(d))
#define XTN_B8(d, n)  WORD $(0x0E212800|((n)<<5)|(d))
#define UXTL_H8(d, n) WORD $(0x2F08A400|((n)<<5)|(d))
#define UXTL_S4(d, n) WORD $(0x2F10A400|((n)<<5)|(d))

// func MaxPool2x2ReLUF32NEON(dst []float32, arg []uint8, top, bottom []float32, c int)
//
// Registers:
//   R0, R1  dst and arg (the next outputs); R2, R3  the window's top and bottom left pixels
//   R4  c; R5  outputs left; R6  c*4; R7  channels left in the window
//   R10, R11, R12, R13  the next channels of the window's four pixels (top left, top right,
//   bottom left, bottom right)
//   V0-V3  the inputs a, b (top), d, e (bottom) as int32; V4  b > a; V5  max(a, b);
//   V6  e > d; V7  max(d, e); V16  bottom > top; V17  the maximum, then clamped at 0;
//   V18  max > 0; V19  the arg of the top row, then of the window; V20  of the bottom row;
//   V21  the arg, clamped; V22  its bytes
//   V28, V29, V30  the int32 lanes 4, 2, 0
TEXT ·MaxPool2x2ReLUF32NEON(SB), NOSPLIT, $0-104
	MOVD	dst_base+0(FP), R0
	MOVD	dst_len+8(FP), R5
	MOVD	arg_base+24(FP), R1
	MOVD	top_base+48(FP), R2
	MOVD	bottom_base+72(FP), R3
	MOVD	c+96(FP), R4
	LSL	$2, R4, R6
	MOVW	$4, R9
	VDUP	R9, V28.S4
	MOVW	$2, R9
	VDUP	R9, V29.S4
	VEOR	V30.B16, V30.B16, V30.B16
	CBZ	R5, done

window:
	MOVD	R2, R10
	ADD	R6, R2, R11
	MOVD	R3, R12
	ADD	R6, R3, R13
	MOVD	R4, R7

channels:
	VLD1.P	16(R10), [V0.S4]
	VLD1.P	16(R11), [V1.S4]
	VLD1.P	16(R12), [V2.S4]
	VLD1.P	16(R13), [V3.S4]
	CMGT_S4(4, 1, 0)
	SMAX_S4(5, 0, 1)
	CMGT_S4(6, 3, 2)
	SMAX_S4(7, 2, 3)
	CMGT_S4(16, 7, 5)
	SMAX_S4(17, 5, 7)
	CMGTZ_S4(18, 17)
	AND_B16(17, 17, 18)
	SUB_S4(19, 30, 4)      // 1 where b > a, else 0
	SUB_S4(20, 29, 6)      // 3 where e > d, else 2
	BIT_B16(19, 20, 16)    // the bottom row's where it is larger
	MOV_B16(21, 28)
	BIT_B16(21, 19, 18)    // 4 where the maximum is not positive
	XTN_H4(22, 21)
	XTN_B8(22, 22)
	VST1.P	[V17.S4], 16(R0)
	FMOVS	F22, (R1)
	ADD	$4, R1
	SUBS	$4, R7
	BGT	channels

	ADD	R6<<1, R2
	ADD	R6<<1, R3
	SUBS	R4, R5
	BGT	window

done:
	RET

// func MaxPool2x2ReLUGradF32NEON(top, bottom, dy []float32, arg []uint8, c int)
//
// Registers:
//   R0, R1  dy and arg (the next outputs' gradients and args); R2, R3  the window's top and
//   bottom left pixels; R4  c; R5  outputs left; R6  c*4; R7  channels left in the window
//   R10, R11, R12, R13  the next channels of the window's four pixels' gradients
//   V0  dy; V1  the args as int32; V2  a result
//   V30, V24, V25, V26  the int32 lanes 0, 1, 2, 3
TEXT ·MaxPool2x2ReLUGradF32NEON(SB), NOSPLIT, $0-104
	MOVD	top_base+0(FP), R2
	MOVD	bottom_base+24(FP), R3
	MOVD	dy_base+48(FP), R0
	MOVD	dy_len+56(FP), R5
	MOVD	arg_base+72(FP), R1
	MOVD	c+96(FP), R4
	LSL	$2, R4, R6
	VEOR	V30.B16, V30.B16, V30.B16
	MOVW	$1, R9
	VDUP	R9, V24.S4
	MOVW	$2, R9
	VDUP	R9, V25.S4
	MOVW	$3, R9
	VDUP	R9, V26.S4
	CBZ	R5, done

window:
	MOVD	R2, R10
	ADD	R6, R2, R11
	MOVD	R3, R12
	ADD	R6, R3, R13
	MOVD	R4, R7

channels:
	VLD1.P	16(R0), [V0.S4]
	FMOVS	(R1), F1
	ADD	$4, R1
	UXTL_H8(1, 1)
	UXTL_S4(1, 1)
	CMEQ_S4(2, 1, 30)
	AND_B16(2, 2, 0)
	VST1.P	[V2.S4], 16(R10)
	CMEQ_S4(2, 1, 24)
	AND_B16(2, 2, 0)
	VST1.P	[V2.S4], 16(R11)
	CMEQ_S4(2, 1, 25)
	AND_B16(2, 2, 0)
	VST1.P	[V2.S4], 16(R12)
	CMEQ_S4(2, 1, 26)
	AND_B16(2, 2, 0)
	VST1.P	[V2.S4], 16(R13)
	SUBS	$4, R7
	BGT	channels

	ADD	R6<<1, R2
	ADD	R6<<1, R3
	SUBS	R4, R5
	BGT	window

done:
	RET
