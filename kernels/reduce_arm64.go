//go:build !purego

package kernels

import "github.com/lanesimd/lanes/asm"

func maxF32(x []float32) float32 {
	if active == isaNEON {
		return asm.MaxF32NEON(x)
	}
	return maxRef(x)
}

func maxF64(x []float64) float64 {
	if active == isaNEON {
		return asm.MaxF64NEON(x)
	}
	return maxRef(x)
}

func sumF32(x []float32) float32 {
	if active == isaNEON {
		return asm.SumF32NEON(x)
	}
	return sumRef(x)
}

func sumF64(x []float64) float64 {
	if active == isaNEON {
		return asm.SumF64NEON(x)
	}
	return sumRef(x)
}

func dotF32(x, y []float32) float32 {
	if active == isaNEON {
		return asm.DotF32NEON(x, y)
	}
	return dotRef(x, y)
}

func dotF64(x, y []float64) float64 {
	if active == isaNEON {
		return asm.DotF64NEON(x, y)
	}
	return dotRef(x, y)
}

func axpyF32(alpha float32, x, y []float32) {
	if active == isaNEON {
		asm.AxpyF32NEON(alpha, x, y)
		return
	}
	axpyRef(alpha, x, y)
}

func axpyF64(alpha float64, x, y []float64) {
	if active == isaNEON {
		asm.AxpyF64NEON(alpha, x, y)
		return
	}
	axpyRef(alpha, x, y)
}

func scaleF32(alpha float32, dst, src []float32) {
	if active == isaNEON {
		asm.ScaleF32NEON(alpha, dst, src)
		return
	}
	scaleRef(alpha, dst, src)
}

func scaleF64(alpha float64, dst, src []float64) {
	if active == isaNEON {
		asm.ScaleF64NEON(alpha, dst, src)
		return
	}
	scaleRef(alpha, dst, src)
}
