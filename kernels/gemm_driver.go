package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/lanesimd/lanes/internal/spin"
)

// The GEMM driver: cache blocking, packing and goroutine parallelism around a register-blocked
// micro-kernel. It is the same on every ISA; an ISA contributes only gemmKernel descriptors, the
// gemm and gemmFor entries of its table (table_amd64.go for AVX-512 and AVX2, table_arm64.go for
// NEON, gemm_generic.go for pure Go).
//
// Packed-panel layout (the contract between the driver and every micro-kernel, asm or Go):
//
// The driver multiplies blocks of op(A) (mc x kc) and op(B) (kc x nc). Before a block is used
// it is copied into a packed buffer, aligned to 64 bytes:
//
//   - A block, mc x kc, times alpha: ceil(mc/mr) micro-panels of mr rows. Element (i, l) of
//     micro-panel p (row p*mr+i, column l of the block) is at p*ps + i*rs + l*cs, with one of
//     two sets of strides, both read by the same micro-kernel: A stored row by row is copied
//     row by row (rs = kc + one cache line of elements, cs = 1, ps = mr*rs), which is a plain
//     copy; A stored transposed is copied step by step (rs = 1, cs = mr, ps = mr*kc), each
//     step a piece of one row of the stored A. Rows past mc are zero.
//   - B block, kc x nc: ceil(nc/nr) micro-panels of nr columns, each nr*kc elements long.
//     Micro-panel q holds columns q*nr .. q*nr+nr-1 row by row: element (l, j) of the
//     micro-panel (row l, column q*nr+j of the block) is at q*nr*kc + l*nr + j. Columns past nc
//     are zero.
//
// Two kinds of kernel depart from it, each saying so in its descriptor: the edge tiles (half,
// rows) compute a part of their tile from the same panels; a kernel with stepA reads A step by
// step only (an A stored row by row is packed so, by packASteps), and one with bStep has B steps
// of bStep elements, written by its own packer (the 8 x 50 tile: columns 0-47, then 48 and 49
// eight times each).
//
// The micro-kernel takes one A micro-panel a with its strides rs and cs, one B micro-panel b,
// the depth k (= kc of this block) and an mr x nr tile of C with row stride ldc, and computes
//
//	for i := 0; i < mr; i++ {
//		for j := 0; j < nr; j++ {
//			var s T
//			for l := 0; l < k; l++ {
//				s += a[i*rs+l*cs] * b[l*nr+j]
//			}
//			if add {
//				c[i*ldc+j] += s
//			} else {
//				c[i*ldc+j] = s // c is not read
//			}
//		}
//	}
//
// in any order of the additions (and with fused multiply-adds where the ISA has them). It
// always computes the whole mr x nr tile: the zero rows and columns of the padding make the
// edge tiles correct, and for a tile that sticks out of C the driver passes a scratch tile
// (ldc = nr, add = false) and copies the valid part into C itself, so no kernel reads or writes
// outside C. k may be 0 (then it stores zeros or adds nothing).
//
// The loops, outermost first: jc over nc-column blocks of C; pc over kc-deep blocks of the
// product (pack B); ic over mc-row blocks (pack A); jr over the nr-column micro-panels of B;
// ir over the mr-row micro-panels of A. So one B micro-panel (kc*nr) stays in L1 while it meets
// every A micro-panel of the block, the A block (mc*kc) stays in L2, and the B block (kc*nc)
// in L3. When all of C's rows fit one mc block, the B block would meet A only once, and B is
// packed and multiplied a chunk of micro-panels at a time instead (gemmSerial), so that the
// packed chunk is read back from L1 or L2. beta is applied once before the first kc block
// (C *= beta, or C is not read at all when beta is 0: the first block stores instead of adding);
// alpha is applied while packing A.

// tileFunc is a micro-kernel: see the layout comment above.
type tileFunc[T Float] func(a []T, rs, cs int, b, c []T, k, ldc int, add bool)

// gemmAids is what an ISA may add to a micro-kernel: its packers, its tiles for the edges of C and
// the layouts it departs to. The zero value is none: pure-Go packing, the whole tile at the edges.
type gemmAids[T Float] struct {
	// packT8 packs 8 rows of a B stored transposed: dst[l*w+i] = src[i*ld+l] for i < 8 and
	// l < k, k a multiple of 8; packT16 does 16 rows (w >= 16), any k.
	packT8, packT16 func(dst []T, w int, src []T, ld, k int)
	// packBRows packs a B stored row by row as packRows does (w = nr, alpha 1), and packAT an A
	// stored transposed as packA does with alpha 1 (the block's steps, mr at a time, are the rows
	// of the stored A): the kcb x cnt block whose rows start ld apart at src[0] into dst.
	packBRows, packAT func(dst, src []T, ld, cnt, kcb int)
	// stepA: the kernel reads A step by step only (rs = 1): an A stored row by row is packed so
	// (packASteps), never read in place. bStep, where not 0, is the length of a step of the packed
	// B micro-panel, which packPanel, for a B stored row by row, writes one micro-panel at a time
	// (the kcb x cnt block whose rows start ld apart at src[0], cnt <= nr), reporting whether it
	// holds no Inf or NaN; nil packPanel: such a panel is packed by packCols and spread by
	// spreadPanel.
	stepA     bool
	bStep     int
	packPanel func(dst, src []T, ld, cnt, kcb int) (finite bool)
	// The tiles for the edges of C (nil: tile there too). Each computes a part of tile's mr x nr
	// tile with the same operations in the same order, so that they change the speed, not the
	// bits: half the left nr/2 columns (reading the steps of the packed B micro-panel nr apart),
	// rows[r] the top r rows (r < mr).
	half tileFunc[T]
	rows []tileFunc[T]
	// masked, where not nil, is tile storing (and, adding, loading) only the first cols columns
	// of each row of C, 0 < cols <= nr: for the last micro-panel of B with all mr rows in C,
	// where half would not do, instead of a scratch tile copied out.
	masked func(a []T, rs, cs int, b, c []T, k, ldc int, add bool, cols int)
	// skip, where not nil, is the same kernel with tiles that pass over the steps of A whose mr
	// elements are all +0, for the B blocks its packer found to hold no Inf or NaN (forB).
	skip *gemmKernel[T]
}

// gemmKernel describes one ISA's micro-kernel for the element type T and the blocking the
// driver uses with it.
type gemmKernel[T Float] struct {
	name   string
	mr, nr int // tile rows and columns
	// tile is the micro-kernel: see the layout comment above. a[i*rs+l*cs] must lie in a for
	// i < mr, l < k; len(b) >= k*nr; len(c) >= (mr-1)*ldc + nr.
	tile tileFunc[T]
	// kc, mc, nc: the block sizes (mc a multiple of mr, nc of nr), from gemmBlocking.
	kc, mc, nc int
	// parallel is the smallest number of multiply-adds (m*n*k) worth splitting over goroutines.
	parallel int
	// streamBytes and streamRowsBytes are what gemmSerial may fill with packed B at a time when it
	// streams a B stored transposed and one stored row by row (see there): L1D and a quarter of
	// L2, or 0 to never stream (tests compare the two).
	streamBytes, streamRowsBytes int
	gemmAids[T]
	pool sync.Pool // *gemmScratch[T], reused across calls (grown to the largest product seen)
}

// step is the length of a step of g's packed B micro-panels.
func (g *gemmKernel[T]) step() int {
	if g.bStep != 0 {
		return g.bStep
	}
	return g.nr
}

// edgeTile returns the micro-kernel that computes the tile of C whose top left mrb x nrb
// elements lie in C (mrb <= mr, nrb <= nr) with the fewest multiply-adds, and the rows and
// columns it writes: tile, half or one of rows.
func (g *gemmKernel[T]) edgeTile(mrb, nrb int) (tile tileFunc[T], rows, cols int) {
	tile, rows, cols = g.tile, g.mr, g.nr
	if g.half != nil && nrb <= g.nr/2 {
		tile, cols = g.half, g.nr/2
	}
	for r := mrb; r < len(g.rows); r++ {
		if k := g.rows[r]; k != nil {
			if r*g.nr < rows*cols {
				tile, rows, cols = k, r, g.nr
			}
			break
		}
	}
	return tile, rows, cols
}

// gemmScratch holds one goroutine's packed buffers and edge tile.
type gemmScratch[T Float] struct {
	a, b, tile []T
}

// newGemmKernel fills in the blocking of a descriptor from the cache sizes.
func newGemmKernel[T Float](name string, mr, nr int, tile tileFunc[T], parallel int) *gemmKernel[T] {
	g := &gemmKernel[T]{name: name, mr: mr, nr: nr, tile: tile, parallel: parallel}
	var z T
	g.kc, g.mc, g.nc = gemmBlocking(mr, nr, sizeOf(z))
	g.streamBytes, g.streamRowsBytes = gemmL1, gemmL2/4
	return g
}

// scratch returns a goroutine's buffers with room for packed blocks of A (aLen elements) and
// B (bLen elements): from the pool when it has one, grown when it is too small. Sizing them to
// the product keeps small products from allocating a whole nc-wide block.
func (g *gemmKernel[T]) scratch(aLen, bLen int) *gemmScratch[T] {
	s, _ := g.pool.Get().(*gemmScratch[T])
	if s == nil {
		s = &gemmScratch[T]{tile: alignedSlice[T](g.mr * g.nr)}
	}
	if len(s.a) < aLen {
		s.a = alignedSlice[T](aLen)
	}
	if len(s.b) < bLen {
		s.b = alignedSlice[T](bLen)
	}
	return s
}

// gemmEpilogue is what Linear does to each block of C once its product is complete: add bias[j]
// to column j of every row (no bias: nil), then apply act to the row, in place or, where out is
// set, into out (LinearPre: C keeps the pre-activation). The zero value, Gemm's, does nothing and
// costs one test per block.
type gemmEpilogue[T Float] struct {
	bias []T                     // one per column of the whole C
	act  func(dst, src []T)      // the activation kernel of the table the call loaded
	axpy func(alpha T, x, y []T) // that table's axpy, which adds the bias (1*x+y rounds once)
	out  []T                     // where set, act's output, laid out as C (same offsets, ldc)
}

// active reports whether e does anything.
func (e *gemmEpilogue[T]) active() bool { return e.bias != nil || e.act != nil }

// shift returns e for the part of C that starts at column j0, element off of C.
func (e gemmEpilogue[T]) shift(j0, off int) gemmEpilogue[T] {
	if e.bias != nil {
		e.bias = e.bias[j0:]
	}
	if e.out != nil {
		e.out = e.out[off:]
	}
	return e
}

// apply finishes the rows x cols block of C that starts at c[off] (row stride ldc), whose first
// column is column j0 of the whole C.
func (e *gemmEpilogue[T]) apply(c []T, off, ldc, rows, cols, j0 int) {
	dst := func(i int) []T { // where row i's activation goes
		if e.out != nil {
			return e.out[off+i*ldc : off+i*ldc+cols]
		}
		return c[off+i*ldc : off+i*ldc+cols]
	}
	if cols == 1 && ldc == 1 {
		// A single column stored contiguously (Linear with n = 1): one call each.
		col := c[off : off+rows]
		if e.bias != nil {
			bv := e.bias[j0]
			for i := range col {
				col[i] += bv
			}
		}
		if e.act != nil {
			out := col
			if e.out != nil {
				out = e.out[off : off+rows]
			}
			e.act(out, col)
		}
		return
	}
	var bias []T
	if e.bias != nil {
		bias = e.bias[j0 : j0+cols]
	}
	for i := range rows {
		row := c[off+i*ldc : off+i*ldc+cols]
		if bias != nil {
			e.axpy(1, bias, row)
		}
		if e.act != nil {
			e.act(dst(i), row)
		}
	}
}

// gemmDrive is Gemm after argument checking, with m, n > 0, on the micro-kernel g.
func gemmDrive[T Float](g *gemmKernel[T], transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	gemmDriveEpi(g, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, gemmEpilogue[T]{})
}

// gemmDriveEpi is gemmDrive with the epilogue epi applied to every block of C once it is complete
// (to all of C after beta*C when alpha or k is 0).
func gemmDriveEpi[T Float](g *gemmKernel[T], transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, epi gemmEpilogue[T]) {
	if alpha == 0 || k == 0 {
		scaleC(m, n, beta, c, ldc)
		if epi.active() {
			epi.apply(c, 0, ldc, m, n, 0)
		}
		return
	}
	if beta != 0 && beta != 1 {
		scaleC(m, n, beta, c, ldc)
	}
	add := beta != 0
	threads := runtime.GOMAXPROCS(0)
	if threads > 1 && int64(m)*int64(n)*int64(k) >= int64(g.parallel) {
		gemmParallel(g, threads, transA, transB, m, n, k, alpha, a, lda, b, ldb, add, c, ldc, epi)
		return
	}
	gemmSerial(g, transA, transB, m, n, k, alpha, a, lda, b, ldb, add, c, ldc, epi)
}

// gemmParallel splits C into parts of whole tiles, one per goroutine, each an independent
// product run by gemmSerial with its own packed buffers. It splits the columns when A is the
// smaller operand (each goroutine then packs all of A and its share of B) and the rows
// otherwise, so the operand packed more than once is the smaller one.
func gemmParallel[T Float](g *gemmKernel[T], threads int, transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, add bool, c []T, ldc int, epi gemmEpilogue[T]) {
	splitN := m <= n
	if splitN && n < threads*g.nr && m >= threads*g.mr {
		splitN = false // too few columns to share out
	} else if !splitN && m < threads*g.mr && n >= threads*g.nr {
		splitN = true // too few rows to share out
	}
	dim, unit := m, g.mr
	if splitN {
		dim, unit = n, g.nr
	}
	tiles := (dim + unit - 1) / unit
	threads = min(threads, tiles)
	if threads < 2 {
		gemmSerial(g, transA, transB, m, n, k, alpha, a, lda, b, ldb, add, c, ldc, epi)
		return
	}
	gemmSplits.Add(1)
	// The parts are handed out as the goroutines ask for them, several per goroutine: a helper
	// that starts late (waking an idle core takes about 100 µs in a virtual machine, a good share
	// of a product this size) then takes fewer parts instead of finishing last. The helpers are
	// package spin's, which stay awake between the products of a training step.
	parts := min(tiles, threads*gemmPartsPerThread)
	run := func(lo, hi int) {
		if splitN {
			bs := b[min(lo, len(b)):]
			if transB {
				bs = b[lo*ldb:]
			}
			gemmSerial(g, transA, transB, m, hi-lo, k, alpha, a, lda, bs, ldb, add, c[lo:], ldc, epi.shift(lo, lo))
		} else {
			as := a[min(lo, len(a)):]
			if !transA {
				as = a[lo*lda:]
			}
			gemmSerial(g, transA, transB, hi-lo, n, k, alpha, as, lda, b, ldb, add, c[lo*ldc:], ldc, epi.shift(0, lo*ldc))
		}
	}
	var next atomic.Int32
	work := func() {
		for {
			p := int(next.Add(1)) - 1
			if p >= parts {
				return
			}
			if lo, hi := tiles*p/parts*unit, min(dim, tiles*(p+1)/parts*unit); lo < hi {
				run(lo, hi)
			}
		}
	}
	spin.Run(threads-1, spin.Func(work)) // the calling goroutine works too
}

// gemmPartsPerThread is how many parts gemmParallel cuts a product into per goroutine.
const gemmPartsPerThread = 2

// gemmSplits counts the products split over goroutines (tests check that the split ran).
var gemmSplits atomic.Int64

// scaleC sets C = beta*C on the m x n matrix c with row stride ldc; beta == 0 stores zeros
// without reading C, beta == 1 leaves it.
func scaleC[T Float](m, n int, beta T, c []T, ldc int) {
	if beta == 1 {
		return
	}
	for i := range m {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

// narrowTiles reports whether the smaller tile of narrow computes m x n with less than half the
// padded area of the tile of wide (C padded to whole tiles), as when n is 10 or m is 1: a
// 512-bit kernel does up to twice the work per instruction of a 256-bit one, so only then is the
// narrow one sure to win.
func narrowTiles[T Float](m, n int, wide, narrow *gemmKernel[T]) bool {
	return 2*gemmArea(m, n, narrow) <= gemmArea(m, n, wide)
}

// gemmArea is the area of C padded to the tiles g computes it with: whole mr x nr tiles inside
// and the tiles of edgeTile at the edges.
func gemmArea[T Float](m, n int, g *gemmKernel[T]) int {
	fm, fn, em, en := m/g.mr, n/g.nr, m%g.mr, n%g.nr
	area := fm * fn * g.mr * g.nr
	if en > 0 {
		_, r, c := g.edgeTile(g.mr, en)
		area += fm * r * c
	}
	if em > 0 {
		_, r, c := g.edgeTile(em, g.nr)
		area += fn * r * c
		if en > 0 {
			_, r, c = g.edgeTile(em, en)
			area += r * c
		}
	}
	return area
}

// fewerCells reports whether the tile of alt pads C to at most 92% of the area the tile of g
// pads it to, as the 6 x 56 AVX-512 tile does for 50 columns (56 against 64), where both
// kernels run at the same number of multiply-adds per cycle (for their padded tiles). The
// margin keeps g, the tested default, where alt would gain little.
func fewerCells[T Float](m, n int, alt, g *gemmKernel[T]) bool {
	return 100*gemmArea(m, n, alt) <= 92*gemmArea(m, n, g)
}
