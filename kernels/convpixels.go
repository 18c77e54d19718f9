package kernels

import (
	"fmt"
	"slices"
)

// ConvPixels computes the output of a convolution with stride 1 pixel by pixel (NHWC: for each of
// the oh x ow output pixels, op channels in a row of y) from the input where it lies, without a
// column matrix. x holds the input (padded, where the convolution pads), ldx values a row; rows
// holds the offsets in x of the rows of the window (input channel by channel, kernel row by kernel
// row) for the first output pixel; w holds the weights, kw rows of op for each row of the window
// (row j*kw+kx: the weights of window column kx of window row j, one per output channel), then the
// op biases. It is this Go loop:
//
//	for oy := 0; oy < oh; oy++ {
//		for ox := 0; ox < ow; ox++ {
//			for c := 0; c < op; c++ {
//				var s float32
//				for j, r := range rows {
//					for kx := 0; kx < kw; kx++ {
//						s += x[int(r)+oy*ldx+ox+kx] * w[(j*kw+kx)*op+c]
//					}
//				}
//				y[(oy*ow+ox)*op+c] = s + w[len(rows)*kw*op+c]
//			}
//		}
//	}
//
// in that order, from +0. Where it is assembly (ConvPixelsAssembly: AVX-512, op = 32, kw <= 5, ow a
// multiple of 4) each product is added by a fused multiply-add (the Go loop elsewhere rounds the
// product first, unless the compiler fuses the two), and the multiply-adds of a window row are
// left out for 4 pixels at a time where the inputs they read are all zero, as the sparse products
// leave out the zeros of A: with finite weights that changes no bit (a zero product leaves a sum
// as it is, and a zero sum is +0 either way); an infinite or NaN weight times such a zero is not
// NaN there. It panics unless op, kw, oh, ow, ldx >= 0, rows is not empty, y holds at
// least oh*ow*op values, w at least (len(rows)*kw+1)*op and every input the loop reads lies in x
// (offsets and all). y must not overlap x or w. Safe for concurrent use on distinct y.
func ConvPixels(y []float32, op int, x []float32, ldx int, rows []int32, kw int, w []float32, oh, ow int) {
	checkConvPixels(len(y), op, len(x), ldx, rows, kw, len(w), oh, ow)
	if oh == 0 || ow == 0 || op == 0 {
		return
	}
	t := active.Load()
	if t.convPixels != nil && convPixelsFits(op, kw, ow) {
		t.convPixels(y, x, ldx, rows, kw, w, oh, ow)
		return
	}
	convPixelsRef(y, op, x, ldx, rows, kw, w, oh, ow)
}

// ConvPixelsAssembly reports whether the active ISA runs ConvPixels in assembly for op output
// channels, windows kw wide and rows of ow output pixels. Where it does not, the column matrix and
// a product (Gemm) run faster than the Go loop.
func ConvPixelsAssembly(op, kw, ow int) bool {
	return active.Load().convPixels != nil && convPixelsFits(op, kw, ow)
}

// convPixelsFunc is the signature of ConvPixels' assembly: op is 32.
type convPixelsFunc = func(y, x []float32, ldx int, rows []int32, kw int, w []float32, oh, ow int)

// convPixelsFits reports whether the assembly takes the shape: 32 channels, a window at most 5
// wide, whole blocks of 4 pixels.
func convPixelsFits(op, kw, ow int) bool { return op == 32 && kw >= 1 && kw <= 5 && ow%4 == 0 }

// checkConvPixels panics unless the arguments fit ConvPixels' contract.
func checkConvPixels(ny, op, nx, ldx int, rows []int32, kw, nw, oh, ow int) {
	const fn = "kernels.ConvPixels"
	switch {
	case op < 0 || kw < 0 || oh < 0 || ow < 0 || ldx < 0:
		panic(fmt.Sprintf("%s: negative size: op = %d, kw = %d, oh = %d, ow = %d, ldx = %d", fn, op, kw, oh, ow, ldx))
	case len(rows) == 0:
		panic(fmt.Sprintf("%s: rows is empty", fn))
	}
	if want := int64(oh) * int64(ow) * int64(op); int64(ny) < want {
		panic(fmt.Sprintf("%s: len(y) = %d, want at least %d for %dx%d pixels of %d channels", fn, ny, want, oh, ow, op))
	}
	if want := (int64(len(rows))*int64(kw) + 1) * int64(op); int64(nw) < want {
		panic(fmt.Sprintf("%s: len(w) = %d, want at least %d for %d window rows of %d and %d channels", fn, nw, want, len(rows), kw, op))
	}
	if oh == 0 || ow == 0 || op == 0 || kw == 0 {
		return
	}
	lo := int64(slices.Min(rows))
	hi := int64(slices.Max(rows)) + int64(oh-1)*int64(ldx) + int64(ow-1) + int64(kw)
	if lo < 0 || hi > int64(nx) {
		panic(fmt.Sprintf("%s: the windows read x[%d:%d], outside x of %d values", fn, lo, hi, nx))
	}
}

// convPixelsRef is ConvPixels in pure Go, its loop as the doc comment states it (each product
// and sum rounded apart).
func convPixelsRef(y []float32, op int, x []float32, ldx int, rows []int32, kw int, w []float32, oh, ow int) {
	bias := w[len(rows)*kw*op:]
	for oy := range oh {
		for ox := range ow {
			out := y[(oy*ow+ox)*op : (oy*ow+ox+1)*op]
			clear(out)
			for j, r := range rows {
				in := x[int(r)+oy*ldx+ox:]
				for kx := range kw {
					v, wk := in[kx], w[(j*kw+kx)*op:(j*kw+kx+1)*op]
					for c := range out {
						out[c] += v * wk[c]
					}
				}
			}
			for c := range out {
				out[c] += bias[c]
			}
		}
	}
}
