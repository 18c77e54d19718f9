//go:build !purego

package asm

// SoftmaxMaxF64AVX512 returns the largest element of x, -Inf for an empty x:
//
//	m := math.Inf(-1)
//	for _, v := range x {
//		if v > m {
//			m = v
//		}
//	}
//	return m
//
// where x holds no NaN; where it does, the result is NaN or the largest of the other elements
// (softmax needs no more: a NaN element makes the sum of SoftmaxExpSumF64AVX512 NaN). It requires
// AVX-512 F and DQ. Any length and alignment: the last len(x)%8 elements are loaded under a K
// mask, so nothing outside x is read.
//
//go:noescape
func SoftmaxMaxF64AVX512(x []float64) float64

// SoftmaxExpSumF64AVX512 computes, for len(src) elements,
//
//	var s float64
//	for i, x := range src {
//		dst[i] = math.Exp(x - sub)
//		s += dst[i]
//	}
//	return s
//
// for sub at least every src[i], as the row's maximum is (src[i] - sub up to 1100 still gives
// e^(src[i]-sub) or +Inf; beyond that the result is unspecified). e^x is as in ExpF64AVX512
// (within 1 ULP), NaN where src[i] or sub is NaN. The sum is accumulated in 32 interleaved
// partial sums (8 lanes times 4 registers) and then added pairwise, so it can differ from the loop's
// sum by rounding. It requires AVX-512 F and DQ. len(dst) must be at least len(src); dst may be
// src (exactly, not partly overlapping). Any length and alignment: the last len(src)%8 elements are
// loaded and stored under a K mask, so nothing outside the slices is read or written.
//
//go:noescape
func SoftmaxExpSumF64AVX512(dst, src []float64, sub float64) float64

// SoftmaxScaleF64AVX512 computes
//
//	for i := range x {
//		x[i] *= a
//	}
//
// It requires AVX-512 F and DQ. Any length and alignment: the last len(x)%8 elements are loaded
// and stored under a K mask, so nothing outside x is read or written.
//
//go:noescape
func SoftmaxScaleF64AVX512(x []float64, a float64)

// SoftmaxMaxF64AVX2 is SoftmaxMaxF64AVX512 with AVX2: the same result for x without NaN.
// Any length and alignment: the last len(x)%4 elements are loaded with VMASKMOVPD, so nothing
// outside x is read.
//
//go:noescape
func SoftmaxMaxF64AVX2(x []float64) float64

// SoftmaxExpSumF64AVX2 is SoftmaxExpSumF64AVX512 with AVX2 and FMA3, with 4 partial sums
// (the lanes of one register). len(dst) must be at least len(src); dst may be src. Any length
// and alignment: the last len(src)%4 elements are loaded and stored with VMASKMOVPD, so nothing
// outside the slices is read or written.
//
//go:noescape
func SoftmaxExpSumF64AVX2(dst, src []float64, sub float64) float64

// SoftmaxScaleF64AVX2 is SoftmaxScaleF64AVX512 with AVX2. Any length and alignment: the last
// len(x)%4 elements are loaded and stored with VMASKMOVPD, so nothing outside x is read or
// written.
//
//go:noescape
func SoftmaxScaleF64AVX2(x []float64, a float64)
