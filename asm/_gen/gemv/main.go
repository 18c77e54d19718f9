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
	"bytes"
	"flag"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"log"
	"os"
	"path/filepath"

	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/pass"
	"github.com/mmcloughlin/avo/printer"
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
	f, err := ctx.Result()
	if err != nil {
		log.Fatal(err)
	}
	if err := pass.Compile.Execute(f); err != nil {
		log.Fatal(err)
	}
	cfg := printer.Config{Name: generatedBy, Pkg: "asm"}
	s, err := printer.NewGoAsm(cfg).Print(f)
	if err != nil {
		log.Fatal(err)
	}
	stubs, err := printer.NewStubs(cfg).Print(f)
	if err != nil {
		log.Fatal(err)
	}
	if stubs, err = groupParams(stubs); err != nil {
		log.Fatal(err)
	}
	write(filepath.Join(*dir, base+".s"), s)
	write(filepath.Join(*dir, base+".go"), stubs)
}

// groupParams writes adjacent parameters of one type as one group in the stubs, as Go code is
// written: "x, y []float32" where avo writes "x []float32, y []float32".
func groupParams(stubs []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", stubs, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		var list []*ast.Field
		for _, p := range fn.Type.Params.List {
			if n := len(list); n > 0 && types.ExprString(list[n-1].Type) == types.ExprString(p.Type) {
				list[n-1].Names = append(list[n-1].Names, p.Names...)
				continue
			}
			list = append(list, p)
		}
		fn.Type.Params.List = list
	}
	var b bytes.Buffer
	if err := format.Node(&b, fset, f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func write(path string, data []byte) {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		log.Fatal(err)
	}
}
