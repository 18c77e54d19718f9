package gonumblas_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// gemmFunc is the signature shared by Sgemm/Dgemm of gonum and of this package.
type gemmFunc[T float32 | float64] func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)

// transposes holds the valid blas.Transpose values and a few invalid ones.
var (
	validTrans   = []blas.Transpose{blas.NoTrans, blas.Trans, blas.ConjTrans}
	invalidTrans = []blas.Transpose{0, 'X', blas.NoTrans + 100}
)

func isTrans(t blas.Transpose) bool { return t == blas.Trans || t == blas.ConjTrans }

func eps[T float32 | float64]() float64 {
	var x T
	if _, ok := any(x).(float32); ok {
		return 0x1p-23
	}
	return 0x1p-52
}

// pick returns one of vs at random.
func pick[T any](rng *rand.Rand, vs ...T) T { return vs[rng.IntN(len(vs))] }

// scalar returns an alpha or beta: often one of the values BLAS treats specially.
func scalar[T float32 | float64](rng *rand.Rand) T {
	return pick(rng, 0, 1, -1, 0.5, T(rng.Float64()*4-2))
}

// randSlice returns n values uniform in [-1, 1).
func randSlice[T float32 | float64](rng *rand.Rand, n int) []T {
	s := make([]T, n)
	for i := range s {
		s[i] = T(rng.Float64()*2 - 1)
	}
	return s
}

// gemmCase is one valid Gemm call: shapes, transposes, strides with padding, scalars and data.
type gemmCase[T float32 | float64] struct {
	tA, tB        blas.Transpose
	m, n, k       int
	lda, ldb, ldc int
	alpha, beta   T
	a, b, c       []T
}

func (g gemmCase[T]) String() string {
	return fmt.Sprintf("tA=%c tB=%c m=%d n=%d k=%d lda=%d ldb=%d ldc=%d alpha=%v beta=%v",
		g.tA, g.tB, g.m, g.n, g.k, g.lda, g.ldb, g.ldc, g.alpha, g.beta)
}

// sentinel marks the elements of C outside the m x n result (stride padding and the tail);
// they must come back bit for bit unchanged.
const sentinel = -12345.5

// randGemmCase makes a valid case with dims up to maxDim. When beta is 0, C holds NaN (which
// BLAS must not read).
func randGemmCase[T float32 | float64](rng *rand.Rand, maxDim int) gemmCase[T] {
	dim := func() int {
		if rng.IntN(8) == 0 {
			return rng.IntN(2) // 0 or 1 now and then
		}
		return rng.IntN(maxDim + 1)
	}
	g := gemmCase[T]{
		tA: pick(rng, validTrans...), tB: pick(rng, validTrans...),
		m: dim(), n: dim(), k: dim(),
		alpha: scalar[T](rng), beta: scalar[T](rng),
	}
	return fillGemmCase(rng, g)
}

// fillGemmCase draws the strides (with padding) and the data of g for its shape, transposes and
// beta.
func fillGemmCase[T float32 | float64](rng *rand.Rand, g gemmCase[T]) gemmCase[T] {
	aRows, aCols := g.m, g.k
	if isTrans(g.tA) {
		aRows, aCols = g.k, g.m
	}
	bRows, bCols := g.k, g.n
	if isTrans(g.tB) {
		bRows, bCols = g.n, g.k
	}
	g.lda = max(1, aCols) + pick(rng, 0, 0, 1, 3)
	g.ldb = max(1, bCols) + pick(rng, 0, 0, 1, 3)
	g.ldc = max(1, g.n) + pick(rng, 0, 0, 2)
	g.a = randSlice[T](rng, aRows*g.lda)
	g.b = randSlice[T](rng, bRows*g.ldb)
	g.c = make([]T, g.m*g.ldc+pick(rng, 0, 3))
	for i := range g.c {
		g.c[i] = sentinel
	}
	for i := 0; i < g.m; i++ {
		for j := 0; j < g.n; j++ {
			if g.beta == 0 {
				g.c[i*g.ldc+j] = T(math.NaN())
			} else {
				g.c[i*g.ldc+j] = T(rng.Float64()*2 - 1)
			}
		}
	}
	return g
}

// checkGemm runs the case with got and with want (gonum's) on copies and compares: C within a
// rounding bound inside the m x n result, bit for bit outside it, A and B untouched.
func checkGemm[T float32 | float64](t *testing.T, g gemmCase[T], got, want gemmFunc[T]) {
	t.Helper()
	a, b := append([]T(nil), g.a...), append([]T(nil), g.b...)
	cGot, cWant := append([]T(nil), g.c...), append([]T(nil), g.c...)
	got(g.tA, g.tB, g.m, g.n, g.k, g.alpha, a, g.lda, b, g.ldb, g.beta, cGot, g.ldc)
	want(g.tA, g.tB, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, cWant, g.ldc)
	if !sameBits(a, g.a) || !sameBits(b, g.b) {
		t.Fatalf("%v: A or B changed", g)
	}
	// Inputs are in [-1, 1], so |alpha*op(A)*op(B)| <= |alpha|*k and |beta*C| <= |beta|; each
	// implementation is within about k ulps of that magnitude.
	tol := 2 * float64(g.k+2) * eps[T]() * (math.Abs(float64(g.alpha))*float64(g.k) + math.Abs(float64(g.beta)) + 1)
	inside := func(idx int) bool { return idx/g.ldc < g.m && idx%g.ldc < g.n }
	for idx := range cGot {
		gv, wv := float64(cGot[idx]), float64(cWant[idx])
		if !inside(idx) {
			if cGot[idx] != sentinel {
				t.Fatalf("%v: c[%d] outside the result changed to %v", g, idx, gv)
			}
			continue
		}
		if math.IsNaN(gv) || math.IsNaN(wv) || math.Abs(gv-wv) > tol {
			t.Fatalf("%v: c[%d] (row %d, col %d) = %v, gonum gives %v (tolerance %g)", g, idx, idx/g.ldc, idx%g.ldc, gv, wv, tol)
		}
	}
}

func sameBits[T float32 | float64](x, y []T) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] && !(x[i] != x[i] && y[i] != y[i]) {
			return false
		}
	}
	return true
}

func TestSgemmMatchesGonum(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		for range 3000 {
			checkGemm(t, randGemmCase[float32](rng, 20), impl.Sgemm, gonum.Implementation{}.Sgemm)
		}
		for range 30 {
			checkGemm(t, randGemmCase[float32](rng, 130), impl.Sgemm, gonum.Implementation{}.Sgemm)
		}
	})
}

func TestDgemmMatchesGonum(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		for range 3000 {
			checkGemm(t, randGemmCase[float64](rng, 20), impl.Dgemm, gonum.Implementation{}.Dgemm)
		}
		for range 30 {
			checkGemm(t, randGemmCase[float64](rng, 130), impl.Dgemm, gonum.Implementation{}.Dgemm)
		}
	})
}

// TestGemmSpecialValues checks the BLAS conventions the adapter relies on: beta == 0 ignores
// NaN in C, alpha == 0 ignores NaN in A and B, a NaN in A reaches its row of C.
func TestGemmSpecialValues(t *testing.T) {
	nan := math.NaN()
	eachISA(t, func(t *testing.T) {
		a := []float64{1, 2, 3, 4} // 2 x 2
		b := []float64{5, 6, 7, 8} // 2 x 2
		c := []float64{nan, nan, nan, nan}
		impl.Dgemm(blas.NoTrans, blas.NoTrans, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2)
		if want := []float64{19, 22, 43, 50}; !sameBits(c, want) {
			t.Errorf("beta = 0 with NaN in C: got %v, want %v", c, want)
		}

		aNaN := []float64{nan, 2, 3, 4}
		c = []float64{1, 2, 3, 4}
		impl.Dgemm(blas.NoTrans, blas.NoTrans, 2, 2, 2, 0, aNaN, 2, b, 2, 2, c, 2)
		if want := []float64{2, 4, 6, 8}; !sameBits(c, want) {
			t.Errorf("alpha = 0 with NaN in A: got %v, want %v", c, want)
		}
		c = []float64{1, 2, 3, 4}
		impl.Dgemm(blas.NoTrans, blas.NoTrans, 2, 2, 2, 0, aNaN, 2, b, 2, 0, c, 2)
		if want := []float64{0, 0, 0, 0}; !sameBits(c, want) {
			t.Errorf("alpha = 0, beta = 0: got %v, want %v", c, want)
		}

		c = []float64{1, 2, 3, 4}
		impl.Dgemm(blas.NoTrans, blas.NoTrans, 2, 2, 2, 1, aNaN, 2, b, 2, 0, c, 2)
		if !math.IsNaN(c[0]) || !math.IsNaN(c[1]) || c[2] != 43 || c[3] != 50 {
			t.Errorf("NaN in A[0][0]: got %v, want [NaN NaN 43 50]", c)
		}

		c32 := []float32{float32(nan), float32(nan)}
		impl.Sgemm(blas.Trans, blas.Trans, 1, 2, 2, 2, []float32{1, 2}, 1, []float32{3, 4, 5, 6}, 2, 0, c32, 2)
		if want := []float32{22, 34}; !sameBits(c32, want) {
			t.Errorf("Sgemm TT with beta = 0: got %v, want %v", c32, want)
		}
	})
}

// panicOf runs f and returns what it panicked with, or nil.
func panicOf(f func()) (r any) {
	defer func() { r = recover() }()
	f()
	return nil
}

// TestGemmPanicsMatchGonum calls Sgemm and Dgemm with random, often invalid, arguments and
// requires the same panic message as gonum's (or no panic in both, with the same result).
func TestGemmPanicsMatchGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	panics := map[string]int{}
	for range 20000 {
		tA, tB := pick(rng, validTrans...), pick(rng, validTrans...)
		if rng.IntN(10) == 0 {
			tA = pick(rng, invalidTrans...)
		}
		if rng.IntN(10) == 0 {
			tB = pick(rng, invalidTrans...)
		}
		m, n, k := rng.IntN(6)-1, rng.IntN(6)-1, rng.IntN(6)-1
		lda, ldb, ldc := rng.IntN(7)-1, rng.IntN(7)-1, rng.IntN(7)-1
		a, b, c := randSlice[float64](rng, rng.IntN(30)), randSlice[float64](rng, rng.IntN(30)), randSlice[float64](rng, rng.IntN(30))
		alpha, beta := scalar[float64](rng), scalar[float64](rng)

		cGot, cWant := append([]float64(nil), c...), append([]float64(nil), c...)
		got := panicOf(func() { impl.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, cGot, ldc) })
		want := panicOf(func() { gonum.Implementation{}.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, cWant, ldc) })
		args := fmt.Sprintf("tA=%d tB=%d m=%d n=%d k=%d lda=%d ldb=%d ldc=%d len(a,b,c)=%d,%d,%d", tA, tB, m, n, k, lda, ldb, ldc, len(a), len(b), len(c))
		if got != want {
			t.Fatalf("Dgemm(%s): panic %v, gonum panics with %v", args, got, want)
		}
		panics[fmt.Sprint(want)]++
		if want == nil {
			for i := range cGot {
				if math.Abs(cGot[i]-cWant[i]) > 1e-13 {
					t.Fatalf("Dgemm(%s): c = %v, gonum gives %v", args, cGot, cWant)
				}
			}
		}

		a32, b32, c32 := f32s(a), f32s(b), f32s(c)
		got = panicOf(func() { impl.Sgemm(tA, tB, m, n, k, float32(alpha), a32, lda, b32, ldb, float32(beta), c32, ldc) })
		want = panicOf(func() {
			gonum.Implementation{}.Sgemm(tA, tB, m, n, k, float32(alpha), a32, lda, b32, ldb, float32(beta), f32s(c), ldc)
		})
		if got != want {
			t.Fatalf("Sgemm(%s): panic %v, gonum panics with %v", args, got, want)
		}
	}
	// Every check must have been reached at least once, and valid calls too.
	for _, msg := range []string{"<nil>", "blas: illegal transpose", "blas: m < 0", "blas: n < 0", "blas: k < 0",
		"blas: bad leading dimension of A", "blas: bad leading dimension of B", "blas: bad leading dimension of C",
		"blas: insufficient length of a", "blas: insufficient length of b", "blas: insufficient length of c"} {
		if panics[msg] == 0 {
			t.Errorf("no random call ended with %q; the test does not cover it", msg)
		}
	}
	t.Logf("outcomes: %v", panics)
}

func f32s(x []float64) []float32 {
	s := make([]float32, len(x))
	for i, v := range x {
		s[i] = float32(v)
	}
	return s
}
