//go:build !purego

package kernels

import "github.com/lanesimd/lanes/asm"

func reluF32(dst, src []float32) {
	if active == isaNEON {
		asm.ReLUF32NEON(dst, src)
		return
	}
	reluRef(dst, src)
}

func reluF64(dst, src []float64) {
	if active == isaNEON {
		asm.ReLUF64NEON(dst, src)
		return
	}
	reluRef(dst, src)
}

func stepF32(dst, src []float32) {
	if active == isaNEON {
		asm.StepF32NEON(dst, src)
		return
	}
	stepRef(dst, src)
}

func stepF64(dst, src []float64) {
	if active == isaNEON {
		asm.StepF64NEON(dst, src)
		return
	}
	stepRef(dst, src)
}
