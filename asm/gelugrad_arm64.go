//go:build !purego

package asm

// GELUGradF32NEON sets dx[i] = dy[i]·(Φ(x) + x·φ(x)) for x = x[i], the gradient through the
// exact GELU (Φ the standard normal distribution function, φ its density), computed in float64
// lanes and rounded once: within 1 ULP of the correctly rounded result of
//
//	for i := range dx {
//		v := float64(x[i])
//		d := 0.5*math.Erfc(-v/math.Sqrt2) + v*math.Exp(-v*v/2)/math.Sqrt(2*math.Pi)
//		dx[i] = float32(float64(dy[i]) * d)
//	}
//
// except next to the zero of the derivative at x = -0.7518, where the error is within 1 ULP of
// |dy|·(Φ(x) + |x|·φ(x)) instead. It takes Φ and φ from E = e^(-x²/2) and 0.5·erfcx(|x|/√2) (a
// fit, or its asymptotic series below -15), so that Φ(x) for negative x is never 1 - Φ(-x).
// dx = dy for x >= 10 (+Inf included); below -20, where every finite dy·f' rounds to ∓0, f' is
// held at f'(-20), so that an infinite dy gives ∓Inf, and dx = dy·-0 below -60 (-Inf included);
// NaN in x or dy gives NaN. It requires NEON (ASIMD). dy and x must be at least as long as dx;
// dx may be dy or x (exactly, not a shifted overlap). Any length and alignment: it works through
// 4 elements per iteration and loads the last len(dx)%4 one lane at a time (a lane past the end
// repeats the last element) and stores them one lane at a time, so it never reads or writes
// outside the slices.
//
//go:noescape
func GELUGradF32NEON(dx, dy, x []float32)

// GELUGradF64NEON sets dx[i] = dy[i]·(Φ(x) + x·φ(x)) for x = x[i], the gradient through the
// exact GELU (Φ the standard normal distribution function, φ its density), within 4 ULP of the
// correctly rounded value that the loop
//
//	for i := range dx {
//		v := x[i]
//		d := 0.5*math.Erfc(-v/math.Sqrt2) + v*math.Exp(-v*v/2)/math.Sqrt(2*math.Pi)
//		dx[i] = dy[i] * d
//	}
//
// approximates (the loop itself loses the tiny derivatives of very negative x, which underflow
// before dy multiplies them), except next to the zero of the derivative at x = -0.7518, where the
// error is within 4 ULP of |dy|·(Φ(x) + |x|·φ(x)) instead. It computes 1 + E·D for x >= 0 and
// -E·D for x < 0, E = e^(-x²/2) and D = |x|/√(2π) - erfcx(|x|/√2)/2 as a double-double (the
// method in gelugrad_arm64.s, that of the amd64 kernels). dx = dy for x >= 10 (+Inf included);
// dy·f' is kept down through the subnormals, for any dy up to the largest float64, to x = -60,
// and dx = dy·-0 below -60 (-Inf included); NaN in x or dy gives NaN. It requires NEON (ASIMD).
// dy and x must be at least as long as dx; dx may be dy or x (exactly, not a shifted overlap).
// Any length and alignment: it works through 2 elements per iteration and loads and stores a
// last odd element as one lane, so it never reads or writes outside the slices.
//
//go:noescape
func GELUGradF64NEON(dx, dy, x []float64)
