//go:build !purego

package asm

// TanhF64NEON sets dst[i] = tanh(src[i]), within 1 ULP of the correctly rounded tanh(x) (what
// this loop computes to within math.Tanh's error):
//
//	for i, x := range src {
//		dst[i] = math.Tanh(x)
//	}
//
// (1 - e)/(1 + e) for e = e^(-2|x|), both sums and the quotient carried with low parts (the
// method in tanh_f64_arm64.s). x itself where |x| < 2^-27 (±0 and the subnormals kept), exactly
// ±1 from |x| = 19.07 on and for ±Inf, NaN for NaN. It requires NEON (ASIMD). len(dst) must be at
// least len(src); dst may be src (exactly, not partly overlapping). Any length and alignment: 4
// elements per iteration, then 2, then a last odd element loaded and stored as one lane, so
// nothing outside the slices is read or written.
//
//go:noescape
func TanhF64NEON(dst, src []float64)
