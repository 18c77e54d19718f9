// Command fmapeak generates the FMA-throughput probe of package bench/fmapeak: two loops of
// independent float32 multiply-adds, one on YMM registers (AVX2 with FMA3) and one on ZMM
// registers (AVX-512F), from which `make compare` measures the float32 FMA peak of the machine it
// runs on, so that every GEMM figure also reads as a fraction of what the core can do.
//
// Each iteration of a loop issues `accumulators` multiply-adds, none of which waits for another
// in the same iteration: enough independent chains to cover the latency of the FMA units (4 cycles
// on current x86 cores) times their number (2), with room to spare. The operands are zero, so no
// value ever becomes a denormal or overflows, and the accumulators are never stored.
//
// Run it from the repository root with `go generate ./bench/fmapeak`, or from asm/_gen with
// `go run ./fmapeak -dir ../../bench/fmapeak`. The output depends only on this program.
package main

import (
	"flag"
	"fmt"
	"log"
	"path/filepath"

	"github.com/lanesimd/lanes/asm/_gen/internal/emit"
	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

const (
	// accumulators is the number of independent multiply-adds per iteration.
	accumulators = 12
	// generatedBy names the generator in the "Code generated ... DO NOT EDIT." header.
	generatedBy = "asm/_gen/fmapeak (avo)"
	// base is the name of the output files: base.s and base.go.
	base = "fma_amd64"
)

// loop describes one generated probe.
type loop struct {
	name  string
	isa   string            // the features it needs, for its doc comment
	lanes int               // float32 lanes per register
	regs  []reg.VecPhysical // accumulators, then the two multiplicands
}

func loops() []loop {
	ymm := []reg.VecPhysical{reg.Y0, reg.Y1, reg.Y2, reg.Y3, reg.Y4, reg.Y5, reg.Y6, reg.Y7, reg.Y8, reg.Y9, reg.Y10, reg.Y11, reg.Y12, reg.Y13}
	zmm := []reg.VecPhysical{reg.Z0, reg.Z1, reg.Z2, reg.Z3, reg.Z4, reg.Z5, reg.Z6, reg.Z7, reg.Z8, reg.Z9, reg.Z10, reg.Z11, reg.Z12, reg.Z13}
	return []loop{
		{name: "fmaLoopF32AVX2", isa: "AVX2 and FMA3", lanes: 8, regs: ymm},
		{name: "fmaLoopF32AVX512", isa: "AVX-512F", lanes: 16, regs: zmm},
	}
}

func main() {
	dir := flag.String("dir", "../../bench/fmapeak", "the directory to write "+base+".{s,go} into")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("fmapeak: ")

	ctx := build.NewContext()
	ctx.ConstraintExpr("!purego")
	for _, l := range loops() {
		generate(ctx, l)
	}
	s, stubs, err := emit.Print(ctx, generatedBy, "fmapeak", false)
	if err != nil {
		log.Fatal(err)
	}
	emit.Write(filepath.Join(*dir, base+".s"), s)
	emit.Write(filepath.Join(*dir, base+".go"), stubs)
}

// generate emits l: n iterations of accumulators independent multiply-adds.
func generate(c *build.Context, l loop) {
	flops := 2 * l.lanes * accumulators
	c.Function(l.name)
	c.Attributes(attr.NOSPLIT)
	c.SignatureExpr("func(n uint64)")
	c.Doc(
		fmt.Sprintf("%s runs n iterations of %d independent float32 multiply-adds of %d lanes each,", l.name, accumulators, l.lanes),
		fmt.Sprintf("%d floating-point operations per iteration, on zero operands. It needs %s.", flops, l.isa),
		"It computes nothing: only its time matters.",
	)
	n := c.Load(c.Param("n"), reg.RCX)
	acc, x, y := l.regs[:accumulators], l.regs[accumulators], l.regs[accumulators+1]
	for _, r := range l.regs[:accumulators+2] {
		c.VXORPS(r, r, r)
	}
	c.TESTQ(n, n)
	c.JZ(operand.LabelRef("done_" + l.name))
	c.Label("loop_" + l.name)
	for _, a := range acc {
		c.VFMADD231PS(x, y, a)
	}
	c.DECQ(n)
	c.JNZ(operand.LabelRef("loop_" + l.name))
	c.Label("done_" + l.name)
	c.VZEROUPPER()
	c.RET()
}
