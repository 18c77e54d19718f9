package main

import (
	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("leakyrelugrad", genLeakyReLUGrad) }

// genLeakyReLUGrad emits LeakyReLUGrad: dx[i] = dy[i] where x[i] > 0, else alpha·dy[i] (x <= 0
// or NaN), the product rounded once. AVX-512: dy is loaded and multiplied by alpha under the
// mask of the lanes where 0 < x is false. AVX2: alpha·dy, then a blend that takes dy itself
// where 0 < x.
func genLeakyReLUGrad(c *build.Context) {
	for _, v := range variants {
		f := newFn(c, "LeakyReLUGrad", v, "func(alpha T, dx, dy, x []T)")
		f.doc(
			f.Name+" sets dx[i] = dy[i] where x[i] > 0 and alpha·dy[i] where x[i] <= 0 or x[i] "+
				"is NaN, the gradient through LeakyReLU (LeakyReLU'(0) = alpha), exactly (one "+
				"rounding, like Go's multiplication). It computes, bit for bit,",
			"\tfor i := range dx {\n\t\tg := dy[i]\n\t\tif !(x[i] > 0) {\n\t\t\tg *= alpha\n\t\t}\n\t\tdx[i] = g\n\t}",
			"It requires "+f.isa.Requires+". "+f.reluGradContract(mapUnroll),
		)
		alpha, zero := f.V(15), f.V(14)
		if f.avx512() {
			f.regs(append(reluGradRegs(),
				"Z15  alpha in every lane",
				"Z14  zero",
				"Z0-Z3  dy, then the results",
				"Z8, Z9  dy and x in the tail",
				"K2-K5  the lanes where x <= 0 or NaN",
				f.tailRegs())...)
		} else {
			f.regs(append(reluGradRegs(),
				"Y15  alpha in every lane",
				"Y14  zero",
				"Y0-Y3  alpha·dy, then the results",
				"Y4-Y7  all ones where x > 0",
				"Y8, Y9  dy and x in the tail",
				f.tailRegs())...)
		}
		f.reluGradArgs()
		f.BROADCAST(f.addr(f.Param("alpha")), alpha)
		f.zero(14)
		f.reluGradLoop(mapUnroll, func(j int, dy, x Op) {
			out := f.V(j)
			if f.avx512() {
				if dy != Op(out) {
					f.MOVU(dy, out)
				}
				f.CMP(U8(reluGradNLTUQ), x, zero, kreg[j]) // !(0 < x)
				f.MUL(alpha, out, kreg[j], out)
				return
			}
			m := f.V(4 + j)
			f.MUL(dy, alpha, out)
			f.CMP(U8(reluGradLTOQ), x, zero, m) // 0 < x
			f.BLENDV(m, dy, out, out)
		}, func(j int) reg.VecPhysical { return f.V(j) }, f.V(8), f.V(9))
	}
}
