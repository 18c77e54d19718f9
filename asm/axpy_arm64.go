//go:build !purego

package asm

// AxpyF32NEON adds alpha*x[i] to y[i] for every i. It computes
//
//	for i, v := range x {
//		y[i] += alpha * v
//	}
//
// Each alpha*x[i]+y[i] is rounded once (FMLA), as math.FMA rounds, where the loop rounds the
// product and then the sum; that is the only difference. It requires NEON (ASIMD). len(y) must be
// at least len(x); x may be y, but must not otherwise overlap it. Any length and alignment: it
// works through 16 elements per iteration, then 4, and loads and stores the last len(x)%4 one lane
// at a time, so it never reads or writes outside the slices.
//
//go:noescape
func AxpyF32NEON(alpha float32, x, y []float32)

// AxpyF64NEON adds alpha*x[i] to y[i] for every i. It computes
//
//	for i, v := range x {
//		y[i] += alpha * v
//	}
//
// Each alpha*x[i]+y[i] is rounded once (FMLA), as math.FMA rounds, where the loop rounds the
// product and then the sum; that is the only difference. It requires NEON (ASIMD). len(y) must be
// at least len(x); x may be y, but must not otherwise overlap it. Any length and alignment: it
// works through 8 elements per iteration, then 2, and loads and stores a last odd element as one
// lane, so it never reads or writes outside the slices.
//
//go:noescape
func AxpyF64NEON(alpha float64, x, y []float64)
