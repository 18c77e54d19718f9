package main

import (
	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// cmpLTOQ is the VCMP predicate "less than, ordered, quiet": 0 < x is false for NaN.
const cmpLTOQ = 0x11

func init() { register("step", genStep) }

// genStep emits Step: dst[i] = 1 where src[i] > 0, else 0 (NaN included). AVX-512 compares
// into K2-K5 and zero-masks a vector of ones; AVX2 compares into all-ones lanes and ANDs them
// with the ones.
func genStep(c *build.Context) {
	for _, v := range variants {
		f := newFn(c, "Step", v, "func(dst, src []T)")
		f.doc(
			f.Name+" sets dst[i] to 1 where src[i] > 0 and to 0 elsewhere (NaN included). It computes",
			"\tfor i, x := range src {\n\t\tif x > 0 {\n\t\t\tdst[i] = 1\n\t\t} else {\n\t\t\tdst[i] = 0\n\t\t}\n\t}",
			"It requires "+f.isa.Requires+". "+f.mapContract(mapUnroll),
		)
		regs := []string{
			"DI  address of the next dst element",
			"SI  address of the next src element",
			"CX  elements left",
			"AX, BX  scratch (tail mask)",
			f.vr(15, -1) + "  zero in every lane",
			f.vr(14, -1) + "  1.0 in every lane",
		}
		if f.avx512() {
			regs = append(regs, "K2-K5  lanes where 0 < x")
		}
		f.regs(append(regs, f.vr(0, 3)+"  results in flight", f.tailRegs())...)

		f.base("dst", dstPtr)
		f.base("src", srcPtr)
		f.length("src", count)
		f.zero(15)
		one := uint64(0x3f800000)
		if f.f64() {
			one = 0x3ff0000000000000
		}
		f.broadcastBits(one, 14)
		zero, ones := f.V(15), f.V(14)
		gt := []reg.OpmaskPhysical{reg.K2, reg.K3, reg.K4, reg.K5}
		f.unary(func(in Op, j int, out reg.VecPhysical) {
			if f.avx512() {
				f.CMP(U8(cmpLTOQ), in, zero, gt[j])
				f.MOVA_Z(ones, gt[j], out)
			} else {
				f.CMP(U8(cmpLTOQ), in, zero, out)
				f.AND(ones, out, out)
			}
		})
	}
}
