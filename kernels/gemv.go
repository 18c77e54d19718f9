package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// The GEMV path: Gemm, MatMul and Linear with m = 1 (a row vector times a matrix) or n = 1 (a
// matrix times a column vector) stream the matrix once, without packing it, through two kernels
// of the active table (the ops fields gemvN and gemvT, here in pure Go, in asm/gemv_*.s for the
// assembly paths):
//
//	gemvN: y[i] += alpha * Σ_{l<len(x)} a[i*lda+l] * x[l]   for i < len(y)   (dots of rows of A)
//	gemvT: y[j] += alpha * Σ_{p<len(x)} x[p] * a[p*lda+j]   for j < len(y)   (x times the rows of A)
//
// The caller guarantees lda >= 1, and, when len(x) and len(y) are not 0, len(a) >= (len(y)-1)*lda
// + len(x) for gemvN and len(a) >= (len(x)-1)*lda + len(y) for gemvT; no element of a outside the
// rows and columns named is read. The order of the additions is unspecified (the assembly paths
// use fused multiply-adds and may fold alpha into x[p]).
//
// A product C = alpha*op(A)*op(B) + beta*C with m = 1 is one row y = C[0, :]: gemvT with the rows
// of B (not transposed) or gemvN with the rows of B stored transposed, x the row of op(A). With
// n = 1 it is one column: gemvN with the rows of A, or gemvT with the rows of A stored transposed,
// x the column of op(B). A vector that is not contiguous (a column of a stored matrix with a
// stride other than 1, or a column of C) is gathered into scratch first, and C's column scattered
// back after.

// gemvParallelMin is the smallest matrix (in elements, k x n for m = 1) worth splitting over
// goroutines: 256K multiply-adds, a 1 MiB float32 matrix that takes tens of microseconds to
// stream, so the start of a goroutine is small beside its share.
const gemvParallelMin = 1 << 18

// gemvSplits counts the GEMV products split over goroutines (tests check that the split ran).
var gemvSplits atomic.Int64

// gemvDrive computes C = alpha*op(A)*op(B) + beta*C for m == 1 or n == 1 (m, n > 0) with the
// table o's GEMV kernels, then applies epi to C.
func gemvDrive[T Float](o *ops[T], transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, epi gemmEpilogue[T]) {
	if alpha == 0 || k == 0 {
		scaleC(m, n, beta, c, ldc)
		if epi.active() {
			epi.apply(c, 0, ldc, m, n, 0)
		}
		return
	}
	var buf *[]T
	if m == 1 {
		// y = C[0, :], x = op(A)[0, :].
		x := a[:k]
		if transA && lda != 1 {
			buf = gemvScratch[T](k)
			x = gatherStrided((*buf)[:k], a, lda)
		}
		y := c[:n]
		scaleC(1, n, beta, y, n)
		if transB {
			gemvSplit(o.gemvN, true, alpha, b, ldb, x, y)
		} else {
			gemvSplit(o.gemvT, false, alpha, b, ldb, x, y)
		}
	} else {
		// y = C[:, 0], x = op(B)[:, 0].
		x := b[:k]
		if !transB && ldb != 1 {
			buf = gemvScratch[T](k + m)
			x = gatherStrided((*buf)[:k], b, ldb)
		}
		y := c[:m]
		if ldc != 1 {
			if buf == nil {
				buf = gemvScratch[T](m)
			}
			y = (*buf)[len(*buf)-m:]
			if beta == 0 {
				clear(y)
			} else {
				gatherStrided(y, c, ldc)
			}
		}
		scaleC(1, m, beta, y, m)
		if transA {
			gemvSplit(o.gemvT, false, alpha, a, lda, x, y)
		} else {
			gemvSplit(o.gemvN, true, alpha, a, lda, x, y)
		}
		if ldc != 1 {
			for i, v := range y {
				c[i*ldc] = v
			}
		}
	}
	if buf != nil {
		gemvPool[T]().Put(buf)
	}
	if epi.active() {
		epi.apply(c, 0, ldc, m, n, 0)
	}
}

// gemvSplit runs the GEMV kernel kern on y (len(x) = k), split over up to GOMAXPROCS goroutines
// when the matrix has at least gemvParallelMin elements, each goroutine with a contiguous part of
// y of whole 64-byte lines (rows i0..i1 of a for gemvN, byRows; columns j0..j1 for gemvT), the
// parts handed out on demand to package spin's helpers.
func gemvSplit[T Float](kern func(alpha T, a []T, lda int, x, y []T), byRows bool, alpha T, a []T, lda int, x, y []T) {
	n := len(y)
	const unit = 16 // elements of y per part boundary: a cache line of float32
	size := int64(n) * int64(len(x))
	threads := min(runtime.GOMAXPROCS(0), int(size/(gemvParallelMin/2)), n/unit) // parts of at least 128K
	if size < gemvParallelMin || threads < 2 {
		kern(alpha, a, lda, x, y)
		return
	}
	gemvSplits.Add(1)
	splitLines(n, threads, func(lo, hi int) {
		off := lo
		if byRows {
			off = lo * lda
		}
		kern(alpha, a[off:], lda, x, y[lo:hi])
	})
}

// gatherStrided sets dst[i] = src[i*ld] and returns dst.
func gatherStrided[T Float](dst, src []T, ld int) []T {
	for i := range dst {
		dst[i] = src[i*ld]
	}
	return dst
}

var gemvPool32, gemvPool64 sync.Pool // *[]float32, *[]float64: gathered vectors, reused

// gemvPool returns the pool of scratch vectors of T.
func gemvPool[T Float]() *sync.Pool {
	if is32[T]() {
		return &gemvPool32
	}
	return &gemvPool64
}

// gemvScratch returns a scratch vector of n elements (len(*s) == n) from the pool; the caller
// puts it back.
func gemvScratch[T Float](n int) *[]T {
	s, _ := gemvPool[T]().Get().(*[]T)
	if s == nil {
		s = new([]T)
	}
	if cap(*s) < n {
		*s = make([]T, n)
	}
	*s = (*s)[:n]
	return s
}

// gemvNGo is the pure-Go gemvN: y[i] += alpha * Σ_l a[i*lda+l] * x[l], four partial sums per row.
func gemvNGo[T Float](alpha T, a []T, lda int, x, y []T) {
	k := len(x)
	if k == 0 {
		return
	}
	for i := range y {
		y[i] += alpha * dotRef(a[i*lda:i*lda+k], x)
	}
}

// gemvTGo is the pure-Go gemvT: y[j] += alpha * Σ_p x[p] * a[p*lda+j], four rows of a at a time,
// so that y is read and written once per four rows.
func gemvTGo[T Float](alpha T, a []T, lda int, x, y []T) {
	n := len(y)
	if n == 0 {
		return
	}
	p := 0
	for ; p+4 <= len(x); p += 4 {
		s0, s1, s2, s3 := alpha*x[p], alpha*x[p+1], alpha*x[p+2], alpha*x[p+3]
		r0 := a[p*lda : p*lda+n]
		r1 := a[(p+1)*lda : (p+1)*lda+n]
		r2 := a[(p+2)*lda : (p+2)*lda+n]
		r3 := a[(p+3)*lda : (p+3)*lda+n]
		for j := range y {
			y[j] += s0*r0[j] + s1*r1[j] + s2*r2[j] + s3*r3[j]
		}
	}
	for ; p < len(x); p++ {
		s, r := alpha*x[p], a[p*lda:p*lda+n]
		for j := range y {
			y[j] += s * r[j]
		}
	}
}
