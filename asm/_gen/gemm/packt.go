package main

import (
	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// packT8F32AVX2 emits GemmPackTF32AVX2, the 8-row transposing copy with which the GEMM driver
// packs a B stored transposed: eight steps at a time, an 8 x 8 block of float32 is read as 8
// YMM rows, transposed in registers (unpack, shuffle, 128-bit permute) and stored as 8 steps.
func packT8F32AVX2(c *build.Context) {
	var (
		dst  = reg.RDI                                        // step l of dst (lane 0)
		src  = reg.RSI                                        // column l of src row 0
		n    = reg.RCX                                        // blocks of 8 steps left
		ld   = stridedRegs{reg.R8, reg.R10, reg.R11, reg.R12} // ld in bytes, and 3, 5, 7 times it
		w    = stridedRegs{reg.R9, reg.R13, reg.RBX, reg.RDX} // w in bytes, and 3, 5, 7 times it
		y    = func(i int) reg.VecPhysical { return vec(256, i) }
		rows = ld.at(src)
		outs = w.at(dst)
	)

	c.Function("GemmPackTF32AVX2")
	c.Attributes(attr.NOSPLIT)
	c.Doc(packT8Doc...)
	c.Pragma("noescape")
	c.SignatureExpr("func(dst []float32, w int, src []float32, ld, k int)")
	c.Comment(
		"8 x 8 transposing copy. Registers:",
		"  DI  step l of dst (lane 0); steps l+1 .. l+7 are DI + j*w*4",
		"  SI  column l of src row 0; rows 1 .. 7 are SI + i*ld*4",
		"  CX  blocks of 8 steps left",
		"  R8  ld in bytes; R10 = 3*ld, R11 = 5*ld, R12 = 7*ld (bytes)",
		"  R9  w in bytes; R13 = 3*w, BX = 5*w, DX = 7*w (bytes)",
		"  Y0-Y7  the 8 x 8 block as read (row i in Yi), then the half-transposed rows",
		"  Y8-Y15  intermediate shuffles, then the 8 steps to store (step j in Y(8+j))",
	)
	c.Load(c.Param("dst").Base(), dst)
	c.Load(c.Param("w"), w.s)
	c.Load(c.Param("src").Base(), src)
	c.Load(c.Param("ld"), ld.s)
	c.Load(c.Param("k"), n)
	c.SHRQ(operand.U8(3), n)
	c.JZ(operand.LabelRef("done"))
	c.SHLQ(operand.U8(2), ld.s)
	c.SHLQ(operand.U8(2), w.s)
	ld.setup(c)
	w.setup(c)

	c.Label("loop")
	for i, m := range rows {
		c.VMOVUPS(m, y(i))
	}
	inLaneTranspose(c, y,
		"Pairs of rows interleaved: Y8 = a0 b0 a1 b1 | a4 b4 a5 b5, Y9 = a2 b2 a3 b3 | a6 b6 a7 b7, ...",
		"Quads: Y0 = a0 b0 c0 d0 | a4 b4 c4 d4, Y1 = a1 b1 c1 d1 | a5 ..., Y4 = e0 f0 g0 h0 | e4 ...")
	c.Comment("Halves joined: step j = column j of the block, a_j .. h_j.")
	for half, sel := range []uint8{0x20, 0x31} {
		for i := 0; i < 4; i++ {
			c.VPERM2F128(operand.U8(sel), y(4+i), y(i), y(8+4*half+i))
		}
	}
	for j, m := range outs {
		c.VMOVUPS(y(8+j), m)
	}
	c.ADDQ(operand.U8(32), src)
	c.LEAQ(mem(dst, w.s, 8), dst)
	c.DECQ(n)
	c.JNZ(operand.LabelRef("loop"))

	c.Label("done")
	c.VZEROUPPER()
	c.RET()
}

// stridedRegs are the registers that address eight rows (or steps) s bytes apart: s, and 3s, 5s
// and 7s, the multiples an x86 address cannot scale s to.
type stridedRegs struct{ s, s3, s5, s7 reg.GPPhysical }

// setup sets s3, s5 and s7 from s.
func (r stridedRegs) setup(c *build.Context) {
	c.LEAQ(mem(r.s, r.s, 2), r.s3)
	c.LEAQ(mem(r.s, r.s, 4), r.s5)
	c.LEAQ(mem(r.s3, r.s, 4), r.s7)
}

// at returns the eight addresses base + i*s, i < 8.
func (r stridedRegs) at(base reg.GPPhysical) []operand.Mem {
	return []operand.Mem{
		{Base: base}, mem(base, r.s, 1), mem(base, r.s, 2), mem(base, r.s3, 1),
		mem(base, r.s, 4), mem(base, r.s5, 1), mem(base, r.s3, 2), mem(base, r.s7, 1),
	}
}

// mem is the address base + index*scale.
func mem(base, index reg.GPPhysical, scale uint8) operand.Mem {
	return operand.Mem{Base: base, Index: index, Scale: scale}
}

// inLaneTranspose emits the first two stages of the 8 x 8 transpose of the rows in v(0) .. v(7),
// which work within each 128-bit lane: rows interleaved in pairs into v(8) .. v(15) (the comment
// pairs), then in quads back into v(0) .. v(7) (the comment quads), after which lane q of v(i),
// i < 4, holds step i + 4q (of each 256-bit half) of rows 0-3 and v(4+i) the same of rows 4-7.
func inLaneTranspose(c *build.Context, v func(int) reg.VecPhysical, pairs, quads string) {
	c.Comment(pairs)
	for i := 0; i < 8; i += 2 {
		c.VUNPCKLPS(v(i+1), v(i), v(8+i))
		c.VUNPCKHPS(v(i+1), v(i), v(9+i))
	}
	c.Comment(quads)
	for i := 0; i < 8; i += 2 {
		lo, hi := 8+i/4*4+i%4/2, 10+i/4*4+i%4/2 // v8, v10 / v9, v11 / v12, v14 / v13, v15
		c.VSHUFPS(operand.U8(0x44), v(hi), v(lo), v(i))
		c.VSHUFPS(operand.U8(0xEE), v(hi), v(lo), v(i+1))
	}
}

// packT16F32AVX512 emits GemmPackT16F32AVX512, the 16-row transposing copy of the AVX-512 tiles:
// eight steps at a time, 16 rows of 8 float32 are read into 8 ZMM registers, two rows each, and
// transposed with the 8 x 8 shuffles of GemmPackTF32AVX2 (which work within 128-bit lanes, so on
// both rows of a register at once) and one 128-bit lane shuffle per step, which joins the four
// quarters of a step; a last block of k%8 steps is read with a mask and only its steps stored.
//
// Register r holds row r (low half) and row r+4 (high half) for r < 4, rows r+4 and r+8 for
// r >= 4: after the in-lane shuffles, lane 0 of register i < 4 is step i of rows 0-3, lane 2
// step i of rows 4-7, and register 4+i holds rows 8-11 and 12-15 so, so that VSHUFF32X4 taking
// lanes 0 and 2 of each puts rows 0-15 in order (lanes 1 and 3: step i+4).
func packT16F32AVX512(c *build.Context) {
	var (
		dst  = reg.RDI                                        // step l of dst (lane 0)
		src  = reg.RSI                                        // column l of src row 0
		src8 = reg.R14                                        // column l of src row 8
		n    = reg.RCX                                        // blocks of 8 steps left, then the steps of the last block
		ld   = stridedRegs{reg.R8, reg.R10, reg.R11, reg.R12} // ld in bytes, and 3, 5, 7 times it
		w    = stridedRegs{reg.R9, reg.R13, reg.RBX, reg.RDX} // w in bytes, and 3, 5, 7 times it
		mask = reg.K1
		z    = func(i int) reg.VecPhysical { return vec(512, i) }
		y    = func(i int) reg.VecPhysical { return vec(256, i) }
		rows = append(ld.at(src), ld.at(src8)...) // row i (< 16) at the current step
		row  = func(i int) operand.Mem { return rows[i] }
		outs = w.at(dst)
		// rowsOf returns the rows of register r: its low and high halves.
		rowsOf = func(r int) (lo, hi int) {
			if r < 4 {
				return r, r + 4
			}
			return r + 4, r + 8
		}
	)

	c.Function("GemmPackT16F32AVX512")
	c.Attributes(attr.NOSPLIT)
	c.Doc(packT16Doc...)
	c.Pragma("noescape")
	c.SignatureExpr("func(dst []float32, w int, src []float32, ld, k int)")
	c.Comment(
		"16 x 8 transposing copy. Registers:",
		"  DI  step l of dst (lane 0); steps l+1 .. l+7 are DI + j*w*4",
		"  SI  column l of src row 0; rows 1 .. 7 are SI + i*ld*4; R14 the same for rows 8 .. 15",
		"  CX  blocks of 8 steps left, then the steps of the last block (k%8)",
		"  R8  ld in bytes; R10 = 3*ld, R11 = 5*ld, R12 = 7*ld (bytes)",
		"  R9  w in bytes; R13 = 3*w, BX = 5*w, DX = 7*w (bytes)",
		"  AX  scratch; K1  the load mask of the last block (its k%8 steps)",
		"  Z0-Z7  the block as read (rows r and r+4 in Zr for r < 4, rows r+4 and r+8 for r >= 4),",
		"         then the half-transposed rows",
		"  Z8-Z15  intermediate shuffles, then the 8 steps to store (step j in Z(8+j));",
		"          Y16-Y23 the high rows of the last block, read with the mask",
	)
	c.Load(c.Param("dst").Base(), dst)
	c.Load(c.Param("w"), w.s)
	c.Load(c.Param("src").Base(), src)
	c.Load(c.Param("ld"), ld.s)
	c.Load(c.Param("k"), n)
	c.SHLQ(operand.U8(2), ld.s)
	c.SHLQ(operand.U8(2), w.s)
	ld.setup(c)
	c.LEAQ(mem(src, ld.s, 8), src8)
	w.setup(c)

	transpose := func() {
		inLaneTranspose(c, z, "Pairs of rows interleaved within each 128-bit lane, as in GemmPackTF32AVX2.",
			"Quads: lane q of Zi (i < 4) is step i (q even) or i+4 (q odd) of four rows.")
		c.Comment("Lanes 0 and 2 of Zi and Z(4+i): step i of rows 0-15; lanes 1 and 3: step i+4.")
		for half, sel := range []uint8{0x88, 0xDD} {
			for i := 0; i < 4; i++ {
				c.VSHUFF32X4(operand.U8(sel), z(4+i), z(i), z(8+4*half+i))
			}
		}
	}

	c.MOVQ(n, reg.RAX)
	c.SHRQ(operand.U8(3), n)
	c.JZ(operand.LabelRef("last"))
	c.Label("loop")
	for r := 0; r < 8; r++ {
		lo, hi := rowsOf(r)
		c.VMOVUPS(row(lo), y(r))
		c.VINSERTF32X8(operand.U8(1), row(hi), z(r), z(r))
	}
	transpose()
	for j, m := range outs {
		c.VMOVUPS(z(8+j), m)
	}
	c.ADDQ(operand.U8(32), src)
	c.ADDQ(operand.U8(32), src8)
	c.LEAQ(mem(dst, w.s, 8), dst)
	c.DECQ(n)
	c.JNZ(operand.LabelRef("loop"))

	c.Label("last")
	c.Comment("The last k%8 steps: each row read with the mask (1<<(k%8))-1, only those steps stored.")
	c.MOVQ(reg.RAX, n)
	c.ANDQ(operand.U8(7), n)
	c.JZ(operand.LabelRef("done"))
	c.MOVL(operand.U32(1), reg.EAX)
	c.SHLL(reg.CL, reg.EAX)
	c.DECL(reg.EAX)
	c.KMOVW(reg.EAX, mask)
	for r := 0; r < 8; r++ {
		lo, hi := rowsOf(r)
		c.VMOVUPS_Z(row(lo), mask, y(r))
		c.VMOVUPS_Z(row(hi), mask, y(16+r))
		c.VINSERTF32X8(operand.U8(1), y(16+r), z(r), z(r))
	}
	transpose()
	for j, m := range outs[:7] {
		c.VMOVUPS(z(8+j), m)
		if j < 6 {
			c.CMPQ(n, operand.U8(j+2))
			c.JB(operand.LabelRef("done"))
		}
	}

	c.Label("done")
	c.VZEROUPPER()
	c.RET()
}
