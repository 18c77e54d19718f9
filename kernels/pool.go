package kernels

import (
	"fmt"
	"math"
)

// MaxPool2x2ReLU is a ReLU followed by 2x2 max pooling with stride 2 over one row of windows of
// an image stored pixel by pixel (NHWC: the c channels of a pixel are contiguous). top and bottom
// are two consecutive image rows of 2w pixels (2*w*c values each); window j covers pixels 2j and
// 2j+1 of both. For window j and channel o, dst[j*c+o] gets the largest of its four inputs
// clamped at +0, and arg[j*c+o] which input that is (0 top left, 1 top right, 2 bottom left,
// 3 bottom right; the first of equal ones), or 4 when the largest is not positive (the ReLU
// clamps it: the output has no gradient). MaxPool2x2ReLUGrad takes the gradient back.
//
// The values compare as the int32 of their bits, which orders every positive float32 as the float
// and puts every negative one, -0 included, below +0, where the ReLU clamps it anyway. A NaN with
// the sign bit clear therefore counts above +Inf and is passed on (arg names it); one with the
// sign bit set counts as negative. It is this Go loop, with m the int32 of the bits of its
// argument and f the float32 of the bits of an int32:
//
//	for j := range w {
//		for o := range c {
//			a, b := m(top[2*j*c+o]), m(top[(2*j+1)*c+o])
//			d, e := m(bottom[2*j*c+o]), m(bottom[(2*j+1)*c+o])
//			i, t := 0, a
//			if b > a {
//				i, t = 1, b
//			}
//			if max(d, e) > t {
//				i, t = 2, d
//				if e > d {
//					i, t = 3, e
//				}
//			}
//			if t <= 0 {
//				i, t = 4, 0
//			}
//			dst[j*c+o], arg[j*c+o] = f(t), uint8(i)
//		}
//	}
//
// It panics unless c > 0, len(dst) and len(arg) are the same multiple w*c of c, and top and
// bottom hold 2*w*c values. dst must not overlap top or bottom.
func MaxPool2x2ReLU(dst []float32, arg []uint8, top, bottom []float32, c int) {
	checkPool("MaxPool2x2ReLU", "dst", len(dst), len(arg), len(top), len(bottom), c)
	active.Load().pool(dst, arg, top, bottom, c)
}

// MaxPool2x2ReLUGrad is the backward pass of MaxPool2x2ReLU: for window j and channel o, the
// input that arg[j*c+o] names gets the gradient dy[j*c+o] and its three other inputs 0 (all four
// get 0 when arg is 4, or any other value than 0..3). Every element of top and bottom (the
// gradients of the two image rows, 2*w*c values each) is written:
//
//	for j := range w {
//		for o := range c {
//			g, i := dy[j*c+o], arg[j*c+o]
//			top[2*j*c+o], top[(2*j+1)*c+o] = sel(i == 0, g), sel(i == 1, g)
//			bottom[2*j*c+o], bottom[(2*j+1)*c+o] = sel(i == 2, g), sel(i == 3, g)
//		}
//	}
//
// with sel(p, g) = g if p, else +0. It panics unless c > 0, len(dy) and len(arg) are the same
// multiple w*c of c, and top and bottom hold 2*w*c values. top and bottom must not overlap dy.
func MaxPool2x2ReLUGrad(top, bottom, dy []float32, arg []uint8, c int) {
	checkPool("MaxPool2x2ReLUGrad", "dy", len(dy), len(arg), len(top), len(bottom), c)
	active.Load().poolGrad(top, bottom, dy, arg, c)
}

// checkPool panics unless the lengths fit the pooling kernels' contract; out names the slice of
// one value per output (dst or dy).
func checkPool(fn, out string, nOut, nArg, nTop, nBottom, c int) {
	switch {
	case c <= 0:
		panic(fmt.Sprintf("kernels.%s: c = %d channels, must be positive", fn, c))
	case nOut%c != 0 || nArg != nOut:
		panic(fmt.Sprintf("kernels.%s: len(%s) = %d and len(arg) = %d must be the same multiple of c = %d", fn, out, nOut, nArg, c))
	case nTop != 2*nOut || nBottom != 2*nOut:
		panic(fmt.Sprintf("kernels.%s: len(top) = %d and len(bottom) = %d must be 2*len(%s) = %d", fn, nTop, nBottom, out, 2*nOut))
	}
}

// maxPool2x2ReLURef is MaxPool2x2ReLU in pure Go, its loop as the doc comment states it.
func maxPool2x2ReLURef(dst []float32, arg []uint8, top, bottom []float32, c int) {
	m := func(v float32) int32 { return int32(math.Float32bits(v)) }
	for j := range len(dst) / c {
		r0, r1 := top[2*j*c:2*(j+1)*c], bottom[2*j*c:2*(j+1)*c]
		y, ar := dst[j*c:(j+1)*c], arg[j*c:(j+1)*c]
		for o := range y {
			a, b, d, e := m(r0[o]), m(r0[c+o]), m(r1[o]), m(r1[c+o])
			i, t := 0, a
			if b > a {
				i, t = 1, b
			}
			if max(d, e) > t {
				i, t = 2, d
				if e > d {
					i, t = 3, e
				}
			}
			if t <= 0 {
				i, t = 4, 0
			}
			y[o], ar[o] = math.Float32frombits(uint32(t)), uint8(i)
		}
	}
}

// maxPool2x2ReLUGradRef is MaxPool2x2ReLUGrad in pure Go.
func maxPool2x2ReLUGradRef(top, bottom, dy []float32, arg []uint8, c int) {
	sel := func(p bool, g float32) float32 {
		if p {
			return g
		}
		return 0
	}
	for j := range len(dy) / c {
		r0, r1 := top[2*j*c:2*(j+1)*c], bottom[2*j*c:2*(j+1)*c]
		g, ar := dy[j*c:(j+1)*c], arg[j*c:(j+1)*c]
		for o, v := range g {
			i := ar[o]
			r0[o], r0[c+o] = sel(i == 0, v), sel(i == 1, v)
			r1[o], r1[c+o] = sel(i == 2, v), sel(i == 3, v)
		}
	}
}

// poolVectors returns pooling kernels that run fwd and bwd, assembly that takes the channels of a
// window lanes at a time, when c is a multiple of lanes, and the generic kernels otherwise.
func poolVectors(lanes int, fwd func(dst []float32, arg []uint8, top, bottom []float32, c int),
	bwd func(top, bottom, dy []float32, arg []uint8, c int)) (
	func(dst []float32, arg []uint8, top, bottom []float32, c int), func(top, bottom, dy []float32, arg []uint8, c int)) {
	return func(dst []float32, arg []uint8, top, bottom []float32, c int) {
			if c%lanes != 0 {
				maxPool2x2ReLURef(dst, arg, top, bottom, c)
				return
			}
			fwd(dst, arg, top, bottom, c)
		}, func(top, bottom, dy []float32, arg []uint8, c int) {
			if c%lanes != 0 {
				maxPool2x2ReLUGradRef(top, bottom, dy, arg, c)
				return
			}
			bwd(top, bottom, dy, arg, c)
		}
}
