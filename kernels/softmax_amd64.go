//go:build !purego

package kernels

import "github.com/lanesimd/lanes/asm"

// softmaxF32 and softmaxF64 run three passes over each row: the maximum, e^(x-max) into dst
// with its sum, and the scaling of dst by 1/sum; the assembly does all rows in one call. A NaN
// in the row makes the sum NaN, and so the whole row; the maximum pass need not find it.
func softmaxF32(dst, src []float32, cols int) {
	switch active {
	case isaAVX512:
		asm.SoftmaxF32AVX512(dst, src, cols)
	case isaAVX2:
		asm.SoftmaxF32AVX2(dst, src, cols)
	default:
		softmaxRef(dst, src, cols)
	}
}

func softmaxF64(dst, src []float64, cols int) {
	switch active {
	case isaAVX512:
		asm.SoftmaxF64AVX512(dst, src, cols)
	case isaAVX2:
		asm.SoftmaxF64AVX2(dst, src, cols)
	default:
		softmaxF64Go(dst, src, cols)
	}
}
