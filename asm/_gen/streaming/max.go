package main

import (
	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// maxAcc is the number of running maxima of Max (and its unrolling).
const maxAcc = 4

// The VCMP predicates of Max's NaN check.
const (
	cmpORDQ   = 7 // both operands are numbers
	cmpUNORDQ = 3 // either operand is NaN
)

func init() { register("max", genMax) }

// genMax emits Max: 4 running maxima (the tail into V(1), its masked-off lanes -Inf) and, on the
// side, whether a NaN was seen, from compares of pairs of loaded vectors: ANDed ordered compares
// into K2 and K3 with AVX-512, ORed unordered compares into Y9 with AVX2. A NaN seen returns the
// default quiet NaN; otherwise the maxima and the lanes are reduced pairwise.
func genMax(c *build.Context) {
	for _, v := range variants {
		f := newFn(c, "Max", v, "func(x []T) T")
		f.doc(
			f.Name+" returns the largest element of x, -Inf for an empty x and a NaN if x holds one. It computes",
			"\tm := T(math.Inf(-1))\n\tfor _, v := range x {\n\t\tif v != v {\n\t\t\treturn v\n\t\t}\n"+
				"\t\tif v > m {\n\t\t\tm = v\n\t\t}\n\t}\n\treturn m",
			"The NaN returned is the default quiet NaN, not the one in x. When the largest value is "+
				"0 and both +0 and -0 occur, which zero comes back is unspecified. It requires "+
				f.isa.Requires+". Any length and alignment: "+f.perIteration(maxAcc, "x")+" with "+
				f.Mask+" loads (masked-off lanes count as -Inf), so it never reads outside the slice.",
		)
		regs := []string{
			"SI  address of the next x element",
			"CX  elements left",
			"AX, BX  scratch",
			f.vr(0, 3) + "  running maxima",
			f.vr(4, 7) + "  x values",
			f.vr(8, -1) + "  -Inf in every lane",
		}
		if f.avx512() {
			regs = append(regs, "K2, K3  lanes where every x seen so far was a number (ANDed ordered compares)")
		} else {
			regs = append(regs, "Y9  lanes where a NaN was seen (ORed unordered compares)",
				"Y10, Y11  compare results")
		}
		f.regs(append(regs, f.tailRegs())...)

		f.base("x", srcPtr)
		f.length("x", count)
		negInf := uint64(0xff800000)
		if f.f64() {
			negInf = 0xfff0000000000000
		}
		f.broadcastBits(negInf, 8)
		fill := f.V(8)
		for i := 0; i < maxAcc; i++ {
			f.MOVA(fill, f.V(i))
		}
		ordered := []reg.OpmaskPhysical{reg.K2, reg.K3}
		nan, cmp := f.V(9), []reg.VecPhysical{f.V(10), f.V(11)}
		if f.avx512() {
			for _, k := range ordered {
				f.KXNORW(k, k, k)
			}
		} else {
			f.zero(9)
		}
		// pair is the vector loaded with vector j in the NaN check: j+1, or j itself when alone.
		pair := func(j, n int) reg.VecPhysical {
			if j+1 < n {
				return f.V(maxAcc + j + 1)
			}
			return f.V(maxAcc + j)
		}
		body := []func(j, n int){
			func(j, n int) { f.MOVU(f.at(srcPtr, j), f.V(maxAcc+j)) },
			func(j, n int) { f.MAX(f.V(maxAcc+j), f.V(j), f.V(j)) },
		}
		if f.avx512() {
			body = append(body, func(j, n int) {
				if j%2 == 0 {
					f.CMP(U8(cmpORDQ), pair(j, n), f.V(maxAcc+j), ordered[j/2], ordered[j/2])
				}
			})
		} else {
			body = append(body,
				func(j, n int) {
					if j%2 == 0 {
						f.CMP(U8(cmpUNORDQ), pair(j, n), f.V(maxAcc+j), cmp[j/2])
					}
				},
				func(j, n int) {
					if j%2 == 0 {
						f.OR(cmp[j/2], nan, nan)
					}
				})
		}
		f.loop(loop{
			Unroll:   maxAcc,
			Ptrs:     []reg.Register{srcPtr},
			Body:     body,
			TailNote: "masked-off lanes are not read and count as -Inf",
			Tail: func() {
				x := f.V(4)
				f.maskedLoadFill(f.at(srcPtr, 0), x, fill)
				f.MAX(x, f.V(1), f.V(1))
				if f.avx512() {
					f.CMP(U8(cmpORDQ), x, x, ordered[0], ordered[0])
				} else {
					f.CMP(U8(cmpUNORDQ), x, x, cmp[0])
					f.OR(cmp[0], nan, nan)
				}
			},
			End: "reduce",
		})

		if f.avx512() {
			f.KANDW(ordered[0], ordered[1], ordered[0])
			f.KMOVW(ordered[0], reg.EAX)
			if f.f64() {
				f.ANDL(imm(0xff), reg.EAX)
				f.CMPL(reg.EAX, imm(0xff))
			} else {
				f.CMPL(reg.EAX, U32(0xffff))
			}
			f.JNE(LabelRef("nan"))
		} else {
			f.VPTEST(nan, nan)
			f.JNZ(LabelRef("nan"))
		}
		f.reduce(hmax, maxAcc)

		f.Comment("A NaN was seen: the result is the default quiet NaN.")
		f.Label("nan")
		ret := f.addr(f.ReturnIndex(0))
		if f.f64() {
			f.MOVQ(U64(0x7ff8000000000000), reg.RAX)
			f.MOVQ(reg.RAX, ret)
		} else {
			f.MOVL(U32(0x7fc00000), reg.EAX)
			f.MOVL(reg.EAX, ret)
		}
		f.ret()
	}
}
