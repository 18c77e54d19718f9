//go:build !purego

package asm

// ELUF32NEON sets dst[i] = src[i] where it is above 0 and alpha·(e^src[i] - 1) elsewhere, the
// exponential linear unit. It computes
//
//	for i, x := range src {
//		if !(x > 0) {
//			x = float32(float64(alpha) * math.Expm1(float64(x)))
//		}
//		dst[i] = x
//	}
//
// in float64 arithmetic (e^x - 1 within about 2^-31 relative, by the method in elu_arm64.s),
// rounded once to float32: within 1 ULP of the correctly rounded alpha·(e^x - 1) for any alpha.
// ±0 give alpha·±0 (rounded in float32), -Inf and every x below -120 give -alpha (the float64
// value rounds to -1 from x = -37.5 on), and NaN stays NaN. It requires NEON (ASIMD). len(dst)
// must be at least len(src); dst may be src (exactly, not partly overlapping). Any length and
// alignment: 4 elements per iteration, then the last len(src)%4 loaded and stored one lane at a
// time, so nothing outside the slices is read or written.
//
//go:noescape
func ELUF32NEON(alpha float32, dst, src []float32)

// ELUF64NEON sets dst[i] = src[i] where it is above 0 and alpha·(e^x - 1) for the other
// x = src[i], the exponential linear unit, within 2 ULP of the correctly rounded alpha·(e^x - 1)
// (what this loop computes to within math.Expm1's error):
//
//	for i, x := range src {
//		if !(x > 0) {
//			x = alpha * math.Expm1(x)
//		}
//		dst[i] = x
//	}
//
// It evaluates e^x - 1 as (2^n - 1) + 2^n·(e^r - 1) without cancellation (the method in
// elu_arm64.s) and multiplies by alpha once. NaN stays NaN, +Inf +Inf, -Inf gives -alpha (as does
// every x below -37.43), and -0 gives alpha·-0. It requires NEON (ASIMD). len(dst) must be at
// least len(src); dst may be src (exactly, not partly overlapping). Any length and alignment: 4
// elements per iteration, then 2, then a last odd element loaded and stored as one lane, so
// nothing outside the slices is read or written.
//
//go:noescape
func ELUF64NEON(alpha float64, dst, src []float64)
