package kernels

import (
	"fmt"
	"slices"
)

// ConvGradPooled adds to dw the weight and bias gradients of a convolution with stride 1 whose
// output a ReLU and a 2x2 max pooling with stride 2 took (MaxPool2x2ReLU), from the pooling's
// output gradient dy, channel by channel (MaxPool2D's NCHW order, pq = len(base) pooled pixels a
// channel), and its args arg, MaxPool2x2ReLU's taken 4 channels at a time: the args of channels
// 4k..4k+3 of pixel q are the 4 bytes from 4*(k*pq+q) (MaxPool2x2ReLU's args of c channels a pixel,
// seen as pq x c/4 words, transposed). Only the input of a
// window that arg names (0..3) carries its gradient, so that only the nonzero values of dy (NaN
// included) are multiplied: for each, its multiple of the part of x that the convolution read for
// that output goes to the channel's row of dw. x holds the (padded) input; base[q] is the offset in
// x of the first input read for the first output (top left) of pooled pixel q's window, pos[i] the
// offset from there for output i (i = 0..3: top left, top right, bottom left, bottom right: 0, 1,
// W, W+1 for inputs W wide; len(pos) is 4), and rows the offsets from there of the rows of the convolution's
// window (input channel by channel, kernel row by kernel row). It is this Go loop:
//
//	for o := 0; o < len(dy)/pq; o++ {
//		for q := 0; q < pq; q++ {
//			a, g := arg[4*(o/4*pq+q)+o%4], dy[o*pq+q]
//			if a > 3 || g == 0 {
//				continue
//			}
//			at := int(base[q]) + int(pos[a])
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
// for windows of at most 6 rows, the multiply-adds are fused and run in assembly, each channel's
// row of dw in registers; elsewhere it is the Go loop (ConvGradPooledAssembly says which). It
// panics unless rows is not empty, len(pos) is 4, len(dy) is a multiple of pq, arg holds the
// 4*ceil(n/4)*pq bytes of the n = len(dy)/pq channels, ldw >= 8*len(rows)+1, dw
// holds (n-1)*ldw+8*len(rows)+1 values and every x[at+r+l] above
// lies in x. dw must not overlap x. Safe for concurrent use on distinct dw.
func ConvGradPooled(dw []float32, ldw int, x []float32, rows []int32, dy []float32, arg []uint8, base, pos []int32) {
	checkConvGradPooled(len(dw), ldw, len(x), rows, dy, arg, base, pos)
	if len(dy) == 0 {
		return
	}
	active.Load().convGradPooled(dw, ldw, x, rows, dy, arg, base, pos)
}

// ConvGradPooledAssembly reports whether the active ISA runs ConvGradPooled in assembly for
// windows of the given number of rows. Where it does not, a convolution's weight gradient as a
// product (Gemm) runs faster than the Go loop.
func ConvGradPooledAssembly(rows int) bool {
	return active.Load().convGradPooledAsm && rows >= 1 && rows <= convGradMaxRows
}

// convGradMaxRows is the most rows of a window the assembly of ConvGradPooled takes.
const convGradMaxRows = 6

// convGradFunc is the signature of ConvGradPooled's kernels.
type convGradFunc = func(dw []float32, ldw int, x []float32, rows []int32, dy []float32, arg []uint8, base, pos []int32)

// convGradRows returns a ConvGradPooled kernel that runs f, assembly that takes windows of at
// most convGradMaxRows rows, for those, and the Go loop for larger ones.
func convGradRows(f convGradFunc) convGradFunc {
	return func(dw []float32, ldw int, x []float32, rows []int32, dy []float32, arg []uint8, base, pos []int32) {
		if len(rows) > convGradMaxRows {
			convGradPooledRef(dw, ldw, x, rows, dy, arg, base, pos)
			return
		}
		f(dw, ldw, x, rows, dy, arg, base, pos)
	}
}

// checkConvGradPooled panics unless the arguments fit ConvGradPooled's contract.
func checkConvGradPooled(nDW, ldw, nX int, rows []int32, dy []float32, arg []uint8, base, pos []int32) {
	const fn = "kernels.ConvGradPooled"
	pq := len(base)
	switch {
	case len(rows) == 0:
		panic(fmt.Sprintf("%s: rows is empty", fn))
	case len(pos) != 4:
		panic(fmt.Sprintf("%s: len(pos) = %d, want 4", fn, len(pos)))
	case len(dy) > 0 && (pq == 0 || len(dy)%pq != 0):
		panic(fmt.Sprintf("%s: len(dy) = %d is not a multiple of len(base) = %d", fn, len(dy), pq))
	}
	if len(dy) == 0 {
		return
	}
	n := len(dy) / pq
	if want := 4 * ((n + 3) / 4) * pq; len(arg) != want {
		panic(fmt.Sprintf("%s: len(arg) = %d, want %d for %d channels of %d pixels", fn, len(arg), want, n, pq))
	}
	if ldw < 8*len(rows)+1 || nDW < (n-1)*ldw+8*len(rows)+1 {
		panic(fmt.Sprintf("%s: dw of %d values, ldw = %d: want ldw >= %d and at least %d values", fn, nDW, ldw, 8*len(rows)+1, (n-1)*max(ldw, 0)+8*len(rows)+1))
	}
	lo := int64(slices.Min(base)) + int64(slices.Min(pos)) + int64(slices.Min(rows))
	hi := int64(slices.Max(base)) + int64(slices.Max(pos)) + int64(slices.Max(rows)) + 8
	if lo < 0 || hi > int64(nX) {
		panic(fmt.Sprintf("%s: the windows read x[%d:%d], outside x of %d values", fn, lo, hi, nX))
	}
}

// convGradPooledRef is ConvGradPooled in pure Go, its loop as the doc comment states it.
func convGradPooledRef(dw []float32, ldw int, x []float32, rows []int32, dy []float32, arg []uint8, base, pos []int32) {
	pq := len(base)
	for o := range len(dy) / pq {
		row := dw[o*ldw : o*ldw+8*len(rows)+1]
		for q := range pq {
			a, g := arg[4*(o/4*pq+q)+o%4], dy[o*pq+q]
			if a > 3 || g == 0 {
				continue
			}
			at := int(base[q]) + int(pos[a])
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
