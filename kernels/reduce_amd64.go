//go:build !purego

package kernels

import "github.com/lanesimd/lanes/asm"

func maxF32(x []float32) float32 {
	switch active {
	case isaAVX512:
		return asm.MaxF32AVX512(x)
	case isaAVX2:
		return asm.MaxF32AVX2(x)
	}
	return maxRef(x)
}

func maxF64(x []float64) float64 {
	switch active {
	case isaAVX512:
		return asm.MaxF64AVX512(x)
	case isaAVX2:
		return asm.MaxF64AVX2(x)
	}
	return maxRef(x)
}

func sumF32(x []float32) float32 {
	switch active {
	case isaAVX512:
		return asm.SumF32AVX512(x)
	case isaAVX2:
		return asm.SumF32AVX2(x)
	}
	return sumRef(x)
}

func sumF64(x []float64) float64 {
	switch active {
	case isaAVX512:
		return asm.SumF64AVX512(x)
	case isaAVX2:
		return asm.SumF64AVX2(x)
	}
	return sumRef(x)
}

func dotF32(x, y []float32) float32 {
	switch active {
	case isaAVX512:
		return asm.DotF32AVX512(x, y)
	case isaAVX2:
		return asm.DotF32AVX2(x, y)
	}
	return dotRef(x, y)
}

func dotF64(x, y []float64) float64 {
	switch active {
	case isaAVX512:
		return asm.DotF64AVX512(x, y)
	case isaAVX2:
		return asm.DotF64AVX2(x, y)
	}
	return dotRef(x, y)
}

func axpyF32(alpha float32, x, y []float32) {
	switch active {
	case isaAVX512:
		asm.AxpyF32AVX512(alpha, x, y)
	case isaAVX2:
		asm.AxpyF32AVX2(alpha, x, y)
	default:
		axpyRef(alpha, x, y)
	}
}

func axpyF64(alpha float64, x, y []float64) {
	switch active {
	case isaAVX512:
		asm.AxpyF64AVX512(alpha, x, y)
	case isaAVX2:
		asm.AxpyF64AVX2(alpha, x, y)
	default:
		axpyRef(alpha, x, y)
	}
}

func scaleF32(alpha float32, dst, src []float32) {
	switch active {
	case isaAVX512:
		asm.ScaleF32AVX512(alpha, dst, src)
	case isaAVX2:
		asm.ScaleF32AVX2(alpha, dst, src)
	default:
		scaleRef(alpha, dst, src)
	}
}

func scaleF64(alpha float64, dst, src []float64) {
	switch active {
	case isaAVX512:
		asm.ScaleF64AVX512(alpha, dst, src)
	case isaAVX2:
		asm.ScaleF64AVX2(alpha, dst, src)
	default:
		scaleRef(alpha, dst, src)
	}
}
