package kernels

import (
	"math"
	"math/rand"
	"testing"
)

// TestLogSoftmaxF32Stress runs rows offset by up to ±1e30 whose values span up to 86.99 below the
// maximum (the edge of the assembly's float32 path), with one dominant entry or repeated values,
// against the float64 log-softmax on every path with a kernel of its own.
func TestLogSoftmaxF32Stress(t *testing.T) {
	field := func(tb *table) any { return tb.f32.logSoftmax }
	eachOwnISA(t, field, func(t *testing.T) {
		rng := rand.New(rand.NewSource(1))
		var worst uint64
		iters := 20000
		if testing.Short() {
			iters = 2000
		}
		for it := 0; it < iters; it++ {
			cols := 1 + rng.Intn(70)
			if it%10 == 0 {
				cols = 1024
			}
			src := make([]float32, cols)
			off := []float64{0, 1e4, -1e4, 3e6, 0.1, 1e-3, 1e30, -1e30}[rng.Intn(8)] * rng.Float64()
			width := []float64{86.99, 86.5, 80, 60, 20, 1e-3, 1}[rng.Intn(7)]
			mode := rng.Intn(3)
			for i := range src {
				var d float64
				switch mode {
				case 0:
					d = -width * rng.Float64()
				case 1: // one dominant entry
					d = -width + (width-60)*rng.Float64()
					if width < 60 {
						d = -width
					}
				case 2:
					d = -width * float64(rng.Intn(3)) / 2
				}
				src[i] = float32(off + d)
			}
			if mode == 1 || rng.Intn(4) == 0 {
				src[rng.Intn(cols)] = float32(off)
			}
			dst := make([]float32, cols)
			LogSoftmax(dst, src, cols)
			w, _ := checkLogSoftmaxRows(t, "stress", dst, src, cols, logSoftmaxTol{elem: 2, lse: 1 << 40})
			worst = max(worst, w)
			if t.Failed() {
				t.Fatalf("row %v", src)
			}
		}
		t.Logf("%s: stress worst %d ULP", ISA(), worst)
	})
}

// TestLogSoftmaxF32NaNPayload puts NaNs of many payloads at every position of rows of many lengths:
// every element of such a row must be NaN (a payload must not turn into a number on the way).
func TestLogSoftmaxF32NaNPayload(t *testing.T) {
	testLogSoftmaxNaNPayload(t, func(tb *table) any { return tb.f32.logSoftmax },
		[]float32{nan32(0x7fc00000), nan32(0x7fc00008), nan32(0x7f800ff8), nan32(0xffc00ff8), nan32(0x7fffffff), nan32(0x7f800001), nan32(0x7fc01234)})
}

// testLogSoftmaxNaNPayload puts each of nans at every position of rows of many lengths, on every
// path whose table has its own kernel: every element of such a row must be NaN.
func testLogSoftmaxNaNPayload[T Float](t *testing.T, field func(*table) any, nans []T) {
	eachOwnISA(t, field, func(t *testing.T) {
		for _, v := range nans {
			for _, cols := range []int{1, 5, 8, 16, 17, 40, 1024} {
				for pos := 0; pos < cols; pos += 1 + cols/7 {
					src := make([]T, cols)
					for i := range src {
						src[i] = T(i%7) - 3
					}
					src[pos] = v
					dst := make([]T, cols)
					LogSoftmax(dst, src, cols)
					for i, y := range dst {
						if y == y {
							t.Fatalf("NaN %v cols %d pos %d: dst[%d] = %v, want NaN", v, cols, pos, i, y)
						}
					}
				}
			}
		}
	})
}

func nan32(bits uint32) float32 { return math.Float32frombits(bits) }
func nan64(bits uint64) float64 { return math.Float64frombits(bits) }

// TestLogSoftmaxF64Stress runs float64 rows offset by up to ±1e300 whose values span up to 800
// below the maximum (so that terms run down through the subnormals to 0), with one dominant
// entry, repeated values or -Inf entries, against the reference on every path with a kernel of
// its own.
func TestLogSoftmaxF64Stress(t *testing.T) {
	field := func(tb *table) any { return tb.f64.logSoftmax }
	eachOwnISA(t, field, func(t *testing.T) {
		rng := rand.New(rand.NewSource(2))
		var worst uint64
		iters := 20000
		if testing.Short() {
			iters = 2000
		}
		for it := 0; it < iters; it++ {
			cols := 1 + rng.Intn(70)
			if it%10 == 0 {
				cols = 1024 + rng.Intn(9)
			}
			src := make([]float64, cols)
			off := []float64{0, 1e4, -1e4, 3e6, 0.1, 1e-3, 1e300, -1e300}[rng.Intn(8)] * rng.Float64()
			width := []float64{800, 745.5, 740, 708.5, 100, 40, 1e-3, 1e-12}[rng.Intn(8)]
			mode := rng.Intn(4)
			for i := range src {
				var d float64
				switch mode {
				case 0:
					d = -width * rng.Float64()
				case 1: // one dominant entry
					d = -width + width/20*rng.Float64()
				case 2:
					d = -width * float64(rng.Intn(3)) / 2
				case 3:
					d = -width * rng.Float64()
					if rng.Intn(3) == 0 {
						d = math.Inf(-1)
					}
				}
				src[i] = off + d
			}
			if mode == 1 || rng.Intn(4) == 0 {
				src[rng.Intn(cols)] = off
			}
			dst := make([]float64, cols)
			LogSoftmax(dst, src, cols)
			w, _ := checkLogSoftmaxRows(t, "stress", dst, src, cols, logSoftmaxTol{elem: logSoftmaxF64Tol.elem, lse: 1 << 40})
			worst = max(worst, w)
			if t.Failed() {
				t.Fatalf("row %v", src)
			}
		}
		t.Logf("%s: stress worst %d ULP", ISA(), worst)
	})
}

// TestLogSoftmaxF64NaNPayload puts NaNs of many payloads at every position of float64 rows of
// many lengths: every element of such a row must be NaN.
func TestLogSoftmaxF64NaNPayload(t *testing.T) {
	testLogSoftmaxNaNPayload(t, func(tb *table) any { return tb.f64.logSoftmax },
		[]float64{nan64(0x7ff8000000000000), nan64(0x7ff8000000000008), nan64(0x7ff0000000000001), nan64(0xfff8000000000ff8), nan64(0x7fffffffffffffff), nan64(0x7ff0000000001234)})
}
