package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The weight gradient of a convolution whose output a ReLU and a 2x2 max pooling took: of the
// four outputs of a pooling window, only the one its arg names has a gradient, and only where
// the maximum passed the ReLU, so that the gradient of the convolution's output is three
// quarters zeros and more. ConvGradPooledF32AVX2 reads the pooled gradient and the args where
// they lie (pixel order, c channels a pixel) and, for each nonzero gradient, adds its multiple
// of the input window that produced the maximum to that channel's row of the weight gradient:
// 8-float pieces of the window's rows (the caller keeps the first KW of each), and the gradient
// itself to the bias.

const convGradPooled = "ConvGradPooledF32AVX2"

// convGradRows is the most rows of a window ConvGradPooledF32AVX2 takes.
const convGradRows = 8

// convGradPooledKernel emits ConvGradPooledF32AVX2 (used by the AVX-512 table too: its 8-float
// pieces are YMM registers on either ISA).
func convGradPooledKernel(c *build.Context) {
	c.Function(convGradPooled)
	c.Attributes(attr.NOSPLIT)
	c.Doc(comment(
		convGradPooled+" adds to rows of dw the multiples of pieces of x that a pooled gradient "+
			"names: the weight gradient of a convolution with stride 1 whose output a ReLU and a 2x2 "+
			"max pooling took (MaxPool2x2ReLU's args, pixel order, c channels a pixel), from the "+
			"pooling's output gradient dy. base holds, for each pooled pixel q, the offsets in x of "+
			"the first input of the windows of its four outputs, rows the offsets from there of the "+
			"rows of a window. It computes",
		`	for q := 0; q < len(base)/4; q++ {
		for o := 0; o < c; o++ {
			i, g := arg[q*c+o], dy[q*c+o]
			if i > 3 || g == 0 {
				continue
			}
			at := int(base[4*q+int(i)])
			for j, r := range rows {
				for l := 0; l < 8; l++ {
					dw[o*ldw+8*j+l] += g * x[at+int(r)+l]
				}
			}
			dw[o*ldw+8*len(rows)] += g
		}
	}`,
		"with fused multiply-adds, in that order (a NaN g counts as nonzero). For up to 32 channels "+
			"of a pixel at a time, compares of dy to zero and of arg to 3 give the mask of the ones "+
			"to add, whose set bits it walks; each number of rows has a loop of its own.",
		"Contract: c is a positive multiple of 8; 1 <= len(rows) <= 8; arg and dy hold "+
			"len(base)/4*c values; x[at+int(r)+l] lies in x for every offset at of base, r of rows and "+
			"l < 8; dw[o*ldw+8*len(rows)] lies in dw for o < c, and ldw >= 8*len(rows)+1. It does not "+
			"check the lengths. dw must not overlap x. It requires AVX2 and FMA3.",
	)...)
	c.Pragma("noescape")
	c.SignatureExpr("func(dw []float32, ldw int, x []float32, rows []int32, dy []float32, arg []uint8, base []int32, c int)")

	var (
		dw, x, rowsp, ldw   = reg.RDI, reg.RSI, reg.R9, reg.R8
		dyp, argp, basep    = reg.R11, reg.R12, reg.R13
		o0, bits, o, at, rj = reg.RBX, reg.RDX, reg.RAX, reg.R10, reg.RCX
		zero, three, ne, cl = reg.Y0, reg.Y1, reg.Y2, reg.Y3
		g, acc              = reg.Y4, reg.Y5
	)
	c.Comment(
		"Registers:",
		"  DI  dw; R8  ldw in bytes; SI  x; R9  rows; R11 dy of pixel q; R12 its args; R13 its base",
		"  BX  the first channel of the group of 32; DX  the group's bits not yet done",
		"  AX  channel o, then the offset of its row of dw; R10 the window's first input; CX  scratch",
		"  Y0  zero; Y1  3 in every lane; Y2  8 nonzero gradients; Y3  their args, then clamped",
		"  Y4  g in every lane; Y5  a piece of dw's row",
	)
	end := c.AllocLocal(8) // the end of base
	c.Load(c.Param("dw").Base(), dw)
	c.Load(c.Param("ldw"), ldw)
	c.SHLQ(operand.U8(2), ldw)
	c.Load(c.Param("x").Base(), x)
	c.Load(c.Param("rows").Base(), rowsp)
	c.Load(c.Param("dy").Base(), dyp)
	c.Load(c.Param("arg").Base(), argp)
	c.Load(c.Param("base").Base(), basep)
	c.Load(c.Param("base").Len(), o)
	c.ANDQ(operand.I8(-4), o)
	c.LEAQ(operand.Mem{Base: basep, Index: o, Scale: 4}, o)
	c.MOVQ(o, end)
	c.VXORPS(zero, zero, zero)
	c.MOVL(operand.U32(3), reg.EAX)
	c.VMOVD(reg.EAX, three.AsX())
	c.VPBROADCASTD(three.AsX(), three)
	// One loop for each number of rows of a window, 1 to convGradRows.
	c.Load(c.Param("rows").Len(), o)
	for n := 1; n < convGradRows; n++ {
		c.CMPQ(o, operand.U8(n))
		c.JEQ(operand.LabelRef(fmt.Sprintf("rows%d", n)))
	}
	for n := convGradRows; n >= 1; n-- {
		l := func(s string) operand.LabelRef { return operand.LabelRef(fmt.Sprintf("%s%d", s, n)) }
		c.Label(string(l("rows")))
		c.Label(string(l("pixel")))
		c.CMPQ(basep, end)
		c.JEQ(operand.LabelRef("done"))
		c.XORL(o0.As32(), o0.As32())

		c.Label(string(l("chunk")))
		// The mask of up to 32 channels from o0: dy != 0 (NaN too) and arg <= 3, 8 at a time.
		c.XORL(bits.As32(), bits.As32())
		c.XORL(rj.As32(), rj.As32())
		c.Label(string(l("group")))
		c.LEAQ(operand.Mem{Base: o0, Index: rj, Scale: 1}, o)
		c.VCMPPS(operand.U8(4), operand.Mem{Base: dyp, Index: o, Scale: 4}, zero, ne)
		c.VPMOVZXBD(operand.Mem{Base: argp, Index: o, Scale: 1}, cl)
		c.VPCMPGTD(three, cl, cl)
		c.VPANDN(ne, cl, ne)
		c.VMOVMSKPS(ne, o.As32())
		c.SHLL(reg.CL, o.As32())
		c.ORL(o.As32(), bits.As32())
		c.ADDQ(operand.U8(8), rj)
		c.CMPQ(rj, operand.U8(32))
		c.JEQ(l("bit"))
		c.LEAQ(operand.Mem{Base: o0, Index: rj, Scale: 1}, o)
		c.CMPQ(o, paramAddr(c, "c"))
		c.JLT(l("group"))

		c.Label(string(l("bit")))
		c.TESTL(bits.As32(), bits.As32())
		c.JZ(l("next"))
		c.BSFL(bits.As32(), o.As32())
		c.LEAL(operand.Mem{Base: bits, Disp: -1}, at.As32())
		c.ANDL(at.As32(), bits.As32()) // the lowest bit cleared
		c.ADDQ(o0, o)
		c.VBROADCASTSS(operand.Mem{Base: dyp, Index: o, Scale: 4}, g)
		c.MOVBQZX(operand.Mem{Base: argp, Index: o, Scale: 1}, at)
		c.MOVLQSX(operand.Mem{Base: basep, Index: at, Scale: 4}, at)
		c.LEAQ(operand.Mem{Base: x, Index: at, Scale: 4}, at)
		c.IMULQ(ldw, o)
		for j := range n {
			c.MOVLQSX(operand.Mem{Base: rowsp, Disp: 4 * j}, rj)
			c.VMOVUPS(operand.Mem{Base: dw, Index: o, Scale: 1, Disp: 32 * j}, acc)
			c.VFMADD231PS(operand.Mem{Base: at, Index: rj, Scale: 4}, g, acc)
			c.VMOVUPS(acc, operand.Mem{Base: dw, Index: o, Scale: 1, Disp: 32 * j})
		}
		// The bias.
		c.VADDSS(operand.Mem{Base: dw, Index: o, Scale: 1, Disp: 32 * n}, g.AsX(), acc.AsX())
		c.VMOVSS(acc.AsX(), operand.Mem{Base: dw, Index: o, Scale: 1, Disp: 32 * n})
		c.JMP(l("bit"))

		c.Label(string(l("next")))
		c.ADDQ(operand.U8(32), o0)
		c.CMPQ(o0, paramAddr(c, "c"))
		c.JLT(l("chunk"))
		c.MOVQ(paramAddr(c, "c"), o)
		c.LEAQ(operand.Mem{Base: dyp, Index: o, Scale: 4}, dyp)
		c.ADDQ(o, argp)
		c.ADDQ(operand.U8(16), basep)
		c.JMP(l("pixel"))
	}

	c.Label("done")
	c.VZEROUPPER()
	c.RET()
}

// paramAddr is the address of the argument name of c's function.
func paramAddr(c *build.Context, name string) operand.Mem {
	b, err := c.Param(name).Resolve()
	if err != nil {
		panic(err)
	}
	return b.Addr
}
