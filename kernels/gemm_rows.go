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
// its multiple of a row of op(B) to the row of C, kept in registers (128 columns at a time on
// AVX-512, 96 on AVX2): the work is the nonzero elements' alone, at 60-75% of the packed tile's
// speed per multiply-add.
//
// The product runs a band of op(A)'s rows at a time (rowsBand elements at most; an A stored
// transposed has the band's columns transposed first): the lists of the band's rows for every
// depth block of rowsDepth steps, then, depth block by depth block and for each 128 (96) columns
// of C, a copy of that block of op(B) (rowsDepth x 128 elements, read from L1 by every row;
// transposed first where B is stored transposed) and the rows kernel over the band's rows. A
// block of op(B) holding Inf or NaN is multiplied through lists of every step of the block,
// zeros included, so that NaN propagates as in the packed product (0*Inf is NaN).

// rowsKernel is an ISA's sparse-rows product: the kernel and its helpers, each as its asm
// declaration says (rowsRef, rowsListRef and rowsPackRef are the Go loops they equal).
type rowsKernel[T Float] struct {
	// rows adds, for r < len(ptr)-1 and j < cols <= width, Σ val[t]*b[idx[t]*ldb+j] over
	// t in [ptr[r], ptr[r+1]) to c[r*ldc+j] (to zero unless add).
	rows func(c []T, ldc int, b []T, ldb int, ptr, idx []int32, val []T, cols int, add bool)
	// list appends the nonzero elements of each of len(ptr)-1 rows of cols elements of a (lda
	// apart), times alpha, and their columns to val and idx from ptr[0] on, row r's entries ending
	// at ptr[r+1] (idx and val have room for 15 entries past the last row's).
	list func(idx []int32, val []T, ptr []int32, a []T, lda, cols int, alpha T)
	// pack copies the rows x cols block of b (rows ld apart) into dst, rows ceil(cols/16)*16
	// apart, and reports whether it holds no Inf or NaN.
	pack func(dst, b []T, ld, rows, cols int) (finite bool)
	// mask sets masks[p] to the bits t < k (k <= 32) with a[t*lda+p] nonzero, and masked adds to
	// row r of C, for every set bit t of masks[r], a[t*lda+r] times row t of b (to zero unless
	// add), for j < cols <= width: the product of a sparse A stored transposed, a depth block of
	// at most 32 steps (gemm_rows_mask.go). Nil where the ISA has none.
	mask   func(masks []uint32, a []T, lda, k int)
	masked func(c []T, ldc int, b []T, ldb int, a []T, lda int, masks []uint32, cols int, add bool)
	// maskCost is the time of a nonzero element's multiply-add on the masked path against that
	// of one multiply-add of the packed tiles.
	maskCost float64
	// maskForLists makes the masked path also take the products with A stored transposed that
	// the lists would (rowsWins), where it is the faster of the two.
	maskForLists bool
	// width is the most columns rows computes a call (its registers for a row of C).
	width int
	// parallel is the smallest product (m*n*k multiply-adds) worth splitting over goroutines.
	parallel int
	pool     sync.Pool // *rowsScratch[T]
}

const (
	// rowsMaxWidth bounds rowsKernel.width: 128 columns (8 ZMM registers; AVX2's 12 YMM registers
	// hold 96).
	rowsMaxWidth = 128
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
	// rowsTransCost is what transposing the blocks of a B stored transposed adds (against the
	// packed tiles' time): 128 x 512 x 512 with A 55% nonzero took 0.81 of their time.
	rowsTransCost = 0.06
	// rowsSampleRows x rowsSampleSteps is the most elements of op(A) the sample reads.
	rowsSampleRows, rowsSampleSteps = 16, 32
)

// gemmRowsRoutes counts the products gemmRoute gave to the rows kernel.
var gemmRowsRoutes atomic.Int64

// rowsWins reports whether the rows kernel should compute the m x n x k product: rowsMinDepth <=
// k <= rowsBand (so that a band of one row bounds the lists), n >= rowsMinCols, at least
// rowsMinWork multiply-adds, and a sample of op(A) with few enough nonzero elements (see
// rowsCost).
func rowsWins[T Float](transA, transB bool, m, n, k int, a []T, lda int) bool {
	if k < rowsMinDepth || k > rowsBand || n < rowsMinCols || int64(m)*int64(n)*int64(k) < rowsMinWork {
		return false
	}
	limit := rowsMaxWork
	if transB {
		limit -= rowsTransCost
	}
	if nonzeroShare(transA, m, k, a, lda)*rowsCost >= limit {
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
			if opAt(transA, a, lda, i, s*k/steps) != 0 {
				nz++
			}
		}
	}
	return float64(nz) / float64(rows*steps)
}

// rowsScratch is one goroutine's buffers: a band of op(A)'s rows (at, where A is stored
// transposed), their lists (block q's entries of row i are idx and val from ptr[q*(rows+1)+i] to
// ptr[q*(rows+1)+i+1]), a copy of a block of B (b; bt, a block of a B stored transposed,
// transposed) and lists of every step of a block (dptr, didx, dval).
type rowsScratch[T Float] struct {
	at, val, b, bt []T
	dval           []T
	ptr, idx       []int32
	dptr, didx     []int32
	masks          []uint32 // the masked path's (gemm_rows_mask.go)
}

// rowsBand is the most elements of op(A) listed at a time (8 MB of lists in float32): longer
// products are computed a band of rows at a time.
const rowsBand = 1 << 20

// rowsStride is the distance between the rows of a block of B that rowsKernel.pack copies
// cols columns of: cols rounded up to 16 elements (a ZMM register).
func rowsStride(cols int) int { return (cols + 15) / 16 * 16 }

// grow returns s, or a new aligned slice when s is shorter than n.
func grow[T Float](s []T, n int) []T {
	if len(s) < n {
		return alignedSlice[T](n)
	}
	return s
}

// growInt32 returns s, or a new slice when s is shorter than n.
func growInt32(s []int32, n int) []int32 {
	if len(s) < n {
		return make([]int32, n)
	}
	return s
}

// scratch returns buffers from r's pool (new ones when it is empty).
func (r *rowsKernel[T]) scratch() *rowsScratch[T] {
	if s, ok := r.pool.Get().(*rowsScratch[T]); ok {
		return s
	}
	return new(rowsScratch[T])
}

// gemmRowsDrive is Gemm after its checks with m, n, k > 0 and alpha != 0, on the rows kernel r,
// with the epilogue epi. Products of at least r.parallel multiply-adds are
// split over up to GOMAXPROCS goroutines, one band of C's rows each, which lists its own rows of
// A and copies every block of B itself: sharing lists made on one goroutine, or made by each and
// read by all, measured slower on two cores (docs/performance-sparse.md). With masked set (A
// stored transposed, B not, alpha 1: rowsMaskWins), each band takes the masked path instead.
func gemmRowsDrive[T Float](o *ops[T], r *rowsKernel[T], masked, transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, epi gemmEpilogue[T]) {
	if beta != 0 && beta != 1 {
		scaleC(m, n, beta, c, ldc)
	}
	add := beta != 0
	parts := min(runtime.GOMAXPROCS(0), m)
	if parts < 2 || int64(m)*int64(n)*int64(k) < int64(r.parallel) {
		rowsBandOf(o, r, masked, transA, transB, m, n, k, alpha, a, lda, b, ldb, add, c, ldc, epi)
		return
	}
	gemmSplits.Add(1)
	var next atomic.Int32
	spin.Run(parts-1, spin.Func(func() {
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
			rowsBandOf(o, r, masked, transA, transB, hi-lo, n, k, alpha, as, lda, b, ldb, add, c[lo*ldc:], ldc, epi.shift(0, lo*ldc))
		}
	}))
}

// rowsBandOf computes a band of C's rows on the calling goroutine: on the masked path, or from lists.
func rowsBandOf[T Float](o *ops[T], r *rowsKernel[T], masked, transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, add bool, c []T, ldc int, epi gemmEpilogue[T]) {
	if masked {
		rowsMaskedSerial(r, m, n, k, a, lda, b, ldb, add, c, ldc, epi)
		return
	}
	rowsSerial(o, r, transA, transB, m, n, k, alpha, a, lda, b, ldb, add, c, ldc, epi)
}

// rowsSerial computes the product on the calling goroutine, a band of at most rowsBand elements
// of op(A) at a time (of an A stored transposed, the band's columns transposed into s.at), so
// that its buffers stay within a few MB whatever the size of A.
func rowsSerial[T Float](o *ops[T], r *rowsKernel[T], transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, add bool, c []T, ldc int, epi gemmEpilogue[T]) {
	s := r.scratch()
	defer r.pool.Put(s)
	band := max(1, rowsBand/k)
	for i0 := 0; i0 < m; i0 += band {
		mb := min(band, m-i0)
		ab, ldab := a, lda
		if transA {
			s.at = grow(s.at, mb*k)
			o.transpose(s.at, k, a[i0:], lda, k, mb)
			ab, ldab = s.at, k
		} else {
			ab = a[i0*lda:]
		}
		s.list(r, mb, k, alpha, ab, ldab)
		rowsBlocks(o, r, s, transB, mb, n, k, alpha, ab, ldab, b, ldb, add, c[i0*ldc:], ldc, epi.shift(0, i0*ldc))
	}
}

// list sets s's lists to those of the m x k op(A) at a (row stride lda), times alpha, for every
// depth block of rowsDepth steps, one call of the list kernel a block (every row's piece of it):
// each block's lists start m*rowsDepth+16 entries apart (room for the 15 entries past its end
// that the list kernel may write).
func (s *rowsScratch[T]) list(r *rowsKernel[T], m, k int, alpha T, a []T, lda int) {
	kb := min(k, rowsDepth)
	blocks := (k + kb - 1) / kb
	region := m*kb + 16
	s.ptr = growInt32(s.ptr, blocks*(m+1))
	s.idx = growInt32(s.idx, blocks*region)
	s.val = grow(s.val, blocks*region)
	for q := range blocks {
		l0 := q * kb
		ptr := s.ptr[q*(m+1) : (q+1)*(m+1)]
		ptr[0] = int32(q * region)
		r.list(s.idx, s.val, ptr, a[l0:], lda, min(kb, k-l0), alpha)
	}
}

// rowsBlocks computes the m x n band of C at c whose lists s holds, depth block by depth block,
// r.width columns at a time, and applies epi to it.
func rowsBlocks[T Float](o *ops[T], r *rowsKernel[T], s *rowsScratch[T], transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, add bool, c []T, ldc int, epi gemmEpilogue[T]) {
	kb := min(k, rowsDepth)
	s.b = grow(s.b, kb*rowsMaxWidth)
	if transB {
		s.bt = grow(s.bt, kb*rowsMaxWidth)
	}
	for q, l0 := 0, 0; l0 < k; q, l0 = q+1, l0+kb {
		kcb := min(kb, k-l0)
		listed := false // the lists of every step, for blocks of op(B) with Inf or NaN
		for j0 := 0; j0 < n; j0 += r.width {
			cols := min(r.width, n-j0)
			ptr, idx, val := s.ptr[q*(m+1):(q+1)*(m+1)], s.idx, s.val
			var src []T
			ld := ldb
			if transB {
				// The block's steps are columns of the stored B: transposed first (into bt), then
				// copied and checked as a B stored row by row.
				o.transpose(s.bt, cols, b[j0*ldb+l0:], ldb, cols, kcb)
				src, ld = s.bt, cols
			} else {
				src = b[l0*ldb+j0:]
			}
			if !r.pack(s.b, src, ld, kcb, cols) {
				if !listed {
					s.everyStep(m, kcb, alpha, a[l0:], lda)
					listed = true
				}
				ptr, idx, val = s.dptr[:m+1], s.didx, s.dval
			}
			r.rows(c[j0:], ldc, s.b, rowsStride(cols), ptr, idx, val, cols, add || l0 > 0)
			if l0+kcb == k && epi.active() {
				epi.apply(c, j0, ldc, m, cols, j0)
			}
		}
	}
}

// everyStep sets s's lists of every step to every element of the m x kcb block of A at a (row
// stride lda), zeros included, times alpha.
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

// rowsRef is the loop the rows kernel computes (rowsKernel.rows), in Go. (The assembly kernels
// sum the entries of a short row in several sets of registers, in an order their docs give.)
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
func rowsListRef[T Float](idx []int32, val []T, ptr []int32, a []T, lda, cols int, alpha T) {
	n := ptr[0]
	for r := 0; r+1 < len(ptr); r++ {
		for l, v := range a[r*lda : r*lda+cols] {
			if v != 0 {
				idx[n], val[n] = int32(l), alpha*v
				n++
			}
		}
		ptr[r+1] = n
	}
}

// rowsPackRef is rowsKernel.pack in Go.
func rowsPackRef[T Float](dst, b []T, ld, rows, cols int) (finite bool) {
	w := rowsStride(cols)
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
