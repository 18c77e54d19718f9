//go:build !purego

package kernels

import "github.com/lanesimd/lanes/asm"

func stepF32(dst, src []float32) {
	switch active {
	case isaAVX512:
		asm.StepF32AVX512(dst, src)
	case isaAVX2:
		asm.StepF32AVX2(dst, src)
	default:
		stepRef(dst, src)
	}
}

func stepF64(dst, src []float64) {
	switch active {
	case isaAVX512:
		asm.StepF64AVX512(dst, src)
	case isaAVX2:
		asm.StepF64AVX2(dst, src)
	default:
		stepRef(dst, src)
	}
}
