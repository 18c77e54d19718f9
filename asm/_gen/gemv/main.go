// Command gemv generates the amd64 GEMV kernels of package asm, the two matrix-vector products
// of kernels' GEMV path (Gemm, MatMul and Linear with m = 1 or n = 1): asm/gemv_amd64.s and its
// Go declarations asm/gemv_amd64.go.
//
//	GemvN<F32|F64><AVX512|AVX2>(alpha, a, lda, x, y): y[i] += alpha * (row i of a)·x
//	GemvT<F32|F64><AVX512|AVX2>(alpha, a, lda, x, y): y[j] += alpha * Σ_p x[p]*a[p*lda+j]
//
// Run it from asm/ with `go run -C _gen ./gemv -dir ..` (asm/generate.go does, so
// `go generate ./asm` runs it). The output depends only on this program: two runs write the
// same bytes.
package main

import (
	"flag"
	"log"
	"path/filepath"

	"github.com/lanesimd/lanes/asm/_gen/internal/emit"
	"github.com/mmcloughlin/avo/build"
)

const (
	// generatedBy names the generator in the "Code generated ... DO NOT EDIT." header.
	generatedBy = "asm/_gen/gemv (avo)"
	// base is the name of the output files in asm/: base.s and base.go.
	base = "gemv_amd64"
)

// The blocking of the kernels: rows of a per pass over y (GemvT) and vectors per step of the loop
// over the columns; rows of a per pass over x (GemvN) and vectors per step of its loop.
var (
	tBlocks = []int{8, 4, 1} // GemvT: row blocks, largest first; the last must be 1
	tUnroll = 4
	nBlocks = []int{4, 1} // GemvN: row blocks, largest first; the last must be 1
	nUnroll = 2
)

func main() {
	dir := flag.String("dir", "..", "the asm package directory to write "+base+".{s,go} into")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("gemv: ")

	ctx := build.NewContext()
	ctx.ConstraintExpr("!purego")
	for _, v := range variants {
		gemvN(ctx, v, nBlocks, nUnroll)
	}
	for _, v := range variants {
		gemvT(ctx, v, tBlocks, tUnroll)
	}
	s, stubs, err := emit.Print(ctx, generatedBy, "asm", true)
	if err != nil {
		log.Fatal(err)
	}
	emit.Write(filepath.Join(*dir, base+".s"), s)
	emit.Write(filepath.Join(*dir, base+".go"), stubs)
}
