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
	aRows, aCols, bRows, bCols := g.storage()
	rnd := func() T { return T(r.uniform(-1, 1)) }
	a := gemmMatrix(aRows, aCols, g.lda, rnd)
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

// TestGemmBlockBoundaries crosses the kc, mc and nc blocks of the real blocking (the sizes
// are read from the active descriptor), on every ISA path.
func TestGemmBlockBoundaries(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(8)
		k32, k64 := kern[float32]().gemm, kern[float64]().gemm
		t.Logf("float32 %dx%d kc=%d mc=%d nc=%d; float64 %dx%d kc=%d mc=%d nc=%d",
			k32.mr, k32.nr, k32.kc, k32.mc, k32.nc, k64.mr, k64.nr, k64.kc, k64.mc, k64.nc)
		shapes := func(kc, mc, nc int) []gemmCase {
			return []gemmCase{
				{m: 7, n: 19, k: kc + 1}, {m: 17, n: 33, k: 2*kc + 3, transA: true, alpha: -0.75, beta: 0.5},
				{m: mc + 5, n: 9, k: 21, transB: true}, {m: 2*mc + 1, n: 3, k: kc + 7, transA: true, transB: true, beta: 1},
				{m: 3, n: nc + 11, k: 5}, {m: 5, n: nc + 3, k: kc + 2, transB: true, alpha: 2.5, beta: 1},
			}
		}
		for _, g := range shapes(k32.kc, k32.mc, k32.nc) {
			if g.alpha == 0 {
				g.alpha = 1
			}
			checkGemmCase(t, r, g.withStrides(1, 3, 2), Gemm[float32])
		}
		for _, g := range shapes(k64.kc, k64.mc, k64.nc) {
			if g.alpha == 0 {
				g.alpha = 1
			}
			checkGemmCase(t, r, g.withStrides(2, 0, 1), Gemm[float64])
		}
	})
}

// smallBlocks returns a copy of g's micro-kernel with tiny blocks (and parallel from the
// smallest product on), so that random shapes of a few dozen cross many blocks of each level.
func smallBlocks[T Float](g *gemmKernel[T], kc, mcTiles, ncTiles int) *gemmKernel[T] {
	s := newGemmKernel(g.name, g.mr, g.nr, g.tile, 1)
	s.gemmAids = g.gemmAids
	s.kc, s.mc, s.nc = kc, mcTiles*g.mr, ncTiles*g.nr
	return s
}

// TestGemmSmallBlocks runs the driver with tiny kc, mc and nc on random shapes, serially and
// split over goroutines.
func TestGemmSmallBlocks(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(9)
		for _, procs := range []int{1, 3} {
			old := runtime.GOMAXPROCS(procs)
			for it := range 200 {
				kc, mt, nt := 1+it%7, 1+it%3, 1+it%2
				g32, g64 := smallBlocks(kern[float32]().gemm, kc, mt, nt), smallBlocks(kern[float64]().gemm, kc, mt, nt)
				g := randomGemmCase(r, gemmDims)
				checkGemmCase(t, r, g, func(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
					checkGemm(tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
					if m > 0 && n > 0 {
						gemmDrive(g32, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
					}
				})
				checkGemmCase(t, r, g, func(tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
					checkGemm(tA, tB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
					if m > 0 && n > 0 {
						gemmDrive(g64, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
					}
				})
			}
			runtime.GOMAXPROCS(old)
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

// TestGemmInPlaceA covers the driver's reading of A where it is stored (readAInPlace): shapes
// of at most four micro-panels of columns with alpha 1, A plain and transposed, with full and
// partial micro-panels of rows, several kc blocks, and strides that spread over the L1 sets (and,
// transposed, whose depth block of rows fits in a quarter of any L2 of 256 KiB or more); it checks
// that they take that path and match the reference, on every ISA path. It also checks the cases
// that must pack: alpha other than 1, wide C, strides of a multiple of 4 KiB, and a transposed A
// whose depth block of rows spans more than a quarter of this CPU's L2 (and that such a product,
// a layer's weight gradient of 4320 x 100, matches the reference packed).
func TestGemmInPlaceA(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(12)
		g32, g64 := kern[float32]().gemm, kern[float64]().gemm
		for _, g := range []gemmCase{
			{m: 100, n: 50, k: 784}, {m: 70, n: 50, k: 100, transA: true},
			{m: 37, n: 9, k: 2*g32.kc + 5, beta: 1}, {m: 68, n: 33, k: 29, transA: true, beta: -1.5},
			{m: 2*g32.mc + 9, n: 17, k: 13, transA: true, transB: true},
		} {
			g.alpha = 1
			g = g.withStrides(1, 2, 3)
			_, aCols, _, _ := g.storage()
			if g.n <= 4*g32.nr && !readAInPlace(g32.mr, g32.nr, float32(1), g.transA, aCols+1, balance(g.k, g32.kc, 8), g.n, 4) {
				t.Fatalf("%v: float32 A is packed, want it read in place", g)
			}
			checkGemmCase(t, r, g, Gemm[float32])
			if g.n <= 4*g64.nr && !readAInPlace(g64.mr, g64.nr, float64(1), g.transA, aCols+1, balance(g.k, g64.kc, 8), g.n, 8) {
				t.Fatalf("%v: float64 A is packed, want it read in place", g)
			}
			checkGemmCase(t, r, g, Gemm[float64])
		}
		wide := gemmL2/4096*2 + 1 // lda for which 256 rows of float32 span more than L2/4
		for _, c := range []struct {
			alpha       float32
			transA      bool
			lda, kc, nc int
		}{{2, false, 785, 64, 8}, {1, false, 785, 64, 4*g32.nr + 1}, {1, false, 1024, 64, 8}, {1, false, 2048, 64, 8},
			{1, true, wide, 256, 8}} {
			if readAInPlace(g32.mr, g32.nr, c.alpha, c.transA, c.lda, c.kc, c.nc, 4) {
				t.Fatalf("alpha %v, transposed %v, lda %d, kc %d, %d columns: A read in place, want it packed", c.alpha, c.transA, c.lda, c.kc, c.nc)
			}
		}
		g := gemmCase{m: 4320, n: 100, k: 100, transA: true, alpha: 1}.withStrides(1, 2, 3)
		if readAInPlace(g32.mr, g32.nr, float32(1), true, g.lda, balance(g.k, g32.kc, 8), g.n, 4) && gemmL2 < 4*g.lda*104*4 {
			t.Fatalf("%v: A read in place, want it packed", g)
		}
		checkGemmCase(t, r, g, Gemm[float32])
	})
}

// TestGemmInPlaceB: a B that already lies as one packed micro-panel (not transposed, ldb = nr,
// n <= nr) is read where it lies, with the same result as packed; columns past n, which the
// micro-kernel then reads, hold NaN and must not reach C.
func TestGemmInPlaceB(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(13)
		testGemmInPlaceB(t, r, kern[float32]().gemm)
		testGemmInPlaceB(t, r, kern[float64]().gemm)
	})
}

func testGemmInPlaceB[T Float](t *testing.T, r *testInput, g *gemmKernel[T]) {
	nr := g.nr
	for _, c := range []gemmCase{
		{m: 26, n: nr, k: 576}, {m: 7, n: nr, k: 2*g.kc + 3, transA: true, beta: 1},
		{m: 2*g.mc + 3, n: nr - 1, k: 33, alpha: -2, beta: 0.5}, {m: 1 + g.mr, n: 1, k: g.kc + 1},
	} {
		if c.alpha == 0 {
			c.alpha = 1
		}
		c = c.withStrides(1, 0, 2)
		c.ldb = nr
		if !readBInPlace(nr, false, c.n, c.k, nr, c.k*nr) || readBInPlace(nr, true, c.n, c.k, nr, c.k*nr) ||
			readBInPlace(nr, false, c.n, c.k, nr, c.k*nr-1) || readBInPlace(nr, false, nr+1, c.k, nr, c.k*nr) {
			t.Fatalf("%v: readBInPlace does not take exactly the whole untransposed single panels", c)
		}
		aRows, aCols, _, _ := c.storage()
		a := gemmMatrix(aRows, aCols, c.lda, func() T { return T(r.uniform(-1, 1)) })
		b := make([]T, c.k*nr)           // a whole last row: read in place
		packed := make([]T, c.k*(c.n+1)) // a stride other than nr: packed
		for i := range b {
			if i%nr < c.n {
				b[i] = T(r.uniform(-1, 1))
				packed[i/nr*(c.n+1)+i%nr] = b[i]
			} else {
				b[i] = T(math.NaN())
			}
		}
		c0 := gemmMatrix(c.m, c.n, c.ldc, func() T { return T(r.uniform(-1, 1)) })
		want, got := append([]T(nil), c0...), append([]T(nil), c0...)
		Gemm(c.transA, false, c.m, c.n, c.k, T(c.alpha), a, c.lda, packed, c.n+1, T(c.beta), want, c.ldc)
		Gemm(c.transA, false, c.m, c.n, c.k, T(c.alpha), a, c.lda, b, nr, T(c.beta), got, c.ldc)
		if !sameBits(want, got) {
			t.Fatalf("%v: B read in place gives another C than B packed", c)
		}
	}
}

// TestGemmStreamB checks gemmSerial's streamed B (one block of rows, B packed a chunk of micro-panels
// at a time, here two) against the float64 reference and bit for bit against the whole-block
// packing, on every ISA path: chunks whole and partial, both transposes, A in place (alpha 1, at
// most four micro-panels of columns) and packed, beta 0 and not, and Linear's epilogue.
func TestGemmStreamB(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		old := runtime.GOMAXPROCS(1)
		defer runtime.GOMAXPROCS(old)
		testGemmStreamB(t, kern[float32]())
		testGemmStreamB(t, kern[float64]())
	})
}

func testGemmStreamB[T Float](t *testing.T, o *ops[T]) {
	base := o.gemm
	variant := func(bytes int) *gemmKernel[T] {
		v := newGemmKernel(base.name, base.mr, base.nr, base.tile, base.parallel)
		v.gemmAids = base.gemmAids
		v.streamBytes, v.streamRowsBytes = bytes, bytes
		return v
	}
	streamed, whole := variant(1), variant(0)
	// run returns a gemmFunc that multiplies on kernel g and keeps a copy of C in out.
	run := func(g *gemmKernel[T], out *[]T) gemmFunc[T] {
		return func(tA, tB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
			gemmDrive(g, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
			*out = append([]T(nil), c...)
		}
	}
	linear := func(g *gemmKernel[T], out *[]T) linearFunc[T] {
		return func(y, x, w, bias []T, m, n, k int, act Activation) {
			epi := gemmEpilogue[T]{bias: bias, act: o.activation("Linear", act), axpy: o.axpy}
			gemmDriveEpi(g, false, false, m, n, k, 1, x, k, w, n, 0, y, n, epi)
			*out = append([]T(nil), y...)
		}
	}
	before, cases := gemmStreams.Load(), int64(0)
	seed := uint64(40)
	for _, m := range []int{2, base.mr + 3, 3 * base.mr} {
		for _, n := range []int{2*base.nr + 5, 5*base.nr + 7} {
			for _, k := range []int{9, 70, base.kc + 9} {
				for tr := range 4 {
					seed++
					g := gemmCase{transA: tr&1 != 0, transB: tr&2 != 0, m: m, n: n, k: k, alpha: 1}
					if seed%3 == 0 {
						g.alpha, g.beta = 2.5, 0.5
					}
					g = g.withStrides(int(seed%3), int(seed%5), int(seed%2))
					var got, want []T
					checkGemmCase(t, newInput(seed), g, run(streamed, &got))
					checkGemmCase(t, newInput(seed), g, run(whole, &want))
					if !sameBits(got, want) {
						t.Fatalf("%s %v: streamed B gives other bits than B packed whole", base.name, g)
					}
					cases++
				}
				act := allActivations[int(seed)%len(allActivations)]
				var got, want []T
				checkLinear(t, newInput(seed), m, n, k, act, true, linear(streamed, &got))
				checkLinear(t, newInput(seed), m, n, k, act, true, linear(whole, &want))
				if !sameBits(got, want) {
					t.Fatalf("%s m, n, k = %d, %d, %d, %v: Linear with streamed B gives other bits than B packed whole", base.name, m, n, k, act)
				}
				cases++
			}
		}
	}
	if got := gemmStreams.Load() - before; got < cases {
		t.Errorf("%s: B was streamed in %d row blocks, want at least one in each of the %d products", base.name, got, cases)
	}
}

// TestPackCols checks packCols, with the transposing packers of each ISA path's float32 and float64
// kernels, against its definition: lane i < cnt of step l is src[off+i*ld+l], the lanes cnt..w-1
// are 0 (the panel starts full of NaN), for panel widths 8 to 64, every count of rows up to the
// width (whole groups of 16 and 8, partial ones padded with zero rows), depths around multiples of
// 8 and past packT8Rows' chunks of 256, and padded strides, the source ending at an unmapped page.
func TestPackCols(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		testPackCols(t, kern[float32]().gemm)
		testPackCols(t, kern[float64]().gemm)
	})
}

func testPackCols[T Float](t *testing.T, g *gemmKernel[T]) {
	r := newInput(51)
	for _, w := range []int{8, 16, 32, 64} {
		for cnt := 1; cnt <= w; cnt++ {
			for _, kcb := range []int{1, 7, 8, 9, 100, 263, 520} {
				if w > 16 && cnt%3 != 0 && kcb > 100 {
					continue // keep the long depths to a third of the counts
				}
				ld := kcb + int(r.next()%3)
				off := int(r.next() % 5)
				n := off + (cnt-1)*ld + kcb
				src := pageEnd[T](t, n)
				if src == nil {
					src = make([]T, n)
				}
				for i := range src {
					src[i] = T(r.uniform(-1, 1))
				}
				panel := make([]T, kcb*w)
				for i := range panel {
					panel[i] = T(math.NaN())
				}
				packCols(g, panel, w, cnt, kcb, src, ld, off)
				for l := range kcb {
					for i := range w {
						var want T
						if i < cnt {
							want = src[off+i*ld+l]
						}
						if got := panel[l*w+i]; got != want {
							t.Fatalf("%s w=%d cnt=%d kcb=%d ld=%d off=%d: step %d, lane %d = %v, want %v", g.name, w, cnt, kcb, ld, off, l, i, got, want)
						}
					}
				}
			}
		}
	}
}
