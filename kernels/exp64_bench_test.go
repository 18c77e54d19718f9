package kernels

import (
	"fmt"
	"math"
	"testing"
)

// Benchmarks of the float64 exp, sigmoid and softmax on every ISA path this machine supports,
// beside a plain loop over Go's math package in the same run. Run with
//
//	go test -run '^$' -bench 'F64' ./kernels

var benchSizesF64 = []int{16, 24, 32, 256, 1 << 20}

// benchElementwiseF64 benchmarks kernel on every supported ISA path and peer (one element at a
// time) as "math", at every size in benchSizesF64, with inputs from input.
func benchElementwiseF64(b *testing.B, kernel func(dst, src []float64), peer func(float64) float64, input func(r *testInput) float64) {
	prev := ISA()
	defer SetISA(prev)
	for _, n := range benchSizesF64 {
		r := newInput(uint64(n))
		src := make([]float64, n)
		for i := range src {
			src[i] = input(r)
		}
		dst := make([]float64, n)
		run := func(b *testing.B, f func()) {
			b.SetBytes(int64(8 * n))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				f()
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
		}
		for _, name := range SupportedISAs() {
			b.Run(fmt.Sprintf("%s/n=%d", name, n), func(b *testing.B) {
				if err := SetISA(name); err != nil {
					b.Fatal(err)
				}
				run(b, func() { kernel(dst, src) })
			})
		}
		b.Run(fmt.Sprintf("math/n=%d", n), func(b *testing.B) {
			run(b, func() {
				for i, x := range src {
					dst[i] = peer(x)
				}
			})
		})
	}
}

func BenchmarkExpF64(b *testing.B) {
	benchElementwiseF64(b, Exp[float64], math.Exp, func(r *testInput) float64 { return r.uniform(-700, 700) })
}

func BenchmarkSigmoidF64(b *testing.B) {
	benchElementwiseF64(b, Sigmoid[float64], func(x float64) float64 { return 1 / (1 + math.Exp(-x)) },
		func(r *testInput) float64 { return r.uniform(-20, 20) })
}

// BenchmarkSoftmaxF64 runs Softmax[float64] on 64 rows of each width; the peer is the
// three-pass loop over math.Exp.
func BenchmarkSoftmaxF64(b *testing.B) {
	prev := ISA()
	defer SetISA(prev)
	const rows = 64
	for _, cols := range []int{16, 24, 32, 256, 1024} {
		n := rows * cols
		r := newInput(uint64(cols))
		src := make([]float64, n)
		for i := range src {
			src[i] = r.uniform(-20, 20)
		}
		dst := make([]float64, n)
		run := func(b *testing.B, f func()) {
			b.SetBytes(int64(8 * n))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				f()
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
		}
		for _, name := range SupportedISAs() {
			b.Run(fmt.Sprintf("%s/cols=%d", name, cols), func(b *testing.B) {
				if err := SetISA(name); err != nil {
					b.Fatal(err)
				}
				run(b, func() { Softmax(dst, src, cols) })
			})
		}
		b.Run(fmt.Sprintf("math/cols=%d", cols), func(b *testing.B) {
			run(b, func() {
				for r := 0; r < n; r += cols {
					row, out := src[r:r+cols], dst[r:r+cols]
					m := math.Inf(-1)
					for _, x := range row {
						m = math.Max(m, x)
					}
					var s float64
					for i, x := range row {
						out[i] = math.Exp(x - m)
						s += out[i]
					}
					for i := range out {
						out[i] /= s
					}
				}
			})
		})
	}
}
