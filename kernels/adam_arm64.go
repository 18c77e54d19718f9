//go:build !purego

package kernels

import "github.com/lanesimd/lanes/asm"

func adamF32(w, g, m, v []float32, b1, c1, b2, c2, lr, eps float32) {
	if active == isaNEON {
		asm.AdamF32NEON(w, g, m, v, b1, c1, b2, c2, lr, eps)
		return
	}
	adamRef(w, g, m, v, b1, c1, b2, c2, lr, eps)
}
