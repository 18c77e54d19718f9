package gonumblas_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/lanesimd/lanes/kernels/gonumblas"
)

// countingImpl counts the Dgemm and Sgemm calls that reach the adapter.
type countingImpl struct {
	gonumblas.Implementation
	dgemm, sgemm *int
}

func (c countingImpl) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, cc []float64, ldc int) {
	*c.dgemm++
	c.Implementation.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, cc, ldc)
}

func (c countingImpl) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, cc []float32, ldc int) {
	*c.sgemm++
	c.Implementation.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, cc, ldc)
}

func randDense(rng *rand.Rand, r, c int) *mat.Dense {
	return mat.NewDense(r, c, randSlice[float64](rng, r*c))
}

// TestMatMul checks that gonum/mat's Dense.Mul gives the same product with the adapter
// installed through blas64.Use as with gonum's own BLAS, that it really goes through the
// adapter's Dgemm, and that Use restores the previous implementation afterwards.
func TestMatMul(t *testing.T) {
	prev := blas64.Implementation()
	defer blas64.Use(prev)
	eachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(9, 10))
		for _, s := range []struct {
			m, k, n    int
			tA, tB     bool
			subA, subB bool
		}{
			{1, 1, 1, false, false, false, false},
			{3, 5, 7, false, false, false, false},
			{17, 33, 9, true, false, false, false},
			{17, 33, 9, false, true, false, false},
			{40, 3, 65, true, true, false, false},
			{70, 80, 90, false, false, true, true}, // views with stride > cols
			{129, 64, 100, true, false, true, false},
		} {
			name := fmt.Sprintf("%dx%dx%d/tA=%v/tB=%v/views=%v,%v", s.m, s.k, s.n, s.tA, s.tB, s.subA, s.subB)
			var a, b mat.Matrix
			ar, ac := s.m, s.k
			if s.tA {
				ar, ac = s.k, s.m
			}
			br, bc := s.k, s.n
			if s.tB {
				br, bc = s.n, s.k
			}
			if s.subA {
				a = randDense(rng, ar+3, ac+5).Slice(2, ar+2, 3, ac+3)
			} else {
				a = randDense(rng, ar, ac)
			}
			if s.subB {
				b = randDense(rng, br+1, bc+4).Slice(1, br+1, 4, bc+4)
			} else {
				b = randDense(rng, br, bc)
			}
			if s.tA {
				a = a.T()
			}
			if s.tB {
				b = b.T()
			}

			blas64.Use(prev)
			var want mat.Dense
			want.Mul(a, b)

			var dgemm, sgemm int
			blas64.Use(countingImpl{dgemm: &dgemm, sgemm: &sgemm})
			var got mat.Dense
			got.Mul(a, b)
			blas64.Use(prev)

			if dgemm == 0 {
				t.Errorf("%s: mat.Dense.Mul did not call the adapter's Dgemm", name)
			}
			if !mat.EqualApprox(&got, &want, 1e-12*float64(s.k)) {
				t.Errorf("%s: the product through the adapter differs from gonum's:\n got %v\nwant %v", name, mat.Formatted(&got), mat.Formatted(&want))
			}
			if blas64.Implementation() != prev {
				t.Fatalf("blas64.Use(prev) did not restore the previous implementation")
			}
		}
	})
}

// TestBlas32Gemm checks blas32.Gemm, the float32 entry point gonum offers, with the adapter
// installed, against gonum's own Sgemm.
func TestBlas32Gemm(t *testing.T) {
	prev := blas32.Implementation()
	defer blas32.Use(prev)
	eachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(11, 12))
		m, k, n := 37, 51, 29
		a := blas32.General{Rows: m, Cols: k, Stride: k + 2, Data: f32s(randSlice[float64](rng, m*(k+2)))}
		b := blas32.General{Rows: k, Cols: n, Stride: n, Data: f32s(randSlice[float64](rng, k*n))}
		c0 := f32s(randSlice[float64](rng, m*n))
		want := blas32.General{Rows: m, Cols: n, Stride: n, Data: append([]float32(nil), c0...)}
		got := blas32.General{Rows: m, Cols: n, Stride: n, Data: append([]float32(nil), c0...)}

		blas32.Use(prev)
		blas32.Gemm(blas.NoTrans, blas.NoTrans, 1.5, a, b, -0.5, want)
		var dgemm, sgemm int
		blas32.Use(countingImpl{dgemm: &dgemm, sgemm: &sgemm})
		blas32.Gemm(blas.NoTrans, blas.NoTrans, 1.5, a, b, -0.5, got)
		blas32.Use(prev)

		if sgemm != 1 {
			t.Errorf("blas32.Gemm made %d Sgemm calls to the adapter, want 1", sgemm)
		}
		for i := range got.Data {
			if d := math.Abs(float64(got.Data[i] - want.Data[i])); d > 1e-4 {
				t.Fatalf("c[%d] = %v, gonum gives %v", i, got.Data[i], want.Data[i])
			}
		}
	})
}
