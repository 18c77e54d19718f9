//go:build !purego

package asm

// SoftplusGradF32NEON sets dx[i] = dy[i]·σ(x[i]), the gradient through Softplus (σ the logistic
// sigmoid), computed in float64 lanes as dy·σ(x) with σ(x) = q for x >= 0 and e·q for x < 0,
// e = e^-|x| to about 2^-32 and q = 1/(1 + e), and rounded once: within 1 ULP of the correctly
// rounded result of
//
//	for i := range dx {
//		dx[i] = float32(float64(dy[i]) / (1 + math.Exp(-float64(x[i]))))
//	}
//
// dx = dy where σ(x) rounds to 1 (+Inf included); below x = -300, where every finite dy·σ(x)
// rounds to ±0, x is held at -300, so that an infinite dy gives ±Inf down to x = -1500 (the loop
// gives NaN below -709.8), and dx = dy·0 below -1500 (-Inf included); NaN in x or dy gives NaN.
// It requires NEON (ASIMD). dy and x must be at least as long as dx; dx may be dy or x (exactly,
// not a shifted overlap). Any length and alignment: it works through 4 elements per iteration and
// loads the last len(dx)%4 one lane at a time (a lane past the end repeats the last element) and
// stores them one lane at a time, so it never reads or writes outside the slices.
//
//go:noescape
func SoftplusGradF32NEON(dx, dy, x []float32)

// SoftplusGradF64NEON sets dx[i] = dy[i]·σ(x[i]), the gradient through Softplus (σ the logistic
// sigmoid), within 2 ULP of the correctly rounded exact value of
//
//	for i := range dx {
//		dx[i] = dy[i] / (1 + math.Exp(-x[i]))
//	}
//
// It computes σ(x) as e^-|x|/(1 + e^-|x|) for x < 0, as 1/(1 + e^-|x|) elsewhere, and multiplies
// dy in before a subnormal factor is scaled, so that any finite dy comes out right (the loop as
// written gives 0 below x = -709.78, where math.Exp(-x) overflows). dx = dy where σ(x) rounds to
// 1 (+Inf included), dy·0 below -1500 (-Inf included; NaN for an infinite dy, as the pure-Go
// path); NaN in x gives NaN. It requires NEON (ASIMD). dy and x must be at least as long as dx;
// dx may be dy or x (exactly, not a shifted overlap). Any length and alignment: 4 elements per
// iteration, then 2, then a last odd element loaded and stored as one lane, so nothing outside
// the slices is read or written.
//
//go:noescape
func SoftplusGradF64NEON(dx, dy, x []float64)
