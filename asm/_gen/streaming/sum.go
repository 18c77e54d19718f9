package main

import (
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/reg"
)

// sumAcc is the number of vector accumulators of Sum (and its unrolling).
const sumAcc = 8

func init() { register("sum", genSum) }

// genSum emits Sum: 8 vector accumulators, each adding every 8th vector, the tail added into
// V(1); then the accumulators and the lanes summed pairwise.
func genSum(c *build.Context) {
	for _, v := range variants {
		f := newFn(c, "Sum", v, "func(x []T) T")
		f.doc(
			f.Name+" returns the sum of the elements of x. It computes",
			"\tvar s T\n\tfor _, v := range x {\n\t\ts += v\n\t}\n\treturn s",
			"It adds in a different order from the loop: 8 vector accumulators, then a pairwise "+
				"sum of the lanes, so the result may differ from the loop by rounding. It requires "+
				f.isa.Requires+". Any length and alignment: "+f.perIteration(sumAcc, "x")+" with "+
				f.Mask+" loads (masked-off lanes count as 0), so it never reads outside the slice.",
		)
		f.regs(
			"SI  address of the next x element",
			"CX  elements left",
			"AX, BX  scratch",
			f.vr(0, 7)+"  partial sums",
			f.vr(8, -1)+"  tail values",
			f.tailRegs(),
		)
		f.base("x", srcPtr)
		f.length("x", count)
		for i := 0; i < sumAcc; i++ {
			f.zero(i)
		}
		f.loop(loop{
			Unroll: sumAcc,
			Ptrs:   []reg.Register{srcPtr},
			Body: []func(j, n int){
				func(j, n int) { f.ADD(f.at(srcPtr, j), f.V(j), f.V(j)) },
			},
			TailNote: "masked-off lanes are not read and count as 0",
			Tail: func() {
				f.maskedLoad(f.at(srcPtr, 0), f.V(8))
				f.ADD(f.V(8), f.V(1), f.V(1))
			},
			End: "reduce",
		})
		f.reduce(hadd, sumAcc)
	}
}
