//go:build !purego

package asm

// TanhGradF32NEON sets dx[i] = dy[i]·(1 - y[i]²), the gradient through Tanh from its saved output
// y, within 1 ULP of
//
//	for i := range dx {
//		dx[i] = float32(float64(dy[i]) * ((1 - float64(y[i])) * (1 + float64(y[i]))))
//	}
//
// It computes q = 1 - y² with one rounding (a fused multiply-subtract, which does not cancel for
// |y| near 1) and dx = dy·q; where |y| >= 2^32 (outside Tanh's range; y² would overflow float32
// first), dx = (dy·(1 - y))·(1 + y) instead, so that dx overflows only where the loop's result
// does and ±Inf, ±0 and NaN come out as in the loop. It requires NEON (ASIMD). dy and y must be
// at least as long as dx; dx may be dy or y (exactly, not a shifted overlap). Any length and
// alignment: it works through 16 elements per iteration, then 4, and loads the last len(dx)%4 one
// lane at a time (a lane past the end repeats the last element) and stores them one lane at a
// time, so it never reads or writes outside the slices.
//
//go:noescape
func TanhGradF32NEON(dx, dy, y []float32)

// TanhGradF64NEON sets dx[i] = dy[i]·(1 - y[i]²), the gradient through Tanh from its saved output
// y. It computes, bit for bit,
//
//	for i := range dx {
//		dx[i] = dy[i] * ((1 - y[i]) * (1 + y[i]))
//	}
//
// which does not cancel for |y| near 1. NaN and ±Inf propagate as in the loop. It requires NEON
// (ASIMD). dy and y must be at least as long as dx; dx may be dy or y (exactly, not a shifted
// overlap). Any length and alignment: it works through 8 elements per iteration, then 2, and loads
// and stores a last odd element as one lane, so it never reads or writes outside the slices.
//
//go:noescape
func TanhGradF64NEON(dx, dy, y []float64)
