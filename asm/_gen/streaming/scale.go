package main

import (
	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("scale", genScale) }

// genScale emits Scale: dst[i] = alpha*src[i].
func genScale(c *build.Context) {
	for _, v := range variants {
		f := newFn(c, "Scale", v, "func(alpha T, dst, src []T)")
		f.doc(
			f.Name+" sets dst[i] = alpha*src[i]. It computes",
			"\tfor i, x := range src {\n\t\tdst[i] = alpha * x\n\t}",
			"It requires "+f.isa.Requires+". "+f.mapContract(mapUnroll),
		)
		f.regs(
			"DI  address of the next dst element",
			"SI  address of the next src element",
			"CX  elements left",
			"AX, BX  scratch (tail mask)",
			f.vr(15, -1)+"  alpha in every lane",
			f.vr(0, 3)+"  results in flight",
			f.tailRegs(),
		)
		f.base("dst", dstPtr)
		f.base("src", srcPtr)
		f.length("src", count)
		f.BROADCAST(f.addr(f.Param("alpha")), f.V(15))
		alpha := f.V(15)
		f.unary(func(in Op, j int, out reg.VecPhysical) { f.MUL(in, alpha, out) })
	}
}
