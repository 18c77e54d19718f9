package kernels

import (
	"math"
	"strings"
	"testing"
	"unsafe"
)

// poolValues are the inputs the pooling tests draw from: few enough that windows often hold
// equal maxima (the first one wins), with both zeros, infinities, subnormals and NaNs of either
// sign (compared as the int32 of their bits, as the kernels define).
var poolValues = []float32{
	0, float32(math.Copysign(0, -1)), 1, 1, 2, 2.5, -1, -3, 1e-40, -1e-40, 3e38,
	float32(math.Inf(1)), float32(math.Inf(-1)),
	math.Float32frombits(0x7fc00000), math.Float32frombits(0xffc00001), math.Float32frombits(0x7f800001),
}

func poolFill(r *testInput, s []float32, nan bool) {
	for i := range s {
		v := poolValues[r.next()%uint64(len(poolValues))]
		if !nan && v != v {
			v = float32(r.uniform(-4, 4))
		}
		if r.next()%4 == 0 {
			v = float32(r.uniform(-4, 4))
		}
		s[i] = v
	}
}

// guardedBytes returns n bytes starting off bytes past a 64-byte boundary, with guard bytes
// around them, and a check that fails t if a guard was written.
func guardedBytes(n, off int) (s []uint8, check func(t *testing.T)) {
	const guard = 0xa5
	backing := make([]uint8, n+off+2*guardLen+64)
	start := 0
	for uintptr(unsafe.Pointer(&backing[start]))%64 != 0 {
		start++
	}
	buf := backing[start : start+off+n+2*guardLen]
	for i := range buf {
		buf[i] = guard
	}
	s = buf[guardLen+off : guardLen+off+n : guardLen+off+n]
	return s, func(t *testing.T) {
		t.Helper()
		for i, b := range buf {
			if (i < guardLen+off || i >= guardLen+off+n) && b != guard {
				t.Fatalf("n=%d off=%d: guard byte %d of the arg buffer overwritten", n, off, i)
			}
		}
	}
}

// pageEndBytes8 returns n bytes that end right before an unmapped page (nil where pageEnd is).
func pageEndBytes8(t *testing.T, n int) []uint8 {
	f := pageEnd[float32](t, (n+3)/4)
	if f == nil {
		return nil
	}
	if n == 0 {
		return []uint8{}
	}
	b := unsafe.Slice((*uint8)(unsafe.Pointer(&f[0])), 4*len(f))
	return b[len(b)-n:]
}

// poolShapes are the channel counts and window counts the pooling tests run: every c from 1 to
// 40 (every tail of the 16- and 8-lane loops, twice over), wider ones, and 0 to 5 windows, so
// that the outputs cover lengths 0..300 and more.
func poolShapes(f func(c, w int)) {
	cs := []int{}
	for c := 1; c <= 40; c++ {
		cs = append(cs, c)
	}
	cs = append(cs, 48, 63, 64, 100)
	for _, c := range cs {
		for w := 0; w <= 5; w++ {
			f(c, w)
		}
	}
}

func TestMaxPool2x2ReLU(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(11)
		poolShapes(func(c, w int) {
			n := w * c
			for off := 0; off < maxAlign[float32](); off += 3 {
				dst, checkDst := guarded[float32](n, off)
				arg, checkArg := guardedBytes(n, (off+5)%64)
				top, checkTop := guarded[float32](2*n, (off+7)%16)
				bottom, checkBottom := guarded[float32](2*n, (off+1)%16)
				poolFill(r, top, true)
				poolFill(r, bottom, true)
				want, wantArg := make([]float32, n), make([]uint8, n)
				maxPool2x2ReLURef(want, wantArg, top, bottom, c)
				topIn, bottomIn := clone32(top), clone32(bottom)
				MaxPool2x2ReLU(dst, arg, top, bottom, c)
				for _, check := range []func(*testing.T){checkDst, checkArg, checkTop, checkBottom} {
					check(t)
				}
				for i := range dst {
					if math.Float32bits(dst[i]) != math.Float32bits(want[i]) || arg[i] != wantArg[i] {
						t.Fatalf("c=%d w=%d off=%d: dst[%d], arg[%d] = %v (%#x), %d; want %v (%#x), %d", c, w, off, i, i,
							dst[i], math.Float32bits(dst[i]), arg[i], want[i], math.Float32bits(want[i]), wantArg[i])
					}
				}
				for i := range top {
					if math.Float32bits(top[i]) != math.Float32bits(topIn[i]) || math.Float32bits(bottom[i]) != math.Float32bits(bottomIn[i]) {
						t.Fatalf("c=%d w=%d: input %d changed", c, w, i)
					}
				}
			}
			// dst, arg, top and bottom in turn end right before an unmapped page.
			for k := range 4 {
				dst, arg, top, bottom := poolOperands(t, k, n)
				poolFill(r, top, true)
				poolFill(r, bottom, true)
				want, wantArg := make([]float32, n), make([]uint8, n)
				maxPool2x2ReLURef(want, wantArg, top, bottom, c)
				MaxPool2x2ReLU(dst, arg, top, bottom, c)
				for i := range dst {
					if math.Float32bits(dst[i]) != math.Float32bits(want[i]) || arg[i] != wantArg[i] {
						t.Fatalf("c=%d w=%d, operand %d at a page end: dst[%d], arg = %v, %d; want %v, %d", c, w, k, i, dst[i], arg[i], want[i], wantArg[i])
					}
				}
			}
		})
	})
}

// TestMaxPool2x2ReLUMeaning checks what the outputs mean on inputs without a NaN, apart from the
// reference: each output is the largest input of its window clamped at 0, and arg names the
// first input equal to it, or 4 when it is not positive.
func TestMaxPool2x2ReLUMeaning(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(12)
		for _, c := range []int{1, 5, 16, 30, 32, 37} {
			w := 7
			top, bottom := make([]float32, 2*w*c), make([]float32, 2*w*c)
			poolFill(r, top, false)
			poolFill(r, bottom, false)
			dst, arg := make([]float32, w*c), make([]uint8, w*c)
			MaxPool2x2ReLU(dst, arg, top, bottom, c)
			for j := range w {
				for o := range c {
					in := [4]float32{top[2*j*c+o], top[(2*j+1)*c+o], bottom[2*j*c+o], bottom[(2*j+1)*c+o]}
					m := max(in[0], in[1], in[2], in[3])
					y, a := dst[j*c+o], arg[j*c+o]
					if m <= 0 {
						if math.Float32bits(y) != 0 || a != 4 {
							t.Fatalf("c=%d window %d channel %d: inputs %v: got %v, arg %d; want +0, 4", c, j, o, in, y, a)
						}
						continue
					}
					first := 0
					for in[first] != m {
						first++
					}
					if y != m || int(a) != first {
						t.Fatalf("c=%d window %d channel %d: inputs %v: got %v, arg %d; want %v, %d", c, j, o, in, y, a, m, first)
					}
				}
			}
		}
	})
}

func TestMaxPool2x2ReLUGrad(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(13)
		poolShapes(func(c, w int) {
			n := w * c
			for off := 0; off < maxAlign[float32](); off += 3 {
				dy, checkDy := guarded[float32](n, off)
				arg, checkArg := guardedBytes(n, (off+9)%64)
				top, checkTop := guarded[float32](2*n, (off+7)%16)
				bottom, checkBottom := guarded[float32](2*n, (off+1)%16)
				poolFill(r, dy, true)
				for i := range arg {
					arg[i] = uint8(r.next() % 6) // 0..3, and 4 and 5: no input gets the gradient
					if r.next()%16 == 0 {
						arg[i] = uint8(r.next())
					}
				}
				wantTop, wantBottom := make([]float32, 2*n), make([]float32, 2*n)
				maxPool2x2ReLUGradRef(wantTop, wantBottom, dy, arg, c)
				MaxPool2x2ReLUGrad(top, bottom, dy, arg, c)
				for _, check := range []func(*testing.T){checkDy, checkArg, checkTop, checkBottom} {
					check(t)
				}
				for i := range top {
					if math.Float32bits(top[i]) != math.Float32bits(wantTop[i]) || math.Float32bits(bottom[i]) != math.Float32bits(wantBottom[i]) {
						t.Fatalf("c=%d w=%d off=%d: top[%d], bottom[%d] = %v, %v; want %v, %v", c, w, off, i, i, top[i], bottom[i], wantTop[i], wantBottom[i])
					}
				}
			}
			for k := range 4 {
				dy, arg, top, bottom := poolOperands(t, k, n)
				poolFill(r, dy, true)
				for i := range arg {
					arg[i] = uint8(r.next() % 5)
				}
				wantTop, wantBottom := make([]float32, 2*n), make([]float32, 2*n)
				maxPool2x2ReLUGradRef(wantTop, wantBottom, dy, arg, c)
				MaxPool2x2ReLUGrad(top, bottom, dy, arg, c)
				for i := range top {
					if math.Float32bits(top[i]) != math.Float32bits(wantTop[i]) || math.Float32bits(bottom[i]) != math.Float32bits(wantBottom[i]) {
						t.Fatalf("c=%d w=%d, operand %d at a page end: top[%d], bottom = %v, %v; want %v, %v", c, w, k, i, top[i], bottom[i], wantTop[i], wantBottom[i])
					}
				}
			}
		})
	})
}

// poolOperands returns the operands of a pooling kernel over n outputs, the one of them that k
// names (0: dst or dy, 1: arg, 2: top, 3: bottom) ending right before an unmapped page (where
// the test can map one).
func poolOperands(t *testing.T, k, n int) (out []float32, arg []uint8, top, bottom []float32) {
	out, arg = make([]float32, n), make([]uint8, n)
	top, bottom = make([]float32, 2*n), make([]float32, 2*n)
	or := func(s, def []float32) []float32 {
		if s == nil {
			return def
		}
		return s
	}
	switch k {
	case 0:
		out = or(pageEnd[float32](t, n), out)
	case 1:
		if pe := pageEndBytes8(t, n); pe != nil {
			arg = pe
		}
	case 2:
		top = or(pageEnd[float32](t, 2*n), top)
	case 3:
		bottom = or(pageEnd[float32](t, 2*n), bottom)
	}
	return out, arg, top, bottom
}

func TestMaxPool2x2ReLUMisuse(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func()
		want string
	}{
		{"c=0", func() { MaxPool2x2ReLU(nil, nil, nil, nil, 0) }, "kernels.MaxPool2x2ReLU: c = 0 channels"},
		{"arg", func() {
			MaxPool2x2ReLU(make([]float32, 4), make([]uint8, 3), make([]float32, 8), make([]float32, 8), 2)
		}, "len(dst) = 4 and len(arg) = 3"},
		{"not a multiple", func() {
			MaxPool2x2ReLU(make([]float32, 3), make([]uint8, 3), make([]float32, 6), make([]float32, 6), 2)
		}, "same multiple of c = 2"},
		{"top", func() {
			MaxPool2x2ReLU(make([]float32, 4), make([]uint8, 4), make([]float32, 7), make([]float32, 8), 2)
		}, "len(top) = 7"},
		{"grad bottom", func() {
			MaxPool2x2ReLUGrad(make([]float32, 8), make([]float32, 9), make([]float32, 4), make([]uint8, 4), 4)
		}, "kernels.MaxPool2x2ReLUGrad: len(top) = 8 and len(bottom) = 9 must be 2*len(dy) = 8"},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.Contains(msg, c.want) {
					t.Fatalf("panic %q, want one containing %q", msg, c.want)
				}
			}()
			c.f()
		})
	}
}
