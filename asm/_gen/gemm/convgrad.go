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
// quarters zeros and more. ConvGradPooledF32AVX2 reads the pooled gradient and the args (as
// float32) channel by channel and, for each nonzero gradient, adds its multiple of the input window
// that produced the maximum to that channel's row of the weight gradient, held in registers:
// 8-float pieces of the window's rows (the caller keeps the first KW of each), and the gradient
// itself to the bias.

const convGradPooled = "ConvGradPooledF32AVX2"

// convGradRows is the most rows of a window ConvGradPooledF32AVX2 takes: their offsets are held
// in 6 general registers.
const convGradRows = 6

// convGradPooledKernel emits ConvGradPooledF32AVX2 (used by the AVX-512 table too: its 8-float
// pieces are YMM registers on either ISA).
func convGradPooledKernel(c *build.Context) {
	c.Function(convGradPooled)
	c.Attributes(attr.NOSPLIT)
	c.Doc(comment(
		convGradPooled+" adds to rows of dw the multiples of pieces of x that a pooled gradient "+
			"names: the weight gradient of a convolution with stride 1 whose output a ReLU and a 2x2 "+
			"max pooling took, from the pooling's output gradient dy (channel by channel, pq = "+
			"len(base) pooled pixels a channel) and its args (MaxPool2x2ReLU's: those of channels "+
			"4k..4k+3 of pixel q in the 4 bytes from 4*(k*pq+q)). base holds "+
			"the offset in x of the first input of the window of each pooled pixel's first output, "+
			"pos the offsets from there of its four outputs' windows, rows the offsets of the rows of "+
			"a window. It computes",
		`	for o := 0; o < len(dy)/pq; o++ {
		for q := 0; q < pq; q++ {
			a, g := arg[4*(o/4*pq+q)+o%4], dy[o*pq+q]
			if a > 3 || g == 0 {
				continue
			}
			at := int(base[q]) + int(pos[a])
			for j, r := range rows {
				for l := 0; l < 8; l++ {
					dw[o*ldw+8*j+l] += g * x[at+int(r)+l]
				}
			}
			dw[o*ldw+8*len(rows)] += g
		}
	}`,
		"with fused multiply-adds, in that order (a NaN g counts as nonzero). A channel's row of dw "+
			"is held in registers (one loop for each number of rows) while, for 32 pixels at a time, "+
			"compares of dy to zero and of arg to 3 give the mask of the gradients to add, and "+
			"base plus pos (a VPERMD of the args) the offsets of their windows; it then walks the "+
			"mask's set bits. The last pq%8 values of a channel are read under a VMASKMOV mask.",
		"Contract: len(pos) >= 4; 1 <= len(rows) <= 6; len(dy) is a multiple of pq (any length when "+
			"pq is 0); arg holds 4*ceil(len(dy)/pq/4)*pq bytes; x[at+int(r)+l] lies in x for every offset at above, r of rows and "+
			"l < 8; dw[o*ldw+8*len(rows)] lies in dw for o < len(dy)/pq, and ldw >= 8*len(rows)+1. It "+
			"does not check the lengths. dw must not overlap x. It requires AVX2 and FMA3.",
	)...)
	c.Pragma("noescape")
	c.SignatureExpr("func(dw []float32, ldw int, x []float32, rows []int32, dy []float32, arg []uint8, base, pos []int32)")

	var (
		x, dyp, q0, bits = reg.RSI, reg.R11, reg.RBX, reg.RDX
		q, at, cx        = reg.RAX, reg.R10, reg.RCX
		zero, three, ne  = reg.Y0, reg.Y1, reg.Y2
		av, g, tail      = reg.Y3, reg.Y4, reg.Y5
		bias, t          = reg.Y6, reg.Y7
	)
	// The offsets of the window's rows, in registers for the walk.
	rowRegs := []reg.GPPhysical{reg.R8, reg.R9, reg.R12, reg.R13, reg.R14, reg.RDI}
	accs := []reg.VecPhysical{reg.Y8, reg.Y9, reg.Y10, reg.Y11, reg.Y12, reg.Y13, reg.Y14, reg.Y15}
	c.Comment(
		"Registers:",
		"  SI  x; R11 dy's row o; BX  the first pixel of the group of 32; DX  its bits not yet done",
		"  AX  the bit, pixel q, scratch; R10 the window's first input; CX  scratch",
		"  R8, R9, R12, R13, R14, DI  the offsets of the window's rows (rows[0:6])",
		"  Y0  zero; Y1  3 in every lane; Y2  nonzero gradients, then the mask; Y3  8 args; Y5  a tail's mask",
		"  Y4  g in every lane; Y6  the bias's sum (lane 0); Y7  scratch; Y8-Y13 the row of dw",
		"  the frame: the offsets of the windows of the 32 pixels (int32), pos[0:4] twice, 255 in 8 lanes,",
		"  the shift of the channel's byte (bits), dw's row o, the words of its args, base, pq, channels left",
	)
	buf := c.AllocLocal(4*32 + 32 + 32 + 6*8) // see the comment above
	slot := func(disp int) operand.Mem { return operand.Mem{Base: buf.Base, Disp: buf.Disp + disp} }
	posAt, byteAt, shiftAt := slot(128), slot(160), slot(192)
	dwAt, argAt, baseAt, pqAt, chansAt := slot(200), slot(208), slot(216), slot(224), slot(232)

	f := convGradFrame{dwAt: dwAt, argAt: argAt, baseAt: baseAt, pqAt: pqAt, chansAt: chansAt, shiftAt: shiftAt}
	f.start(c, x, dyp)
	c.Load(c.Param("pos").Base(), reg.RAX)
	c.VMOVDQU(operand.Mem{Base: reg.RAX}, t.AsX())
	c.VMOVDQU(t.AsX(), posAt)
	c.VMOVDQU(t.AsX(), slot(144))
	c.VXORPS(zero, zero, zero)
	c.MOVL(operand.U32(3), reg.EAX)
	c.VMOVD(reg.EAX, three.AsX())
	c.VPBROADCASTD(three.AsX(), three)
	c.MOVL(operand.U32(255), reg.EAX)
	c.VMOVD(reg.EAX, t.AsX())
	c.VPBROADCASTD(t.AsX(), t)
	c.VMOVDQU(t, byteAt)
	f.rowLoops(c, rowRegs, accs, bias.AsX().(reg.VecPhysical), dyp, func(n int, l func(string) operand.LabelRef) {
		c.XORL(q0.As32(), q0.As32())

		c.Label(string(l("chunk")))
		// Pixels q0..q0+31, 8 at a time: the mask of dy != 0 (NaN too) and arg <= 3, and the
		// offsets base[q] + pos[arg] of their windows, into the frame.
		c.XORL(bits.As32(), bits.As32())
		for k := range 4 {
			gl := func(s string) operand.LabelRef { return operand.LabelRef(fmt.Sprintf("%s%d_%d", s, n, k)) }
			dyMem := operand.Mem{Base: dyp, Index: q0, Scale: 4, Disp: 32 * k}
			argMem := operand.Mem{Base: reg.RAX, Index: q0, Scale: 4, Disp: 32 * k}
			baseMem := operand.Mem{Base: at, Index: q0, Scale: 4, Disp: 32 * k}
			c.MOVQ(pqAt, cx)
			c.SUBQ(q0, cx)
			if k > 0 {
				c.SUBQ(operand.U8(8*k), cx)
				c.JLE(l("bit"))
			}
			c.CMPQ(cx, operand.U8(8))
			c.JLT(gl("tail"))
			c.MOVQ(argAt, reg.RAX)
			c.MOVQ(baseAt, at)
			c.VMOVDQU(argMem, av)
			c.VCMPPS(operand.U8(4), dyMem, zero, ne) // NEQ_UQ
			c.VMOVDQU(baseMem, g)
			c.JMP(gl("mask"))
			c.Label(string(gl("tail")))
			rowsAVX2.rowsMask(c, tail, at) // the first CX lanes (AX and R10 scratch)
			c.MOVQ(argAt, reg.RAX)
			c.MOVQ(baseAt, at)
			c.VMASKMOVPS(dyMem, tail, ne)
			c.VPMASKMOVD(argMem, tail, av)
			c.VPMASKMOVD(baseMem, tail, g)
			c.VCMPPS(operand.U8(4), zero, ne, ne)
			c.VANDPS(tail, ne, ne)
			c.Label(string(gl("mask")))
			c.VMOVQ(shiftAt, t.AsX())
			c.VPSRLD(t.AsX(), av, av)
			c.VPAND(byteAt, av, av)
			c.VPCMPGTD(three, av, t) // arg > 3
			c.VPANDN(ne, t, ne)
			c.VMOVMSKPS(ne, reg.EAX)
			if k > 0 {
				c.SHLL(operand.U8(8*k), reg.EAX)
			}
			c.ORL(reg.EAX, bits.As32())
			c.VPERMD(posAt, av, av) // pos[arg & 7]
			c.VPADDD(g, av, av)
			c.VMOVDQU(av, slot(32*k))
		}

		c.Label(string(l("bit")))
		c.TESTL(bits.As32(), bits.As32())
		c.JZ(l("next"))
		c.BSFL(bits.As32(), q.As32())
		c.LEAL(operand.Mem{Base: bits, Disp: -1}, at.As32())
		c.ANDL(at.As32(), bits.As32()) // the lowest bit cleared
		c.MOVLQSX(operand.Mem{Base: buf.Base, Disp: buf.Disp, Index: q, Scale: 4}, at)
		c.ADDQ(q0, q)
		c.VBROADCASTSS(operand.Mem{Base: dyp, Index: q, Scale: 4}, g)
		c.VADDSS(g.AsX(), bias.AsX(), bias.AsX())
		c.LEAQ(operand.Mem{Base: x, Index: at, Scale: 4}, at)
		for j := range n {
			c.VFMADD231PS(operand.Mem{Base: at, Index: rowRegs[j], Scale: 4}, g, accs[j])
		}
		c.JMP(l("bit"))

		c.Label(string(l("next")))
		c.ADDQ(operand.U8(32), q0)
		c.CMPQ(q0, pqAt)
		c.JLT(l("chunk"))
	})
}

// convGradFrame is what both ConvGradPooled kernels keep on their stack from channel to channel.
type convGradFrame struct {
	dwAt, argAt, baseAt operand.Mem // dw's row o, the words of its args, base
	pqAt, chansAt       operand.Mem // pq, the channels left
	shiftAt             operand.Mem // the shift of channel o's byte in its args' words (bits)
}

// start emits what both kernels begin with: pq and the channels (len(dy)/pq) into their slots (to
// done where either is 0), dw, arg and base into theirs, x and dy into registers, the shift 0. It
// uses AX, CX and DX.
func (f convGradFrame) start(c *build.Context, x, dyp reg.GPPhysical) {
	c.Load(c.Param("base").Len(), reg.RCX)
	c.TESTQ(reg.RCX, reg.RCX)
	c.JZ(operand.LabelRef("done"))
	c.MOVQ(reg.RCX, f.pqAt)
	c.Load(c.Param("dy").Len(), reg.RAX)
	c.XORL(reg.EDX, reg.EDX)
	c.DIVQ(reg.RCX) // AX = the channels
	c.TESTQ(reg.RAX, reg.RAX)
	c.JZ(operand.LabelRef("done"))
	c.MOVQ(reg.RAX, f.chansAt)
	for _, p := range []struct {
		name string
		at   operand.Mem
	}{{"dw", f.dwAt}, {"arg", f.argAt}, {"base", f.baseAt}} {
		c.Load(c.Param(p.name).Base(), reg.RAX)
		c.MOVQ(reg.RAX, p.at)
	}
	c.Load(c.Param("x").Base(), x)
	c.Load(c.Param("dy").Base(), dyp)
	c.MOVQ(operand.U32(0), f.shiftAt)
}

// rowLoops emits one loop over the channels for each number of rows of a window, 1 to
// convGradRows, and the jumps to the one for len(rows): each loads the rows' offsets into rowRegs,
// loads channel o's row of dw into accs and bias, runs body (whose labels l names), and then goes
// on to the next channel (next).
func (f convGradFrame) rowLoops(c *build.Context, rowRegs []reg.GPPhysical, accs []reg.VecPhysical, bias reg.VecPhysical, dyp reg.GPPhysical, body func(n int, l func(string) operand.LabelRef)) {
	c.Load(c.Param("rows").Base(), reg.RCX)
	c.Load(c.Param("rows").Len(), reg.RAX)
	for n := 1; n < convGradRows; n++ {
		c.CMPQ(reg.RAX, operand.U8(n))
		c.JEQ(operand.LabelRef(fmt.Sprintf("rows%d", n)))
	}
	for n := convGradRows; n >= 1; n-- {
		l := func(s string) operand.LabelRef { return operand.LabelRef(fmt.Sprintf("%s%d", s, n)) }
		c.Label(string(l("rows")))
		for j := range n {
			c.MOVLQSX(operand.Mem{Base: reg.RCX, Disp: 4 * j}, rowRegs[j])
		}
		c.Label(string(l("channel")))
		c.MOVQ(f.dwAt, reg.RAX)
		for j := range n {
			c.VMOVUPS(operand.Mem{Base: reg.RAX, Disp: 32 * j}, accs[j])
		}
		c.VMOVSS(operand.Mem{Base: reg.RAX, Disp: 32 * n}, bias)
		body(n, l)
		f.next(c, n, accs, bias, dyp, l)
	}
	c.Label("done")
	c.VZEROUPPER()
	c.RET()
}

// next emits the end of a channel: its row of dw stored from accs and bias, dw, dy and the byte of
// the args moved to the next channel, and the loop back (or the jump to done). It uses AX and CX.
func (f convGradFrame) next(c *build.Context, n int, accs []reg.VecPhysical, bias, dyp reg.Register, l func(string) operand.LabelRef) {
	c.MOVQ(f.dwAt, reg.RAX)
	for j := range n {
		c.VMOVUPS(accs[j], operand.Mem{Base: reg.RAX, Disp: 32 * j})
	}
	c.VMOVSS(bias, operand.Mem{Base: reg.RAX, Disp: 32 * n})
	c.MOVQ(paramAddr(c, "ldw"), reg.RCX)
	c.LEAQ(operand.Mem{Base: reg.RAX, Index: reg.RCX, Scale: 4}, reg.RAX)
	c.MOVQ(reg.RAX, f.dwAt)
	c.MOVQ(f.pqAt, reg.RCX)
	c.LEAQ(operand.Mem{Base: dyp, Index: reg.RCX, Scale: 4}, dyp)
	// The next channel's byte: 8 bits further, or byte 0 of the next 4 channels' words.
	c.ADDQ(operand.U8(8), f.shiftAt)
	c.CMPQ(f.shiftAt, operand.U8(32))
	c.JLT(l("same"))
	c.MOVQ(operand.U32(0), f.shiftAt)
	c.SHLQ(operand.U8(2), reg.RCX)
	c.ADDQ(reg.RCX, f.argAt)
	c.Label(string(l("same")))
	c.DECQ(f.chansAt)
	c.JNZ(l("channel"))
	c.JMP(operand.LabelRef("done"))
}
