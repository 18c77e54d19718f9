//go:build !purego

package asm

// LeakyReLUGradF32NEON sets dx[i] = dy[i] where x[i] > 0 and alpha·dy[i] where x[i] <= 0 or x[i]
// is NaN, the gradient through LeakyReLU (LeakyReLU'(0) = alpha). It computes, bit for bit,
//
//	for i := range dx {
//		g := dy[i]
//		if !(x[i] > 0) {
//			g *= alpha
//		}
//		dx[i] = g
//	}
//
// the product rounded once, in float32. It requires NEON (ASIMD). dy and x must be at least as
// long as dx; dx may be dy or x (exactly, not a shifted overlap). Any length and alignment: it
// works through 16 elements per iteration, then 4, and loads the last len(dx)%4 one lane at a time
// (a lane past the end repeats the last element) and stores them one lane at a time, so it never
// reads or writes outside the slices.
//
//go:noescape
func LeakyReLUGradF32NEON(alpha float32, dx, dy, x []float32)

// LeakyReLUGradF64NEON sets dx[i] = dy[i] where x[i] > 0 and alpha·dy[i] where x[i] <= 0 or x[i]
// is NaN, the gradient through LeakyReLU (LeakyReLU'(0) = alpha). It computes, bit for bit,
//
//	for i := range dx {
//		g := dy[i]
//		if !(x[i] > 0) {
//			g *= alpha
//		}
//		dx[i] = g
//	}
//
// It requires NEON (ASIMD). dy and x must be at least as long as dx; dx may be dy or x (exactly,
// not a shifted overlap). Any length and alignment: it works through 8 elements per iteration,
// then 2, and loads and stores a last odd element as one lane, so it never reads or writes
// outside the slices.
//
//go:noescape
func LeakyReLUGradF64NEON(alpha float64, dx, dy, x []float64)
