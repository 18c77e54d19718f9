//go:build !purego

package asm

// The tile of GemmF32NEON: GemmF32NEONRows rows by GemmF32NEONCols columns.
const (
	GemmF32NEONRows = 6
	GemmF32NEONCols = 16
)

// GemmF32NEON is a GEMM micro-kernel: it multiplies an A micro-panel (6 rows, any row and column
// strides) by a packed B micro-panel into a 6 x 16 tile of C. It computes
//
//	const mr, nr = 6, 16
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
// with each product added by a fused multiply-add (FMLA, rounded once, as math.FMA rounds); that
// and the order of the additions, which is the order of l, are the only differences. The sums are
// kept in 24 vector registers (4 per row of the tile) for the whole loop over l: each step is 24
// FMLA against 6 broadcast loads of A (LD1R) and one load of 4 registers of B.
//
// Layout (the one kernels' GEMM driver writes): element (i, l) of the A micro-panel is
// a[i*rs+l*cs], so the driver may pack A row by row (rs = k or more, cs = 1) or step by step (rs =
// 1, cs = 6); b holds, for each step l, the 16 elements of row l of the B micro-panel. Padding rows
// and columns are zeros written by the packer.
//
// Contract: rs, cs >= 0; every a[i*rs+l*cs] for i < 6, l < k lies in a; len(b) >= k*16; len(c) >=
// 5*ldc+16; ldc >= 16; k >= 0 (k == 0 stores zeros, or adds nothing). The kernel reads and writes
// exactly the 6 x 16 tile of c, and reads only those elements of a and the first k*16 of b; it does
// not check the lengths, so a tile at the edge of C must be computed into a 6 x 16 scratch tile and
// copied out by the caller. c must not overlap a or b. No alignment is needed. It requires NEON
// (ASIMD).
//
//go:noescape
func GemmF32NEON(a []float32, rs, cs int, b, c []float32, k, ldc int, add bool)
