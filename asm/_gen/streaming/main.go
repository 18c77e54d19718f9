// Command streaming generates lanes' amd64 streaming kernels with avo (ReLU, Step, Max, Sum,
// Dot, Axpy, Scale, DivUint8, and every other kernel whose file here calls register): for every kernel, the
// file pair <kernel>_amd64.s and <kernel>_amd64.go in package asm, each with the float32 and
// float64 functions for AVX-512 and for AVX2, and tailmask_amd64.s, the VMASKMOV tail mask they
// all share. From the asm directory:
//
//	go run -C _gen ./streaming -dir ..
//
// (go generate ./asm runs it). The output depends only on this program: running it twice writes
// the same files.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/ir"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/pass"
	"github.com/mmcloughlin/avo/printer"
)

// kernels are the generated file pairs, in file-name order: each generator function emits every
// variant of its kernel. Each kernel's file adds itself with register in an init function, so a
// new kernel is one new file here and nothing else.
var kernels []kernel

// kernel is one generated file pair and the function that emits it.
type kernel struct {
	file string // the files <file>_amd64.s and <file>_amd64.go
	gen  func(c *build.Context)
}

// register adds the generator gen of the file pair <file>_amd64.s and <file>_amd64.go. It panics
// on a file name registered twice.
func register(file string, gen func(c *build.Context)) {
	i := sort.Search(len(kernels), func(i int) bool { return kernels[i].file >= file })
	if i < len(kernels) && kernels[i].file == file {
		panic("streaming: " + file + " registered twice")
	}
	kernels = slices.Insert(kernels, i, kernel{file, gen})
}

// tailmaskSym is the shared VMASKMOV tail mask, defined in tailmask_amd64.s: eight all-ones
// dwords, then eight zero dwords. The 32 bytes at offset size*(lanes-k) are the mask that selects
// the first k elements of size bytes (lanes = 32/size).
var tailmaskSym = operand.Symbol{Name: "·tailmask"}

// tailmask is the address of the tail mask.
var tailmask = operand.NewDataAddr(tailmaskSym, 0)

// constraint keeps every generated file out of purego builds.
const constraint = "!purego"

// config names the generator in the "Code generated ... DO NOT EDIT." header.
var config = printer.Config{Name: "asm/_gen/streaming (avo)", Pkg: "asm"}

func main() {
	dir := flag.String("dir", ".", "the asm directory to write into")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "streaming:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	for _, k := range kernels {
		c := build.NewContext()
		c.ConstraintExpr(constraint)
		k.gen(c)
		f, err := c.Result()
		if err != nil {
			return fmt.Errorf("%s: %w", k.file, err)
		}
		if err := pass.Compile.Execute(f); err != nil {
			return fmt.Errorf("%s: %w", k.file, err)
		}
		if err := print(f, printer.NewGoAsm(config), filepath.Join(dir, k.file+"_amd64.s")); err != nil {
			return err
		}
		if err := print(f, printer.NewStubs(config), filepath.Join(dir, k.file+"_amd64.go")); err != nil {
			return err
		}
	}
	return writeTailmask(dir)
}

// writeTailmask writes tailmask_amd64.s, the one definition of tailmask.
func writeTailmask(dir string) error {
	c := build.NewContext()
	c.ConstraintExpr(constraint)
	f, err := c.Result()
	if err != nil {
		return err
	}
	g := ir.NewGlobal(tailmaskSym)
	g.Attributes = attr.RODATA | attr.NOPTR
	for i := 0; i < 8; i++ {
		v := uint64(0)
		if i < 4 {
			v = ^v
		}
		if err := g.AddDatum(ir.NewDatum(8*i, operand.U64(v))); err != nil {
			return err
		}
	}
	f.AddSection(g)
	if err := pass.Compile.Execute(f); err != nil {
		return err
	}
	src, err := printer.NewGoAsm(config).Print(f)
	if err != nil {
		return err
	}
	// avo prints no comments outside functions: put the description before the data.
	const note = `// tailmask holds eight all-ones dwords then eight zero dwords: the 32 bytes at offset
// size*(lanes-k) are the VMASKMOV mask that selects the first k elements of size bytes
// (lanes = 32/size). Every AVX2 streaming kernel (relu, step, max, sum, dot, axpy, scale)
// loads its tail mask from here.
`
	i := bytes.Index(src, []byte("\nDATA "))
	if i < 0 {
		return fmt.Errorf("tailmask: no DATA in %q", src)
	}
	src = append(src[:i+1:i+1], append([]byte(note), src[i+1:]...)...)
	return os.WriteFile(filepath.Join(dir, "tailmask_amd64.s"), src, 0o644)
}

func print(f *ir.File, p printer.Printer, path string) error {
	b, err := p.Print(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.WriteFile(path, b, 0o644)
}

// newFn starts the function kernel+elem+isa in c, with sig (T standing for the element type),
// the doc comment the kernel writes with doc, and //go:noescape.
func newFn(c *build.Context, kernel string, v variant, sig string) *fn {
	f := &fn{
		Context: c,
		elem:    v.elem,
		isa:     v.isa,
		Name:    kernel + v.elem.Name + v.isa.Name,
		Lanes:   v.isa.VecBytes / v.elem.Size,
	}
	c.Function(f.Name)
	c.Attributes(attr.NOSPLIT)
	c.SignatureExpr(f.typed(sig))
	c.Pragma("noescape")
	return f
}

// typed replaces the placeholder T, a word of its own, with the element type (the T of
// math.Tanh stays).
func (f *fn) typed(s string) string { return placeholderT.ReplaceAllString(s, f.Go) }

// placeholderT matches T as a word of its own.
var placeholderT = regexp.MustCompile(`\bT\b`)

// doc sets the doc comment: blocks of text, wrapped to 99 columns, and blocks of code (lines
// that start with a tab), separated by blank lines. T in a code block is the element type.
func (f *fn) doc(blocks ...string) {
	var lines []string
	for i, b := range blocks {
		if i > 0 {
			lines = append(lines, "")
		}
		if strings.HasPrefix(b, "\t") {
			lines = append(lines, strings.Split(f.typed(b), "\n")...)
		} else {
			lines = append(lines, wrap(b, 99-len("// "))...)
		}
	}
	f.Doc(lines...)
}

// wrap breaks s into lines of at most width bytes, filling each line with as many words as fit.
func wrap(s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case len(line)+1+len(w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	return append(lines, line)
}

// regs adds the register map comment at the top of the function body.
func (f *fn) regs(lines ...string) {
	c := []string{"Registers:"}
	for _, l := range lines {
		c = append(c, "  "+l)
	}
	f.Comment(c...)
}
