package main

import (
	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("prefetch", genPrefetch) }

// genPrefetch emits Prefetch: PREFETCHT0 for every cache line that b touches. It is one function
// for every amd64 CPU (PREFETCHT0 is SSE, which amd64 always has).
func genPrefetch(c *build.Context) {
	c.Function("Prefetch")
	c.Attributes(attr.NOSPLIT)
	c.SignatureExpr("func(b []byte)")
	c.Pragma("noescape")
	c.Doc(
		"Prefetch asks the CPU to bring every 64-byte cache line that b touches into its caches",
		"(PREFETCHT0 on each), so that reading b soon after finds it there. A prefetch never",
		"faults, whatever the address; it reads nothing into a register and writes nothing. It",
		"computes nothing a Go loop could state: its effect is only on the time of later reads.",
	)
	c.Comment("Registers:", "  AX  the next line to prefetch", "  CX  the end of b")
	p, end := reg.RAX, reg.RCX
	c.Load(c.Param("b").Base(), p)
	c.Load(c.Param("b").Len(), end)
	c.ADDQ(p, end)
	c.ANDQ(I32(-64), p)
	c.Label("line")
	c.CMPQ(p, end)
	c.JAE(LabelRef("done"))
	c.PREFETCHT0(Mem{Base: p})
	c.ADDQ(U8(64), p)
	c.JMP(LabelRef("line"))
	c.Label("done")
	c.RET()
}
