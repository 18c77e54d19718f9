//go:build !purego

package asm

// GELUTanhF32NEON sets dst[i] = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) for x = src[i], the
// tanh approximation of GELU. It computes
//
//	for i, x := range src {
//		v := 2 * math.Sqrt(2/math.Pi) * (float64(x) + 0.044715*float64(x)*float64(x)*float64(x))
//		dst[i] = float32(float64(x) / (1 + math.Exp(-v)))
//	}
//
// (0.5·(1 + tanh(u)) is sigmoid(2u)) in float64 arithmetic as x/(1+e) for x >= 0 and x·e/(1+e)
// for x < 0, with e = e^-|v| within about 2^-32 (the method in gelutanh_arm64.s), rounded once
// to float32: within 1 ULP of the correctly rounded result of the formula with its constants
// taken as exact. +Inf gives +Inf and large x give x itself; the results of negative x go through
// the float32 subnormals to -0 (below about -10.77), -Inf included; ±0 give ±0 and NaN stays NaN.
// It requires NEON (ASIMD). len(dst) must be at least len(src); dst may be src (exactly, not
// partly overlapping). Any length and alignment: 4 elements per iteration, then the last
// len(src)%4 loaded and stored one lane at a time, so nothing outside the slices is read or
// written.
//
//go:noescape
func GELUTanhF32NEON(dst, src []float32)
