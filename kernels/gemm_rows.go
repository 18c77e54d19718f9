package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/lanesimd/lanes/internal/spin"
)

// Products whose A is sparse element by element: the input of a layer after a ReLU (about half
// its elements zero in the Keras MLP), a batch of MNIST images (81%). The packed product
// multiplies every element; the skipping tile (gemm_sparse.go) passes over a step only where all
// the rows of its micro-panel are zero at once, half the steps of 8 images and 0.4% of 8 ReLU
// outputs. The rows kernel lists the nonzero elements of each row of op(A) and adds, for each,
// its multiple of a row of op(B) to the row of C, kept in registers 128 columns at a time: the
// work is the nonzero elements' alone, at 60-75% of the packed tile's speed per multiply-add.
//
// The product runs depth block by depth block (rowsDepth steps): the lists of every row of op(A)
// for the block, then, for each 128 columns of C, the rows kernel over all of C's rows, so that
// the block of op(B) (rowsDepth x 128 elements) is read from L1 and L2 by every row. An op(B)
// block holding Inf or NaN is multiplied through lists of every step of the block, zeros
// included, so that NaN propagates as in the packed product (0*Inf is NaN). An A stored
// transposed is transposed first (its rows are the steps); a B stored transposed is left to the
// packed product, which reads it step by step anyway.

// rowsKernel is an ISA's sparse-rows product: the kernel and its helpers, each as its asm
// declaration says (rowsRef, rowsListRef and finiteRef are the Go loops they equal).
type rowsKernel[T Float] struct {
	// rows adds, for r < len(ptr)-1 and j < cols <= rowsWidth, Σ val[t]*b[idx[t]*ldb+j] over
	// t in [ptr[r], ptr[r+1]) to c[r*ldc+j] (to zero unless add).
	rows func(c []T, ldc int, b []T, ldb int, ptr, idx []int32, val []T, cols int, add bool)
	// list writes the nonzero elements of a, times alpha, and their indices plus base to val
	// and idx (which have room for len(a)+15), and returns how many.
	list func(idx []int32, val, a []T, base int32, alpha T) int
	// pack copies the rows x cols block of b (rows ld apart) into dst, rows ceil(cols/16)*16
	// apart, and reports whether it holds no Inf or NaN.
	pack func(dst, b []T, ld, rows, cols int) (finite bool)
	// parallel is the smallest product (m*n*k multiply-adds) worth splitting over goroutines.
	parallel int
	pool     sync.Pool // *rowsScratch[T]
}

const (
	// rowsWidth is the most columns of C a call of the rows kernel computes (8 ZMM registers).
	rowsWidth = 128
	// rowsDepth is the depth of a block: 64 steps of 128 columns of op(B), 32 KB in float32.
	rowsDepth = 64
	// rowsMinWork is the smallest product (m*n*k) that samples A: below it the sample's cost
	// shows.
	rowsMinWork = 1 << 20
	// rowsMinDepth and rowsMinCols: shallower or narrower products keep the packed kernels, whose
	// per-tile costs are lower than a list per row and block.
	rowsMinDepth, rowsMinCols = 32, 64
	// rowsCost is the time per nonzero element's multiply-add of the rows kernel against that of
	// the packed tiles per multiply-add: it computes the product when the share of nonzero
	// elements of op(A) times rowsCost is under rowsMaxWork (68%). BenchmarkGemmRows, AMD Zen 4,
	// 128 x 512 x 512 and the like: 19% nonzero 0.32 of the packed tiles' time, 49% 0.66, 60% 0.79.
	rowsCost, rowsMaxWork = 1.3, 0.88
	// rowsSampleRows x rowsSampleSteps is the most elements of op(A) the sample reads.
	rowsSampleRows, rowsSampleSteps = 16, 32
)

// gemmRowsRoutes counts the products gemmRoute gave to the rows kernel.
var gemmRowsRoutes atomic.Int64

// rowsWins reports whether the rows kernel should compute the m x n x k product: a B stored row
// by row, k >= rowsMinDepth, n >= rowsMinCols, and a sample of op(A) with few enough nonzero
// elements (see rowsCost).
func rowsWins[T Float](transA, transB bool, m, n, k int, a []T, lda int) bool {
	if transB || k < rowsMinDepth || n < rowsMinCols || int64(m)*int64(n)*int64(k) < rowsMinWork {
		return false
	}
	if nonzeroShare(transA, m, k, a, lda)*rowsCost >= rowsMaxWork {
		return false
	}
	gemmRowsRoutes.Add(1)
	return true
}

// nonzeroShare returns the share of nonzero elements in a sample of op(A) (m x k, stored as Gemm
// says): rowsSampleSteps steps spread evenly over the depth of rowsSampleRows rows spread evenly.
func nonzeroShare[T Float](transA bool, m, k int, a []T, lda int) float64 {
	rows, steps := min(rowsSampleRows, m), min(rowsSampleSteps, k)
	nz := 0
	for r := range rows {
		i := r * m / rows
		for s := range steps {
			l := s * k / steps
			var v T
			if transA {
				v = a[l*lda+i]
			} else {
				v = a[i*lda+l]
			}
			if v != 0 {
				nz++
			}
		}
	}
	return float64(nz) / float64(rows*steps)
}

// rowsScratch is one goroutine's buffers: op(A) transposed, the lists of a depth block and those
// of every step.
type rowsScratch[T Float] struct {
	at, b     []T
	ptr, dptr []int32
	idx, didx []int32
	val, dval []T
}

// grow returns s (new when nil) with at least n elements, aligned.
func grow[T Float](s []T, n int) []T {
	if len(s) < n {
		return alignedSlice[T](n)
	}
	return s
}

func growInt32(s []int32, n int) []int32 {
	if len(s) < n {
		return make([]int32, n)
	}
	return s
}

// gemmRowsDrive is Gemm after its checks with m, n, k > 0, alpha != 0 and B stored row by row,
// on the rows kernel r, with the epilogue epi.
func gemmRowsDrive[T Float](o *ops[T], r *rowsKernel[T], transA bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, epi gemmEpilogue[T]) {
	if beta != 0 && beta != 1 {
		scaleC(m, n, beta, c, ldc)
	}
	add := beta != 0
	threads := min(runtime.GOMAXPROCS(0), m)
	if threads < 2 || int64(m)*int64(n)*int64(k) < int64(r.parallel) {
		rowsSerial(o, r, transA, m, n, k, alpha, a, lda, b, ldb, add, c, ldc, epi)
		return
	}
	gemmSplits.Add(1)
	// Each part is a band of C's rows with its own lists, handed out as the goroutines ask.
	parts := min(m, threads*gemmPartsPerThread)
	var next atomic.Int32
	spin.Run(threads-1, spin.Func(func() {
		for {
			p := int(next.Add(1)) - 1
			if p >= parts {
				return
			}
			lo, hi := m*p/parts, m*(p+1)/parts
			as := a[lo:]
			if !transA {
				as = a[lo*lda:]
			}
			rowsSerial(o, r, transA, hi-lo, n, k, alpha, as, lda, b, ldb, add, c[lo*ldc:], ldc, epi.shift(0, lo*ldc))
		}
	}))
}

// rowsSerial computes the product on the calling goroutine (see the comment at the top).
func rowsSerial[T Float](o *ops[T], r *rowsKernel[T], transA bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, add bool, c []T, ldc int, epi gemmEpilogue[T]) {
	s, _ := r.pool.Get().(*rowsScratch[T])
	if s == nil {
		s = new(rowsScratch[T])
	}
	defer r.pool.Put(s)
	if transA {
		s.at = grow(s.at, m*k)
		o.transpose(s.at, k, a, lda, k, m)
		a, lda = s.at, k
	}
	kb := min(k, rowsDepth)
	s.ptr = growInt32(s.ptr, m+1)
	s.idx = growInt32(s.idx, m*kb+16)
	s.val = grow(s.val, m*kb+16)
	s.b = grow(s.b, kb*rowsWidth)
	for l0 := 0; l0 < k; l0 += kb {
		kcb := min(kb, k-l0)
		ne := 0
		for i := range m {
			s.ptr[i] = int32(ne)
			ne += r.list(s.idx[ne:], s.val[ne:], a[i*lda+l0:i*lda+l0+kcb], 0, alpha)
		}
		s.ptr[m] = int32(ne)
		listed := false // the lists of every step, for blocks of op(B) with Inf or NaN
		for j0 := 0; j0 < n; j0 += rowsWidth {
			cols := min(rowsWidth, n-j0)
			w := (cols + 15) / 16 * 16
			ptr, idx, val := s.ptr[:m+1], s.idx, s.val
			if !r.pack(s.b, b[l0*ldb+j0:], ldb, kcb, cols) {
				if !listed {
					s.everyStep(m, kcb, alpha, a[l0:], lda)
					listed = true
				}
				ptr, idx, val = s.dptr[:m+1], s.didx, s.dval
			}
			r.rows(c[j0:], ldc, s.b, w, ptr, idx, val, cols, add || l0 > 0)
			if l0+kcb == k && epi.active() {
				epi.apply(c, j0, ldc, m, cols, j0)
			}
		}
	}
}

// everyStep sets s's second lists to every element of the m x kcb block of A at a (row stride
// lda), zeros included, times alpha.
func (s *rowsScratch[T]) everyStep(m, kcb int, alpha T, a []T, lda int) {
	s.dptr = growInt32(s.dptr, m+1)
	s.didx = growInt32(s.didx, m*kcb)
	s.dval = grow(s.dval, m*kcb)
	for i := range m {
		s.dptr[i] = int32(i * kcb)
		for l, v := range a[i*lda : i*lda+kcb] {
			s.didx[i*kcb+l], s.dval[i*kcb+l] = int32(l), alpha*v
		}
	}
	s.dptr[m] = int32(m * kcb)
}

// rowsRef is the loop the rows kernel computes (rowsKernel.rows), in Go.
func rowsRef[T Float](c []T, ldc int, b []T, ldb int, ptr, idx []int32, val []T, cols int, add bool) {
	for r := 0; r < len(ptr)-1; r++ {
		for j := range cols {
			var s T
			if add {
				s = c[r*ldc+j]
			}
			for t := ptr[r]; t < ptr[r+1]; t++ {
				s += val[t] * b[int(idx[t])*ldb+j]
			}
			c[r*ldc+j] = s
		}
	}
}

// rowsListRef is rowsKernel.list in Go.
func rowsListRef[T Float](idx []int32, val, a []T, base int32, alpha T) int {
	n := 0
	for l, v := range a {
		if v != 0 {
			idx[n], val[n] = base+int32(l), alpha*v
			n++
		}
	}
	return n
}

// rowsPackRef is rowsKernel.pack in Go.
func rowsPackRef[T Float](dst, b []T, ld, rows, cols int) (finite bool) {
	w := (cols + 15) / 16 * 16
	finite = true
	for r := range rows {
		row := dst[r*w : (r+1)*w]
		if cols > 0 {
			copy(row, b[r*ld:r*ld+cols])
		}
		clear(row[cols:])
		for _, v := range row[:cols] {
			if v-v != 0 { // NaN for Inf and NaN
				finite = false
			}
		}
	}
	return finite
}
