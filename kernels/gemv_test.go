package kernels

import (
	"math"
	"runtime"
	"testing"
)

// gemvDims are the sizes of the GEMV tests: 0, 1, primes, and values around the vector widths
// and unrolled blocks of every path (4, 8, 16, 32, 64 and 128 elements, blocks of 4 and 8 rows).
var gemvDims = []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 13, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 97, 127, 128, 129, 200, 263}

// randomGemvCase draws a Gemm case with m = 1 or n = 1 (or both), the other dimensions from
// gemvDims, random transposes, paddings and alpha, beta from {0, 1, other}.
func randomGemvCase(r *testInput) gemmCase {
	g := randomGemmCase(r, gemvDims)
	switch r.next() % 5 {
	case 0, 1:
		g.m = 1
	case 2, 3:
		g.n = 1
	default:
		g.m, g.n = 1, 1
	}
	pick := func(vs ...int) int { return vs[r.next()%uint64(len(vs))] }
	return g.withStrides(pick(0, 0, 1, 3, 17), pick(0, 0, 1, 3, 17), pick(0, 0, 1, 3, 17))
}

// TestGemvDifferential runs Gemm with m = 1 or n = 1, which takes the GEMV path, against the
// float64 reference of checkGemmCase (the same tolerance and guards as the packed path: strides,
// transposes, beta = 0 with NaN and Inf in C, alpha = 0, k = 0), on every ISA path, and checks
// that those products did not pack.
func TestGemvDifferential(t *testing.T) {
	cases := 2000
	if testing.Short() {
		cases = 500
	}
	eachISA(t, func(t *testing.T) {
		r := newInput(31)
		for range cases {
			g := randomGemvCase(r)
			checkGemmCase(t, r, g, Gemm[float32])
			checkGemmCase(t, r, g, Gemm[float64])
		}
	})
}

// TestGemvLong crosses the lengths where the kernels' unrolled loops and row blocks end, with
// long vectors (k and n up to 1100, in both roles) and strides that are multiples of 4 KiB.
func TestGemvLong(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(32)
		for _, s := range [][2]int{{1100, 7}, {5, 1029}, {513, 515}, {1024, 1024}, {257, 1}, {1, 1031}} {
			for _, trans := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
				for _, g := range []gemmCase{
					{m: 1, n: s[0], k: s[1], alpha: 1},
					{m: s[0], n: 1, k: s[1], alpha: -0.75, beta: 0.5},
				} {
					g.transA, g.transB = trans[0], trans[1]
					checkGemmCase(t, r, g.withStrides(0, 0, 0), Gemm[float32])
					checkGemmCase(t, r, g.withStrides(1, 3, 2), Gemm[float64])
				}
			}
		}
		// Rows 4 KiB apart.
		g := gemmCase{m: 1, n: 100, k: 37, alpha: 1}
		g.lda, g.ldb, g.ldc = 37, 1024, 100
		checkGemmCase(t, r, g, Gemm[float32])
		g = gemmCase{m: 100, n: 1, k: 37, alpha: 1}
		g.lda, g.ldb, g.ldc = 512, 1, 512
		checkGemmCase(t, r, g, Gemm[float64])
	})
}

// TestGemvParallel runs GEMV products above gemvParallelMin with GOMAXPROCS 2 and 3, split over
// goroutines by rows (gemvN) and by columns (gemvT), on every ISA path.
func TestGemvParallel(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(33)
		for _, procs := range []int{2, 3} {
			old := runtime.GOMAXPROCS(procs)
			for _, g := range []gemmCase{
				{m: 1, n: 700, k: 401, alpha: 1},                             // gemvT by columns
				{m: 1, n: 517, k: 600, transB: true, alpha: 2.5, beta: 1},    // gemvN by rows
				{m: 650, n: 1, k: 450, alpha: -0.75, beta: 0.5},              // gemvN by rows
				{m: 411, n: 1, k: 700, transA: true, transB: true, alpha: 1}, // gemvT by columns
			} {
				if g.m*g.n*g.k < gemvParallelMin {
					t.Fatalf("%v is below the parallel threshold %d", g, gemvParallelMin)
				}
				before := gemvSplits.Load()
				checkGemmCase(t, r, g.withStrides(1, 2, 3), Gemm[float32])
				checkGemmCase(t, r, g.withStrides(0, 1, 0), Gemm[float64])
				if got := gemvSplits.Load() - before; got != 2 {
					t.Fatalf("GOMAXPROCS %d, %v: %d of 2 products were split over goroutines", procs, g, got)
				}
			}
			runtime.GOMAXPROCS(old)
		}
	})
}

// TestGemvSpecialValues: a NaN in the matrix or the vector reaches exactly the elements of C it
// is part of, whatever zeros it meets, on every path, through all four kernel uses.
func TestGemvSpecialValues(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		for _, size := range []int{1, 5, 40, 131} {
			checkGemvNaN[float32](t, size)
			checkGemvNaN[float64](t, size)
		}
	})
}

func checkGemvNaN[T Float](t *testing.T, size int) {
	nan := T(math.NaN())
	k, n := size+3, size+18
	for _, transB := range []bool{false, true} {
		// m = 1: a NaN at (l, j) of op(B) makes C[0][j] NaN; one in x makes all of C NaN.
		a, b, c := make([]T, k), make([]T, k*n), make([]T, n)
		l, j := k-1, n/2
		ldb := n
		if transB {
			b[j*k+l], ldb = nan, k
		} else {
			b[l*n+j] = nan
		}
		Gemm(false, transB, 1, n, k, 1, a, k, b, ldb, 0, c, n)
		for jj, v := range c {
			if (v != v) != (jj == j) {
				t.Fatalf("m = 1, n = %d, k = %d, transB=%v: NaN at B(%d,%d): C[0][%d] = %v", n, k, transB, l, j, jj, v)
			}
		}
		a[l] = nan
		b = make([]T, k*n)
		Gemm(false, transB, 1, n, k, 1, a, k, b, ldb, 0, c, n)
		for jj, v := range c {
			if v == v {
				t.Fatalf("m = 1, transB=%v: NaN in x at %d: C[0][%d] = %v", transB, l, jj, v)
			}
		}
	}
	m := n
	for _, transA := range []bool{false, true} {
		// n = 1: a NaN at (i, l) of op(A) makes C[i][0] NaN.
		a, b, c := make([]T, m*k), make([]T, k), make([]T, m)
		i, l := m/3, 1%k
		lda := k
		if transA {
			a[l*m+i], lda = nan, m
		} else {
			a[i*k+l] = nan
		}
		Gemm(transA, false, m, 1, k, 1, a, lda, b, 1, 0, c, 1)
		for ii, v := range c {
			if (v != v) != (ii == i) {
				t.Fatalf("n = 1, m = %d, k = %d, transA=%v: NaN at A(%d,%d): C[%d][0] = %v", m, k, transA, i, l, ii, v)
			}
		}
	}
}

// TestGemvKernels calls every table's gemvN and gemvT directly at every shape up to 70 x 70
// (every row block and vector tail of every path), with the matrix, x and y each ending right
// before an unmapped page (a read or write past them faults), and guards around y, against the
// float64 sums, within Gemm's tolerance.
func TestGemvKernels(t *testing.T) {
	limit, step := 70, 1
	if testing.Short() {
		step = 3
	}
	eachISA(t, func(t *testing.T) {
		r := newInput(34)
		for rows := 0; rows <= limit; rows += step {
			for cols := 0; cols <= limit; cols += step {
				checkGemvKernel[float32](t, r, rows, cols)
				checkGemvKernel[float64](t, r, rows, cols)
			}
		}
	})
}

// checkGemvKernel checks gemvN with len(y) = rows, len(x) = cols and gemvT with len(x) = rows,
// len(y) = cols, both on a rows x cols matrix with a stride of cols plus a random padding.
func checkGemvKernel[T Float](t *testing.T, r *testInput, rows, cols int) {
	t.Helper()
	o := kern[T]()
	lda := max(cols, 1) + int(r.next()%3)
	alen := 0
	if rows > 0 && cols > 0 {
		alen = (rows-1)*lda + cols
	}
	u := 0x1p-53
	if is32[T]() {
		u = 0x1p-24
	}
	alpha := T(1)
	if r.next()%2 == 0 {
		alpha = -1.25
	}
	for _, trans := range []bool{false, true} {
		xn, yn := cols, rows
		if trans {
			xn, yn = rows, cols
		}
		// The matrix at a page end; x at a page end in a copy of its own (pageEnd has one
		// region, so x is placed first and the matrix copied out of it).
		rnd := func(s []T) {
			for i := range s {
				s[i] = T(r.uniform(-1, 1))
			}
		}
		a := make([]T, alen)
		rnd(a)
		x := make([]T, xn)
		rnd(x)
		y, checkGuards := guarded[T](yn, int(r.next()%uint64(maxAlign[T]())))
		rnd(y)
		y0 := append([]T(nil), y...)
		for _, end := range []string{"a", "x"} {
			copy(y, y0)
			ap, xp := a, x
			if pe := pageEnd[T](t, alen); pe != nil && end == "a" {
				copy(pe, a)
				ap = pe
			}
			if pe := pageEnd[T](t, xn); pe != nil && end == "x" {
				copy(pe, x)
				xp = pe
			}
			if trans {
				o.gemvT(alpha, ap, lda, xp, y)
			} else {
				o.gemvN(alpha, ap, lda, xp, y)
			}
			checkGuards(t)
			for idx, v := range y {
				var s, abs float64
				for l := range xn {
					var av T
					if trans {
						av = a[l*lda+idx]
					} else {
						av = a[idx*lda+l]
					}
					p := float64(av) * float64(x[l])
					s += p
					abs += math.Abs(p)
				}
				want := float64(y0[idx]) + float64(alpha)*s
				tol := 2 * float64(xn+4) * u * (math.Abs(float64(alpha))*abs + math.Abs(float64(y0[idx])))
				if d := math.Abs(float64(v) - want); !(d <= tol) {
					t.Fatalf("%s trans=%v rows %d cols %d lda %d (page end after %s): y[%d] = %v, want %v (difference %g, tolerance %g)",
						ISA(), trans, rows, cols, lda, end, idx, v, want, d, tol)
				}
			}
		}
		// y itself at a page end.
		if pe := pageEnd[T](t, yn); pe != nil {
			copy(pe, y0)
			if trans {
				o.gemvT(alpha, a, lda, x, pe)
			} else {
				o.gemvN(alpha, a, lda, x, pe)
			}
		}
	}
}

// TestGemvScratchReuse runs the gathering paths (a column of A or B with a stride, a column of C
// with a stride) many times with varying sizes, so that pooled scratch of another size is reused.
func TestGemvScratchReuse(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(35)
		for it := range 200 {
			k, m := 1+it%37, 1+(it*7)%53
			checkGemmCase(t, r, gemmCase{m: 1, n: m, k: k, transA: true, alpha: 1}.withStrides(2, 0, 0), Gemm[float32])
			checkGemmCase(t, r, gemmCase{m: m, n: 1, k: k, alpha: 1, beta: 0.5}.withStrides(0, 3, 2), Gemm[float64])
		}
	})
}
