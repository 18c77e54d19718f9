package main

import (
	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("leakyrelu", genLeakyReLU) }

// cmpNGTUQ is the VCMPPS/VCMPPD predicate "not greater than, unordered, quiet": true where
// x > 0 is false, NaN included.
const cmpNGTUQ = 0x0a

// kreg are the AVX-512 mask registers the kernels use per vector, K2-K7 (K1 is the tail mask).
var kreg = [...]reg.OpmaskPhysical{reg.K2, reg.K3, reg.K4, reg.K5, reg.K6, reg.K7}

// genLeakyReLU emits LeakyReLU: dst[i] = x for x = src[i] > 0, else alpha*x, one rounding. The
// lanes where x > 0 is false (NaN too) are found with a compare and multiplied by alpha: under a
// K mask on AVX-512, by a blend on AVX2. The compare, not the sign bit, picks the lanes, so that
// +0 gives alpha*+0 (which is -0 for a negative alpha) like the Go loop.
func genLeakyReLU(c *build.Context) {
	for _, v := range variants {
		f := newFn(c, "LeakyReLU", v, "func(alpha T, dst, src []T)")
		f.doc(
			f.Name+" sets dst[i] = src[i] where it is above 0 and alpha*src[i] elsewhere, the "+
				"leaky rectifier, exactly (one rounding, like Go's multiplication). It computes",
			"\tfor i, x := range src {\n\t\tif !(x > 0) {\n\t\t\tx *= alpha\n\t\t}\n\t\tdst[i] = x\n\t}",
			"NaN stays NaN and -0 gives alpha*-0. It requires "+f.isa.Requires+". "+f.mapContract(mapUnroll),
		)
		if f.avx512() {
			f.regs(
				"DI  address of the next dst element",
				"SI  address of the next src element",
				"CX  elements left",
				"AX, BX  scratch (tail mask)",
				"Z15  alpha in every lane",
				"Z14  zero",
				"Z0-Z3  x, then the results in flight",
				"K2-K5  the lanes where x > 0 is false",
				f.tailRegs(),
			)
		} else {
			f.regs(
				"DI  address of the next dst element",
				"SI  address of the next src element",
				"CX  elements left",
				"AX, BX  scratch (tail mask)",
				"Y15  alpha in every lane",
				"Y14  zero",
				"Y0-Y3  the results in flight",
				"Y4-Y7  x",
				"Y8-Y11  all ones where x > 0 is false",
				f.tailRegs(),
			)
		}
		f.base("dst", dstPtr)
		f.base("src", srcPtr)
		f.length("src", count)
		f.BROADCAST(f.addr(f.Param("alpha")), f.V(15))
		f.zero(14)
		alpha, zero := f.V(15), f.V(14)
		f.unary(func(in Op, j int, out reg.VecPhysical) {
			if f.avx512() {
				// out = x, then out *= alpha in the lanes where x > 0 is false.
				if in != out {
					f.MOVU(in, out)
				}
				f.CMP(U8(cmpNGTUQ), zero, out, kreg[j])
				f.MUL(alpha, out, kreg[j], out)
				return
			}
			x, m := f.V(4+j), f.V(8+j)
			f.MOVU(in, x)
			f.CMP(U8(cmpNGTUQ), zero, x, m)
			f.MUL(alpha, x, out)
			f.BLENDV(m, out, x, out)
		})
	}
}
