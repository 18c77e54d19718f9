//go:build !purego

package kernels

import "github.com/lanesimd/lanes/asm"

func expF32(dst, src []float32) {
	if active == isaNEON {
		asm.ExpF32NEON(dst, src)
		return
	}
	expRef(dst, src)
}

func expF64(dst, src []float64) {
	if active == isaNEON {
		asm.ExpF64NEON(dst, src)
		return
	}
	expF64Go(dst, src)
}

func sigmoidF32(dst, src []float32) {
	if active == isaNEON {
		asm.SigmoidF32NEON(dst, src)
		return
	}
	sigmoidRef(dst, src)
}
func sigmoidF64(dst, src []float64) {
	if active == isaNEON {
		asm.SigmoidF64NEON(dst, src)
		return
	}
	sigmoidF64Go(dst, src)
}
