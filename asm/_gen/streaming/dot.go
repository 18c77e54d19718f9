package main

import (
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/reg"
)

// dotAcc is the number of vector accumulators of Dot (and its unrolling).
const dotAcc = 4

func init() { register("dot", genDot) }

// genDot emits Dot: fused multiply-adds into 4 vector accumulators, the tail into V(1); then
// the accumulators and the lanes summed pairwise.
func genDot(c *build.Context) {
	for _, v := range variants {
		f := newFn(c, "Dot", v, "func(x, y []T) T")
		isa := f.isa.Requires
		if !f.avx512() {
			isa = "AVX2 and FMA3"
		}
		f.doc(
			f.Name+" returns the dot product of x and y. It computes",
			"\tvar s T\n\tfor i, v := range x {\n\t\ts += v * y[i]\n\t}\n\treturn s",
			"It adds in a different order from the loop, with fused multiply-adds into 4 vector "+
				"accumulators and a pairwise sum of the lanes, so the result may differ from the "+
				"loop by rounding. It requires "+isa+". len(y) must be at least len(x). Any length "+
				"and alignment: "+f.perIteration(dotAcc, "x")+" with "+f.Mask+" loads (masked-off "+
				"lanes count as 0), so it never reads outside the slices.",
		)
		f.regs(
			"SI  address of the next x element",
			"DI  address of the next y element",
			"CX  elements left",
			"AX, BX  scratch",
			f.vr(0, 3)+"  partial sums",
			f.vr(4, 7)+"  x values",
			f.tailRegs(),
		)
		x, y := srcPtr, dstPtr
		f.base("x", x)
		f.length("x", count)
		f.base("y", y)
		for i := 0; i < dotAcc; i++ {
			f.zero(i)
		}
		f.loop(loop{
			Unroll: dotAcc,
			Ptrs:   []reg.Register{x, y},
			Body: []func(j, n int){
				func(j, n int) { f.MOVU(f.at(x, j), f.V(dotAcc+j)) },
				func(j, n int) { f.FMADD231(f.at(y, j), f.V(dotAcc+j), f.V(j)) },
			},
			TailNote: "masked-off lanes are not read and count as 0",
			Tail: func() {
				f.maskedLoad(f.at(x, 0), f.V(4))
				f.maskedLoad(f.at(y, 0), f.V(5))
				f.FMADD231(f.V(5), f.V(4), f.V(1))
			},
			End: "reduce",
		})
		f.reduce(hadd, dotAcc)
	}
}
