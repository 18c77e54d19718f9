//go:build !purego

package asm

// TransposeBlocksF32NEON transposes the whole 4 x 4 blocks of the rows x cols matrix src (row
// stride lds) into dst (row stride ldd): with r = rows&^3 and c = cols&^3, it computes
//
//	for i := range r {
//		for j := range c {
//			dst[j*ldd+i] = src[i*lds+j]
//		}
//	}
//
// and leaves the rest of dst alone. It requires NEON (ASIMD). rows, cols >= 0; when r and c are
// not 0, src must hold (r-1)*lds+c elements, dst (c-1)*ldd+r, and they must not overlap. It reads
// and writes only those elements.
//
//go:noescape
func TransposeBlocksF32NEON(dst []float32, ldd int, src []float32, lds int, rows, cols int)

// TransposeBlocksF64NEON transposes the whole 2 x 2 blocks of the rows x cols matrix src (row
// stride lds) into dst (row stride ldd): with r = rows&^1 and c = cols&^1, it computes
//
//	for i := range r {
//		for j := range c {
//			dst[j*ldd+i] = src[i*lds+j]
//		}
//	}
//
// and leaves the rest of dst alone. It requires NEON (ASIMD). rows, cols >= 0; when r and c are
// not 0, src must hold (r-1)*lds+c elements, dst (c-1)*ldd+r, and they must not overlap. It reads
// and writes only those elements.
//
//go:noescape
func TransposeBlocksF64NEON(dst []float64, ldd int, src []float64, lds int, rows, cols int)
