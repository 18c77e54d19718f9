//go:build !purego

package kernels

import "github.com/lanesimd/lanes/asm"

func tanhF32(dst, src []float32) {
	if active == isaNEON {
		asm.TanhF32NEON(dst, src)
		return
	}
	tanhRef(dst, src)
}
