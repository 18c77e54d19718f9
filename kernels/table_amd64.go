//go:build !purego

package kernels

import (
	"github.com/klauspost/cpuid/v2"
	"github.com/lanesimd/lanes/asm"
)

// The amd64 tables: AVX-512 and AVX2+FMA assembly (package asm), the generic table for the rest.
// The entries of the assembly kernels that follow the naming scheme come from the generated
// table_asm_amd64.go; this file adds the GEMM micro-kernels and the kernels assembled in Go.

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

// avx512Table: the AVX-512 assembly, the AVX2 assembly for a kernel without an AVX-512 version
// (detectISAs requires AVX2 and FMA for it), the generic kernels for the rest. asmAVX512 and
// asmAVX2 (table_asm_amd64.go) are generated from package asm's declarations.
var avx512Table = newTable("avx512", func(t *table) {
	asmAVX2(t)
	asmAVX512(t)
	t.f32.gemm, t.f32.gemmFor, t.f32.gemmSparse = gemmAVX512F32, gemmForAVX512F32, gemmAVX512PairF32
	t.f64.gemm, t.f64.gemmFor = gemmAVX512F64, gemmForAVX512F64
	t.f32.gemmRows = rowsAVX512F32
	t.adam = asm.AdamF32AVX512
	t.prefetch = asm.Prefetch
	t.pool, t.poolGrad = asm.MaxPool2x2ReLUF32AVX512, asm.MaxPool2x2ReLUGradF32AVX512
	t.convGradPooled, t.convGradPooledAsm = convGradRows(asm.ConvGradPooledF32AVX512), true
	t.convPixels = asm.ConvPixelsF32AVX512
	t.f32.transpose = transposeBlocks(8, asm.TransposeBlocksF32AVX2)
	t.f64.transpose = transposeBlocks(4, asm.TransposeBlocksF64AVX2)
})

// avx2Table: the AVX2+FMA assembly, the generic kernels for the rest.
var avx2Table = newTable("avx2", func(t *table) {
	asmAVX2(t)
	t.f32.gemm = gemmAVX2F32
	t.f32.gemmRows = rowsAVX2F32
	t.f64.gemm = gemmAVX2F64
	t.adam = asm.AdamF32AVX2
	t.prefetch = asm.Prefetch
	t.pool, t.poolGrad = poolVectors(8, asm.MaxPool2x2ReLUF32AVX2, asm.MaxPool2x2ReLUGradF32AVX2)
	t.convGradPooled, t.convGradPooledAsm = convGradRows(asm.ConvGradPooledF32AVX2), true
	t.f32.transpose = transposeBlocks(8, asm.TransposeBlocksF32AVX2)
	t.f64.transpose = transposeBlocks(4, asm.TransposeBlocksF64AVX2)
})

// The GEMM micro-kernels (asm/gemm_amd64.s), with the products (m*n*k multiply-adds) from which
// they are split over goroutines, their edge tiles and packers: the AVX-512 float32 tiles pack a
// transposed B 16 rows at a time (then 8), the AVX2 ones 8, and both a B stored row by row and an A
// stored transposed with their own copies.
// The float32 rows kernels (gemm_rows.go), split over goroutines from the size the packed products
// are. maskCost, from BenchmarkGemmRows' convolution (576 x 32 x 26, A 25% and 35% nonzero, Zen 4):
// the masked path took 0.44 and 0.58 of the packed tiles' time on AVX-512 (1.8 and 1.65 per
// nonzero element), 0.79 and 0.95 on AVX2 (3.2 and 2.7). maskForLists, from the products with A
// stored transposed that the lists took (a dense layer's weight gradient, 4320 x 100 x 100, A 50%
// nonzero; the Keras MLP's, 512 x 512 x 128, 49%): on AVX-512 the masked path ran them 1.13x and
// 1.00x as fast as the lists, on AVX2 0.93x and 0.94x.
var (
	rowsAVX512F32 = &rowsKernel[float32]{
		rows: asm.GemmRowsF32AVX512, list: asm.GemmRowsListF32AVX512, pack: asm.GemmRowsPackF32AVX512,
		mask: asm.GemmRowsMaskF32AVX512, masked: asm.GemmRowsMaskedF32AVX512, maskCost: 1.8, maskForLists: true,
		width: asm.GemmRowsF32AVX512Cols, parallel: gemmAsmParallel,
	}
	rowsAVX2F32 = &rowsKernel[float32]{
		rows: asm.GemmRowsF32AVX2, list: asm.GemmRowsListF32AVX2, pack: asm.GemmRowsPackF32AVX2,
		mask: asm.GemmRowsMaskF32AVX2, masked: asm.GemmRowsMaskedF32AVX2, maskCost: 3,
		width: asm.GemmRowsF32AVX2Cols, parallel: gemmAsmParallel,
	}
)

var (
	gemmAVX512F32 = withMasked(withPackers(withEdges(withPackT(newGemmKernel("avx512", asm.GemmF32AVX512Rows, asm.GemmF32AVX512Cols, asm.GemmF32AVX512, gemmAsmParallel), asm.GemmPackTF32AVX2, asm.GemmPackT16F32AVX512),
		asm.GemmF32AVX512Half, rowTile[float32]{asm.GemmF32AVX512R2Rows, asm.GemmF32AVX512R2}, rowTile[float32]{asm.GemmF32AVX512R4Rows, asm.GemmF32AVX512R4},
		rowTile[float32]{asm.GemmF32AVX512R6Rows, asm.GemmF32AVX512R6}, rowTile[float32]{asm.GemmF32AVX512R8Rows, asm.GemmF32AVX512R8}),
		asm.GemmPackRowsF32AVX512, asm.GemmPackAF32AVX512), asm.GemmF32AVX512Masked)
	gemmAVX512F64 = withPackers(withEdges(newGemmKernel("avx512", asm.GemmF64AVX512Rows, asm.GemmF64AVX512Cols, asm.GemmF64AVX512, gemmAsmParallel),
		asm.GemmF64AVX512Half, rowTile[float64]{asm.GemmF64AVX512R2Rows, asm.GemmF64AVX512R2}, rowTile[float64]{asm.GemmF64AVX512R4Rows, asm.GemmF64AVX512R4},
		rowTile[float64]{asm.GemmF64AVX512R6Rows, asm.GemmF64AVX512R6}, rowTile[float64]{asm.GemmF64AVX512R8Rows, asm.GemmF64AVX512R8}),
		asm.GemmPackRowsF64AVX512, asm.GemmPackAF64AVX512)
	// gemmAVX512PairF32 is the 8 x 50 AVX-512 tile, for the widths it pads less (fewerCells): it
	// reads A step by step (an A stored transposed, where not read in place, packed by the 8-row
	// copy) and packs B in steps of 64 (columns 48 and 49 eight times each).
	gemmAVX512PairF32 = withPackers(withEdges(withPairLayout(withPackT(newGemmKernel("avx512", asm.GemmPairF32AVX512Rows, asm.GemmPairF32AVX512Cols, asm.GemmPairF32AVX512, gemmAsmParallel), asm.GemmPackTF32AVX2, asm.GemmPackT16F32AVX512),
		asm.GemmPairF32AVX512Step, asm.GemmPackPairF32AVX512), nil, rowTile[float32]{asm.GemmPairF32AVX512R4Rows, asm.GemmPairF32AVX512R4}),
		nil, asm.GemmPackA8F32AVX512)
	// gemmAVX512PairSkipF32 is the 8 x 50 tile passing over the all-zero steps of A; the driver
	// gives it the B blocks whose packer found no Inf or NaN (gemmKernel.forB).
	gemmAVX512PairSkipF32 = withSkip(gemmAVX512PairF32, asm.GemmPairSkipF32AVX512, rowTile[float32]{asm.GemmPairSkipF32AVX512R4Rows, asm.GemmPairSkipF32AVX512R4})
	// gemmAVX512WideF32 is the 6 x 56 AVX-512 tile, for the widths it pads less (fewerCells).
	gemmAVX512WideF32 = withPackT(newGemmKernel("avx512", asm.GemmWideF32AVX512Rows, asm.GemmWideF32AVX512Cols, asm.GemmWideF32AVX512, gemmAsmParallel), asm.GemmPackTF32AVX2, asm.GemmPackT16F32AVX512)
	gemmAVX2F32       = withPackers(withEdges(withPackT(newGemmKernel("avx2", asm.GemmF32AVX2Rows, asm.GemmF32AVX2Cols, asm.GemmF32AVX2, gemmAsmParallel), asm.GemmPackTF32AVX2, nil),
		asm.GemmF32AVX2Half, rowTile[float32]{asm.GemmF32AVX2R2Rows, asm.GemmF32AVX2R2}, rowTile[float32]{asm.GemmF32AVX2R4Rows, asm.GemmF32AVX2R4}),
		asm.GemmPackRowsF32AVX2, asm.GemmPackAF32AVX2)
	gemmAVX2F64 = withPackers(withEdges(newGemmKernel("avx2", asm.GemmF64AVX2Rows, asm.GemmF64AVX2Cols, asm.GemmF64AVX2, gemmAsmParallel),
		asm.GemmF64AVX2Half, rowTile[float64]{asm.GemmF64AVX2R2Rows, asm.GemmF64AVX2R2}, rowTile[float64]{asm.GemmF64AVX2R4Rows, asm.GemmF64AVX2R4}),
		asm.GemmPackRowsF64AVX2, asm.GemmPackAF64AVX2)
)

const gemmAsmParallel = 160 * 160 * 160

// gemmForAVX512F32 picks the float32 AVX-512 tile for an m x n product: the AVX2 6 x 16 tile where
// the 10 x 32 one would pad C to more than twice the area (narrowTiles: its YMM multiply-adds then
// cost fewer issue slots), else the 8 x 50 tile where it pads less (fewerCells: 50 or 100 columns
// on many rows, as a layer of 50 or 100 units computes), else, on a CPU that runs a ZMM
// multiply-add as two YMM halves, the 6 x 56 tile where it pads less (fewerCells), else the
// 10 x 32 tile. Where ZMM multiply-adds run
// at full width (zmmFullWidth), the 6 x 56 tile's YMM column costs as much as a ZMM one, so that
// it computes 14 columns per multiply-add against the 10 x 32 tile's 16 and never wins: on Zen 5,
// 100 x 784 x 50 runs at 157 GFLOP/s on the 10 x 32 tile against 139 on the 6 x 56 one. The tiles
// sum in the same order with the same depth blocks, so the choice changes the speed, not the bits.
func gemmForAVX512F32(m, n int) *gemmKernel[float32] {
	switch {
	case narrowTiles(m, n, gemmAVX512F32, gemmAVX2F32):
		return gemmAVX2F32
	case fewerCells(m, n, gemmAVX512PairF32, gemmAVX512F32):
		return gemmAVX512PairF32
	case !zmmFullWidth && fewerCells(m, n, gemmAVX512WideF32, gemmAVX512F32):
		return gemmAVX512WideF32
	}
	return gemmAVX512F32
}

// zmmFullWidth reports a CPU whose ZMM multiply-adds run at full width, twice the YMM ones per
// instruction: AMD Zen 5 (family 1Ah) in its server (models 00h-1Fh) and desktop (40h-4Fh)
// parts. The others, Zen 4 and Zen 5's mobile parts (double-pumped 256-bit units) and Intel's
// (where the ports vary by part), keep the 6 x 56 tile where it pads less.
var zmmFullWidth = cpuid.CPU.VendorID == cpuid.AMD && cpuid.CPU.Family == 0x1a &&
	(cpuid.CPU.Model < 0x20 || cpuid.CPU.Model >= 0x40 && cpuid.CPU.Model < 0x50)

// gemmForAVX512F64 picks the AVX2 6 x 8 tile where the AVX-512 10 x 16 one pads C to more than
// twice the area.
func gemmForAVX512F64(m, n int) *gemmKernel[float64] {
	if narrowTiles(m, n, gemmAVX512F64, gemmAVX2F64) {
		return gemmAVX2F64
	}
	return gemmAVX512F64
}

// rowTile is a micro-kernel for the top rows of another's tile (the generator's <Func>R<r>).
type rowTile[T Float] struct {
	rows int
	tile tileFunc[T]
}

// withEdges sets the tiles g uses at the edges of C (gemmKernel.half and rows).
func withEdges[T Float](g *gemmKernel[T], half tileFunc[T], rows ...rowTile[T]) *gemmKernel[T] {
	g.half = half
	g.rows = make([]tileFunc[T], g.mr)
	for _, r := range rows {
		g.rows[r.rows] = r.tile
	}
	return g
}

// withPairLayout sets what the 8 x 50 tile needs of the driver: A read step by step, and B packed
// in steps of step elements by pack (one micro-panel of a B stored row by row).
func withPairLayout[T Float](g *gemmKernel[T], step int, pack func(dst, src []T, ld, cnt, kcb int) bool) *gemmKernel[T] {
	g.stepA, g.bStep, g.packPanel = true, step, pack
	return g
}

// withSkip sets g's twin that passes over the all-zero steps of A (gemmAids.skip): a copy of g
// with the tile tile and the edge tiles rows, and returns it.
func withSkip[T Float](g *gemmKernel[T], tile tileFunc[T], rows ...rowTile[T]) *gemmKernel[T] {
	s := &gemmKernel[T]{name: g.name, mr: g.mr, nr: g.nr, kc: g.kc, mc: g.mc, nc: g.nc, parallel: g.parallel,
		streamBytes: g.streamBytes, streamRowsBytes: g.streamRowsBytes, gemmAids: g.gemmAids}
	withEdges(s, nil, rows...)
	s.tile, s.half = tile, g.half
	g.skip = s
	return s
}

// withPackers sets the packers of g for a B stored row by row and an A stored transposed.
func withPackers[T Float](g *gemmKernel[T], packBRows, packAT func(dst, src []T, ld, cnt, kcb int)) *gemmKernel[T] {
	g.packBRows, g.packAT = packBRows, packAT
	return g
}

// withMasked sets the tile of g that stores only the first columns of C (gemmAids.masked).
func withMasked[T Float](g *gemmKernel[T], masked func(a []T, rs, cs int, b, c []T, k, ldc int, add bool, cols int)) *gemmKernel[T] {
	g.masked = masked
	return g
}

// withPackT sets the transposing packers of g: packT8 (8 rows) and packT16 (16 rows, or nil).
func withPackT[T Float](g *gemmKernel[T], packT8, packT16 func(dst []T, w int, src []T, ld, k int)) *gemmKernel[T] {
	g.packT8, g.packT16 = packT8, packT16
	return g
}
