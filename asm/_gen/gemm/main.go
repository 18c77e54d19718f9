// Command gemm generates the amd64 GEMM micro-kernels of package asm, the packers that the GEMM
// driver uses with them (the 8-row transposing one, the row copies of the tiles' A and B) and the
// kernels of products with a sparse A (rows.go, rows_list.go):
// asm/gemm_amd64.s and its Go declarations asm/gemm_amd64.go (with the tile size constants
// <Func>Rows and <Func>Cols).
//
// Run it from asm/ with `go run -C _gen ./gemm -dir ..` (asm/generate.go does, so
// `go generate ./asm` runs it). The output depends only on this program: two runs write the
// same bytes.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"log"
	"path/filepath"

	"github.com/lanesimd/lanes/asm/_gen/internal/emit"
	"github.com/mmcloughlin/avo/build"
)

// The micro-kernels, one generator function (microKernel) for all of them. The order is the
// order of the generated file.
var kernels = concat(
	withEdges(tile{name: "GemmF32AVX2", elem: f32, isa: avx2, rows: 6, vecs: []int{256, 256}}, 2, 4),
	withEdges(tile{name: "GemmF64AVX2", elem: f64, isa: avx2, rows: 6, vecs: []int{256, 256}}, 2, 4),
	withEdges(tile{name: "GemmF32AVX512", elem: f32, isa: avx512, rows: 10, vecs: []int{512, 512}}, 2, 4, 6, 8),
	[]tile{{
		name: "GemmF32AVX512Masked", elem: f32, isa: avx512, rows: 10, vecs: []int{512, 512}, masked: true,
		why: "It is GemmF32AVX512 for the last micro-panel of B when fewer than 32 of its columns lie " +
			"in C (as in a convolution with 30 output channels): the same operations in the same order, " +
			"so the same bits, with the stores (and the loads of C where adding) masked to the first " +
			"cols columns of each row, so that the driver needs no scratch tile there.",
	}},
	withEdges(tile{name: "GemmF64AVX512", elem: f64, isa: avx512, rows: 10, vecs: []int{512, 512}}, 2, 4, 6, 8),
	[]tile{{
		name: "GemmWideF32AVX512", elem: f32, isa: avx512, rows: 6, vecs: []int{512, 512, 512, 256},
		why: "A product 50 columns wide, as in a neural network's layer of 50 units, is padded to 56 " +
			"columns instead of the 64 of GemmF32AVX512; on a CPU that runs a ZMM multiply-add as two " +
			"YMM halves, the YMM column costs half a ZMM one.",
	}},
)

// withEdges returns t and the tiles for the edges of C that go with it: <t>Half, the first
// vector of each row of t (the left half of its columns, reading the steps of t's packed B
// micro-panels), for the last micro-panel of B when at most that many of its columns lie in C;
// and <t>R<r>, the first r rows of t for each r of rows, for the last micro-panel of A when at
// most r of its rows lie in C. Each computes its part of the tile of t with the same operations
// in the same order, so that the GEMM driver may use them at the edges without changing a bit.
func withEdges(t tile, rows ...int) []tile {
	half := t.vecs[:len(t.vecs)/2]
	h := t
	h.name, h.vecs, h.bStep = t.name+"Half", half, t.cols()
	h.why = fmt.Sprintf("It is the left %d columns of %s, for the last micro-panel of B when at most %d "+
		"of its columns lie in C: half the multiply-adds of %s there, with the same bits.",
		h.cols(), t.name, h.cols(), t.name)
	tiles := []tile{t, h}
	for _, r := range rows {
		e := t
		e.name, e.rows = fmt.Sprintf("%sR%d", t.name, r), r
		e.why = fmt.Sprintf("It is the top %d rows of %s, for the last micro-panel of A when at most %d "+
			"of its rows lie in C: %d of the %d rows' multiply-adds of %s there, with the same bits.",
			r, t.name, r, r, t.rows, t.name)
		tiles = append(tiles, e)
	}
	return tiles
}

func concat(lists ...[]tile) []tile {
	var all []tile
	for _, l := range lists {
		all = append(all, l...)
	}
	return all
}

const (
	// generatedBy names the generator in the "Code generated ... DO NOT EDIT." header.
	generatedBy = "asm/_gen/gemm (avo)"
	// base is the name of the output files in asm/: base.s and base.go.
	base = "gemm_amd64"
)

func main() {
	dir := flag.String("dir", "..", "the asm package directory to write "+base+".{s,go} into")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("gemm: ")

	ctx := build.NewContext()
	ctx.ConstraintExpr("!purego")
	for _, t := range kernels {
		microKernel(ctx, t)
	}
	packT8F32AVX2(ctx)
	packT16F32AVX512(ctx)
	packRowsAVX512(ctx, f32, "GemmPackRowsF32AVX512", 32, "B for the AVX-512 tiles")
	packRowsAVX512(ctx, f64, "GemmPackRowsF64AVX512", 16, "B for the AVX-512 tiles")
	packRowsAVX512(ctx, f32, "GemmPackAF32AVX512", 10, "an A stored transposed for the AVX-512 tiles of 10 rows")
	packRowsAVX512(ctx, f64, "GemmPackAF64AVX512", 10, "an A stored transposed for the AVX-512 tiles of 10 rows")
	packRowsAVX512(ctx, f32, "GemmPackA8F32AVX512", 8, "an A stored transposed for the 8-row AVX-512 pair tile")
	packRowsAVX2(ctx, f32, "GemmPackRowsF32AVX2", 16, "B for the AVX2 tiles")
	packRowsAVX2(ctx, f64, "GemmPackRowsF64AVX2", 8, "B for the AVX2 tiles")
	packRowsAVX2(ctx, f32, "GemmPackAF32AVX2", 6, "an A stored transposed for the AVX2 tiles of 6 rows")
	packRowsAVX2(ctx, f64, "GemmPackAF64AVX2", 6, "an A stored transposed for the AVX2 tiles of 6 rows")
	for _, skip := range []bool{false, true} {
		pairKernel(ctx, pairRows, skip)
		pairKernel(ctx, 4, skip)
	}
	pairPacker(ctx)
	rowsKernel(ctx, rowsAVX512)
	rowsListKernel(ctx)
	rowsPackKernel(ctx, rowsAVX512)
	rowsKernel(ctx, rowsAVX2)
	rowsListKernelAVX2(ctx)
	rowsPackKernel(ctx, rowsAVX2)
	for _, v := range []rowsISA{rowsAVX512, rowsAVX2} {
		rowsMaskKernel(ctx, v)
		rowsMaskedKernel(ctx, v)
	}
	convGradPooledKernel(ctx)
	convGradPooledKernel512(ctx)
	convPixelsKernel(ctx)

	s, stubs, err := emit.Print(ctx, generatedBy, "asm", true)
	if err != nil {
		log.Fatal(err)
	}
	stubs, err = withTileConstants(stubs)
	if err != nil {
		log.Fatal(err)
	}
	emit.Write(filepath.Join(*dir, base+".s"), s)
	emit.Write(filepath.Join(*dir, base+".go"), stubs)
}

// withTileConstants appends to the stub file the constants <Func>Rows and <Func>Cols of every
// micro-kernel, which the GEMM driver packs for.
func withTileConstants(stubs []byte) ([]byte, error) {
	var b bytes.Buffer
	b.Write(stubs)
	b.WriteString("\n// The tiles of the micro-kernels: <Func>Rows rows by <Func>Cols columns of C.\nconst (\n")
	for _, t := range kernels {
		fmt.Fprintf(&b, "\t%sRows = %d\n\t%sCols = %d\n", t.name, t.rows, t.name, t.cols())
	}
	fmt.Fprintf(&b, "\t%sRows = %d\n\t%sCols = %d\n", pairName, pairRows, pairName, pairCols)
	fmt.Fprintf(&b, "\t%sR4Rows = 4\n\t%sR4Cols = %d\n", pairName, pairName, pairCols)
	fmt.Fprintf(&b, "\t%sRows = %d\n\t%sCols = %d\n", pairSkipName, pairRows, pairSkipName, pairCols)
	fmt.Fprintf(&b, "\t%sR4Rows = 4\n\t%sR4Cols = %d\n", pairSkipName, pairSkipName, pairCols)
	fmt.Fprintf(&b, "\t// %sProbe is how many steps it tests before it lists them, k/Probe apart from step 0 (none where k is less).\n\t%sProbe = %d\n", pairSkipName, pairSkipName, probeSteps)
	fmt.Fprintf(&b, "\t// %sStep is the length of a step of its packed B micro-panel.\n\t%sStep = %d\n", pairName, pairName, pairStep)
	fmt.Fprintf(&b, "\t// %sCols and %sCols are the most columns of C they compute a call.\n\t%sCols = %d\n\t%sCols = %d\n",
		rowsName, rowsNameAVX2, rowsName, rowsVecs*16, rowsNameAVX2, rowsVecsAVX2*8)
	b.WriteString(")\n")
	return format.Source(b.Bytes())
}
