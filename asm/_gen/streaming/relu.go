package main

import (
	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("relu", genReLU) }

// genReLU emits ReLU: dst[i] = max(src[i], 0), NaN and -0 passed through. VMAX returns its
// second source operand (the first in Go's order, src[i] here) when either is NaN or both are
// zero, so NaN keeps its payload and -0 stays -0.
func genReLU(c *build.Context) {
	for _, v := range variants {
		f := newFn(c, "ReLU", v, "func(dst, src []T)")
		f.doc(
			f.Name+" sets dst[i] = max(src[i], 0), the rectifier. It computes",
			"\tfor i, x := range src {\n\t\tif x < 0 {\n\t\t\tx = 0\n\t\t}\n\t\tdst[i] = x\n\t}",
			"NaN stays NaN, payload included, and -0 stays -0 (it is not below 0). It requires "+
				f.isa.Requires+". "+f.mapContract(mapUnroll),
		)
		f.regs(
			"DI  address of the next dst element",
			"SI  address of the next src element",
			"CX  elements left",
			"AX, BX  scratch (tail mask)",
			f.vr(15, -1)+"  zero in every lane",
			f.vr(0, 3)+"  results in flight",
			f.tailRegs(),
		)
		f.base("dst", dstPtr)
		f.base("src", srcPtr)
		f.length("src", count)
		f.zero(15)
		zero := f.V(15)
		f.unary(func(in Op, j int, out reg.VecPhysical) { f.MAX(in, zero, out) })
	}
}
