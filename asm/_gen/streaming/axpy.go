package main

import (
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("axpy", genAxpy) }

// genAxpy emits Axpy: y[i] += alpha*x[i], with one fused multiply-add per element.
func genAxpy(c *build.Context) {
	for _, v := range variants {
		f := newFn(c, "Axpy", v, "func(alpha T, x, y []T)")
		isa := f.isa.Requires
		if !f.avx512() {
			isa = "AVX2 and FMA3"
		}
		f.doc(
			f.Name+" adds alpha*x[i] to y[i] for every i. It computes",
			"\tfor i, v := range x {\n\t\ty[i] += alpha * v\n\t}",
			"Each alpha*x[i]+y[i] is rounded once, as math.FMA rounds, where the loop rounds the "+
				"product and then the sum; that is the only difference. It requires "+isa+". "+
				"len(y) must be at least len(x); x may be y, but must not otherwise overlap it. "+
				"Any length and alignment: "+f.perIteration(mapUnroll, "x")+" with "+f.Mask+
				" loads and a "+f.Mask+" store, so it never reads or writes outside the slices.",
		)
		f.regs(
			"SI  address of the next x element",
			"DI  address of the next y element",
			"CX  elements left",
			"AX, BX  scratch (tail mask)",
			f.vr(15, -1)+"  alpha in every lane",
			f.vr(0, 3)+"  y values being updated",
			f.vr(4, -1)+"  x tail values",
			f.tailRegs(),
		)
		alpha := f.V(15)
		f.BROADCAST(f.addr(f.Param("alpha")), alpha)
		f.base("x", srcPtr)
		f.length("x", count)
		f.base("y", dstPtr)
		x, y := srcPtr, dstPtr
		f.loop(loop{
			Unroll: mapUnroll,
			Ptrs:   []reg.Register{x, y},
			Body: []func(j, n int){
				func(j, n int) { f.MOVU(f.at(y, j), f.V(j)) },
				func(j, n int) { f.FMADD231(f.at(x, j), alpha, f.V(j)) },
				func(j, n int) { f.MOVU(f.V(j), f.at(y, j)) },
			},
			TailNote: "masked-off lanes are neither read nor written",
			Tail: func() {
				f.maskedLoad(f.at(y, 0), f.V(0))
				f.maskedLoad(f.at(x, 0), f.V(4))
				f.FMADD231(f.V(4), alpha, f.V(0))
				f.maskedStore(f.V(0), f.at(y, 0))
			},
			End: "done",
		})
		f.ret()
	}
}
