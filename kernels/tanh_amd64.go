//go:build !purego

package kernels

import "github.com/lanesimd/lanes/asm"

func tanhF32(dst, src []float32) {
	switch active {
	case isaAVX512:
		asm.TanhF32AVX512(dst, src)
	case isaAVX2:
		asm.TanhF32AVX2(dst, src)
	default:
		tanhRef(dst, src)
	}
}
