package bench_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/lanesimd/lanes/kernels"
)

// gemvShapes are the benchmarked matrix-vector products, named m x k x n like gemmShapes: a batch
// of one row through the 784-512 layer of an MNIST network and through a 4096-wide layer (y = x·W,
// m = 1), and the same 4096 x 4096 matrix times a column (y = W·x, n = 1).
var gemvShapes = []gemmShape{
	{m: 1, k: 784, n: 512},
	{m: 1, k: 4096, n: 4096},
	{m: 4096, k: 4096, n: 1},
}

// BenchmarkGemv times y = x·W (m = 1) and y = W·x (n = 1) through kernels.Gemm, which takes the
// GEMV path for them, on every ISA, and gonum's Sgemv/Dgemv on the same data, one goroutine. The
// peer numpy x @ W (OpenBLAS, one thread) is bench/peers/gemv_numpy.py; gemv_compare.sh runs
// both in one run, alternating:
//
//	go test -run '^$' -bench 'Gemv/' -benchtime 0.3s -count 5 -cpu 1 ./bench
//	bench/peers/gemv_compare.sh
func BenchmarkGemv(b *testing.B) {
	for _, s := range gemvShapes {
		benchGemv[float32](b, "f32", s)
		benchGemv[float64](b, "f64", s)
	}
}

func benchGemv[T float32 | float64](b *testing.B, typ string, s gemmShape) {
	rng := rand.New(rand.NewPCG(5, uint64(s.m*s.k*s.n)))
	fill := func(n int) []T {
		v := make([]T, n)
		for i := range v {
			v[i] = T(rng.Float64()*2 - 1)
		}
		return v
	}
	// m = 1: x is 1 x k, W is k x n. n = 1: W is m x k, x is k x 1.
	a, w, y := fill(s.m*s.k), fill(s.k*s.n), make([]T, s.m*s.n)
	elem := int64(4)
	if typ == "f64" {
		elem = 8
	}
	peers := []struct {
		name, isa string
		run       func()
	}{}
	for _, isa := range kernels.SupportedISAs() {
		peers = append(peers, struct {
			name, isa string
			run       func()
		}{"lanes-" + isa, isa, func() {
			kernels.Gemm(false, false, s.m, s.n, s.k, 1, a, s.k, w, s.n, 0, y, s.n)
		}})
	}
	// gonum's gemv on the same row-major data: y = x·W is W^T x.
	gemv := func() {
		switch a := any(a).(type) {
		case []float32:
			w, y := any(w).([]float32), any(y).([]float32)
			if s.m == 1 {
				gonum.Implementation{}.Sgemv(blas.Trans, s.k, s.n, 1, w, s.n, a, 1, 0, y, 1)
			} else {
				gonum.Implementation{}.Sgemv(blas.NoTrans, s.m, s.k, 1, a, s.k, w, 1, 0, y, 1)
			}
		case []float64:
			w, y := any(w).([]float64), any(y).([]float64)
			if s.m == 1 {
				gonum.Implementation{}.Dgemv(blas.Trans, s.k, s.n, 1, w, s.n, a, 1, 0, y, 1)
			} else {
				gonum.Implementation{}.Dgemv(blas.NoTrans, s.m, s.k, 1, a, s.k, w, 1, 0, y, 1)
			}
		}
	}
	peers = append(peers, struct {
		name, isa string
		run       func()
	}{"gonum-gemv", "", gemv})
	for _, p := range peers {
		b.Run(fmt.Sprintf("%s/%dx%dx%d/%s", typ, s.m, s.k, s.n, p.name), func(b *testing.B) {
			if p.isa != "" {
				defer gemmPeer{isa: p.isa}.selectPeer(b)()
			}
			b.SetBytes(elem * int64(s.m*s.k+s.k*s.n+s.m*s.n))
			p.run() // warm up
			for b.Loop() {
				p.run()
			}
			b.ReportMetric(s.flops()*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
