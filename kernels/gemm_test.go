package kernels

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
)

// gemmFunc is Gemm's signature for one element type.
type gemmFunc[T Float] func(transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)

// gemmCase is one Gemm call: shape, transposes, strides (each at least the stored row length)
// and scalars.
type gemmCase struct {
	transA, transB bool
	m, n, k        int
	lda, ldb, ldc  int
	alpha, beta    float64
}

func (g gemmCase) String() string {
	return fmt.Sprintf("transA=%v transB=%v m=%d n=%d k=%d lda=%d ldb=%d ldc=%d alpha=%v beta=%v",
		g.transA, g.transB, g.m, g.n, g.k, g.lda, g.ldb, g.ldc, g.alpha, g.beta)
}

// storage returns the stored rows and columns of A and B.
func (g gemmCase) storage() (aRows, aCols, bRows, bCols int) {
	aRows, aCols, bRows, bCols = g.m, g.k, g.k, g.n
	if g.transA {
		aRows, aCols = aCols, aRows
	}
	if g.transB {
		bRows, bCols = bCols, bRows
	}
	return
}

// withStrides sets the strides to the stored row lengths plus the given paddings.
func (g gemmCase) withStrides(pa, pb, pc int) gemmCase {
	_, aCols, _, bCols := g.storage()
	g.lda, g.ldb, g.ldc = max(1, aCols)+pa, max(1, bCols)+pb, max(1, g.n)+pc
	return g
}

// gemmMatrix returns a rows x cols matrix with row stride ld filled by fill, as a slice that
// ends right after its last element; the stride padding holds guard values (a NaN), which a
// kernel must neither read (it would reach C) nor write.
func gemmMatrix[T Float](rows, cols, ld int, fill func() T) []T {
	n := 0
	if rows > 0 && cols > 0 {
		n = (rows-1)*ld + cols
	}
	s := make([]T, n)
	for i := range s {
		if i%ld < cols {
			s[i] = fill()
		} else {
			s[i] = guardValue[T]()
		}
	}
	return s
}

// checkGemmCase runs g through gemm and compares C with a float64 reference. The tolerance per
// element is 2*(k+4)*u*(|alpha|*sum_l |op(A)[i][l]*op(B)[l][j]| + |beta*C[i][j]|), u the unit
// roundoff of T: the standard bound gamma_k*sum|x_l*y_l| of a k-term dot product in floating
// point (any order of the additions, with or without fused multiply-adds), plus one rounding
// each for alpha (applied while packing A), beta*C and the final addition (the +4), doubled for
// slack. The reference is exact products summed in float64, which for float32 is far inside
// this bound and for float64 is itself within it, hence the factor 2. It also checks that the
// guard elements around and inside C (stride padding) are untouched and that A and B are not
// modified.
func checkGemmCase[T Float](t *testing.T, r *testInput, g gemmCase, gemm gemmFunc[T]) {
	t.Helper()
	checkGemmCaseFill(t, r, g, gemm, nil)
}

// checkGemmCaseFill is checkGemmCase with the elements of A from aFill (nil: uniform in [-1, 1)).
func checkGemmCaseFill[T Float](t *testing.T, r *testInput, g gemmCase, gemm gemmFunc[T], aFill func() T) {
	t.Helper()
	aRows, aCols, bRows, bCols := g.storage()
	rnd := func() T { return T(r.uniform(-1, 1)) }
	if aFill == nil {
		aFill = rnd
	}
	a := gemmMatrix(aRows, aCols, g.lda, aFill)
	b := gemmMatrix(bRows, bCols, g.ldb, rnd)
	a0, b0 := append([]T(nil), a...), append([]T(nil), b...)
	cFill := rnd
	if g.beta == 0 {
		// C must not be read: NaN and Inf there must not reach the result.
		vals := []T{T(math.NaN()), T(math.Inf(1)), T(math.Inf(-1))}
		i := 0
		cFill = func() T { i++; return vals[i%3] }
	}
	cLen := 0
	if g.m > 0 && g.n > 0 {
		cLen = (g.m-1)*g.ldc + g.n
	}
	c, checkGuards := guarded[T](cLen, int(r.next()%uint64(maxAlign[T]())))
	for i := range c {
		if i%g.ldc < g.n {
			c[i] = cFill()
		}
	}
	c0 := append([]T(nil), c...)

	gemm(g.transA, g.transB, g.m, g.n, g.k, T(g.alpha), a, g.lda, b, g.ldb, T(g.beta), c, g.ldc)

	checkGuards(t)
	if !sameBits(a, a0) || !sameBits(b, b0) {
		t.Fatalf("%v: A or B was modified", g)
	}
	opA := func(i, l int) float64 {
		if g.transA {
			return float64(a[l*g.lda+i])
		}
		return float64(a[i*g.lda+l])
	}
	opB := func(l, j int) float64 {
		if g.transB {
			return float64(b[j*g.ldb+l])
		}
		return float64(b[l*g.ldb+j])
	}
	u := 0x1p-53
	if is32[T]() {
		u = 0x1p-24
	}
	for idx, v := range c {
		i, j := idx/g.ldc, idx%g.ldc
		if j >= g.n {
			if !isGuard(v) {
				t.Fatalf("%v: stride padding c[%d] (row %d, column %d) overwritten with %v", g, idx, i, j, v)
			}
			continue
		}
		var s, abs float64
		if g.alpha != 0 {
			for l := range g.k {
				p := opA(i, l) * opB(l, j)
				s += p
				abs += math.Abs(p)
			}
		}
		want, tol := g.alpha*s, math.Abs(g.alpha)*abs
		if g.beta != 0 {
			bc := g.beta * float64(c0[idx])
			want += bc
			tol += math.Abs(bc)
		}
		tol *= 2 * float64(g.k+4) * u
		if d := math.Abs(float64(v) - want); !(d <= tol) {
			t.Fatalf("%v: C[%d][%d] = %v, want %v (difference %g, tolerance %g)", g, i, j, v, want, d, tol)
		}
	}
}

func sameBits[T Float](x, y []T) bool {
	for i := range x {
		if x[i] != y[i] && !(x[i] != x[i] && y[i] != y[i]) {
			return false
		}
	}
	return len(x) == len(y)
}

// gemmDims are the sizes the tests draw from: 0, 1, primes, and values around the tiles of
// every ISA (4, 6, 8, 12, 14, 16, 32).
var gemmDims = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 14, 15, 16, 17, 23, 29, 31, 32, 33, 37, 47, 61, 64, 65, 97}

// randomGemmCase draws a case with dimensions from dims, random transposes and paddings, and
// alpha, beta from {0, 1, other}.
func randomGemmCase(r *testInput, dims []int) gemmCase {
	pick := func(vs ...float64) float64 { return vs[r.next()%uint64(len(vs))] }
	d := func() int { return dims[r.next()%uint64(len(dims))] }
	g := gemmCase{transA: r.next()%2 == 0, transB: r.next()%2 == 0, m: d(), n: d(), k: d(),
		alpha: pick(0, 1, 1, -0.75, 2.5), beta: pick(0, 0, 1, -1.5, 0.5)}
	pad := func() int { return int(pick(0, 0, 1, 3, 17)) }
	return g.withStrides(pad(), pad(), pad())
}

// TestGemmDifferential compares Gemm with the float64 reference on every ISA path, for random
// shapes from gemmDims, both transposes, paddings and alpha, beta in {0, 1, other}.
func TestGemmDifferential(t *testing.T) {
	cases := 1500
	if testing.Short() {
		cases = 300
	}
	eachISA(t, func(t *testing.T) {
		r := newInput(7)
		for range cases {
			g := randomGemmCase(r, gemmDims)
			checkGemmCase(t, r, g, Gemm[float32])
			checkGemmCase(t, r, g, Gemm[float64])
		}
	})
}

// TestGemmParallel runs products above the parallel threshold with GOMAXPROCS forced to 2 and
// 5, splitting rows and columns, on every ISA path.
func TestGemmParallel(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(10)
		for _, procs := range []int{2, 5} {
			old := runtime.GOMAXPROCS(procs)
			for _, g := range []gemmCase{
				{m: 131, n: 263, k: 240, alpha: 1},                           // wide: columns split
				{m: 301, n: 97, k: 280, transA: true, alpha: -0.75, beta: 1}, // tall: rows split
				{m: 210, n: 210, k: 190, transB: true, alpha: 2.5, beta: 0.5},
				{m: 3, n: 2000, k: 1400, alpha: 1}, // too few rows for a row split
			} {
				if g.m*g.n*g.k < kern[float32]().gemm.parallel {
					t.Fatalf("%v is below the parallel threshold %d", g, kern[float32]().gemm.parallel)
				}
				before := gemmSplits.Load()
				checkGemmCase(t, r, g.withStrides(1, 2, 3), Gemm[float32])
				checkGemmCase(t, r, g.withStrides(0, 1, 0), Gemm[float64])
				if got := gemmSplits.Load() - before; got != 2 {
					t.Fatalf("GOMAXPROCS %d, %v: %d of 2 products were split over goroutines", procs, g, got)
				}
			}
			runtime.GOMAXPROCS(old)
		}
	})
}

// TestGemmSpecialValues checks the BLAS conventions on every path, at sizes with full and edge
// tiles: beta == 0 ignores NaN and Inf in C (checkGemmCase fills C with them), alpha == 0 and
// k == 0 leave beta*C without reading A and B, and a NaN in A (or B) makes its row (column) of
// C NaN, whatever zeros it meets.
func TestGemmSpecialValues(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(11)
		for _, size := range []int{1, 5, 40} {
			for _, beta := range []float64{0, 1, -2} {
				g := gemmCase{m: size, n: size + 3, k: size + 1, alpha: 1, beta: beta}.withStrides(1, 0, 2)
				checkGemmCase(t, r, g, Gemm[float32])
				g.k = 0
				checkGemmCase(t, r, g, Gemm[float64])
			}
			checkNaNPropagation[float32](t, size)
			checkNaNPropagation[float64](t, size)
		}
	})
}

func checkNaNPropagation[T Float](t *testing.T, size int) {
	m, n, k := size+2, size+5, size
	nan := T(math.NaN())
	for _, trans := range []bool{false, true} {
		// A is zero but for one NaN at (i, l); B is zero: row i of C must be NaN, the rest 0.
		a, b, c := make([]T, m*k), make([]T, k*n), make([]T, m*n)
		i, l := m/2, k-1
		if trans {
			a[l*m+i] = nan
		} else {
			a[i*k+l] = nan
		}
		lda := k
		if trans {
			lda = m
		}
		Gemm(trans, false, m, n, k, 1, a, lda, b, n, 0, c, n)
		for idx, v := range c {
			if isNaN := v != v; isNaN != (idx/n == i) {
				t.Fatalf("size %d transA=%v: NaN at A(%d,%d): C[%d][%d] = %v", size, trans, i, l, idx/n, idx%n, v)
			}
		}
		// The same for a NaN at (l, j) of op(B): column j of C.
		a, b = make([]T, m*k), make([]T, k*n)
		j := n - 1
		ldb := n
		if trans {
			b[j*k+l] = nan
			ldb = k
		} else {
			b[l*n+j] = nan
		}
		Gemm(false, trans, m, n, k, 1, a, k, b, ldb, 0, c, n)
		for idx, v := range c {
			if isNaN := v != v; isNaN != (idx%n == j) {
				t.Fatalf("size %d transB=%v: NaN at B(%d,%d): C[%d][%d] = %v", size, trans, l, j, idx/n, idx%n, v)
			}
		}
	}
}

// TestGemmPanics checks that misuse panics with a message naming the argument.
func TestGemmPanics(t *testing.T) {
	a, b, c := make([]float32, 12), make([]float32, 12), make([]float32, 12)
	for _, tc := range []struct {
		want string
		call func()
	}{
		{"negative dimension", func() { Gemm(false, false, -1, 2, 2, 1, a, 2, b, 2, 0, c, 2) }},
		{"lda = 1", func() { Gemm(false, false, 2, 2, 2, 1, a, 1, b, 2, 0, c, 2) }},
		{"ldb = 2", func() { Gemm(false, true, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2) }},
		{"ldc = 0", func() { Gemm(false, false, 2, 2, 2, 1, a, 2, b, 2, 0, c, 0) }},
		{"len(a) = 12", func() { Gemm(true, false, 3, 2, 5, 1, a, 3, b, 2, 0, c, 2) }},
		{"len(b) = 12", func() { Gemm(false, false, 2, 5, 3, 1, a, 3, b, 5, 0, c, 5) }},
		{"len(c) = 12", func() { Gemm(false, false, 5, 3, 2, 1, a, 2, b, 3, 0, c, 3) }},
		{"need len(a) = 15", func() { MatMul(c, a, b, 3, 2, 5) }},
	} {
		msg := func() (msg string) {
			defer func() { msg = fmt.Sprint(recover()) }()
			tc.call()
			return "no panic"
		}()
		if !strings.Contains(msg, tc.want) || !strings.Contains(msg, "kernels.") {
			t.Errorf("panic %q, want one naming %q", msg, tc.want)
		}
	}
}

// TestMatMul checks MatMul against the reference on every path.
func TestMatMul(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(12)
		for _, s := range [][3]int{{0, 3, 4}, {3, 0, 4}, {1, 1, 1}, {100, 50, 10}, {37, 64, 33}} {
			m, k, n := s[0], s[1], s[2]
			checkGemmCase(t, r, gemmCase{m: m, n: n, k: k, alpha: 1}.withStrides(0, 0, 0),
				func(_, _ bool, m, n, k int, _ float32, a []float32, _ int, b []float32, _ int, _ float32, c []float32, _ int) {
					MatMul(c, a, b, m, n, k)
				})
		}
	})
}
