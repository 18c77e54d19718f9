//go:build !purego

package kernels

import (
	"github.com/klauspost/cpuid/v2"
	"github.com/lanesimd/lanes/asm"
)

// The amd64 tables: AVX-512 and AVX2+FMA assembly (package asm), the generic table for the rest.

// detectISAs asks the CPU (and, through XGETBV, the OS) which vector extensions are usable.
// The AVX-512 kernels use F (the base), DQ (64-bit integer conversions), BW and VL (masked
// 8/16-bit and 256-bit forms); the AVX2 kernels use AVX2 and FMA3.
func detectISAs() []*table {
	var s []*table
	if cpuid.CPU.Supports(cpuid.AVX512F, cpuid.AVX512DQ, cpuid.AVX512BW, cpuid.AVX512VL, cpuid.AVX2, cpuid.FMA3) {
		s = append(s, avx512Table)
	}
	if cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3, cpuid.AVX) {
		s = append(s, avx2Table)
	}
	return append(s, genericTable)
}

var avx512Table = &table{
	name: "avx512",
	f32: ops[float32]{
		exp: asm.ExpF32AVX512, sigmoid: asm.SigmoidF32AVX512, tanh: asm.TanhF32AVX512,
		relu: asm.ReLUF32AVX512, step: asm.StepF32AVX512, softmax: asm.SoftmaxF32AVX512,
		max: asm.MaxF32AVX512, sum: asm.SumF32AVX512, dot: asm.DotF32AVX512,
		axpy: asm.AxpyF32AVX512, scale: asm.ScaleF32AVX512,
		gelu: geluRef[float32], geluTanh: geluTanhRef[float32], silu: siluRef[float32],
		softplus: softplusRef[float32], elu: eluRef[float32], leakyReLU: leakyReLURef[float32],
		log: logRef[float32], logSoftmax: logSoftmaxRef[float32],
		sigmoidGrad: sigmoidGradRef[float32], tanhGrad: tanhGradRef[float32], reluGrad: reluGradRef[float32],
		leakyReLUGrad: leakyReLUGradRef[float32], eluGrad: eluGradRef[float32], geluGrad: geluGradRef[float32],
		geluTanhGrad: geluTanhGradRef[float32], siluGrad: siluGradRef[float32], softplusGrad: softplusGradRef[float32],
		gemm: gemmAVX512F32, gemmFor: gemmForAVX512F32,
	},
	f64: ops[float64]{
		exp: asm.ExpF64AVX512, sigmoid: asm.SigmoidF64AVX512, tanh: tanhRef[float64],
		relu: asm.ReLUF64AVX512, step: asm.StepF64AVX512, softmax: asm.SoftmaxF64AVX512,
		max: asm.MaxF64AVX512, sum: asm.SumF64AVX512, dot: asm.DotF64AVX512,
		axpy: asm.AxpyF64AVX512, scale: asm.ScaleF64AVX512,
		gelu: geluRef[float64], geluTanh: geluTanhRef[float64], silu: siluRef[float64],
		softplus: softplusRef[float64], elu: eluRef[float64], leakyReLU: leakyReLURef[float64],
		log: logRef[float64], logSoftmax: logSoftmaxRef[float64],
		sigmoidGrad: sigmoidGradRef[float64], tanhGrad: tanhGradRef[float64], reluGrad: reluGradRef[float64],
		leakyReLUGrad: leakyReLUGradRef[float64], eluGrad: eluGradRef[float64], geluGrad: geluGradRef[float64],
		geluTanhGrad: geluTanhGradRef[float64], siluGrad: siluGradRef[float64], softplusGrad: softplusGradRef[float64],
		gemm: gemmAVX512F64, gemmFor: gemmForAVX512F64,
	},
	adam: asm.AdamF32AVX512,
}

var avx2Table = &table{
	name: "avx2",
	f32: ops[float32]{
		exp: asm.ExpF32AVX2, sigmoid: asm.SigmoidF32AVX2, tanh: asm.TanhF32AVX2,
		relu: asm.ReLUF32AVX2, step: asm.StepF32AVX2, softmax: asm.SoftmaxF32AVX2,
		max: asm.MaxF32AVX2, sum: asm.SumF32AVX2, dot: asm.DotF32AVX2,
		axpy: asm.AxpyF32AVX2, scale: asm.ScaleF32AVX2,
		gelu: geluRef[float32], geluTanh: geluTanhRef[float32], silu: siluRef[float32],
		softplus: softplusRef[float32], elu: eluRef[float32], leakyReLU: leakyReLURef[float32],
		log: logRef[float32], logSoftmax: logSoftmaxRef[float32],
		sigmoidGrad: sigmoidGradRef[float32], tanhGrad: tanhGradRef[float32], reluGrad: reluGradRef[float32],
		leakyReLUGrad: leakyReLUGradRef[float32], eluGrad: eluGradRef[float32], geluGrad: geluGradRef[float32],
		geluTanhGrad: geluTanhGradRef[float32], siluGrad: siluGradRef[float32], softplusGrad: softplusGradRef[float32],
		gemm: gemmAVX2F32,
	},
	f64: ops[float64]{
		exp: asm.ExpF64AVX2, sigmoid: asm.SigmoidF64AVX2, tanh: tanhRef[float64],
		relu: asm.ReLUF64AVX2, step: asm.StepF64AVX2, softmax: asm.SoftmaxF64AVX2,
		max: asm.MaxF64AVX2, sum: asm.SumF64AVX2, dot: asm.DotF64AVX2,
		axpy: asm.AxpyF64AVX2, scale: asm.ScaleF64AVX2,
		gelu: geluRef[float64], geluTanh: geluTanhRef[float64], silu: siluRef[float64],
		softplus: softplusRef[float64], elu: eluRef[float64], leakyReLU: leakyReLURef[float64],
		log: logRef[float64], logSoftmax: logSoftmaxRef[float64],
		sigmoidGrad: sigmoidGradRef[float64], tanhGrad: tanhGradRef[float64], reluGrad: reluGradRef[float64],
		leakyReLUGrad: leakyReLUGradRef[float64], eluGrad: eluGradRef[float64], geluGrad: geluGradRef[float64],
		geluTanhGrad: geluTanhGradRef[float64], siluGrad: siluGradRef[float64], softplusGrad: softplusGradRef[float64],
		gemm: gemmAVX2F64,
	},
	adam: asm.AdamF32AVX2,
}

// The GEMM micro-kernels (asm/gemm_amd64.s), with the products (m*n*k multiply-adds) from which
// they are split over goroutines. Both ISAs pack a transposed B with the AVX2 8-row packer.
var (
	gemmAVX512F32 = withPackT8(newGemmKernel("avx512", asm.GemmF32AVX512Rows, asm.GemmF32AVX512Cols, asm.GemmF32AVX512, gemmAsmParallel), asm.GemmPackTF32AVX2)
	gemmAVX512F64 = newGemmKernel("avx512", asm.GemmF64AVX512Rows, asm.GemmF64AVX512Cols, asm.GemmF64AVX512, gemmAsmParallel)
	// gemmAVX512WideF32 is the 6 x 56 AVX-512 tile, for the widths it pads less (fewerCells).
	gemmAVX512WideF32 = withPackT8(newGemmKernel("avx512", asm.GemmWideF32AVX512Rows, asm.GemmWideF32AVX512Cols, asm.GemmWideF32AVX512, gemmAsmParallel), asm.GemmPackTF32AVX2)
	gemmAVX2F32       = withPackT8(newGemmKernel("avx2", asm.GemmF32AVX2Rows, asm.GemmF32AVX2Cols, asm.GemmF32AVX2, gemmAsmParallel), asm.GemmPackTF32AVX2)
	gemmAVX2F64       = newGemmKernel("avx2", asm.GemmF64AVX2Rows, asm.GemmF64AVX2Cols, asm.GemmF64AVX2, gemmAsmParallel)
)

const gemmAsmParallel = 160 * 160 * 160

// gemmForAVX512F32 picks the float32 AVX-512 tile for an m x n product: the AVX2 6 x 16 tile where
// the 10 x 32 one would pad C to more than twice the area (narrowTiles), else the 6 x 56 tile
// where it pads less (fewerCells), else the 10 x 32 tile.
func gemmForAVX512F32(m, n int) *gemmKernel[float32] {
	switch {
	case narrowTiles(m, n, gemmAVX512F32, gemmAVX2F32):
		return gemmAVX2F32
	case fewerCells(m, n, gemmAVX512WideF32, gemmAVX512F32):
		return gemmAVX512WideF32
	}
	return gemmAVX512F32
}

// gemmForAVX512F64 picks the AVX2 6 x 8 tile where the AVX-512 10 x 16 one pads C to more than
// twice the area.
func gemmForAVX512F64(m, n int) *gemmKernel[float64] {
	if narrowTiles(m, n, gemmAVX512F64, gemmAVX2F64) {
		return gemmAVX2F64
	}
	return gemmAVX512F64
}

// withPackT8 sets the 8-row transposing packer of g.
func withPackT8[T Float](g *gemmKernel[T], packT8 func(dst []T, w int, src []T, ld, k int)) *gemmKernel[T] {
	g.packT8 = packT8
	return g
}
