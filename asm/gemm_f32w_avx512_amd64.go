//go:build !purego

package asm

// The tile of GemmWideF32AVX512: GemmWideF32AVX512Rows rows by GemmWideF32AVX512Cols columns.
const (
	GemmWideF32AVX512Rows = 6
	GemmWideF32AVX512Cols = 56
)

// GemmWideF32AVX512 is a GEMM micro-kernel: it multiplies an A micro-panel (6 rows, any row and
// column strides) by a packed B micro-panel into a 6 x 56 tile of C. It computes
//
//	const mr, nr = 6, 56
//	for i := 0; i < mr; i++ {
//		for j := 0; j < nr; j++ {
//			var s float32
//			for l := 0; l < k; l++ {
//				s += a[i*rs+l*cs] * b[l*nr+j]
//			}
//			if add {
//				c[i*ldc+j] += s
//			} else {
//				c[i*ldc+j] = s
//			}
//		}
//	}
//
// with each product added by a fused multiply-add (rounded once, as math.FMA rounds); that and
// the order of the additions, which is the order of l, are the only differences. Each row of the
// tile is three 16-column ZMM sums and one 8-column YMM sum (24 registers for the whole loop over
// l), so a product 50 columns wide, as in a neural network's layer of 50 units, is padded to 56
// columns instead of the 64 of GemmF32AVX512; on a CPU that runs a ZMM multiply-add as two YMM
// halves, the YMM column costs half a ZMM one.
//
// Layout (the one kernels' GEMM driver writes): element (i, l) of the A micro-panel is
// a[i*rs+l*cs], so the driver may pack A row by row (rs = k or more, cs = 1) or step by step
// (rs = 1, cs = 6); b holds, for each step l, the 56 elements of row l of the B micro-panel.
// Padding rows and columns are zeros written by the packer.
//
// Contract: rs, cs >= 0; every a[i*rs+l*cs] for i < 6, l < k lies in a; len(b) >= k*56;
// len(c) >= 5*ldc+56; ldc >= 56; k >= 0 (k == 0 stores zeros, or adds nothing). The kernel
// reads and writes exactly the 6 x 56 tile of c, and reads only those elements of a and the
// first k*56 of b; it does not check the lengths, so a tile at the edge of C must be computed
// into a 6 x 56 scratch tile and copied out by the caller. c must not overlap a or b. No
// alignment is needed. It requires AVX-512F and FMA3.
//
//go:noescape
func GemmWideF32AVX512(a []float32, rs, cs int, b, c []float32, k, ldc int, add bool)
