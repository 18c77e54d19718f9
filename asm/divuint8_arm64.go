//go:build !purego

package asm

// DivUint8F32NEON sets dst[i] = float32(src[i]) / d, correctly rounded. It computes
//
//	for i, b := range src {
//		dst[i] = float32(b) / d
//	}
//
// It requires NEON (ASIMD). It converts the bytes to float64 and multiplies them by
// 1/float64(d), which rounds to the correctly rounded quotient (the proof is in
// asm/_gen/streaming/divuint8.go). len(dst) must be at least len(src). Any length and alignment:
// it works through 8 elements per iteration, then the last len(src)%8 one at a time, so it never
// reads or writes outside the slices.
//
//go:noescape
func DivUint8F32NEON(dst []float32, src []uint8, d float32)

// DivUint8F64NEON sets dst[i] = float64(src[i]) / d, correctly rounded. It computes
//
//	for i, b := range src {
//		dst[i] = float64(b) / d
//	}
//
// It requires NEON (ASIMD). len(dst) must be at least len(src). Any length and alignment: it
// works through 8 elements per iteration, then the last len(src)%8 one at a time, so it never
// reads or writes outside the slices.
//
//go:noescape
func DivUint8F64NEON(dst []float64, src []uint8, d float64)
