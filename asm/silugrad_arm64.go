//go:build !purego

package asm

// SiLUGradF32NEON sets dx[i] = dy[i]·σ(x)·(1 + x·σ(-x)) for x = x[i], the gradient through SiLU
// (σ the logistic sigmoid), within 1 ULP of the correctly rounded result of
//
//	for i := range dx {
//		x := float64(x[i])
//		s := 1 / (1 + math.Exp(-x))
//		dx[i] = float32(float64(dy[i]) * (s + x*s*(1-s)))
//	}
//
// except next to the zero of the derivative at x = -1.2785, where the two terms cancel and the
// error is a few float32 ULP of |dy|·σ(x). It evaluates σ(x) + x·e·q² in float64 lanes,
// e = e^-|x| to about 2^-32, q = 1/(1 + e), so that neither σ(-x) nor 1 - σ(x) is computed by
// subtraction, and rounds dy times it once. dx = dy where the derivative rounds to 1 (+Inf
// included); below x = -300, where every finite dy·f' rounds to ∓0, x is held at -300, so that an
// infinite dy gives ∓Inf down to x = -1500, and dx = dy·-0 below -1500 (-Inf included); NaN in x
// or dy gives NaN. It requires NEON (ASIMD). dy and x must be at least as long as dx; dx may be
// dy or x (exactly, not a shifted overlap). Any length and alignment: it works through 4 elements
// per iteration and loads the last len(dx)%4 one lane at a time (a lane past the end repeats the
// last element) and stores them one lane at a time, so it never reads or writes outside the
// slices.
//
//go:noescape
func SiLUGradF32NEON(dx, dy, x []float32)

// SiLUGradF64NEON sets dx[i] = dy[i]·σ(x)·(1 + x·(1 - σ(x))) for x = x[i], the gradient through
// SiLU, within 2 ULP of the correctly rounded exact value of
//
//	for i := range dx {
//		v := x[i]
//		s := 1 / (1 + math.Exp(-v))
//		dx[i] = dy[i] * s * (1 + v*(1-s))
//	}
//
// except next to the zero of the derivative (x = -1.2785), where the error is within 2 ULP of
// |dy|·σ(x)·(1 + |x|·σ(-x)). It evaluates 1 - σ(x) as σ(-x), without cancellation, and
// multiplies dy in before a subnormal factor is scaled, so that any finite dy comes out right. dx
// = dy for x > 50 (+Inf included), dy·-0 below -1500 (-Inf included; NaN for an infinite dy, as
// the pure-Go path); NaN in x gives NaN. It requires NEON (ASIMD). dy and x must be at least as
// long as dx; dx may be dy or x (exactly, not a shifted overlap). Any length and alignment: 4
// elements per iteration, then 2, then a last odd element loaded and stored as one lane, so
// nothing outside the slices is read or written.
//
//go:noescape
func SiLUGradF64NEON(dx, dy, x []float64)
