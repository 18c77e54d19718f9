package kernels

import (
	"fmt"
	"math"
	"runtime"
	"testing"
	"unsafe"
)

// Benchmarks of exp, sigmoid and softmax on every ISA path this machine supports, beside a plain
// loop over Go's math package in the same run; exp32_bench_test.go holds the float32 entry
// points. Run with
//
//	go test -run '^$' -bench 'F64|F32' ./kernels

// benchSizes are the slice lengths of the element-wise benchmarks: short ones, where the tail
// handling matters (10, a row of class scores, ends in a partial vector on every path), and one
// that streams through memory.
var benchSizes = []int{10, 16, 24, 32, 256, 1 << 20}

// benchRun times f over n elements of T and reports Gelem/s, and (on Linux) Gelem/cpu-s, the
// throughput per second of CPU time of the benchmark's thread, which stays meaningful on a
// machine shared with other processes.
func benchRun[T Float](b *testing.B, n int, f func()) {
	var z T
	b.SetBytes(int64(int(unsafe.Sizeof(z)) * n))
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu0, ok := threadCPU()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f()
	}
	b.StopTimer()
	elems := float64(n) * float64(b.N)
	b.ReportMetric(elems/b.Elapsed().Seconds()/1e9, "Gelem/s")
	if cpu1, ok1 := threadCPU(); ok && ok1 && cpu1 > cpu0 {
		b.ReportMetric(elems/(cpu1-cpu0).Seconds()/1e9, "Gelem/cpu-s")
	}
}

// benchElementwise benchmarks kernel on every supported ISA path and peer (one element at a
// time, in float64) as "math", at every size in benchSizes, with inputs from input.
func benchElementwise[T Float](b *testing.B, kernel func(dst, src []T), peer func(float64) float64, input func(r *testInput) float64) {
	prev := ISA()
	defer SetISA(prev)
	for _, n := range benchSizes {
		r := newInput(uint64(n))
		src := make([]T, n)
		for i := range src {
			src[i] = T(input(r))
		}
		dst := make([]T, n)
		for _, name := range SupportedISAs() {
			b.Run(fmt.Sprintf("%s/n=%d", name, n), func(b *testing.B) {
				if err := SetISA(name); err != nil {
					b.Fatal(err)
				}
				benchRun[T](b, n, func() { kernel(dst, src) })
			})
		}
		b.Run(fmt.Sprintf("math/n=%d", n), func(b *testing.B) {
			benchRun[T](b, n, func() {
				for i, x := range src {
					dst[i] = T(peer(float64(x)))
				}
			})
		})
	}
}

// sigmoidMath is the sigmoid over math.Exp, the peer of the sigmoid benchmarks.
func sigmoidMath(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func BenchmarkExpF64(b *testing.B) {
	benchElementwise(b, Exp[float64], math.Exp, func(r *testInput) float64 { return r.uniform(-700, 700) })
}

func BenchmarkSigmoidF64(b *testing.B) {
	benchElementwise(b, Sigmoid[float64], sigmoidMath, func(r *testInput) float64 { return r.uniform(-20, 20) })
}

// benchSoftmax runs Softmax[T] on 64 rows of each width (10: a classifier's scores, one partial
// vector a row); the peer is the three-pass loop over math.Exp.
func benchSoftmax[T Float](b *testing.B) {
	benchRows(b, []int{10, 16, 24, 32, 256, 1024}, Softmax[T], func(dst, src []T, cols int) {
		for r := 0; r < len(src); r += cols {
			row, out := src[r:r+cols], dst[r:r+cols]
			m := T(math.Inf(-1))
			for _, x := range row {
				m = max(m, x)
			}
			var s float64
			for i, x := range row {
				out[i] = T(math.Exp(float64(x - m)))
				s += float64(out[i])
			}
			for i := range out {
				out[i] /= T(s)
			}
		}
	})
}

// benchRows runs kernel on 64 rows of each width, inputs in [-20, 20], on every ISA path, and
// peer (if not nil) as "math".
func benchRows[T Float](b *testing.B, widths []int, kernel, peer func(dst, src []T, cols int)) {
	prev := ISA()
	defer SetISA(prev)
	const rows = 64
	for _, cols := range widths {
		n := rows * cols
		r := newInput(uint64(cols))
		src := make([]T, n)
		for i := range src {
			src[i] = T(r.uniform(-20, 20))
		}
		dst := make([]T, n)
		for _, name := range SupportedISAs() {
			b.Run(fmt.Sprintf("%s/cols=%d", name, cols), func(b *testing.B) {
				if err := SetISA(name); err != nil {
					b.Fatal(err)
				}
				benchRun[T](b, n, func() { kernel(dst, src, cols) })
			})
		}
		if peer != nil {
			b.Run(fmt.Sprintf("math/cols=%d", cols), func(b *testing.B) {
				benchRun[T](b, n, func() { peer(dst, src, cols) })
			})
		}
	}
}

// BenchmarkSoftmaxF64 runs Softmax[float64] on 64 rows of each width.
func BenchmarkSoftmaxF64(b *testing.B) { benchSoftmax[float64](b) }

// benchLogSoftmax runs LogSoftmax[T] on 64 rows of 10 (a classifier's scores, one partial
// vector a row) and of 1024, on every ISA path.
func benchLogSoftmax[T Float](b *testing.B) {
	benchRows(b, []int{10, 1024}, LogSoftmax[T], nil)
}

// BenchmarkLogSoftmaxF64 runs LogSoftmax[float64] on 64 rows of 10 and of 1024.
func BenchmarkLogSoftmaxF64(b *testing.B) { benchLogSoftmax[float64](b) }

// BenchmarkLogSoftmaxF32 runs LogSoftmax[float32] on 64 rows of 10 and of 1024.
func BenchmarkLogSoftmaxF32(b *testing.B) { benchLogSoftmax[float32](b) }
