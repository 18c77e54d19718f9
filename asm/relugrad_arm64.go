//go:build !purego

package asm

// ReLUGradF32NEON sets dx[i] = dy[i] where x[i] > 0 or x[i] is NaN and 0 where x[i] <= 0, the
// gradient through ReLU (ReLU'(0) = 0). It computes, bit for bit,
//
//	for i := range dx {
//		g := dy[i]
//		if x[i] <= 0 {
//			g = 0
//		}
//		dx[i] = g
//	}
//
// It is a select, not a product: an infinite or NaN dy where x <= 0 gives +0. It requires NEON
// (ASIMD). dy and x must be at least as long as dx; dx may be dy or x (exactly, not a shifted
// overlap). Any length and alignment: it works through 16 elements per iteration, then 4, and
// loads the last len(dx)%4 one lane at a time (a lane past the end repeats the last element) and
// stores them one lane at a time, so it never reads or writes outside the slices.
//
//go:noescape
func ReLUGradF32NEON(dx, dy, x []float32)

// ReLUGradF64NEON sets dx[i] = dy[i] where x[i] > 0 or x[i] is NaN and 0 where x[i] <= 0, the
// gradient through ReLU (ReLU'(0) = 0). It computes, bit for bit,
//
//	for i := range dx {
//		g := dy[i]
//		if x[i] <= 0 {
//			g = 0
//		}
//		dx[i] = g
//	}
//
// It is a select, not a product: an infinite or NaN dy where x <= 0 gives +0. It requires NEON
// (ASIMD). dy and x must be at least as long as dx; dx may be dy or x (exactly, not a shifted
// overlap). Any length and alignment: it works through 8 elements per iteration, then 2, and
// loads and stores a last odd element as one lane, so it never reads or writes outside the
// slices.
//
//go:noescape
func ReLUGradF64NEON(dx, dy, x []float64)
