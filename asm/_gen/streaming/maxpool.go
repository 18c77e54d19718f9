package main

import (
	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("maxpool", genMaxPool) }

// The pooling kernels walk the windows of one image row, and in each window its channels; the
// four inputs of a channel (top left, top right, bottom left, bottom right) are at the same
// offset from four pointers, which move by two pixels per window.
var (
	poolTL   = reg.RDX // top left pixel of the window (top)
	poolTR   = reg.R12 // top right: poolTL + c*4
	poolBL   = reg.R8  // bottom left (bottom)
	poolBR   = reg.R13 // bottom right: poolBL + c*4
	poolOut  = reg.RDI // the window's outputs (dst, or dy for the backward pass)
	poolArg  = reg.RSI // the window's args
	poolC    = reg.RCX // c, the channels
	poolLeft = reg.R9  // outputs left, c per window
	poolStep = reg.R10 // 2*c*4, the bytes of two pixels
	poolO    = reg.R11 // the channel within the window
)

// poolRegs are the register map lines of the pointers and counters of both pooling kernels.
var poolRegs = []string{
	"DX, R12  the top left and top right inputs (or input gradients) of the window",
	"R8, R13  the bottom left and bottom right ones",
	"DI  the window's outputs (dst; dy in the backward pass), SI its args",
	"CX  c; R9  outputs left; R10  2*c*4; R11  the channel within the window",
	"AX, BX  scratch",
}

// poolArgs loads the pointers and counts. out names the slice of one value per output.
func (f *fn) poolArgs(out string) {
	f.base(out, poolOut)
	f.base("arg", poolArg)
	f.base("top", poolTL)
	f.base("bottom", poolBL)
	f.Load(f.Param("c"), poolC)
	f.length(out, poolLeft)
	f.LEAQ(Mem{Base: poolTL, Index: poolC, Scale: 4}, poolTR)
	f.LEAQ(Mem{Base: poolBL, Index: poolC, Scale: 4}, poolBR)
	f.MOVQ(poolC, poolStep)
	f.SHLQ(U8(3), poolStep)
}

// poolWindows emits the loop over the windows: the channels in vectors (body(masked=false)),
// on AVX-512 the last c%16 with the mask K1 (body(masked=true)), then the pointers move to the
// next window. On AVX2 c is a multiple of 8 (the caller's contract): there is no tail.
func (f *fn) poolWindows(body func(masked bool)) {
	if f.avx512() {
		// K1 = the low c%16 lanes.
		f.MOVQ(poolC, reg.RBX)
		f.ANDQ(U8(f.Lanes-1), reg.RBX)
		f.MOVQ(I32(-1), reg.RAX)
		f.XCHGQ(reg.RBX, poolC) // the shift count goes in CL
		f.SHLQ(reg.CL, reg.RAX)
		f.XCHGQ(reg.RBX, poolC)
		f.NOTQ(reg.RAX)
		f.KMOVW(reg.EAX, tailK)
	}
	f.TESTQ(poolLeft, poolLeft)
	f.JZ(LabelRef("done"))
	f.Label("window")
	f.XORQ(poolO, poolO)
	f.Label("channels")
	f.LEAQ(Mem{Base: poolO, Disp: f.Lanes}, reg.RAX)
	f.CMPQ(reg.RAX, poolC)
	f.JA(LabelRef("tail"))
	body(false)
	f.ADDQ(U8(f.Lanes), poolO)
	f.JMP(LabelRef("channels"))
	f.Label("tail")
	if f.avx512() {
		f.CMPQ(poolO, poolC)
		f.JE(LabelRef("next"))
		body(true)
	}
	f.Label("next")
	f.ADDQ(poolStep, poolTL)
	f.ADDQ(poolStep, poolTR)
	f.ADDQ(poolStep, poolBL)
	f.ADDQ(poolStep, poolBR)
	f.LEAQ(Mem{Base: poolOut, Index: poolC, Scale: 4}, poolOut)
	f.ADDQ(poolC, poolArg)
	f.SUBQ(poolC, poolLeft)
	f.JNZ(LabelRef("window"))
	f.Label("done")
	f.ret()
}

// poolAt returns the address of the current channels at pointer p (scale 4 for float32 values,
// 1 for args).
func poolAt(p reg.Register, scale uint8) Mem { return Mem{Base: p, Index: poolO, Scale: scale} }

// setDword sets every dword of vector register r to v, through AX.
func (f *fn) setDword(v int, r reg.VecPhysical) {
	f.MOVL(U32(v), reg.EAX)
	if f.avx512() {
		f.VPBROADCASTD(reg.EAX, r)
		return
	}
	f.VMOVD(reg.EAX, xmm[r.PhysicalIndex()])
	f.VPBROADCASTD(xmm[r.PhysicalIndex()], r)
}

// genMaxPool emits MaxPool2x2ReLU and MaxPool2x2ReLUGrad for float32: the values compare as the
// int32 of their bits (VPMAXSD, VPCMPGTD), as kernels.MaxPool2x2ReLU defines.
func genMaxPool(c *build.Context) {
	for _, v := range []variant{{f32, avx512}, {f32, avx2}} {
		genMaxPoolForward(c, v)
	}
	for _, v := range []variant{{f32, avx512}, {f32, avx2}} {
		genMaxPoolBackward(c, v)
	}
}

// poolContract is the end of the doc comment of both pooling kernels.
func (f *fn) poolContract(out string) string {
	s := "It requires " + f.isa.Requires + ". len(arg) must be len(" + out + "), a multiple " +
		"of c > 0, and top and bottom must hold 2*len(" + out + ") elements. "
	if f.avx512() {
		return s + "Any c: each window's channels go 16 at a time, the last c%16 K-masked, so " +
			"it never reads or writes outside the slices."
	}
	return s + "c must be a multiple of 8: each window's channels go 8 at a time, so it never " +
		"reads or writes outside the slices."
}

func genMaxPoolForward(c *build.Context, v variant) {
	f := newFn(c, "MaxPool2x2ReLU", v, "func(dst []T, arg []uint8, top, bottom []T, c int)")
	f.doc(
		f.Name+" is a ReLU, then 2x2 max pooling with stride 2 of one row of windows of an "+
			"image stored pixel by pixel (c channels per pixel): window j covers pixels 2j and "+
			"2j+1 of the rows top and bottom. With m the int32 of the bits of its argument and "+
			"f the float32 of the bits of an int32, it computes",
		"\tfor j := range len(dst) / c {\n\t\tfor o := range c {\n"+
			"\t\t\ta, b := m(top[2*j*c+o]), m(top[(2*j+1)*c+o])\n"+
			"\t\t\td, e := m(bottom[2*j*c+o]), m(bottom[(2*j+1)*c+o])\n"+
			"\t\t\ti, t := 0, a\n\t\t\tif b > a {\n\t\t\t\ti, t = 1, b\n\t\t\t}\n"+
			"\t\t\tif max(d, e) > t {\n\t\t\t\ti, t = 2, d\n\t\t\t\tif e > d {\n\t\t\t\t\ti, t = 3, e\n\t\t\t\t}\n\t\t\t}\n"+
			"\t\t\tif t <= 0 {\n\t\t\t\ti, t = 4, 0\n\t\t\t}\n"+
			"\t\t\tdst[j*c+o], arg[j*c+o] = f(t), uint8(i)\n\t\t}\n\t}",
		f.poolContract("dst"),
	)
	a, b, d, e := f.V(0), f.V(1), f.V(2), f.V(3)
	t, u, k, idx, bot := f.V(4), f.V(5), f.V(6), f.V(7), f.V(8)
	one, two, three, four, zero := f.V(11), f.V(12), f.V(13), f.V(14), f.V(15)
	if f.avx512() {
		f.regs(append(poolRegs,
			"Z0-Z3  the inputs a, b (top), d, e (bottom) as int32",
			"Z4, Z5  max(a, b), max(d, e); Z6  the maximum, then clamped at 0",
			"Z7  the arg; Z8  the arg of the bottom row",
			"Z11-Z14  the dwords 1, 2, 3, 4; Z15  zero",
			"K1  the tail mask (c%16 lanes); K2  b > a; K3  e > d; K4  bottom > top; K5  max > 0, "+
				"K6  its complement")...)
	} else {
		f.regs(append(poolRegs,
			"Y0-Y3  the inputs a, b (top), d, e (bottom) as int32",
			"Y4, Y5  max(a, b), max(d, e); Y6  the maximum, then clamped at 0",
			"Y7  the arg; Y8  the arg of the bottom row; Y9, Y10  compare results",
			"Y11-Y14  the dwords 1, 2, 3, 4 (Y11 is not used); Y15  zero")...)
	}
	f.poolArgs("dst")
	for i, r := range []reg.VecPhysical{one, two, three, four} {
		if !f.avx512() && i == 0 {
			continue
		}
		f.setDword(i+1, r)
	}
	f.VPXOR(f.X(15), f.X(15), f.X(15))
	f.poolWindows(func(masked bool) {
		load := func(p reg.Register, r reg.VecPhysical) {
			switch {
			case masked:
				f.VMOVDQU32_Z(poolAt(p, 4), tailK, r)
			case f.avx512():
				f.VMOVDQU32(poolAt(p, 4), r)
			default:
				f.VMOVDQU(poolAt(p, 4), r)
			}
		}
		load(poolTL, a)
		load(poolTR, b)
		load(poolBL, d)
		load(poolBR, e)
		if f.avx512() {
			f.VPCMPGTD(a, b, reg.K2)
			f.VPMAXSD(a, b, t)
			f.VPCMPGTD(d, e, reg.K3)
			f.VPMAXSD(d, e, u)
			f.VPCMPGTD(t, u, reg.K4)
			f.VPMAXSD(t, u, k)
			f.VPCMPGTD(zero, k, reg.K5)
			f.VPMAXSD(zero, k, k)
			f.VMOVDQA32(zero, idx)
			f.VMOVDQA32(one, reg.K2, idx)
			f.VMOVDQA32(two, bot)
			f.VMOVDQA32(three, reg.K3, bot)
			f.VMOVDQA32(bot, reg.K4, idx)
			f.KNOTW(reg.K5, reg.K6)
			f.VMOVDQA32(four, reg.K6, idx)
			if masked {
				f.VMOVDQU32(k, tailK, poolAt(poolOut, 4))
				f.VPMOVDB(idx, tailK, poolAt(poolArg, 1))
			} else {
				f.VMOVDQU32(k, poolAt(poolOut, 4))
				f.VPMOVDB(idx, poolAt(poolArg, 1))
			}
			return
		}
		gtTop, gtBot := f.V(9), f.V(10)
		f.VPCMPGTD(a, b, gtTop)    // b > a: all ones
		f.VPMAXSD(a, b, t)         //
		f.VPCMPGTD(d, e, gtBot)    // e > d
		f.VPMAXSD(d, e, u)         //
		f.VPSUBD(gtTop, zero, idx) // 1 where b > a, else 0
		f.VPSUBD(gtBot, two, bot)  // 3 where e > d, else 2
		f.VPCMPGTD(t, u, gtTop)    // bottom > top
		f.VPMAXSD(t, u, k)
		f.VPBLENDVB(gtTop, bot, idx, idx)
		f.VPCMPGTD(zero, k, gtBot) // max > 0
		f.VPBLENDVB(gtBot, idx, four, idx)
		f.VPMAXSD(zero, k, k)
		f.VMOVDQU(k, poolAt(poolOut, 4))
		// The eight dword args to bytes: each 128-bit lane packs its four into its low dword.
		f.VPACKSSDW(idx, idx, idx)
		f.VPACKUSWB(idx, idx, idx)
		f.VEXTRACTI128(U8(1), idx, f.X(9))
		f.VPUNPCKLDQ(f.X(9), f.X(7), f.X(7))
		f.VMOVQ(f.X(7), poolAt(poolArg, 1))
	})
}

func genMaxPoolBackward(c *build.Context, v variant) {
	f := newFn(c, "MaxPool2x2ReLUGrad", v, "func(top, bottom, dy []T, arg []uint8, c int)")
	f.doc(
		f.Name+" is the backward pass of MaxPool2x2ReLU: of the four inputs of window j and "+
			"channel o the one arg names gets the gradient dy[j*c+o], the others +0 (all four "+
			"when arg is not 0..3). It computes",
		"\tfor j := range len(dy) / c {\n\t\tfor o := range c {\n"+
			"\t\t\tg, i := dy[j*c+o], arg[j*c+o]\n"+
			"\t\t\ttop[2*j*c+o], top[(2*j+1)*c+o] = sel(i == 0, g), sel(i == 1, g)\n"+
			"\t\t\tbottom[2*j*c+o], bottom[(2*j+1)*c+o] = sel(i == 2, g), sel(i == 3, g)\n"+
			"\t\t}\n\t}",
		"with sel(p, g) = g if p, else +0. "+f.poolContract("dy"),
	)
	g, ar, r := f.V(0), f.V(1), f.V(2)
	consts := []reg.VecPhysical{f.V(15), f.V(11), f.V(12), f.V(13)} // 0, 1, 2, 3
	if f.avx512() {
		f.regs(append(poolRegs,
			"Z0  dy; Z1  the args as dwords; Z2  a result",
			"Z15, Z11-Z13  the dwords 0, 1, 2, 3",
			"K1  the tail mask (c%16 lanes); K2  arg == 0..3 in turn")...)
	} else {
		f.regs(append(poolRegs,
			"Y0  dy; Y1  the args as dwords; Y2  a result",
			"Y15, Y11-Y13  the dwords 0, 1, 2, 3")...)
	}
	// Here the window's outputs are dy (DI) and its inputs the gradients top and bottom.
	f.poolArgs("dy")
	for i, cr := range consts[1:] {
		f.setDword(i+1, cr)
	}
	f.VPXOR(f.X(15), f.X(15), f.X(15))
	outs := []reg.Register{poolTL, poolTR, poolBL, poolBR}
	f.poolWindows(func(masked bool) {
		switch {
		case masked:
			f.VMOVDQU32_Z(poolAt(poolOut, 4), tailK, g)
			f.VPMOVZXBD_Z(poolAt(poolArg, 1), tailK, ar)
		case f.avx512():
			f.VMOVDQU32(poolAt(poolOut, 4), g)
			f.VPMOVZXBD(poolAt(poolArg, 1), ar)
		default:
			f.VMOVDQU(poolAt(poolOut, 4), g)
			f.VPMOVZXBD(poolAt(poolArg, 1), ar)
		}
		for i, p := range outs {
			if f.avx512() {
				f.VPCMPEQD(consts[i], ar, reg.K2)
				f.VMOVDQA32_Z(g, reg.K2, r)
				if masked {
					f.VMOVDQU32(r, tailK, poolAt(p, 4))
				} else {
					f.VMOVDQU32(r, poolAt(p, 4))
				}
				continue
			}
			f.VPCMPEQD(consts[i], ar, r)
			f.VPAND(g, r, r)
			f.VMOVDQU(r, poolAt(p, 4))
		}
	})
}
