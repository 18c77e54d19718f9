//go:build !purego

package asm

// The tile of GemmF32AVX512: GemmF32AVX512Rows rows by GemmF32AVX512Cols columns.
const (
	GemmF32AVX512Rows = 10
	GemmF32AVX512Cols = 32
)

// GemmF32AVX512 is a GEMM micro-kernel: it multiplies an A micro-panel (10 rows, any row and
// column strides) by a packed B micro-panel into a 10 x 32 tile of C. It computes
//
//	const mr, nr = 10, 32
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
// the order of the additions, which is the order of l, are the only differences. The sums are
// kept in 20 ZMM registers (2 per row of the tile) for the whole loop over l.
//
// Layout (the one kernels' GEMM driver writes): element (i, l) of the A micro-panel is
// a[i*rs+l*cs], so the driver may pack A row by row (rs = k or more, cs = 1) or step by step
// (rs = 1, cs = 10); b holds, for each step l, the 32 elements of row l of the B micro-panel.
// Padding rows and columns are zeros written by the packer.
//
// Contract: rs, cs >= 0; every a[i*rs+l*cs] for i < 10, l < k lies in a; len(b) >= k*32;
// len(c) >= 9*ldc+32; ldc >= 32; k >= 0 (k == 0 stores zeros, or adds nothing). The kernel
// reads and writes exactly the 10 x 32 tile of c, and reads only those elements of a and the
// first k*32 of b; it does not check the lengths, so a tile at the edge of C must be computed
// into a 10 x 32 scratch tile and copied out by the caller. c must not overlap a or b. No
// alignment is needed. It requires AVX-512F.
//
//go:noescape
func GemmF32AVX512(a []float32, rs, cs int, b, c []float32, k, ldc int, add bool)
