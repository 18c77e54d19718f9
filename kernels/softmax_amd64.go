//go:build !purego

package kernels

import "github.com/lanesimd/lanes/asm"

func softmaxF32(dst, src []float32, cols int) { softmaxRef(dst, src, cols) }

// softmaxF64 runs three passes over each row: the maximum, e^(x-max) into dst with its sum, and
// the scaling of dst by 1/sum. A NaN in the row makes the sum NaN, and so the whole row; the
// maximum pass need not find it.
func softmaxF64(dst, src []float64, cols int) {
	switch active {
	case isaAVX512:
		for r := 0; r+cols <= len(src); r += cols {
			row, out := src[r:r+cols:r+cols], dst[r:r+cols:r+cols]
			s := asm.SoftmaxExpSumF64AVX512(out, row, asm.SoftmaxMaxF64AVX512(row))
			asm.SoftmaxScaleF64AVX512(out, 1/s)
		}
	case isaAVX2:
		for r := 0; r+cols <= len(src); r += cols {
			row, out := src[r:r+cols:r+cols], dst[r:r+cols:r+cols]
			s := asm.SoftmaxExpSumF64AVX2(out, row, asm.SoftmaxMaxF64AVX2(row))
			asm.SoftmaxScaleF64AVX2(out, 1/s)
		}
	default:
		softmaxF64Go(dst, src, cols)
	}
}
