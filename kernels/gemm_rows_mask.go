package kernels

import "math/bits"

// The masked path of the rows kernels: products whose A is stored transposed and sparse, such as
// the convolution's product of its column matrix (one row per step of the kernel window, one
// column per output pixel; three quarters zeros for MNIST) and its weights, or a dense layer's
// weight gradient (its input, after a ReLU, transposed). Listing the rows of op(A) would take a
// transpose of A first, which costs as much as the product; instead the kernel takes each column
// of the stored A (a row of op(A)) with a mask of its nonzero steps in a depth block of 32, made
// 16 (8) columns at a time, and multiplies A's elements where they are.

const (
	// rowsMaskDepth is the depth of a block of the masked path: a mask is 32 bits.
	rowsMaskDepth = 32
	// rowsMaskMinWork is the smallest product (m*n*k) the masked path samples A for.
	rowsMaskMinWork = 1 << 16
	// rowsMaskMaxWork is the most of the packed tiles' time the masked path may take: the share
	// of nonzero elements times rowsKernel.maskCost must be under it.
	rowsMaskMaxWork = 0.9
)

// rowsMaskFits reports whether the masked path of r can compute an m x n x k product: A stored
// transposed, B not, alpha 1, at least rowsMaskMinWork multiply-adds.
func rowsMaskFits[T Float](r *rowsKernel[T], transA, transB bool, m, n, k int, alpha T) bool {
	return r.masked != nil && transA && !transB && alpha == 1 && int64(m)*int64(n)*int64(k) >= rowsMaskMinWork
}

// rowsMaskWins reports whether the masked path of r should compute the m x n x k product
// (rowsMaskFits) instead of the packed tiles: one depth block, one call of the kernel wide, and a
// sample of op(A) sparse enough. (Deeper or wider products go there only where the lists would:
// rowsKernel.maskForLists. Narrow deep ones, such as the book net's weight gradient, 784 x 50 x
// 100, ran 1.05x slower there than on the skipping tile.)
// The sample is the masks of up to rowsMaskSpots runs of 16 rows of op(A) spread over its m rows,
// made by the kernel itself (rowsWins' sample, read element by element, took about 1 µs here: a
// sixth of a convolution's product).
func rowsMaskWins[T Float](r *rowsKernel[T], transA, transB bool, m, n, k int, alpha T, a []T, lda int) bool {
	if !rowsMaskFits(r, transA, transB, m, n, k, alpha) || k > rowsMaskDepth || n > r.width {
		return false
	}
	s := r.scratch()
	defer r.pool.Put(s)
	if len(s.masks) < rowsMaskSpots*16 {
		s.masks = make([]uint32, max(m, rowsMaskSpots*16))
	}
	sample := s.masks[:0]
	if m <= rowsMaskSpots*16 {
		sample = s.masks[:m]
		r.mask(sample, a, lda, k)
	} else {
		for spot := range rowsMaskSpots {
			p0 := spot * (m - 16) / (rowsMaskSpots - 1)
			run := s.masks[len(sample) : len(sample)+16]
			r.mask(run, a[p0:], lda, k)
			sample = sample[:len(sample)+16]
		}
	}
	bitsSet := 0
	for _, mask := range sample {
		bitsSet += bits.OnesCount32(mask)
	}
	if float64(bitsSet)/float64(len(sample)*k)*r.maskCost >= rowsMaskMaxWork {
		return false
	}
	gemmRowsRoutes.Add(1)
	return true
}

// rowsMaskSpots is how many runs of 16 rows of op(A) rowsMaskWins samples.
const rowsMaskSpots = 4

// rowsMaskedSerial computes the m x n band of C at c (added to it when add) from the transposed A
// at a (k x m, rows lda apart) and B (k x n, rows ldb apart), on the calling goroutine, then
// applies epi: depth block by depth block of rowsMaskDepth steps, the masks of A's columns, and
// for every r.width columns of C, a copy of that block of B (checked for Inf and NaN: if it holds
// one, every step of every row is multiplied, zeros included, so that NaN propagates as in the
// packed product) and the masked kernel.
func rowsMaskedSerial[T Float](r *rowsKernel[T], m, n, k int, a []T, lda int, b []T, ldb int, add bool, c []T, ldc int, epi gemmEpilogue[T]) {
	s := r.scratch()
	defer r.pool.Put(s)
	if len(s.masks) < 2*m {
		s.masks = make([]uint32, 2*m)
	}
	masks, every := s.masks[:m], s.masks[m:2*m]
	kb := min(k, rowsMaskDepth)
	s.b = grow(s.b, kb*rowsMaxWidth)
	for l0 := 0; l0 < k; l0 += kb {
		kq := min(kb, k-l0)
		r.mask(masks, a[l0*lda:], lda, kq)
		filled := false
		for j0 := 0; j0 < n; j0 += r.width {
			cols := min(r.width, n-j0)
			ms := masks
			if !r.pack(s.b, b[l0*ldb+j0:], ldb, kq, cols) {
				if !filled {
					for i := range every {
						every[i] = uint32(1<<kq - 1)
					}
					filled = true
				}
				ms = every
			}
			r.masked(c[j0:], ldc, s.b, rowsStride(cols), a[l0*lda:], lda, ms, cols, add || l0 > 0)
			if l0+kq == k && epi.active() {
				epi.apply(c, j0, ldc, m, cols, j0)
			}
		}
	}
}

// rowsMaskRef is rowsKernel.mask in Go.
func rowsMaskRef[T Float](masks []uint32, a []T, lda, k int) {
	for p := range masks {
		var m uint32
		for t := range k {
			if a[t*lda+p] != 0 {
				m |= 1 << t
			}
		}
		masks[p] = m
	}
}

// rowsMaskedRef is rowsKernel.masked in Go.
func rowsMaskedRef[T Float](c []T, ldc int, b []T, ldb int, a []T, lda int, masks []uint32, cols int, add bool) {
	for r, mask := range masks {
		for j := range cols {
			var s T
			if add {
				s = c[r*ldc+j]
			}
			for t := range rowsMaskDepth {
				if mask&(1<<t) != 0 {
					s += a[t*lda+r] * b[t*ldb+j]
				}
			}
			c[r*ldc+j] = s
		}
	}
}
