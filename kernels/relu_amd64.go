//go:build !purego

package kernels

import "github.com/lanesimd/lanes/asm"

func reluF32(dst, src []float32) {
	switch active {
	case isaAVX512:
		asm.ReLUF32AVX512(dst, src)
	case isaAVX2:
		asm.ReLUF32AVX2(dst, src)
	default:
		reluRef(dst, src)
	}
}

func reluF64(dst, src []float64) {
	switch active {
	case isaAVX512:
		asm.ReLUF64AVX512(dst, src)
	case isaAVX2:
		asm.ReLUF64AVX2(dst, src)
	default:
		reluRef(dst, src)
	}
}
