// Command tables writes the assembly entries of lanes' dispatch tables: kernels/table_asm_amd64.go
// and kernels/table_asm_arm64.go. From the repository root (what kernels/table.go's go:generate
// line runs):
//
//	go run -C asm/_gen ./tables -repo ../..
//
// It reads two things and derives the rest. The kernels: the function fields of the struct ops[T]
// in kernels/table.go, each a kernel of element type T. The assembly: the Go declarations (a func
// without a body) in asm/*_amd64.go and asm/*_arm64.go. A declaration named
// <Kernel><F32|F64><ISA>, whose <Kernel> equals an ops field's name ignoring case and whose
// parameters and results are that field's with T replaced by float32 or float64, is that kernel's
// implementation for ISA and that type. For every ISA of an architecture (amd64: AVX512, AVX2;
// arm64: NEON) the output holds one function, asm<ISA>(t *table), which sets those fields of t.
//
// So an assembly kernel whose name and signature follow the scheme of asm/doc.go is routed by
// adding its declaration, nothing else. Declarations that fit no field (GEMM micro-kernels, the
// pieces of a kernel assembled in Go) are left to the hand-written table files, which also apply
// these functions (kernels/table_amd64.go, table_arm64.go).
//
// The output depends only on the files read; the generated files are committed, and `make test`
// fails if running this changes them.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// arches lists the architectures with assembly and their ISAs, in the order the ISA names appear
// as a suffix of the assembly functions.
var arches = []struct {
	goarch string
	isas   []string
}{
	{"amd64", []string{"AVX512", "AVX2"}},
	{"arm64", []string{"NEON"}},
}

// types maps the type suffix of an assembly function to the Go type standing for T.
var types = []struct{ suffix, goType, opsField string }{
	{"F32", "float32", "f32"},
	{"F64", "float64", "f64"},
}

func main() {
	repo := flag.String("repo", ".", "the repository root")
	flag.Parse()
	if err := run(*repo, *repo); err != nil {
		fmt.Fprintln(os.Stderr, "tables:", err)
		os.Exit(1)
	}
}

// run reads the repository at repo and writes the generated table files into out/kernels.
func run(repo, out string) error {
	fields, err := opsFields(filepath.Join(repo, "kernels", "table.go"))
	if err != nil {
		return err
	}
	for _, a := range arches {
		decls, err := asmDecls(filepath.Join(repo, "asm"), a.goarch)
		if err != nil {
			return err
		}
		src, err := generate(a.goarch, a.isas, fields, decls)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, "kernels", "table_asm_"+a.goarch+".go"), src, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// field is a function field of ops[T]: its name and its signature, with T as written.
type field struct {
	name string
	sig  string
}

// opsFields returns the function fields of the struct ops in the file path, in declaration order.
func opsFields(path string) ([]field, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var fields []field
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok || ts.Name.Name != "ops" {
			return true
		}
		st, ok := ts.Type.(*ast.StructType)
		if !ok {
			return true
		}
		found = true
		for _, fl := range st.Fields.List {
			ft, ok := fl.Type.(*ast.FuncType)
			if !ok {
				continue
			}
			for _, n := range fl.Names {
				fields = append(fields, field{n.Name, signature(ft)})
			}
		}
		return false
	})
	if !found || len(fields) == 0 {
		return nil, fmt.Errorf("%s: no struct ops with function fields", path)
	}
	return fields, nil
}

// decl is an assembly function's Go declaration.
type decl struct {
	name string
	sig  string
}

// asmDecls returns the bodiless function declarations of the non-test files asm/*_<goarch>.go,
// sorted by name.
func asmDecls(dir, goarch string) ([]decl, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*_"+goarch+".go"))
	if err != nil {
		return nil, err
	}
	var decls []decl
	for _, p := range paths {
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if ok && fd.Body == nil && fd.Recv == nil && fd.Name.IsExported() {
				decls = append(decls, decl{fd.Name.Name, signature(fd.Type)})
			}
		}
	}
	slices.SortFunc(decls, func(a, b decl) int { return strings.Compare(a.name, b.name) })
	return decls, nil
}

// signature writes a function type without parameter names: "func(T, []T, []T) T".
func signature(ft *ast.FuncType) string {
	list := func(fl *ast.FieldList) []string {
		var s []string
		if fl == nil {
			return s
		}
		for _, f := range fl.List {
			t := exprString(f.Type)
			for range max(1, len(f.Names)) {
				s = append(s, t)
			}
		}
		return s
	}
	sig := "func(" + strings.Join(list(ft.Params), ", ") + ")"
	if r := list(ft.Results); len(r) == 1 {
		sig += " " + r[0]
	} else if len(r) > 1 {
		sig += " (" + strings.Join(r, ", ") + ")"
	}
	return sig
}

func exprString(e ast.Expr) string {
	var b bytes.Buffer
	if err := format.Node(&b, token.NewFileSet(), e); err != nil {
		panic(err)
	}
	return b.String()
}

// tRef matches the type parameter T as a whole word in a signature.
var tRef = regexp.MustCompile(`\bT\b`)

// entry is one generated assignment: t.<ops>.<field> = asm.<fn>.
type entry struct{ ops, field, fn string }

// entries returns the assignments of isa: for every ops field and element type, the assembly
// declaration named <Field><Type><isa> (the field's name compared ignoring case) with the field's
// signature.
func entries(isa string, fields []field, decls []decl) []entry {
	var es []entry
	for _, ty := range types {
		for _, f := range fields {
			want := tRef.ReplaceAllString(f.sig, ty.goType)
			for _, d := range decls {
				kernel, ok := strings.CutSuffix(d.name, ty.suffix+isa)
				if ok && strings.EqualFold(kernel, f.name) && d.sig == want {
					es = append(es, entry{ty.opsField, f.name, d.name})
				}
			}
		}
	}
	return es
}

// generate writes the Go file of goarch's table entries.
func generate(goarch string, isas []string, fields []field, decls []decl) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by asm/_gen/tables from kernels/table.go and asm/*_%s.go. DO NOT EDIT.\n\n", goarch)
	b.WriteString("//go:build !purego\n\npackage kernels\n\nimport \"github.com/lanesimd/lanes/asm\"\n")
	for _, isa := range isas {
		es := entries(isa, fields, decls)
		fmt.Fprintf(&b, "\n// asm%s sets in t the %d kernels that package asm implements for %s under the names\n", isa, len(es), isa)
		fmt.Fprintf(&b, "// <Kernel><F32|F64>%s with the signatures of their ops fields. It leaves every other field as\n// it is.\n", isa)
		fmt.Fprintf(&b, "func asm%s(t *table) {\n", isa)
		for _, e := range es {
			fmt.Fprintf(&b, "\tt.%s.%s = asm.%s\n", e.ops, e.field, e.fn)
		}
		b.WriteString("}\n")
	}
	return format.Source(b.Bytes())
}
