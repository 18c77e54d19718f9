package kernels

import "sync/atomic"

// Products whose A is mostly zero. A batch of MNIST images is 81% zero pixels: in half the steps
// of an 8-row micro-panel (8 images at one pixel) all 8 are zero, in 60% of those of 8
// neighbouring pixels of one image (the weight gradient's A). A kernel with a skipping twin
// (gemmKernel.skip) multiplies only the other steps, so that it computes such a product in about
// half the time even where its tile pads C more than the tile gemmFor picks for the shape: the
// Keras MLP's first layer, 128 x 512 x 784, ran at 162 GFLOP/s (counting every step) on the 8 x 50
// tile against 107 on the 10 x 32 one, its weight gradient at 180 against 108 (AMD Zen 4).

// sparseSteps and sparsePanels bound the sample sparseWins takes of A: at most sparseSteps steps,
// evenly spaced over the depth, of each of at most sparsePanels micro-panels, evenly spaced over
// the rows: 2,048 elements of op(A) at most, against m*n*k multiply-adds.
const (
	sparseSteps = 64
	// sparseMinDepth is the least depth sent to the sparse kernel: below it the tile's fixed
	// costs (zeroing and storing its sums, the probe) weigh more than the steps it passes over.
	sparseMinDepth = 64
	sparsePanels   = 4
)

// gemmSparseRoutes counts the products gemmRoute gave to the sparse kernel (tests check that it
// ran, and that it did not for a dense A).
var gemmSparseRoutes atomic.Int64

// sparseWins reports whether the kernel s, whose skipping twin passes over the steps of op(A)
// where all s.mr rows are +0, should compute the m x n x k product instead of g: whether the
// share z of such steps in a sample of op(A) makes C's area padded to s's tiles, times the part
// of the steps s multiplies (1 - z, plus 15% of it for reading them through a list and 5% of all
// for the list's scan), less than C's area padded to g's tiles. A dense A (z = 0) keeps g, as do a
// B stored transposed (s's packing of it is not checked for Inf and NaN, so its twin would not
// run), a depth under sparseMinDepth, fewer rows than one micro-panel of s and fewer columns than
// one of its tiles (every tile an edge tile then, computed into scratch and copied).
func sparseWins[T Float](g, s *gemmKernel[T], transA, transB bool, m, n, k int, a []T, lda int) bool {
	if transB || k < sparseMinDepth || m < s.mr || n < s.nr {
		return false
	}
	z := zeroStepShare(transA, m, k, a, lda, s.mr)
	if z == 0 || float64(gemmArea(m, n, s))*(1.15*(1-z)+0.05) >= float64(gemmArea(m, n, g)) {
		return false
	}
	gemmSparseRoutes.Add(1)
	return true
}

// zeroStepShare samples op(A) (m x k, stored as Gemm says) and returns the share of the sampled
// steps l of mr-row micro-panels (rows i0 to i0+mr-1) whose mr elements at l are all zero.
func zeroStepShare[T Float](transA bool, m, k int, a []T, lda, mr int) float64 {
	full := m / mr
	panels, steps := min(sparsePanels, full), min(sparseSteps, k)
	zero := 0
	for p := range panels {
		i0 := p * full / panels * mr
	step:
		for s := range steps {
			l := s * k / steps
			for i := i0; i < i0+mr; i++ {
				if opAt(transA, a, lda, i, l) != 0 {
					continue step
				}
			}
			zero++
		}
	}
	return float64(zero) / float64(panels*steps)
}

// opAt is element (i, l) of op(A), A stored as Gemm says (transposed when transA).
func opAt[T Float](transA bool, a []T, lda, i, l int) T {
	if transA {
		return a[l*lda+i]
	}
	return a[i*lda+l]
}
