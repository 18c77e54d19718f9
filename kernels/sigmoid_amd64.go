//go:build !purego

package kernels

import "github.com/lanesimd/lanes/asm"

func sigmoidF32(dst, src []float32) {
	switch active {
	case isaAVX512:
		asm.SigmoidF32AVX512(dst, src)
	case isaAVX2:
		asm.SigmoidF32AVX2(dst, src)
	default:
		sigmoidRef(dst, src)
	}
}

func sigmoidF64(dst, src []float64) {
	switch active {
	case isaAVX512:
		asm.SigmoidF64AVX512(dst, src)
	case isaAVX2:
		asm.SigmoidF64AVX2(dst, src)
	default:
		sigmoidF64Go(dst, src)
	}
}
