package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// ConvGradPooledF32AVX512 computes what ConvGradPooledF32AVX2 does, in the same order, with fewer
// instructions a gradient: AVX-512's compares give the mask of a channel's gradients to add 16
// pixels at a time, and VPCOMPRESSD and VCOMPRESSPS pack the offsets of their windows and the
// gradients themselves into lists, up to convGradBatch pixels' worth, which a loop then walks
// entry by entry (where the AVX2 kernel finds each set bit of a mask, clears it and looks its
// offset up).

const (
	convGradPooled512 = "ConvGradPooledF32AVX512"
	// convGradBatch is the most pixels whose gradients go into the lists before they are walked.
	convGradBatch = 256
)

// convGradPooledKernel512 emits ConvGradPooledF32AVX512.
func convGradPooledKernel512(c *build.Context) {
	c.Function(convGradPooled512)
	c.Doc(comment(
		convGradPooled512+" computes what "+convGradPooled+" does (the same loop, with fused "+
			"multiply-adds in the same order, so the same bits), with AVX-512: for 16 pixels at a time, "+
			"compares of dy to zero and of the args to 3 give the mask of the gradients to add, base "+
			"plus pos (a VPERMD of the args) the offsets of their windows, and VPCOMPRESSD and "+
			"VCOMPRESSPS append the offsets and the gradients to two lists on the stack; every "+
			fmt.Sprint(convGradBatch)+" pixels, and at the end of a channel, a loop walks the lists, "+
			"a broadcast, an addition to the bias and one multiply-add a window row an entry. The last "+
			"pq%16 values of a channel are read under a mask.",
		"Contract: as "+convGradPooled+"'s. It requires AVX-512F and POPCNT.",
	)...)
	c.Pragma("noescape")
	c.SignatureExpr("func(dw []float32, ldw int, x []float32, rows []int32, dy []float32, arg []uint8, base, pos []int32)")

	var (
		x, dyp, q0, cnt = reg.RSI, reg.R11, reg.RBX, reg.RDX
		t, at, cx       = reg.RAX, reg.R10, reg.RCX
		zero, three     = reg.Z0, reg.Z1
		byteMask, posZ  = reg.Z2, reg.Z3
		shift           = reg.X4
		bias, g         = reg.X6, reg.Y7
		dyv, av, bv, ov = reg.Z16, reg.Z17, reg.Z18, reg.Z19
		tail, sel       = reg.K3, reg.K1
	)
	rowRegs := []reg.GPPhysical{reg.R8, reg.R9, reg.R12, reg.R13, reg.R14, reg.RDI}
	accs := []reg.VecPhysical{reg.Y8, reg.Y9, reg.Y10, reg.Y11, reg.Y12, reg.Y13}
	c.Comment(
		"Registers:",
		"  SI  x; R11 dy's row o; BX  the next pixel q; DX  the entries in the lists",
		"  AX  the entry walked, scratch; R10 the window's first input, base, scratch; CX  scratch",
		"  R8, R9, R12, R13, R14, DI  the offsets of the window's rows (rows[0:6])",
		"  Z0  zero; Z1  3 in every lane; Z2  255 in every lane; Z3  pos[0:4]; X4  the shift of the channel's byte",
		"  X6  the bias's sum (lane 0); Y7  a gradient in every lane; Y8-Y13 the row of dw",
		"  Z16 16 gradients; Z17 their args; Z18 their base offsets; Z19 their windows' offsets",
		"  K3  the pixels in dy (the tail's mask); K1  the gradients to add",
		"  the frame: the lists of offsets (int32) and gradients, "+fmt.Sprint(convGradBatch+16)+" entries each;",
		"  dw's row o, the words of its args, base, pq, channels left, the end of the batch, the shift",
	)
	const listLen = 4 * (convGradBatch + 16)
	buf := c.AllocLocal(2*listLen + 7*8)
	slot := func(disp int) operand.Mem { return operand.Mem{Base: buf.Base, Disp: buf.Disp + disp} }
	offList := func(i reg.Register) operand.Mem {
		return operand.Mem{Base: buf.Base, Disp: buf.Disp, Index: i, Scale: 4}
	}
	gList := func(i reg.Register) operand.Mem {
		return operand.Mem{Base: buf.Base, Disp: buf.Disp + listLen, Index: i, Scale: 4}
	}
	dwAt, argAt, baseAt := slot(2*listLen), slot(2*listLen+8), slot(2*listLen+16)
	pqAt, chansAt, endAt, shiftAt := slot(2*listLen+24), slot(2*listLen+32), slot(2*listLen+40), slot(2*listLen+48)

	f := convGradFrame{dwAt: dwAt, argAt: argAt, baseAt: baseAt, pqAt: pqAt, chansAt: chansAt, shiftAt: shiftAt}
	f.start(c, x, dyp)
	c.Load(c.Param("pos").Base(), reg.RAX)
	c.MOVL(operand.U32(15), reg.ECX)
	c.KMOVW(reg.ECX, sel)
	c.VMOVDQU32_Z(operand.Mem{Base: reg.RAX}, sel, posZ) // pos[0:4], the other lanes 0
	c.VPXORD(zero, zero, zero)
	c.MOVL(operand.U32(3), reg.EAX)
	c.VPBROADCASTD(reg.EAX, three)
	c.MOVL(operand.U32(255), reg.EAX)
	c.VPBROADCASTD(reg.EAX, byteMask)
	f.rowLoops(c, rowRegs, accs, bias, dyp, func(n int, l func(string) operand.LabelRef) {
		c.VMOVQ(shiftAt, shift)
		c.XORL(q0.As32(), q0.As32())

		c.Label(string(l("batch")))
		c.XORL(cnt.As32(), cnt.As32())
		c.LEAQ(operand.Mem{Base: q0, Disp: convGradBatch}, reg.RAX)
		c.CMPQ(reg.RAX, pqAt)
		c.JLE(l("end"))
		c.MOVQ(pqAt, reg.RAX)
		c.Label(string(l("end")))
		c.MOVQ(reg.RAX, endAt)

		c.Label(string(l("chunk")))
		// Pixels q0..q0+15: K3 those in the channel, K1 those with dy != 0 (NaN too) and arg <= 3.
		c.MOVQ(pqAt, cx)
		c.SUBQ(q0, cx)
		c.CMPQ(cx, operand.U8(16))
		c.JGE(l("whole"))
		c.MOVL(operand.U32(1), reg.EAX)
		c.SHLL(reg.CL, reg.EAX)
		c.DECL(reg.EAX)
		c.KMOVW(reg.EAX, tail)
		c.JMP(l("masked"))
		c.Label(string(l("whole")))
		c.KXNORW(tail, tail, tail)
		c.Label(string(l("masked")))
		c.MOVQ(argAt, reg.RAX)
		c.MOVQ(baseAt, at)
		c.VMOVUPS_Z(operand.Mem{Base: dyp, Index: q0, Scale: 4}, tail, dyv)
		c.VMOVDQU32_Z(operand.Mem{Base: reg.RAX, Index: q0, Scale: 4}, tail, av)
		c.VMOVDQU32_Z(operand.Mem{Base: at, Index: q0, Scale: 4}, tail, bv)
		c.VCMPPS(operand.U8(4), zero, dyv, tail, sel) // NEQ_UQ, within the tail
		c.VPSRLD(shift, av, av)
		c.VPANDD(byteMask, av, av)
		c.VPCMPUD(operand.U8(2), three, av, sel, sel) // arg <= 3
		c.VPERMD(posZ, av, ov)                        // pos[arg & 15]
		c.VPADDD(bv, ov, ov)
		c.VPCOMPRESSD_Z(ov, sel, ov)
		c.VCOMPRESSPS_Z(dyv, sel, dyv)
		c.VMOVDQU32(ov, offList(cnt))
		c.VMOVUPS(dyv, gList(cnt))
		c.KMOVW(sel, reg.EAX)
		c.POPCNTL(reg.EAX, reg.EAX)
		c.ADDQ(reg.RAX, cnt)
		c.ADDQ(operand.U8(16), q0)
		c.CMPQ(q0, endAt)
		c.JLT(l("chunk"))

		// The walk: each listed gradient's multiples of its window's rows, in pixel order.
		c.TESTQ(cnt, cnt)
		c.JZ(l("walked"))
		c.XORL(t.As32(), t.As32())
		c.Label(string(l("walk")))
		c.MOVLQSX(offList(t), at)
		c.VBROADCASTSS(gList(t), g)
		c.VADDSS(g.AsX(), bias, bias)
		c.LEAQ(operand.Mem{Base: x, Index: at, Scale: 4}, at)
		for j := range n {
			c.VFMADD231PS(operand.Mem{Base: at, Index: rowRegs[j], Scale: 4}, g, accs[j])
		}
		c.INCQ(t)
		c.CMPQ(t, cnt)
		c.JLT(l("walk"))
		c.Label(string(l("walked")))
		c.CMPQ(q0, pqAt)
		c.JLT(l("batch"))

	})
}
