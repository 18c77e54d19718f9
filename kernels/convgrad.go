package kernels

import (
	"fmt"
	"slices"
)

// ConvGradPooled adds to dw the weight and bias gradients of a convolution with stride 1 whose
// output a ReLU and a 2x2 max pooling with stride 2 took (MaxPool2x2ReLU), from the pooling's
// output gradient dy and its args arg, both in pixel order (c channels a pooled pixel). Only the
// input of a window that arg names (0..3) carries its gradient, so that only the nonzero values of
// dy (NaN included) are multiplied: for each, its multiple of the part of x that the convolution
// read for that output goes to the channel's row of dw. x holds the (padded) input; for pooled
// pixel q, base[4*q+i] is the offset in x of the first input read for output i of its window
// (i = 0..3: top left, top right, bottom left, bottom right), and rows the offsets from there of
// the rows of the convolution's window (input channel by channel, kernel row by kernel row). It is
// this Go loop:
//
//	for q := 0; q < len(base)/4; q++ {
//		for o := 0; o < c; o++ {
//			i, g := arg[q*c+o], dy[q*c+o]
//			if i > 3 || g == 0 {
//				continue
//			}
//			at := int(base[4*q+int(i)])
//			for j, r := range rows {
//				for l := 0; l < 8; l++ {
//					dw[o*ldw+8*j+l] += g * x[at+int(r)+l]
//				}
//			}
//			dw[o*ldw+8*len(rows)] += g
//		}
//	}
//
// Each row of the window is 8 values long: a kernel of width KW <= 8 reads the first KW of each
// piece of dw (the others multiply what lies past the window in x). On amd64 (AVX2 and AVX-512),
// for windows of at most 8 rows, the multiply-adds are fused and run in assembly; elsewhere it is
// the Go loop (ConvGradPooledAssembly says which). It panics unless c is a positive multiple of 8,
// rows is not empty, len(base) is a multiple of 4, dy and arg hold len(base)/4*c values,
// ldw >= 8*len(rows)+1, dw holds (c-1)*ldw+8*len(rows)+1 values and every x[at+r+l] above lies in
// x. dw must not overlap x. Safe for concurrent use on distinct dw.
func ConvGradPooled(dw []float32, ldw int, x []float32, rows []int32, dy []float32, arg []uint8, base []int32, c int) {
	checkConvGradPooled(len(dw), ldw, len(x), rows, len(dy), len(arg), base, c)
	if len(base) == 0 {
		return
	}
	active.Load().convGradPooled(dw, ldw, x, rows, dy, arg, base, c)
}

// ConvGradPooledAssembly reports whether the active ISA runs ConvGradPooled in assembly for
// windows of the given number of rows. Where it does not, a convolution's weight gradient as a
// product (Gemm) runs faster than the Go loop.
func ConvGradPooledAssembly(rows int) bool {
	return active.Load().convGradPooledAsm && rows >= 1 && rows <= convGradMaxRows
}

// convGradMaxRows is the most rows of a window the assembly of ConvGradPooled takes.
const convGradMaxRows = 8

// convGradRows returns a ConvGradPooled kernel that runs f, assembly that takes windows of at
// most convGradMaxRows rows, for those, and the Go loop for larger ones.
func convGradRows(f func(dw []float32, ldw int, x []float32, rows []int32, dy []float32, arg []uint8, base []int32, c int)) func(dw []float32, ldw int, x []float32, rows []int32, dy []float32, arg []uint8, base []int32, c int) {
	return func(dw []float32, ldw int, x []float32, rows []int32, dy []float32, arg []uint8, base []int32, c int) {
		if len(rows) > convGradMaxRows {
			convGradPooledRef(dw, ldw, x, rows, dy, arg, base, c)
			return
		}
		f(dw, ldw, x, rows, dy, arg, base, c)
	}
}

// checkConvGradPooled panics unless the lengths fit ConvGradPooled's contract.
func checkConvGradPooled(nDW, ldw, nX int, rows []int32, nDY, nArg int, base []int32, c int) {
	const fn = "kernels.ConvGradPooled"
	switch {
	case c <= 0 || c%8 != 0:
		panic(fmt.Sprintf("%s: c = %d channels, must be a positive multiple of 8", fn, c))
	case len(rows) == 0:
		panic(fmt.Sprintf("%s: rows is empty", fn))
	case len(base)%4 != 0:
		panic(fmt.Sprintf("%s: len(base) = %d is not a multiple of 4", fn, len(base)))
	case nDY != len(base)/4*c || nArg != nDY:
		panic(fmt.Sprintf("%s: len(dy) = %d and len(arg) = %d must be len(base)/4*c = %d", fn, nDY, nArg, len(base)/4*c))
	case ldw < 8*len(rows)+1 || nDW < (c-1)*ldw+8*len(rows)+1:
		panic(fmt.Sprintf("%s: dw of %d values, ldw = %d: want ldw >= %d and at least %d values", fn, nDW, ldw, 8*len(rows)+1, (c-1)*max(ldw, 0)+8*len(rows)+1))
	}
	if len(base) == 0 {
		return
	}
	lo := int64(slices.Min(base)) + int64(slices.Min(rows))
	hi := int64(slices.Max(base)) + int64(slices.Max(rows)) + 8
	if lo < 0 || hi > int64(nX) {
		panic(fmt.Sprintf("%s: the windows read x[%d:%d], outside x of %d values", fn, lo, hi, nX))
	}
}

// convGradPooledRef is ConvGradPooled in pure Go, its loop as the doc comment states it.
func convGradPooledRef(dw []float32, ldw int, x []float32, rows []int32, dy []float32, arg []uint8, base []int32, c int) {
	for q := range len(base) / 4 {
		for o := range c {
			i, g := arg[q*c+o], dy[q*c+o]
			if i > 3 || g == 0 {
				continue
			}
			at := int(base[4*q+int(i)])
			row := dw[o*ldw : o*ldw+8*len(rows)+1]
			for j, r := range rows {
				p, v := row[8*j:8*j+8], x[at+int(r):at+int(r)+8]
				for l := range 8 {
					p[l] += g * v[l]
				}
			}
			row[8*len(rows)] += g
		}
	}
}
