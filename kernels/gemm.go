package kernels

import "fmt"

// Gemm computes C = alpha*op(A)*op(B) + beta*C with BLAS semantics on row-major matrices, where
// op(X) is X or its transpose as transA / transB say. C is m x n with row stride ldc; op(A) is
// m x k, so A is m x k with stride lda (k x m if transA); op(B) is k x n, so B is k x n with
// stride ldb (n x k if transB). Strides must be at least the stored row length (and at least 1).
//
// As in BLAS, beta == 0 sets C without reading it (NaN or Inf there is ignored), alpha == 0 or
// k == 0 leaves only beta*C (A and B are not read), and a NaN in A or B propagates into C. Too-short
// slices and bad strides panic with a message naming the argument.
//
// A product with m = 1 (a row times a matrix) or n = 1 (a matrix times a column) streams the
// matrix once, without packing it, through the GEMV kernels of the active ISA (see ISA), split
// over up to GOMAXPROCS goroutines from 256K multiply-adds on. Any other product is cache-blocked
// and packed around a register-blocked micro-kernel of the active ISA; products of at least 160^3
// multiply-adds (64^3 on the generic path) are split over up to GOMAXPROCS goroutines. The order of the additions is unspecified, and each path
// rounds differently in the last bits (the assembly paths use fused multiply-adds).
//
// On AVX-512, float32 products 50 or 100 columns wide (a layer of 50 or 100 units) pass over the
// steps l where a micro-panel's 8 rows of op(A) all hold +0 at l, as in a batch of images,
// wherever the depth block of op(B) holds no Inf or NaN (so that NaN still propagates): the
// result is the same but for the sign of a zero element (-0 where multiplying out every step
// gives +0). Wider products (at least 50 columns, 64 steps deep, B not transposed) do so too when
// a sample of op(A) (up to 2,048 elements) finds enough such steps. The book net's MNIST training
// (784-50-10) runs in two thirds of the time so.
//
// On AVX-512 and AVX2, float32 products whose op(A) is mostly zero element by element (the input
// of a layer after a ReLU, a batch of images), at least 64 columns wide, 32 steps deep and 2^20
// multiply-adds, are computed from lists of the nonzero elements of each row of op(A) when a
// sample of op(A) (up to 512 elements) finds under about two thirds of them nonzero (60% with B
// stored transposed): each adds its multiple of a row of op(B) to the row of C, 128 (AVX2: 96)
// columns at a time, so that the work is the nonzero elements' alone. Skipping a zero term
// changes the sum only in the sign of a zero element; a block of op(B) holding Inf or NaN is
// multiplied through every element of A, zeros included, so NaN propagates as above.
// The Keras MLP's MNIST training (784-512-512-10) runs in 70% of the time it took with the
// skipping tile alone.
func Gemm[T Float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	checkGemm(transA, transB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	if m == 0 || n == 0 {
		return
	}
	gemmRoute(kern[T](), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, gemmEpilogue[T]{})
}

// gemmRoute is Gemm after its checks, with m, n > 0, on the kernels o, with the epilogue epi
// applied to C: the GEMV path for m = 1 or n = 1, the packed product otherwise.
func gemmRoute[T Float](o *ops[T], transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, epi gemmEpilogue[T]) {
	if m == 1 || n == 1 {
		gemvDrive(o, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epi)
		return
	}
	if r := o.gemmRows; r != nil && alpha != 0 && k > 0 {
		if masked := rowsMaskWins(r, transA, transB, m, n, k, alpha, a, lda); masked || rowsWins(transA, transB, m, n, k, a, lda) {
			// Where the masked path can take a product the lists would (an A stored transposed), it
			// may: it reads A where it lies instead of transposing and listing it.
			masked = masked || r.maskForLists && rowsMaskFits(r, transA, transB, m, n, k, alpha)
			gemmRowsDrive(o, r, masked, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epi)
			return
		}
	}
	g := o.gemmKernelFor(m, n)
	if s := o.gemmSparse; s != nil && s != g && sparseWins(g, s, transA, transB, m, n, k, a, lda) {
		g = s
	}
	gemmDriveEpi(g, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epi)
}

// MatMul sets c = a*b for row-major a (m x k), b (k x n) and c (m x n), all densely packed. The
// dimensions come in Gemm's order: m, n, k.
func MatMul[T Float](c, a, b []T, m, n, k int) {
	checkDense("MatMul", m, n, k, "a", len(a), "b", len(b), "c", len(c))
	Gemm(false, false, m, n, k, 1, a, max(k, 1), b, max(n, 1), 0, c, max(n, 1))
}

// checkDense panics, naming the function fn, unless m, n, k >= 0 and the densely packed operands
// have the lengths m*k (named a), k*n (b) and m*n (c).
func checkDense(fn string, m, n, k int, a string, na int, b string, nb int, c string, nc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("kernels.%s: negative dimension m = %d, n = %d, k = %d", fn, m, n, k))
	}
	if na != m*k || nb != k*n || nc != m*n {
		panic(fmt.Sprintf("kernels.%s: m, n, k = %d, %d, %d need len(%s) = %d, len(%s) = %d, len(%s) = %d; got %d, %d, %d",
			fn, m, n, k, a, m*k, b, k*n, c, m*n, na, nb, nc))
	}
}

// checkGemm validates the shapes, strides and slice lengths of a Gemm call.
func checkGemm(transA, transB bool, m, n, k, na, lda, nb, ldb, nc, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("kernels.Gemm: negative dimension m = %d, n = %d, k = %d", m, n, k))
	}
	aRows, aCols := m, k
	if transA {
		aRows, aCols = k, m
	}
	bRows, bCols := k, n
	if transB {
		bRows, bCols = n, k
	}
	checkMatrix("a", aRows, aCols, na, "lda", lda)
	checkMatrix("b", bRows, bCols, nb, "ldb", ldb)
	checkMatrix("c", m, n, nc, "ldc", ldc)
}

// checkMatrix panics unless a rows x cols matrix with row stride ld fits in a slice of length n.
func checkMatrix(name string, rows, cols, n int, ldName string, ld int) {
	if ld < max(1, cols) {
		panic(fmt.Sprintf("kernels.Gemm: %s = %d is less than the %d columns of %s (and must be at least 1)", ldName, ld, cols, name))
	}
	if rows == 0 || cols == 0 {
		return
	}
	if need := (rows-1)*ld + cols; n < need {
		panic(fmt.Sprintf("kernels.Gemm: len(%s) = %d is too short for %d x %d with %s = %d (need %d)", name, n, rows, cols, ldName, ld, need))
	}
}
