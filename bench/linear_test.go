package bench_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/lanesimd/lanes/kernels"
)

// linearShapes are dense layers m x k x n (batch, inputs, outputs): the hidden layer of an MNIST
// network at batch 128 and the book's 784-50 layer at batch 100.
var linearShapes = []gemmShape{{m: 128, k: 784, n: 512}, {m: 100, k: 784, n: 50}}

// BenchmarkLinear times a dense layer with ReLU on one goroutine, float32, two ways on the best
// ISA: "fused", kernels.Linear (the bias and ReLU applied to each block of y as the product
// completes it), and "passes", kernels.Gemm followed by a bias pass (kernels.Axpy per row) and a
// ReLU pass (kernels.ReLU) over the whole of y. The goal at 128x784x512 is fused at least 1.15x
// as fast as passes:
//
//	go test -run '^$' -bench 'Linear/' -benchtime 0.3s -count 5 -cpu 1 ./bench
func BenchmarkLinear(b *testing.B) {
	for _, s := range linearShapes {
		rng := rand.New(rand.NewPCG(3, uint64(s.m*s.k*s.n)))
		fill := func(n int) []float32 {
			v := make([]float32, n)
			for i := range v {
				v[i] = float32(rng.Float64()*2 - 1)
			}
			return v
		}
		x, w, bias, y := fill(s.m*s.k), fill(s.k*s.n), fill(s.n), make([]float32, s.m*s.n)
		for _, v := range []struct {
			name string
			run  func()
		}{
			{"fused", func() { kernels.Linear(y, x, w, bias, s.m, s.n, s.k, kernels.ActReLU) }},
			{"passes", func() {
				kernels.Gemm(false, false, s.m, s.n, s.k, 1, x, s.k, w, s.n, 0, y, s.n)
				for i := range s.m {
					kernels.Axpy(1, bias, y[i*s.n:(i+1)*s.n])
				}
				kernels.ReLU(y, y)
			}},
			// The two parts of passes alone: the product, and the two passes over y. Their
			// sum is passes; fused can gain at most the time of the passes.
			{"gemm-only", func() { kernels.Gemm(false, false, s.m, s.n, s.k, 1, x, s.k, w, s.n, 0, y, s.n) }},
			{"passes-only", func() {
				for i := range s.m {
					kernels.Axpy(1, bias, y[i*s.n:(i+1)*s.n])
				}
				kernels.ReLU(y, y)
			}},
		} {
			b.Run(fmt.Sprintf("f32/%dx%dx%d/relu/%s", s.m, s.k, s.n, v.name), func(b *testing.B) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
				b.SetBytes(4 * int64(s.m*s.k+s.k*s.n+s.m*s.n))
				v.run() // warm up
				for b.Loop() {
					v.run()
				}
				b.ReportMetric(s.flops()*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
