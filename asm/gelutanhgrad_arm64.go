//go:build !purego

package asm

// GELUTanhGradF32NEON sets dx[i] = dy[i]·f'(x[i]) for f = GELUTanh, f(x) = x·σ(v) with
// v = 2√(2/π)(x + 0.044715x³) (σ(v) = (1 + tanh(v/2))/2), within 1 ULP of the correctly rounded
// result of
//
//	for i := range dx {
//		v := float64(x[i])
//		c := math.Sqrt(2 / math.Pi)
//		t := math.Tanh(c * (v + 0.044715*v*v*v))
//		dx[i] = float32(float64(dy[i]) * (0.5*(1+t) + 0.5*v*(1-t*t)*c*(1+3*0.044715*v*v)))
//	}
//
// except next to the zero of the derivative at x = -0.7525, where the two terms cancel and the
// error is within 1 ULP of |dy|·σ(v). It evaluates σ(v) + x·v'·e·q² in float64 lanes, e = e^-|v|
// to about 2^-32, q = 1/(1 + e), so that neither σ(-v) nor 1 - σ(v) is computed by subtraction,
// and rounds dy times it once. dx = dy for x >= 10 (+Inf included); where v < -300 (x below about
// -16.3), where every finite dy·f' rounds to ∓0, v is held at -300 in σ(v) and σ(-v), so that an
// infinite dy gives ∓Inf down to v = -1500 (x = -27.328646), and dx = dy·-0 below (-Inf included),
// as the pure-Go path; NaN in x or dy gives NaN. It requires NEON (ASIMD). dy and x must be at
// least as long as dx; dx may be dy or x (exactly, not a shifted overlap). Any length and
// alignment: it works through 4 elements per iteration and loads the last len(dx)%4 one lane at a
// time (a lane past the end repeats the last element) and stores them one lane at a time, so it
// never reads or writes outside the slices.
//
//go:noescape
func GELUTanhGradF32NEON(dx, dy, x []float32)

// GELUTanhGradF64NEON sets dx[i] = dy[i]·f'(x[i]) for f = GELUTanh, computed as
// σ(v)·(1 + x·v'·σ(-v)) with v = 2√(2/π)(x + 0.044715x³) (σ(v) = (1 + tanh(v/2))/2), within 2 ULP
// of the correctly rounded exact value of
//
//	for i := range dx {
//		v := x[i]
//		c := math.Sqrt(2 / math.Pi)
//		t := math.Tanh(c * (v + 0.044715*v*v*v))
//		dx[i] = dy[i] * (0.5*(1+t) + 0.5*v*(1-t*t)*c*(1+3*0.044715*v*v))
//	}
//
// except next to the zero of the derivative (x = -0.7525), where the error is within 2 ULP of
// |dy|·σ(v)·(1 + |x·v'|·σ(-v)). v and v' are carried as double-doubles, 1 - t as σ(-v) without
// cancellation, and dy is multiplied in before a subnormal factor is scaled, so that any finite
// dy comes out right. dx = dy for x >= 10 (+Inf included), dy·-0 where v < -1500 (x below
// -27.33, -Inf included; NaN for an infinite dy), as the pure-Go path; NaN in x gives NaN. It
// requires NEON (ASIMD). dy and x must be at least as long as dx; dx may be dy or x (exactly, not
// a shifted overlap). Any length and alignment: 2 elements per iteration, then a last odd element
// loaded and stored as one lane, so nothing outside the slices is read or written.
//
//go:noescape
func GELUTanhGradF64NEON(dx, dy, x []float64)
