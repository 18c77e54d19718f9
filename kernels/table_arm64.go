//go:build !purego

package kernels

import (
	"github.com/klauspost/cpuid/v2"
	"github.com/lanesimd/lanes/asm"
)

// The arm64 tables: NEON assembly (package asm), the generic table for the rest.

// detectISAs on arm64. The NEON kernels use ASIMD (Advanced SIMD) with its fused multiply-add
// (FMLA/FMLS), which on arm64 is part of ASIMD and not a feature of its own. cpuid reads ASIMD
// from the HWCAPs the Linux kernel passes (sysctl on Darwin); qemu-aarch64 reports it too.
//
// ASIMD is mandatory in ARMv8-A, the architecture Go's arm64 port requires, so an arm64 CPU
// without it does not exist. If cpuid could not read any feature at all (an OS it cannot query),
// NEON is taken anyway; only an explicit report of FP without ASIMD turns it off.
func detectISAs() []*table {
	if cpuid.CPU.Supports(cpuid.ASIMD) || !cpuid.CPU.Supports(cpuid.FP) {
		return []*table{neonTable, genericTable}
	}
	return []*table{genericTable}
}

// neonTable: the NEON assembly (asmNEON, generated in table_asm_arm64.go from package asm's
// declarations), softmax assembled in Go from NEON passes, the generic kernels for the rest.
var neonTable = newTable("neon", func(t *table) {
	asmNEON(t)
	t.f32.softmax, t.f64.softmax = softmaxF32NEON, softmaxF64NEON
	t.f32.gemm, t.f64.gemm = gemmNEONF32, gemmNEONF64
	t.adam = asm.AdamF32NEON
	t.prefetch = asm.Prefetch
	t.pool, t.poolGrad = poolVectors(4, asm.MaxPool2x2ReLUF32NEON, asm.MaxPool2x2ReLUGradF32NEON)
	t.f32.transpose = transposeBlocks(4, asm.TransposeBlocksF32NEON)
	t.f64.transpose = transposeBlocks(2, asm.TransposeBlocksF64NEON)
})

// The NEON GEMM micro-kernels (asm/gemm_f32_arm64.s, gemm_f64_arm64.s). The product (m*n*k
// multiply-adds) from which they are split over goroutines is amd64's measured threshold for its
// assembly kernels, 160^3: there is no arm64 hardware to measure it on, and the per-goroutine cost
// it weighs is the Go runtime's.
var (
	gemmNEONF32 = newGemmKernel("neon", asm.GemmF32NEONRows, asm.GemmF32NEONCols, asm.GemmF32NEON, gemmNEONParallel)
	gemmNEONF64 = newGemmKernel("neon", asm.GemmF64NEONRows, asm.GemmF64NEONCols, asm.GemmF64NEON, gemmNEONParallel)
)

const gemmNEONParallel = 160 * 160 * 160

// softmaxF32NEON is softmaxRef's three passes, each one assembly call per row: the maximum,
// e^(x-max) into dst with its float64 sum, and the scaling of dst by float32(1/sum).
func softmaxF32NEON(dst, src []float32, cols int) {
	for r := 0; r+cols <= len(src); r += cols {
		row, out := src[r:r+cols:r+cols], dst[r:r+cols:r+cols]
		m := asm.MaxF32NEON(row)
		s := asm.ExpSubSumF32NEON(out, row, m)
		asm.ScaleF32NEON(float32(1/s), out, out)
	}
}

// softmaxF64NEON runs three passes over each row, each one assembly call: the maximum,
// e^(x-max) into dst with its sum, and the scaling of dst by 1/sum. A NaN in the row makes the
// maximum, and so the sum and the whole row, NaN; so do a +Inf (Inf - Inf) and a row of -Inf
// only.
func softmaxF64NEON(dst, src []float64, cols int) {
	for r := 0; r+cols <= len(src); r += cols {
		row, out := src[r:r+cols:r+cols], dst[r:r+cols:r+cols]
		m := asm.MaxF64NEON(row)
		s := asm.ExpSubSumF64NEON(out, row, m)
		asm.ScaleF64NEON(1/s, out, out)
	}
}
