//go:build !purego

package asm

// MaxF32NEON returns the largest element of x, -Inf for an empty x and a NaN if x holds one. It
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
// The NaN returned is one of those in x, quieted, not necessarily the first. When the largest value
// is 0 and both +0 and -0 occur, which zero comes back is unspecified. It requires NEON (ASIMD).
// Any length and alignment: 32 elements per iteration, then 4, then the last len(x)%4 loaded one
// lane at a time into a vector whose other lanes are -Inf, so it never reads outside the slice.
//
//go:noescape
func MaxF32NEON(x []float32) float32

// MaxF64NEON returns the largest element of x, -Inf for an empty x and a NaN if x holds one. It
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
// The NaN returned is one of those in x, quieted, not necessarily the first. When the largest value
// is 0 and both +0 and -0 occur, which zero comes back is unspecified. It requires NEON (ASIMD).
// Any length and alignment: 16 elements per iteration, then 2, then a last odd element loaded as
// one lane beside a lane of -Inf, so it never reads outside the slice.
//
//go:noescape
func MaxF64NEON(x []float64) float64
