//go:build !purego

package asm

// LeakyReLUF32NEON sets dst[i] = src[i] where it is above 0 and alpha·src[i] elsewhere, the leaky
// rectifier. It computes
//
//	for i, x := range src {
//		if !(x > 0) {
//			x *= alpha
//		}
//		dst[i] = x
//	}
//
// exactly (the product is rounded once, in float32): -0 gives alpha·-0, -Inf gives alpha·-Inf and
// NaN stays NaN. It requires NEON (ASIMD). len(dst) must be at least len(src); dst may be src
// (exactly, not a shifted overlap). Any length and alignment: 16 elements per iteration, then 4,
// then the last len(src)%4 loaded and stored one lane at a time, so nothing outside the slices is
// read or written.
//
//go:noescape
func LeakyReLUF32NEON(alpha float32, dst, src []float32)

// LeakyReLUF64NEON sets dst[i] = src[i] where it is above 0 and alpha·src[i] elsewhere, the leaky
// rectifier. It computes
//
//	for i, x := range src {
//		if !(x > 0) {
//			x *= alpha
//		}
//		dst[i] = x
//	}
//
// exactly (the product is rounded once): -0 gives alpha·-0, -Inf gives alpha·-Inf and NaN stays
// NaN. It requires NEON (ASIMD). len(dst) must be at least len(src); dst may be src (exactly, not
// a shifted overlap). Any length and alignment: 8 elements per iteration, then 2, then the last
// one alone, so nothing outside the slices is read or written.
//
//go:noescape
func LeakyReLUF64NEON(alpha float64, dst, src []float64)
