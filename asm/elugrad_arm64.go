//go:build !purego

package asm

// ELUGradF32NEON sets dx[i] = dy[i] where x[i] > 0 or x[i] is NaN and dy[i]·alpha·e^x[i] where
// x[i] <= 0, the gradient through ELU (ELU'(0) = alpha), within 1 ULP of the correctly rounded
// result of
//
//	for i := range dx {
//		g := dy[i]
//		if x[i] <= 0 {
//			g = float32(float64(g) * (float64(alpha) * math.Exp(float64(x[i]))))
//		}
//		dx[i] = g
//	}
//
// It evaluates (dy·alpha)·e^x in float64 lanes from e^x accurate to about 2^-32 and rounds it
// once; it differs from the loop only where dy or alpha is infinite and x is below -745 (where
// math.Exp rounds to 0): e^x is held at e^-300 below -300 and taken as 0 only below -1500 (and at
// -Inf), so dx is ±Inf down to -1500 and NaN below, as the package's float64 formula has it.
// Where x > 0 or NaN it selects dy exactly. It requires NEON (ASIMD). dy and x must be at least
// as long as dx; dx may be dy or x (exactly, not a shifted overlap). Any length and alignment: it
// works through 4 elements per iteration and loads the last len(dx)%4 one lane at a time (a lane
// past the end repeats the last element) and stores them one lane at a time, so it never reads or
// writes outside the slices.
//
//go:noescape
func ELUGradF32NEON(alpha float32, dx, dy, x []float32)

// ELUGradF64NEON sets dx[i] = dy[i] where x[i] > 0 or x[i] is NaN and dy[i]·alpha·e^x[i] where
// x[i] <= 0, the gradient through ELU (ELU'(0) = alpha), within 2 ULP of the correctly rounded
// result of
//
//	for i := range dx {
//		g := dy[i]
//		if x[i] <= 0 {
//			g *= alpha * math.Exp(x[i])
//		}
//		dx[i] = g
//	}
//
// evaluated exactly. It multiplies dy and alpha into the significand of e^x before its scaling by
// 2^n (the method in elugrad_arm64.s), so it differs from the loop where that loses the product: a
// large dy times an e^x that is subnormal or 0 in float64 (x below -708) comes out right down to x
// = -1500, and below -1500 (-Inf included) dx = dy·(alpha·0), NaN for an infinite dy, as the
// package's float64 formula has it; and dx overflows only where dy·alpha·e^x does (that formula,
// which multiplies dy·alpha into a significand in [1, 2), gives ±Inf for some x < 0 where
// |dy·alpha| is above about 2^1023). Where x > 0 or NaN it selects dy exactly. It requires NEON
// (ASIMD). dy and x must be at least as long as dx; dx may be dy or x (exactly, not a shifted
// overlap). Any length and alignment: 4 elements per iteration, then 2, then a last odd element
// loaded and stored as one lane, so nothing outside the slices is read or written.
//
//go:noescape
func ELUGradF64NEON(alpha float64, dx, dy, x []float64)
