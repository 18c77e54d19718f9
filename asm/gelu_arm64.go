//go:build !purego

package asm

// GELUF32NEON sets dst[i] = x·Φ(x) = 0.5·x·(1 + erf(x/√2)) for x = src[i], the exact form of the
// Gaussian error linear unit. It computes
//
//	for i, x := range src {
//		v := float64(x)
//		dst[i] = float32(0.5 * v * math.Erfc(-v/math.Sqrt2))
//	}
//
// in float64 arithmetic as x·(1 - q) for x >= 0 and x·q for x < 0, q = 0.5·erfc(|x|/√2) within
// about 2^-31 relative (the method in gelu_arm64.s), rounded once to float32: within 1 ULP of the
// correctly rounded result. +Inf gives +Inf and large x give x itself; the results of negative x
// go through the float32 subnormals to -0 (below about -14.36), -Inf included; ±0 give ±0, the
// results of the tiniest x (whose halves are float32 rounding midpoints) round as the exact
// values do, and NaN stays NaN. It requires NEON (ASIMD). len(dst) must be at least len(src);
// dst may be src (exactly, not partly overlapping). Any length and alignment: 4 elements per
// iteration, then the last len(src)%4 loaded and stored one lane at a time, so nothing outside
// the slices is read or written.
//
//go:noescape
func GELUF32NEON(dst, src []float32)

// GELUF64NEON sets dst[i] = x·Φ(x) = 0.5·x·erfc(-x/√2) for x = src[i], the exact Gaussian error
// linear unit, within 3 ULP of the correctly rounded value that the loop
//
//	for i, x := range src {
//		dst[i] = 0.5 * x * math.Erfc(-x/math.Sqrt2)
//	}
//
// approximates (the loop itself loses the accuracy of its tiny results, -x/√2 rounded). It
// computes x - h for x >= 0 and -h for x < 0, h = c·erfc(c/√2)/2 for c = |x| as a piecewise
// polynomial times e^(-c²/2) (the method in gelu_arm64.s, that of the amd64 kernels).
// GELU(+Inf) = +Inf, GELU(-Inf) = -0, ±0 stay ±0, NaN stays NaN, and the results of negative
// inputs keep their relative accuracy down through the subnormals (they round to -0 below
// -38.58). It requires NEON (ASIMD). len(dst) must be at least len(src); dst may be src (exactly,
// not partly overlapping). Any length and alignment: 4 elements per iteration, then 2, then a last
// odd element loaded and stored as one lane, so nothing outside the slices is read or written.
//
//go:noescape
func GELUF64NEON(dst, src []float64)
