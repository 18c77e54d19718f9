package gonumblas_test

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/blas/testblas"
)

// Products with m = 1 or n = 1 take kernels.Gemm's GEMV path (no packing). The tests below run
// them through the adapter against gonum, and run gonum's own Dgemv suite on Dgemm calls of
// those shapes.

// TestGemmVectorsMatchGonum compares Sgemm and Dgemm with gonum's for products with m = 1, n = 1
// or both, the other sizes up to 40 (300 for one case in ten), every transpose, padded strides,
// alpha and beta including 0 and 1 (NaN in C when beta is 0), on every ISA path.
func TestGemmVectorsMatchGonum(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(7, 8))
		for i := range 1500 {
			maxDim := 40
			if i%10 == 0 {
				maxDim = 300
			}
			if i%2 == 0 {
				checkGemm(t, vectorCase[float32](rng, maxDim, i%3), impl.Sgemm, gonum.Implementation{}.Sgemm)
			} else {
				checkGemm(t, vectorCase[float64](rng, maxDim, i%3), impl.Dgemm, gonum.Implementation{}.Dgemm)
			}
		}
	})
}

// vectorCase draws a case with m = 1 (which = 0), n = 1 (which = 1) or both (which = 2), the
// other dimensions up to maxDim.
func vectorCase[T float32 | float64](rng *rand.Rand, maxDim, which int) gemmCase[T] {
	g := gemmCase[T]{
		tA: pick(rng, validTrans...), tB: pick(rng, validTrans...),
		m: 1, n: 1, k: rng.IntN(maxDim + 1),
		alpha: scalar[T](rng), beta: scalar[T](rng),
	}
	if which == 0 {
		g.n = rng.IntN(maxDim + 1)
	} else if which == 1 {
		g.m = rng.IntN(maxDim + 1)
	}
	return fillGemmCase(rng, g)
}

// gemvOnGemm is blas.Dgemv computed by Dgemm calls of the adapter with n = 1 (y as a column of C
// with stride incY, x as a column of B with stride incX) or, when incY is 1, alternately with
// m = 1 (y as a row of C, x as a row of A or a column of it): both GEMV forms. Negative
// increments are handled by reversing copies.
type gemvOnGemm struct{ rowForm bool }

func (g *gemvOnGemm) Dgemv(tA blas.Transpose, m, n int, alpha float64, a []float64, lda int, x []float64, incX int, beta float64, y []float64, incY int) {
	if tA != blas.NoTrans && tA != blas.Trans && tA != blas.ConjTrans {
		panic("Dgemv: bad transpose")
	}
	if m < 0 || n < 0 {
		panic("Dgemv: negative dimension")
	}
	if incX == 0 || incY == 0 {
		panic("Dgemv: zero increment")
	}
	if lda < max(1, n) {
		panic("Dgemv: lda too small")
	}
	trans := tA != blas.NoTrans
	lenX, lenY := n, m
	if trans {
		lenX, lenY = m, n
	}
	if lenX == 0 || lenY == 0 {
		gonum.Implementation{}.Dgemv(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
		return
	}
	if incX < 0 {
		x = reversed(x, lenX, -incX)
		incX = 1
	}
	yOut, incOut := y, incY
	if incY < 0 {
		y = reversed(y, lenY, -incY)
		incY = 1
	}
	g.rowForm = !g.rowForm
	if g.rowForm && incY == 1 {
		// y^T = alpha * x^T * op(A)^T + beta * y^T: C is 1 x lenY, op(A) of the product is x^T
		// (1 x lenX; a stored column when incX != 1), op(B) is op(A)^T (A itself, transposed
		// again).
		tx, ldx := false, max(1, lenX)
		if incX != 1 {
			tx, ldx = true, incX
		}
		impl.Dgemm(blasTrans(tx), blasTrans(!trans), 1, lenY, lenX, alpha, x, ldx, a, lda, beta, y, max(1, lenY))
	} else {
		// y = alpha * op(A) * x + beta * y: C is lenY x 1 with stride incY, B is lenX x 1 with
		// stride incX.
		impl.Dgemm(tA, blas.NoTrans, lenY, 1, lenX, alpha, a, lda, x, incX, beta, y, incY)
	}
	if incOut < 0 {
		for i := range lenY {
			yOut[(lenY-1-i)*-incOut] = y[i]
		}
	}
}

// reversed returns the n elements x[(n-1-i)*inc] for i < n, contiguous.
func reversed(x []float64, n, inc int) []float64 {
	r := make([]float64, n)
	for i := range r {
		r[i] = x[(n-1-i)*inc]
	}
	return r
}

func blasTrans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

// TestDgemvOnGemm runs gonum's Dgemv test suite on Dgemm with m = 1 and n = 1 (gemvOnGemm), on
// every ISA path.
func TestDgemvOnGemm(t *testing.T) {
	eachISA(t, func(t *testing.T) { testblas.DgemvTest(t, &gemvOnGemm{}) })
}
