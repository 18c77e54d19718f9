package kernels

import (
	"math"
	"testing"
)

// rowsMaskCases are products the masked path takes: A stored transposed, a convolution's among
// them, up to 32 steps deep (one depth block) and deeper (every tail of the blocks), up to 96
// columns (the Go kernels' width) and wider.
var rowsMaskCases = []struct{ m, n, k int }{
	{1, 1, 1}, {2, 3, 32}, {17, 16, 5}, {33, 96, 31}, {100, 32, 26}, {576, 32, 26}, {40, 95, 9},
	{3, 97, 33}, {50, 130, 70}, {33, 200, 64}, {120, 100, 100}, {9, 300, 65},
}

// TestGemmRowsMaskedDrive checks the masked path of the rows driver with the Go kernels on every
// path, for both element types, beta 0, 1 and 0.75, padded strides and A 25% nonzero, against
// Gemm's float64 reference; and split over two goroutines.
func TestGemmRowsMaskedDrive(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		checkRowsMaskedDrive[float32](t, goRows[float32]())
		checkRowsMaskedDrive[float64](t, goRows[float64]())
	})
}

func checkRowsMaskedDrive[T Float](t *testing.T, rk *rowsKernel[T]) {
	r := newInput(67)
	drive := rowsDriver(rk, true)
	onOneAndTwoCores(func() {
		for _, s := range rowsMaskCases {
			for _, beta := range []float64{0, 1, 0.75} {
				g := gemmCase{m: s.m, n: s.n, k: s.k, transA: true, alpha: 1, beta: beta}.withStrides(int(r.next()%3), int(r.next()%3), int(r.next()%3))
				checkGemmCaseFill(t, r, g, drive, sparseFill[T](r, 0.25))
			}
		}
	})
}

// TestGemmRowsMaskRoute checks that Gemm gives a convolution's product (576 x 32 x 26, A stored
// transposed and 25% nonzero) to the masked path on AVX-512 and AVX2, the result against the
// float64 reference, and that a dense A, alpha other than 1, B stored transposed, a product 33
// steps deep or wider than one call do not go there unless the lists would (a dense layer's
// weight gradient, 4320 x 100 x 100, A 50% nonzero, does), and a small one does not.
func TestGemmRowsMaskRoute(t *testing.T) {
	for _, isa := range []string{"avx512", "avx2"} {
		t.Run(isa, func(t *testing.T) {
			useISA(t, isa)
			r := newInput(71)
			width := kern[float32]().gemmRows.width
			for _, c := range []struct {
				m, n, k int
				transB  bool
				alpha   float64
				density float64
				routed  bool
			}{
				{576, 32, 26, false, 1, 0.25, true},
				{1000, 30, 9, false, 1, 0.2, true},
				{576, 32, 26, false, 1, 1, false},                   // dense
				{576, 32, 26, false, 0.5, 0.25, false},              // alpha
				{576, 32, 26, true, 1, 0.25, false},                 // B transposed
				{576, 32, rowsMaskDepth + 1, false, 1, 0.25, false}, // deep and narrow: the tiles
				{576, width + 1, 26, false, 1, 0.25, false},
				{4320, 100, 100, false, 1, 0.5, true}, // where the lists would go
				{100, 20, 20, false, 1, 0.25, false},  // small
			} {
				g := gemmCase{m: c.m, n: c.n, k: c.k, transA: true, transB: c.transB, alpha: c.alpha}.withStrides(0, 1, 0)
				checkRouted(t, r, g, c.density, c.routed)
			}
		})
	}
}

// TestGemmRowsMaskNaN checks that the masked path still turns an Inf or NaN of B into NaN where
// A's zeros meet it: step l of op(A) is all zero and row l of B holds +Inf, -Inf and NaN in three
// columns, so those columns of C must be NaN in every row, the others finite; one depth block and
// several (the step in the third), one call wide and more. With the Go kernels on every path and
// through Gemm on AVX-512 and AVX2.
func TestGemmRowsMaskNaN(t *testing.T) {
	check := func(t *testing.T, gemm gemmFunc[float32]) {
		t.Helper()
		checkMaskNaN(t, gemm, 26, 32, 7)
		checkMaskNaN(t, gemm, 100, 200, 70)
	}
	eachISA(t, func(t *testing.T) {
		check(t, rowsDriver(goRows[float32](), true))
	})
	for _, isa := range []string{"avx512", "avx2"} {
		t.Run("Gemm/"+isa, func(t *testing.T) {
			useISA(t, isa)
			routes := gemmRowsRoutes.Load()
			check(t, Gemm[float32])
			if gemmRowsRoutes.Load() < routes+2 {
				t.Fatal("the masked path did not run")
			}
		})
	}
}

// checkMaskNaN is TestGemmRowsMaskNaN for a product of 300 rows, k steps (step zl all zero) and n
// columns, the bad values in columns 0, 17 and n-1.
func checkMaskNaN(t *testing.T, gemm gemmFunc[float32], k, n, zl int) {
	t.Helper()
	r := newInput(73)
	m := 300
	a := make([]float32, k*m) // stored transposed: k x m
	for l := range k {
		for i := range m {
			if l != zl && r.next()%4 == 0 {
				a[l*m+i] = float32(r.uniform(-1, 1))
			}
		}
	}
	b := make([]float32, k*n)
	for i := range b {
		b[i] = float32(r.uniform(-1, 1))
	}
	bad := map[int]float32{0: float32(math.Inf(1)), 17: float32(math.Inf(-1)), n - 1: float32(math.NaN())}
	for j, v := range bad {
		b[zl*n+j] = v
	}
	c := make([]float32, m*n)
	gemm(true, false, m, n, k, 1, a, m, b, n, 0, c, n)
	checkNaNColumns(t, "masked", c, m, n, bad)
}
