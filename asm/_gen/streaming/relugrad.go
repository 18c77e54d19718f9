package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("relugrad", genReLUGrad) }

// Compare predicates of VCMPPS/VCMPPD (quiet: a NaN operand raises no invalid flag), with the
// constant 0 as the first operand and x as the second.
const (
	reluGradNGEUQ = 0x19 // 0 >= x is false: x > 0 or NaN
	reluGradNLTUQ = 0x15 // 0 < x is false: x <= 0 or NaN
	reluGradLTOQ  = 0x11 // 0 < x: x > 0, NaN excluded
)

// reluGradXPtr is the address of the next x element in the backward kernels of this file and of
// leakyrelugrad.go and elugrad.go; DI holds dx (dstPtr), SI dy (srcPtr), CX the count.
var reluGradXPtr = reg.RDX

// reluGradRegs are the register map lines of the pointers of a backward kernel over dx, dy, x.
func reluGradRegs() []string {
	return []string{
		"DI  address of the next dx element",
		"SI  address of the next dy element",
		"DX  address of the next x element",
		"CX  elements left",
		"AX, BX  scratch (tail mask)",
	}
}

// reluGradArgs loads the pointers and the length of a backward kernel over dx, dy and x.
func (f *fn) reluGradArgs() {
	f.base("dx", dstPtr)
	f.base("dy", srcPtr)
	f.base("x", reluGradXPtr)
	f.length("dx", count)
}

// reluGradContract is the end of the doc comment of a backward kernel over dx, dy and x that
// works through unroll vectors per iteration.
func (f *fn) reluGradContract(unroll int) string {
	return fmt.Sprintf("dy and x must be at least as long as dx; dx may be dy or x (exactly, not "+
		"a shifted overlap). Any length and alignment: it works through %d elements per "+
		"iteration, then %d, and does the last len(dx)%%%d with %s loads and a %s store, so it "+
		"never reads or writes outside the slices.", unroll*f.Lanes, f.Lanes, f.Lanes, f.Mask,
		f.Mask)
}

// reluGradLoop is the loop of a backward kernel over dx, dy and x whose vector j is computed by
// op from the operands dy and x (memory operands in the loops, registers in the tail) into
// out(j), then stored. In the tail dy and x are loaded, masked, into tailDy and tailX (their
// other lanes zero), and op computes vector 0.
func (f *fn) reluGradLoop(unroll int, op func(j int, dy, x Op), out func(j int) reg.VecPhysical, tailDy, tailX reg.VecPhysical) {
	dy, x := srcPtr, reluGradXPtr
	f.loop(loop{
		Unroll: unroll,
		Ptrs:   []reg.Register{dy, x, dstPtr},
		Body: []func(j, n int){
			func(j, n int) { op(j, f.at(dy, j), f.at(x, j)) },
			func(j, n int) { f.MOVU(out(j), f.at(dstPtr, j)) },
		},
		TailNote: "masked-off lanes are neither read nor written",
		Tail: func() {
			f.maskedLoad(f.at(x, 0), tailX)
			f.maskedLoad(f.at(dy, 0), tailDy)
			op(0, tailDy, tailX)
			f.maskedStore(out(0), f.at(dstPtr, 0))
		},
		End: "done",
	})
	f.ret()
}

// genReLUGrad emits ReLUGrad: dx[i] = dy[i] where x[i] > 0 or is NaN, else 0, as a select (an
// infinite or NaN dy at x <= 0 gives +0). AVX-512: the lanes come from a compare into a mask
// register and a zero-masking load of dy; AVX2: the compare's all-ones lanes ANDed with dy.
func genReLUGrad(c *build.Context) {
	for _, v := range variants {
		f := newFn(c, "ReLUGrad", v, "func(dx, dy, x []T)")
		f.doc(
			f.Name+" sets dx[i] = dy[i] where x[i] > 0 or x[i] is NaN and 0 where x[i] <= 0, "+
				"the gradient through ReLU (ReLU'(0) = 0). It computes, bit for bit,",
			"\tfor i := range dx {\n\t\tg := dy[i]\n\t\tif x[i] <= 0 {\n\t\t\tg = 0\n\t\t}\n\t\tdx[i] = g\n\t}",
			"It is a select, not a product: an infinite or NaN dy where x <= 0 gives +0. It "+
				"requires "+f.isa.Requires+". "+f.reluGradContract(mapUnroll),
		)
		zero := f.V(15)
		if f.avx512() {
			f.regs(append(reluGradRegs(),
				"Z15  zero",
				"Z0-Z3  the results in flight",
				"Z8, Z9  dy and x in the tail",
				"K2-K5  the lanes where x > 0 or NaN",
				f.tailRegs())...)
		} else {
			f.regs(append(reluGradRegs(),
				"Y15  zero",
				"Y0-Y3  all ones where x > 0 or NaN, then the results",
				"Y8, Y9  dy and x in the tail",
				f.tailRegs())...)
		}
		f.reluGradArgs()
		f.zero(15)
		f.reluGradLoop(mapUnroll, func(j int, dy, x Op) {
			out := f.V(j)
			if f.avx512() {
				f.CMP(U8(reluGradNGEUQ), x, zero, kreg[j]) // !(0 >= x)
				f.MOVU_Z(dy, kreg[j], out)
				return
			}
			f.CMP(U8(reluGradNGEUQ), x, zero, out)
			f.AND(dy, out, out)
		}, func(j int) reg.VecPhysical { return f.V(j) }, f.V(8), f.V(9))
	}
}
