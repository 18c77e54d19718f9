//go:build !purego

package kernels

import "github.com/lanesimd/lanes/asm"

func expF32(dst, src []float32) {
	switch active {
	case isaAVX512:
		asm.ExpF32AVX512(dst, src)
	case isaAVX2:
		asm.ExpF32AVX2(dst, src)
	default:
		expRef(dst, src)
	}
}

func expF64(dst, src []float64) {
	switch active {
	case isaAVX512:
		asm.ExpF64AVX512(dst, src)
	case isaAVX2:
		asm.ExpF64AVX2(dst, src)
	default:
		expF64Go(dst, src)
	}
}
