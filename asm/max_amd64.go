//go:build !purego

package asm

// MaxF32AVX512 returns the largest element of x, -Inf for an empty x and a NaN if x holds one. It
// computes
//
//	m := float32(math.Inf(-1))
//	for _, v := range x {
//		if v != v {
//			return v
//		}
//		if v > m {
//			m = v
//		}
//	}
//	return m
//
// The NaN returned is the default quiet NaN, not the one in x. When the largest value is 0 and
// both +0 and -0 occur, which zero comes back is unspecified. It requires AVX-512F. Any length and
// alignment: 64 elements per iteration, then 16, then the last len(x)%16 with K-masked loads
// (masked-off lanes count as -Inf), so it never reads outside the slice.
//
//go:noescape
func MaxF32AVX512(x []float32) float32

// MaxF32AVX2 returns the largest element of x, -Inf for an empty x and a NaN if x holds one. It
// computes
//
//	m := float32(math.Inf(-1))
//	for _, v := range x {
//		if v != v {
//			return v
//		}
//		if v > m {
//			m = v
//		}
//	}
//	return m
//
// The NaN returned is the default quiet NaN, not the one in x. When the largest value is 0 and
// both +0 and -0 occur, which zero comes back is unspecified. It requires AVX2. Any length and
// alignment: 32 elements per iteration, then 8, then the last len(x)%8 with VMASKMOV loads
// (masked-off lanes count as -Inf), so it never reads outside the slice.
//
//go:noescape
func MaxF32AVX2(x []float32) float32

// MaxF64AVX512 returns the largest element of x, -Inf for an empty x and a NaN if x holds one. It
// computes
//
//	m := float64(math.Inf(-1))
//	for _, v := range x {
//		if v != v {
//			return v
//		}
//		if v > m {
//			m = v
//		}
//	}
//	return m
//
// The NaN returned is the default quiet NaN, not the one in x. When the largest value is 0 and
// both +0 and -0 occur, which zero comes back is unspecified. It requires AVX-512F. Any length and
// alignment: 32 elements per iteration, then 8, then the last len(x)%8 with K-masked loads
// (masked-off lanes count as -Inf), so it never reads outside the slice.
//
//go:noescape
func MaxF64AVX512(x []float64) float64

// MaxF64AVX2 returns the largest element of x, -Inf for an empty x and a NaN if x holds one. It
// computes
//
//	m := float64(math.Inf(-1))
//	for _, v := range x {
//		if v != v {
//			return v
//		}
//		if v > m {
//			m = v
//		}
//	}
//	return m
//
// The NaN returned is the default quiet NaN, not the one in x. When the largest value is 0 and
// both +0 and -0 occur, which zero comes back is unspecified. It requires AVX2. Any length and
// alignment: 16 elements per iteration, then 4, then the last len(x)%4 with VMASKMOV loads
// (masked-off lanes count as -Inf), so it never reads outside the slice.
//
//go:noescape
func MaxF64AVX2(x []float64) float64
