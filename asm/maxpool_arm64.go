//go:build !purego

package asm

// MaxPool2x2ReLUF32NEON is a ReLU, then 2x2 max pooling with stride 2 of one row of windows of an
// image stored pixel by pixel (c channels per pixel): window j covers pixels 2j and 2j+1 of the
// rows top and bottom. With m the int32 of the bits of its argument and f the float32 of the
// bits of an int32, it computes
//
//	for j := range len(dst) / c {
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
// It requires NEON (ASIMD). len(arg) must be len(dst), a multiple of c > 0, and top and bottom
// must hold 2*len(dst) elements. c must be a multiple of 4: each window's channels go 4 at a
// time, so it never reads or writes outside the slices.
//
//go:noescape
func MaxPool2x2ReLUF32NEON(dst []float32, arg []uint8, top, bottom []float32, c int)

// MaxPool2x2ReLUGradF32NEON is the backward pass of MaxPool2x2ReLU: of the four inputs of window
// j and channel o the one arg names gets the gradient dy[j*c+o], the others +0 (all four when
// arg is not 0..3). It computes
//
//	for j := range len(dy) / c {
//		for o := range c {
//			g, i := dy[j*c+o], arg[j*c+o]
//			top[2*j*c+o], top[(2*j+1)*c+o] = sel(i == 0, g), sel(i == 1, g)
//			bottom[2*j*c+o], bottom[(2*j+1)*c+o] = sel(i == 2, g), sel(i == 3, g)
//		}
//	}
//
// with sel(p, g) = g if p, else +0. It requires NEON (ASIMD). len(arg) must be len(dy), a
// multiple of c > 0, and top and bottom must hold 2*len(dy) elements. c must be a multiple of
// 4: each window's channels go 4 at a time, so it never reads or writes outside the slices.
//
//go:noescape
func MaxPool2x2ReLUGradF32NEON(top, bottom, dy []float32, arg []uint8, c int)
