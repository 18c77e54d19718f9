// Package gonumblas implements gonum's blas.Float32 and blas.Float64 interfaces with lanes'
// kernels where lanes has one, and with gonum's own pure-Go BLAS
// (gonum.org/v1/gonum/blas/gonum) for everything else.
//
// Installing it makes gonum/mat, and everything else that goes through blas32 or blas64, use
// lanes for matrix products:
//
//	import (
//		"gonum.org/v1/gonum/blas/blas32"
//		"gonum.org/v1/gonum/blas/blas64"
//
//		"github.com/lanesimd/lanes/kernels/gonumblas"
//	)
//
//	func init() {
//		blas64.Use(gonumblas.Implementation{}) // mat.Dense.Mul now runs on lanes' Dgemm
//		blas32.Use(gonumblas.Implementation{}) // and blas32.Gemm on lanes' Sgemm
//	}
//
// Routed to lanes: Sgemm and Dgemm (kernels.Gemm, every transpose, stride, alpha and beta),
// and, for unit increments, Sdot/Ddot (kernels.Dot), Saxpy/Daxpy (kernels.Axpy) and Sscal/Dscal
// (kernels.Scale). Calls with other increments, and every other routine, run gonum's code.
//
// Arguments are checked exactly as gonum checks them, in the same order and with the same panic
// messages, so code that recovers from BLAS panics, and gonum's test suite, see no difference.
// Results may differ from gonum's in the last bits, because the order of the additions differs.
//
// The ISA lanes uses (kernels.ISA) is chosen when the program starts; see package kernels.
package gonumblas

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/lanesimd/lanes/kernels"
)

// Implementation is a gonum BLAS implementation backed by lanes. The zero value is ready to use
// and holds no state; pass it to blas32.Use and blas64.Use. Methods not listed in the package
// documentation are gonum's, through the embedded gonum.Implementation.
type Implementation struct {
	gonum.Implementation
}

var (
	_ blas.Float32 = Implementation{}
	_ blas.Float64 = Implementation{}
)

// Panic messages, the same strings gonum's BLAS uses.
const (
	badTranspose = "blas: illegal transpose"
	mLT0         = "blas: m < 0"
	nLT0         = "blas: n < 0"
	kLT0         = "blas: k < 0"
	badLdA       = "blas: bad leading dimension of A"
	badLdB       = "blas: bad leading dimension of B"
	badLdC       = "blas: bad leading dimension of C"
	shortA       = "blas: insufficient length of a"
	shortB       = "blas: insufficient length of b"
	shortC       = "blas: insufficient length of c"
)

// Sgemm computes
//
//	C = alpha * op(A) * op(B) + beta * C
//
// for row-major matrices, where op(X) is X for blas.NoTrans and its transpose for blas.Trans and
// blas.ConjTrans. C is m×n, op(A) is m×k and op(B) is k×n. The product runs on kernels.Gemm.
func (Implementation) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Dgemm computes
//
//	C = alpha * op(A) * op(B) + beta * C
//
// for row-major matrices, where op(X) is X for blas.NoTrans and its transpose for blas.Trans and
// blas.ConjTrans. C is m×n, op(A) is m×k and op(B) is k×n. The product runs on kernels.Gemm.
func (Implementation) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	gemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemm checks the arguments in gonum's order, with gonum's messages, handles the cases where
// gonum reads neither A nor B, and passes the rest to kernels.Gemm.
func gemm[T float32 | float64](tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	transA := isTrans(tA)
	transB := isTrans(tB)
	if m < 0 {
		panic(mLT0)
	}
	if n < 0 {
		panic(nLT0)
	}
	if k < 0 {
		panic(kLT0)
	}
	if transA {
		if lda < max(1, m) {
			panic(badLdA)
		}
	} else if lda < max(1, k) {
		panic(badLdA)
	}
	if transB {
		if ldb < max(1, k) {
			panic(badLdB)
		}
	} else if ldb < max(1, n) {
		panic(badLdB)
	}
	if ldc < max(1, n) {
		panic(badLdC)
	}
	if m == 0 || n == 0 {
		return
	}
	// As in gonum, these checks use (rows-1)*ld + cols even when k is 0.
	if transA {
		if len(a) < (k-1)*lda+m {
			panic(shortA)
		}
	} else if len(a) < (m-1)*lda+k {
		panic(shortA)
	}
	if transB {
		if len(b) < (n-1)*ldb+k {
			panic(shortB)
		}
	} else if len(b) < (k-1)*ldb+n {
		panic(shortB)
	}
	if len(c) < (m-1)*ldc+n {
		panic(shortC)
	}

	// kernels.Gemm reads neither A nor B when alpha == 0 or k == 0 (only beta*C remains), so NaNs
	// there do not reach C, as BLAS requires.
	kernels.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// isTrans reports whether t asks for the transpose; ConjTrans is Trans for real matrices. Any
// other value panics as gonum does.
func isTrans(t blas.Transpose) bool {
	switch t {
	case blas.NoTrans:
		return false
	case blas.Trans, blas.ConjTrans:
		return true
	}
	panic(badTranspose)
}
