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
