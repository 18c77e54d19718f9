package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The forward product of a convolution with stride 1 and 32 output channels, pixel by pixel,
// from the input where it lies (no column matrix). Each output pixel's 32 channels are two ZMM
// accumulators; a block of 4 pixels of an output row takes 8. For each row of the window (an
// input channel's kernel row) the block's inputs are the kw+3 values from the window's first
// column on: one compare to zero tells whether all of them are zero (often, around a digit of
// MNIST), and then the row is passed over; else, for each column of the window, its two registers
// of weights are loaded and multiplied by the 4 pixels' inputs, each broadcast from memory by the
// multiply-add itself (embedded broadcasts measured 1.5% faster than broadcasting each of the
// kw+3 inputs into a register first).

const (
	convPixels = "ConvPixelsF32AVX512"
	// convPixelsKW is the widest window ConvPixelsF32AVX512 takes: the kw+3 values of a row of a
	// block of 4 pixels are one masked load of at most 8.
	convPixelsKW = 5
)

// convPixelsKernel emits ConvPixelsF32AVX512.
func convPixelsKernel(c *build.Context) {
	c.Function(convPixels)
	c.Attributes(attr.NOSPLIT)
	c.Doc(comment(
		convPixels+" computes the output of a convolution with stride 1 and 32 output channels "+
			"(zero weights for the ones past the layer's) pixel by pixel: for each of the oh x ow "+
			"output pixels, the 32 channels in a row of y. x holds the (padded) input, ldx values a "+
			"row; rows the offsets in x of the rows of the window (input channel by channel, kernel "+
			"row by kernel row) for the first output pixel; w the weights, kw x 32 for each row of "+
			"the window (row j*kw+kx holds the weights of window column kx of window row j), then the "+
			"32 biases. It computes",
		`	for oy := 0; oy < oh; oy++ {
		for ox := 0; ox < ow; ox++ {
			for c := 0; c < 32; c++ {
				var s float32
				for j, r := range rows {
					for kx := 0; kx < kw; kx++ {
						s += x[int(r)+oy*ldx+ox+kx] * w[(j*kw+kx)*32+c]
					}
				}
				y[(oy*ow+ox)*32+c] = s + w[len(rows)*kw*32+c]
			}
		}
	}`,
		"with fused multiply-adds, in that order, the sums starting from +0, except that where the "+
			"kw+3 values of x a window row reads for 4 consecutive pixels (ox a multiple of 4) are all "+
			"zero (-0 included, NaN not) that row's multiply-adds are left out for those pixels: with "+
			"finite weights this changes no bit (each would add a zero to a sum, which leaves it as it is, "+
			"a zero sum +0).",
		fmt.Sprintf("Contract: 1 <= kw <= %d; ow is a multiple of 4; len(rows) >= 1; every "+
			"x[int(r)+oy*ldx+ox+kx] above lies in x; y holds oh*ow*32 values, w (len(rows)*kw+1)*32. It does not check the "+
			"lengths. y must not overlap x or w. It requires AVX-512F.", convPixelsKW),
	)...)
	c.Pragma("noescape")
	c.SignatureExpr("func(y, x []float32, ldx int, rows []int32, kw int, w []float32, oh, ow int)")

	var (
		yp, xr, ldx, rp = reg.RDI, reg.RSI, reg.R8, reg.R9
		nr, wp, left    = reg.R10, reg.R11, reg.R12
		ox, owb         = reg.R13, reg.R14
		jp, jc, p, wj   = reg.RBX, reg.RCX, reg.RAX, reg.RDX
		wa, wb          = reg.Z8, reg.Z9
		biasA, biasB    = reg.Z18, reg.Z19
		zero, probe     = reg.Z20, reg.Z21
		mask, nz        = reg.K1, reg.K2
	)
	accs := []reg.VecPhysical{reg.Z0, reg.Z1, reg.Z2, reg.Z3, reg.Z4, reg.Z5, reg.Z6, reg.Z7}
	acc := func(i, half int) reg.VecPhysical { return accs[2*i+half] }
	c.Comment(
		"Registers:",
		"  DI  y at the block; SI  x at the output row; R8  ldx in bytes; R9  rows; R10 len(rows)",
		"  R11 w; R12 output rows left; R13 the block's first column in bytes; R14 ow in bytes",
		"  BX  rows[j]'s address; CX  window rows left; AX  the block's inputs of window row j; DX  its weights",
		"  Z0-Z7 the sums of the block's 4 pixels (2 a pixel); Z8, Z9 weights",
		"  Z18, Z19 the biases; Z20 zero; Z21 the inputs compared to zero; K1 the first kw+3 lanes; K2 the nonzero ones",
	)
	c.Load(c.Param("oh"), left)
	c.Load(c.Param("ow"), owb)
	c.TESTQ(left, left)
	c.JLE(operand.LabelRef("done"))
	c.TESTQ(owb, owb)
	c.JLE(operand.LabelRef("done"))
	c.SHLQ(operand.U8(2), owb)
	c.Load(c.Param("y").Base(), yp)
	c.Load(c.Param("x").Base(), xr)
	c.Load(c.Param("ldx"), ldx)
	c.SHLQ(operand.U8(2), ldx)
	c.Load(c.Param("rows").Base(), rp)
	c.Load(c.Param("rows").Len(), nr)
	c.Load(c.Param("w").Base(), wp)
	c.VPXORD(zero, zero, zero)
	// The biases: after len(rows)*kw rows of 32 weights (128 bytes).
	c.Load(c.Param("kw"), reg.RCX)
	c.MOVQ(nr, reg.RAX)
	c.IMULQ(reg.RCX, reg.RAX)
	c.SHLQ(operand.U8(7), reg.RAX)
	c.VMOVUPS(operand.Mem{Base: wp, Index: reg.RAX, Scale: 1}, biasA)
	c.VMOVUPS(operand.Mem{Base: wp, Index: reg.RAX, Scale: 1, Disp: 64}, biasB)
	// K1: the first kw+3 lanes.
	c.MOVL(operand.U32(1), reg.EAX)
	c.ADDL(operand.U8(3), reg.ECX)
	c.SHLL(reg.CL, reg.EAX)
	c.DECL(reg.EAX)
	c.KMOVW(reg.EAX, mask)
	c.Load(c.Param("kw"), reg.RCX)
	for kw := 1; kw < convPixelsKW; kw++ {
		c.CMPQ(reg.RCX, operand.U8(kw))
		c.JEQ(operand.LabelRef(fmt.Sprintf("kw%d", kw)))
	}
	for kw := convPixelsKW; kw >= 1; kw-- {
		l := func(s string) string { return fmt.Sprintf("%s%d", s, kw) }
		c.Label(l("kw"))
		c.Label(l("row"))
		c.XORL(ox.As32(), ox.As32())
		c.Label(l("block"))
		for i := range 4 {
			for h := range 2 {
				c.VPXORD(acc(i, h), acc(i, h), acc(i, h))
			}
		}
		c.MOVQ(rp, jp)
		c.MOVQ(nr, jc)
		c.MOVQ(wp, wj)
		c.Label(l("window"))
		c.MOVLQSX(operand.Mem{Base: jp}, p)
		c.LEAQ(operand.Mem{Base: xr, Index: p, Scale: 4}, p)
		c.ADDQ(ox, p)
		c.VMOVUPS_Z(operand.Mem{Base: p}, mask, probe)
		c.VCMPPS(operand.U8(4), zero, probe, nz) // NEQ_UQ: nonzero or NaN
		c.KORTESTW(nz, nz)
		c.JZ(operand.LabelRef(l("skip")))
		for kx := range kw {
			c.VMOVUPS(operand.Mem{Base: wj, Disp: 128 * kx}, wa)
			c.VMOVUPS(operand.Mem{Base: wj, Disp: 128*kx + 64}, wb)
			for i := range 4 {
				c.VFMADD231PS_BCST(operand.Mem{Base: p, Disp: 4 * (i + kx)}, wa, acc(i, 0))
				c.VFMADD231PS_BCST(operand.Mem{Base: p, Disp: 4 * (i + kx)}, wb, acc(i, 1))
			}
		}
		c.Label(l("skip"))
		c.ADDQ(operand.U8(4), jp)
		c.ADDQ(operand.U32(128*kw), wj)
		c.DECQ(jc)
		c.JNZ(operand.LabelRef(l("window")))
		for i := range 4 {
			c.VADDPS(biasA, acc(i, 0), acc(i, 0))
			c.VADDPS(biasB, acc(i, 1), acc(i, 1))
			c.VMOVUPS(acc(i, 0), operand.Mem{Base: yp, Disp: 128 * i})
			c.VMOVUPS(acc(i, 1), operand.Mem{Base: yp, Disp: 128*i + 64})
		}
		c.ADDQ(operand.U32(512), yp)
		c.ADDQ(operand.U8(16), ox)
		c.CMPQ(ox, owb)
		c.JLT(operand.LabelRef(l("block")))
		c.ADDQ(ldx, xr)
		c.DECQ(left)
		c.JNZ(operand.LabelRef(l("row")))
		c.JMP(operand.LabelRef("done"))
	}
	c.Label("done")
	c.VZEROUPPER()
	c.RET()
}
