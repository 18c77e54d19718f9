//go:build !purego

package asm

// TanhF32NEON computes, for len(src) elements,
//
//	for i, x := range src {
//		dst[i] = float32(math.Tanh(float64(x)))
//	}
//
// in float64 arithmetic (e^(-2|x|) - 1 within about 2^-32 relative, by the method in
// tanh_f32_arm64.s) and one rounding to float32, so within 1 ULP of the correctly rounded tanh and
// nearly always equal to it; x itself for tiny x (+-0 and subnormals kept), +-1 for large |x|
// and +-Inf, NaN for NaN. It requires NEON (ASIMD). len(dst) must be at least len(src); dst may
// be src (exactly, not partly overlapping). Any length and alignment: 4 elements per
// iteration, then the last len(src)%4 loaded and stored one lane at a time, so nothing outside
// the slices is read or written.
//
//go:noescape
func TanhF32NEON(dst, src []float32)
