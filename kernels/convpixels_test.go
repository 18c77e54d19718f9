package kernels

import (
	"fmt"
	"math"
	"testing"
)

// TestConvPixels checks ConvPixels on every path against its loop summed in float64: 1, 16, 30 and
// 32 channels (32 is the assembly's on AVX-512), windows of 1 to 6 rows of 1 to 6 columns (6 is the
// Go loop), 0 to 4 output rows of 0 to 13 pixels (whole blocks of 4 and not), inputs with runs of
// zeros (and -0) that the assembly passes over, NaN and ±Inf among them, zero and -0 weights, the
// input ending at an unmapped page where the system has one and guards around y, which must not
// be written. Where every value is a small multiple of a power of 2, every sum is exact and the
// results must equal the float64 sums bit for bit, zeros +0; elsewhere within the roundings of
// the terms.
func TestConvPixels(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		if ISA() == "avx512" && !ConvPixelsAssembly(32, 5, 24) {
			t.Fatal("the avx512 table has no ConvPixels assembly")
		}
		t.Logf("assembly for 32 channels, 5x5 windows, rows of 24: %v", ConvPixelsAssembly(32, 5, 24))
		r := newInput(17)
		for _, exact := range []bool{true, false} {
			for _, op := range []int{32, 16, 30, 1} {
				for kw := 1; kw <= 6; kw++ {
					for nr := 1; nr <= 6; nr++ {
						for oh := 0; oh <= 4; oh++ {
							for _, ow := range []int{0, 4, 8, 12, 3, 13} {
								testConvPixelsCase(t, r, exact, op, kw, nr, oh, ow)
							}
						}
					}
				}
			}
		}
	})
}

func testConvPixelsCase(t *testing.T, r *testInput, exact bool, op, kw, nr, oh, ow int) {
	t.Helper()
	name := fmt.Sprintf("exact %v, %d channels, %dx%d window, %dx%d pixels", exact, op, nr, kw, oh, ow)
	ldx := ow + kw - 1 + int(r.next()%4)
	rows := make([]int32, nr)
	for j := range rows {
		rows[j] = int32(r.next() % 40)
	}
	nx := 0
	for _, o := range rows {
		nx = max(nx, int(o)+max(oh-1, 0)*ldx+ow+kw-1)
	}
	x := make([]float32, nx)
	if pe := pageEnd[float32](t, nx); pe != nil && (oh+ow+kw)%2 == 0 {
		x = pe
	}
	// value draws an input or a weight: with exact, a multiple of 1/16 below 8 in magnitude, so that
	// every product and sum of the loop is exact in float32.
	value := func(scale float64) float32 {
		if exact {
			return float32(int(r.next()%257)-128) / 16 * float32(scale)
		}
		return float32(r.uniform(-scale, scale))
	}
	negZero := float32(math.Copysign(0, -1))
	for i := 0; i < nx; {
		// Runs of zeros (sometimes -0) of 1 to 12 values, between runs of values.
		n := min(nx-i, 1+int(r.next()%12))
		zero := r.next()%3 != 0
		for k := range n {
			switch {
			case zero && r.next()%5 == 0:
				x[i+k] = negZero
			case zero:
				x[i+k] = 0
			default:
				x[i+k] = value(4)
				if !exact && r.next()%150 == 0 {
					x[i+k] = []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))}[r.next()%3]
				}
			}
		}
		i += n
	}
	nw := (nr*kw + 1) * op
	w := make([]float32, nw)
	for i := range w {
		switch r.next() % 8 {
		case 0:
			w[i] = 0
		case 1:
			w[i] = negZero
		default:
			w[i] = value(1)
		}
	}
	n := oh * ow * op
	y, check := guarded[float32](n, int(r.next()%16))
	for i := range y {
		y[i] = -12345
	}
	ConvPixels(y, op, x, ldx, rows, kw, w, oh, ow)
	check(t)
	for oy := range oh {
		for ox := range ow {
			for c := range op {
				var want, bound float64
				for j, o := range rows {
					for kx := range kw {
						p := float64(x[int(o)+oy*ldx+ox+kx]) * float64(w[(j*kw+kx)*op+c])
						want += p
						bound += math.Abs(p)
					}
				}
				want += float64(w[nr*kw*op+c])
				bound += math.Abs(float64(w[nr*kw*op+c]))
				k := (oy*ow+ox)*op + c
				got := float64(y[k])
				ok := got == want || (got != got && want != want)
				if exact && ok && got == 0 && math.Signbit(got) {
					ok = false // a zero sum is +0
				}
				if !ok && !exact && !math.IsInf(want, 0) && want == want {
					ok = math.Abs(got-want) <= float64(nr*kw+1)*0x1p-24*bound
				}
				if !ok {
					t.Fatalf("%s, ldx %d, rows %v: y[%d] (pixel %d,%d channel %d) = %v, want %v", name, ldx, rows, k, oy, ox, c, y[k], want)
				}
			}
		}
	}
}

// TestConvPixelsPanics: misuse panics, naming the function and the sizes.
func TestConvPixelsPanics(t *testing.T) {
	rows := []int32{0, 10}
	x, w, y := make([]float32, 40), make([]float32, (2*3+1)*4), make([]float32, 2*4*4)
	// 2 output rows of 4 pixels, 4 channels, a 2x3 window over rows of 10 values.
	const fn = "kernels.ConvPixels"
	mustPanic(t, func() { ConvPixels(y, 4, x, 10, nil, 3, w, 2, 4) }, fn, "rows is empty")
	mustPanic(t, func() { ConvPixels(y, 4, x, 10, rows, -1, w, 2, 4) }, fn, "negative size: op = 4, kw = -1")
	mustPanic(t, func() { ConvPixels(y[:31], 4, x, 10, rows, 3, w, 2, 4) }, fn, "len(y) = 31, want at least 32")
	mustPanic(t, func() { ConvPixels(y, 4, x, 10, rows, 3, w[:27], 2, 4) }, fn, "len(w) = 27, want at least 28")
	mustPanic(t, func() { ConvPixels(y, 4, x[:25], 10, rows, 3, w, 2, 4) }, fn, "x[0:26], outside x of 25")
	mustPanic(t, func() { ConvPixels(y, 4, x, 10, []int32{-1, 10}, 3, w, 2, 4) }, fn, "x[-1:")
}

// BenchmarkConvPixels: SimpleConvNet's convolution (28x28 images, 5x5 windows, 32 channels of
// which 30 weighted) over 100 images shaped like MNIST's digits: strokes of 2 pixels through the
// middle 20x20, about a fifth of the pixels nonzero, so that the assembly passes over the window
// rows that read only zeros as it does in training. GFLOP/s counts every multiply-add of the
// 30 channels, zeros included (2 x 576 x 25 x 30 an image).
func BenchmarkConvPixels(b *testing.B) {
	const h, w, k, op, images = 28, 28, 5, 32, 100
	const oh, ow = h - k + 1, w - k + 1
	r := newInput(11)
	x := make([]float32, images*h*w)
	for n := range images {
		img := x[n*h*w : (n+1)*h*w]
		// Four strokes: random walks of 40 steps from a point in the middle, 2 pixels wide.
		for range 4 {
			y, xx := 8+int(r.next()%12), 8+int(r.next()%12)
			for range 40 {
				for _, d := range [][2]int{{0, 0}, {0, 1}, {1, 0}, {1, 1}} {
					if py, px := y+d[0], xx+d[1]; py >= 4 && py < 24 && px >= 4 && px < 24 {
						img[py*w+px] = float32(r.uniform(0.2, 1))
					}
				}
				y += int(r.next()%3) - 1
				xx += int(r.next()%3) - 1
			}
		}
	}
	nz := 0
	for _, v := range x {
		if v != 0 {
			nz++
		}
	}
	wts := make([]float32, (k*k+1)*op)
	for i := range wts {
		if i%op < 30 {
			wts[i] = float32(r.uniform(-0.3, 0.3))
		}
	}
	rows := []int32{0, w, 2 * w, 3 * w, 4 * w}
	y := make([]float32, oh*ow*op)
	b.Logf("%.0f%% of the pixels nonzero", 100*float64(nz)/float64(len(x)))
	for _, isa := range []string{"avx512", "avx2", "generic"} {
		b.Run(isa, func(b *testing.B) {
			useISA(b, isa)
			for b.Loop() {
				for n := range images {
					ConvPixels(y, op, x[n*h*w:(n+1)*h*w], w, rows, k, wts, oh, ow)
				}
			}
			b.SetBytes(int64(4 * (h*w + oh*ow*op) * images))
			b.ReportMetric(float64(b.N*images)*2*oh*ow*k*k*30/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
