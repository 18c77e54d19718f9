package kernels

import (
	"fmt"
	"math"
	"runtime"
	"testing"
)

// goRows is the rows kernel made of the Go loops each assembly kernel equals, 96 columns a call
// (AVX2's width), so that the driver is tested on every path and both element types.
func goRows[T Float]() *rowsKernel[T] {
	return &rowsKernel[T]{rows: rowsRef[T], list: rowsListRef[T], pack: rowsPackRef[T], mask: rowsMaskRef[T], masked: rowsMaskedRef[T], maskCost: 1, width: 96, parallel: 1}
}

// sparseFill returns a fill function giving zero with probability 1-density, else uniform in
// [-1, 1).
func sparseFill[T Float](r *testInput, density float64) func() T {
	return func() T {
		if r.uniform(0, 1) >= density {
			return 0
		}
		return T(r.uniform(-1, 1))
	}
}

// rowsCases are shapes around the driver's blocks: widths around 96 and 128 (columns a call),
// depths around rowsDepth (64 steps a block), one row and a few.
var rowsCases = []struct{ m, n, k int }{
	{1, 1, 1}, {3, 64, 63}, {4, 97, 70}, {7, 127, 64}, {33, 128, 65}, {5, 129, 200}, {17, 300, 128}, {2, 257, 129},
}

// TestGemmRowsDrive checks the rows driver with the Go kernels on every path, for both element
// types, both storages of A and of B, alpha, beta (0, 1, other), padded strides and A 30% nonzero, against
// Gemm's float64 reference; and split over two goroutines.
func TestGemmRowsDrive(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		checkRowsDrive[float32](t, goRows[float32]())
		checkRowsDrive[float64](t, goRows[float64]())
	})
}

func checkRowsDrive[T Float](t *testing.T, rk *rowsKernel[T]) {
	r := newInput(53)
	drive := rowsDriver(rk, false)
	onOneAndTwoCores(func() {
		for _, s := range rowsCases {
			for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
				for _, ab := range [][2]float64{{1, 0}, {-0.5, 1}, {2, 0.75}} {
					g := gemmCase{m: s.m, n: s.n, k: s.k, transA: tr[0], transB: tr[1], alpha: ab[0], beta: ab[1]}.withStrides(int(r.next()%3), int(r.next()%3), int(r.next()%3))
					checkGemmCaseFill(t, r, g, drive, sparseFill[T](r, 0.3))
				}
			}
		}
	})
}

// rowsDriver is the rows driver on rk as a gemmFunc: on the masked path, or from lists.
func rowsDriver[T Float](rk *rowsKernel[T], masked bool) gemmFunc[T] {
	return func(transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
		gemmRowsDrive(kern[T](), rk, masked, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, gemmEpilogue[T]{})
	}
}

// onOneAndTwoCores runs f with GOMAXPROCS 1, then 2 (the driver splits over goroutines), and
// restores it.
func onOneAndTwoCores(f func()) {
	for _, threads := range []int{1, 2} {
		prev := runtime.GOMAXPROCS(threads)
		f()
		runtime.GOMAXPROCS(prev)
	}
}

// TestGemmRowsRoute checks that Gemm gives a product with a sparse A to the rows kernel where the
// table has one (AVX-512 and AVX2, float32): the Keras MLP's layers (A 19% and 49% nonzero, both storages),
// the result against the float64 reference; and that a dense A, a shallow, a narrow and a small
// product do not go there.
func TestGemmRowsRoute(t *testing.T) {
	for _, isa := range []string{"avx512", "avx2"} {
		t.Run(isa, func(t *testing.T) { checkRowsRoute(t, isa) })
	}
}

func checkRowsRoute(t *testing.T, isa string) {
	useISA(t, isa)
	r := newInput(59)
	for _, c := range []struct {
		m, n, k        int
		transA, transB bool
		density        float64
		routed         bool
	}{
		{128, 512, 784, false, false, 0.19, true},
		{784, 512, 128, true, false, 0.19, true},
		{128, 512, 512, false, false, 0.49, true},
		{512, 512, 128, true, false, 0.49, true},
		{100, 200, 300, false, false, 0.3, true},
		{600, 64, 2000, false, false, 0.2, true}, // two bands of rows (rowsBand)
		{600, 64, 2000, true, false, 0.2, true},
		{128, 512, 512, false, false, 1, false},   // dense
		{128, 512, 512, false, false, 0.8, false}, // too dense to gain
		{128, 512, 512, false, true, 0.2, true},   // B transposed
		{100, 4320, 100, false, true, 0.45, true},
		{128, 512, 512, false, true, 0.7, false},                      // B transposed: too dense to gain
		{512, 512, rowsMinDepth - 1, false, false, 0.2, false},        // shallow
		{512, rowsMinCols - 1, 512, false, false, 0.2, false},         // narrow
		{64, 64, rowsMinWork / 64 / 64 / 2, false, false, 0.2, false}, // small
	} {
		g := gemmCase{m: c.m, n: c.n, k: c.k, transA: c.transA, transB: c.transB, alpha: 1, beta: 0}.withStrides(0, 0, 0)
		checkRouted(t, r, g, c.density, c.routed)
	}
}

// checkRouted runs Gemm on g with A as dense as density says against the float64 reference, and
// checks that the rows kernels computed it exactly when routed is set.
func checkRouted(t *testing.T, r *testInput, g gemmCase, density float64, routed bool) {
	t.Helper()
	routes := gemmRowsRoutes.Load()
	checkGemmCaseFill(t, r, g, Gemm[float32], sparseFill[float32](r, density))
	if got := gemmRowsRoutes.Load() > routes; got != routed {
		t.Errorf("%v, A %.0f%% nonzero: routed to the rows kernels %v, want %v", g, 100*density, got, routed)
	}
}

// TestGemmRowsNaN checks that a zero of A passed over by the rows kernel still turns an Inf or
// NaN of B into NaN, as multiplying out gives: column l of op(A) is all zero, row l of op(B) holds
// +Inf, -Inf and NaN in three columns, so those columns of C must be NaN in every row, and the
// others finite; B stored either way. With the Go kernels on every path, and through Gemm on
// AVX-512 and AVX2.
func TestGemmRowsNaN(t *testing.T) {
	check := func(t *testing.T, gemm gemmFunc[float32]) {
		r := newInput(61)
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}} {
			transA, transB := tr[0], tr[1]
			m, n, k, zl := 40, 300, 150, 70
			a := make([]float32, m*k)
			b := make([]float32, k*n)
			for i := range m {
				for l := range k {
					if l != zl && r.next()%4 == 0 {
						if transA {
							a[l*m+i] = float32(r.uniform(-1, 1))
						} else {
							a[i*k+l] = float32(r.uniform(-1, 1))
						}
					}
				}
			}
			for i := range b {
				b[i] = float32(r.uniform(-1, 1))
			}
			bad := map[int]float32{5: float32(math.Inf(1)), 130: float32(math.Inf(-1)), 299: float32(math.NaN())}
			for j, v := range bad {
				if transB {
					b[j*k+zl] = v // B stored n x k
				} else {
					b[zl*n+j] = v
				}
			}
			ldb := n
			if transB {
				ldb = k
			}
			lda := k
			if transA {
				lda = m
			}
			c := make([]float32, m*n)
			gemm(transA, transB, m, n, k, 1, a, lda, b, ldb, 0, c, n)
			checkNaNColumns(t, fmt.Sprintf("transA %v, transB %v", transA, transB), c, m, n, bad)
		}
	}
	eachISA(t, func(t *testing.T) {
		check(t, rowsDriver(goRows[float32](), false))
	})
	for _, isa := range []string{"avx512", "avx2"} {
		t.Run("Gemm/"+isa, func(t *testing.T) {
			useISA(t, isa)
			routes := gemmRowsRoutes.Load()
			check(t, Gemm[float32])
			if gemmRowsRoutes.Load() == routes {
				t.Fatal("the rows kernel did not run")
			}
		})
	}
}

// TestLinearRows checks Linear (bias and activation applied after the last depth block of each
// 128 or 96 columns) on products the rows kernel computes, a sparse x, on AVX-512 and AVX2, and
// LinearPre against Linear there.
func TestLinearRows(t *testing.T) {
	for _, isa := range []string{"avx512", "avx2"} {
		t.Run(isa, func(t *testing.T) { checkLinearRows(t, isa) })
	}
}

func checkLinearRows(t *testing.T, isa string) {
	useISA(t, isa)
	r := newInput(67)
	for _, act := range []Activation{ActNone, ActReLU, ActGELU} {
		for _, s := range [][3]int{{128, 512, 784}, {100, 200, 300}} {
			routes := gemmRowsRoutes.Load()
			checkLinearFill(t, r, s[0], s[1], s[2], act, true, Linear[float32], sparseFill[float32](r, 0.2))
			if gemmRowsRoutes.Load() == routes {
				t.Fatalf("%v, act %v: the rows kernel did not run", s, act)
			}
			// LinearPre (nn's training forward) keeps the pre-activation in z: the same bits as
			// Linear without and with the activation.
			m, n, k := s[0], s[1], s[2]
			x, w, bias := make([]float32, m*k), make([]float32, k*n), make([]float32, n)
			fill := sparseFill[float32](r, 0.2)
			for i := range x {
				x[i] = fill()
			}
			for _, v := range [][]float32{w, bias} {
				for i := range v {
					v[i] = float32(r.uniform(-1, 1))
				}
			}
			y, z, wantY, wantZ := make([]float32, m*n), make([]float32, m*n), make([]float32, m*n), make([]float32, m*n)
			routes = gemmRowsRoutes.Load()
			LinearPre(y, z, x, w, bias, m, n, k, act)
			Linear(wantY, x, w, bias, m, n, k, act)
			Linear(wantZ, x, w, bias, m, n, k, ActNone)
			if gemmRowsRoutes.Load()-routes != 3 {
				t.Fatalf("%v, act %v: not every product went to the rows kernel", s, act)
			}
			if !sameBits(y, wantY) || !sameBits(z, wantZ) {
				t.Fatalf("%v, act %v: LinearPre differs from Linear", s, act)
			}
		}
	}
}

// TestRowsWinsDepth checks that products deeper than rowsBand steps keep the packed path (a band
// of one row would list more than rowsBand elements), and that the same A one step shallower is
// taken.
func TestRowsWinsDepth(t *testing.T) {
	r := newInput(71)
	k := rowsBand + 1
	a := make([]float32, 2*k)
	fill := sparseFill[float32](r, 0.2)
	for i := range a {
		a[i] = fill()
	}
	if rowsWins(false, false, 2, 64, k, a, k) {
		t.Errorf("k = %d: routed to the rows kernel", k)
	}
	if !rowsWins(false, false, 2, 64, k-1, a, k) {
		t.Errorf("k = %d: not routed to the rows kernel", k-1)
	}
}

// checkNaNColumns checks that the m x n c is NaN in exactly the columns bad names, in every row,
// and finite elsewhere.
func checkNaNColumns(t *testing.T, what string, c []float32, m, n int, bad map[int]float32) {
	t.Helper()
	for i := range m {
		for j := range n {
			v := c[i*n+j]
			if _, isBad := bad[j]; isBad != (v != v) || math.IsInf(float64(v), 0) {
				t.Fatalf("%s: C[%d][%d] = %v; want NaN exactly in the columns of %v", what, i, j, v, bad)
			}
		}
	}
}
