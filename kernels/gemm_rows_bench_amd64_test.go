//go:build !purego

package kernels

import (
	"fmt"
	"testing"
)

// BenchmarkGemmRows measures AVX-512 and AVX2 float32 products whose A is sparse element by element (the
// Keras MLP's layers: MNIST images 19% nonzero, ReLU outputs about 50%; and denser As around
// where rowsWins stops; a convolution's, on the masked path) through the rows kernel and through the packed path (the rows kernel left
// out of the table), in one process. GFLOP/s counts every multiply-add of the m x n x k product,
// so the ratio of the two is the speed-up; rowsCost is set from it.
//
//	go test -run '^$' -bench GemmRows -cpu 1 ./kernels
func BenchmarkGemmRows(b *testing.B) {
	r := newInput(5)
	for _, c := range []struct {
		m, n, k        int
		transA, transB bool
		density        float64
	}{
		{128, 512, 784, false, false, 0.19}, {784, 512, 128, true, false, 0.19},
		{128, 512, 512, false, false, 0.49}, {512, 512, 128, true, false, 0.49},
		{128, 512, 512, false, false, 0.6}, {128, 512, 512, false, false, 0.7},
		{128, 512, 512, false, true, 0.55}, {100, 4320, 100, false, true, 0.45},
		{100, 100, 4320, false, false, 0.5}, {4320, 100, 100, true, false, 0.5}, {100, 64, 512, false, false, 0.3},
		// SimpleConvNet's convolution: its column matrix (stored 26 x 576) times its weights.
		{576, 32, 26, true, false, 0.25}, {576, 32, 26, true, false, 0.35}, {576, 32, 26, true, false, 0.45},
	} {
		g := gemmCase{m: c.m, n: c.n, k: c.k, transA: c.transA, transB: c.transB, alpha: 1}.withStrides(0, 0, 0)
		aRows, aCols, bRows, bCols := g.storage()
		a := gemmMatrix(aRows, aCols, g.lda, sparseFill[float32](r, c.density))
		bm := gemmMatrix(bRows, bCols, g.ldb, func() float32 { return float32(r.uniform(-1, 1)) })
		cm := make([]float32, c.m*c.n)
		for _, isa := range []*table{avx512Table, avx2Table} {
			for _, path := range []string{"packed", "rows"} {
				b.Run(fmt.Sprintf("%dx%dx%d-%v%v-%.0f%%/%s/%s", c.m, c.k, c.n, c.transA, c.transB, 100*c.density, isa.name, path), func(b *testing.B) {
					useISA(b, isa.name)
					if path == "packed" {
						rows := isa.f32.gemmRows
						isa.f32.gemmRows = nil
						defer func() { isa.f32.gemmRows = rows }()
					}
					b.SetBytes(4 * int64(len(a)+len(bm)+len(cm)))
					for b.Loop() {
						Gemm(c.transA, c.transB, c.m, c.n, c.k, 1, a, g.lda, bm, g.ldb, 0, cm, c.n)
					}
					b.ReportMetric(2*float64(c.m*c.n*c.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}
