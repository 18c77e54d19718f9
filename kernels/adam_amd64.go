//go:build !purego

package kernels

import "github.com/lanesimd/lanes/asm"

func adamF32(w, g, m, v []float32, b1, c1, b2, c2, lr, eps float32) {
	switch active {
	case isaAVX512:
		asm.AdamF32AVX512(w, g, m, v, b1, c1, b2, c2, lr, eps)
	case isaAVX2:
		asm.AdamF32AVX2(w, g, m, v, b1, c1, b2, c2, lr, eps)
	default:
		adamRef(w, g, m, v, b1, c1, b2, c2, lr, eps)
	}
}
