package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// packRowsAVX512 emits GemmPackRows<T>AVX512, the copy with which the GEMM driver packs a B
// stored row by row into the micro-panels of the AVX-512 tile (32 float32 or 16 float64 columns,
// two ZMM registers, a step): each row of the block is cut into pieces of one step, copied two
// ZMM registers at a time, and the last piece, when the row is not a whole number of them, is
// read with a mask (the elements past the row are not read) and stored with zeros after it.
func packRowsAVX512(c *build.Context, e elemType) {
	lanes := 64 / e.size // per ZMM register
	w := 2 * lanes       // elements per step of a micro-panel
	name := fmt.Sprintf("GemmPackRows%sAVX512", map[int]string{4: "F32", 8: "F64"}[e.size])
	var (
		dst   = reg.RDI // step l of the first micro-panel
		src   = reg.RSI // row l of src
		ld    = reg.R8  // ld in bytes
		ps    = reg.R9  // the distance between micro-panels, w*k elements, in bytes
		full  = reg.R10 // whole pieces in a row
		k     = reg.R11 // rows left
		n     = reg.R12 // pieces of this row left
		d     = reg.R13 // the current piece's micro-panel step
		s     = reg.RBX // the current piece in src
		rem   = reg.RCX // elements of the last piece (CL: a shift count)
		mask  = reg.RAX
		z0    = reg.Z0
		z1    = reg.Z1
		k1    = reg.K1
		k2    = reg.K2
		piece = w * e.size
	)
	move, moveZ := c.VMOVUPS, c.VMOVUPS_Z
	if e.size == 8 {
		move, moveZ = c.VMOVUPD, c.VMOVUPD_Z
	}

	c.Function(name)
	c.Attributes(attr.NOSPLIT)
	c.Doc(comment(
		fmt.Sprintf("%s packs the k x cnt block of a matrix stored row by row (rows ld apart) into "+
			"ceil(cnt/%d) micro-panels of %d columns and depth k, as the GEMM driver packs B for the "+
			"AVX-512 tile. It computes", name, w, w),
		fmt.Sprintf(`	const w = %d
	for l := 0; l < k; l++ {
		for j := 0; j < (cnt+w-1)/w*w; j++ {
			var v %s // 0 past the row
			if j < cnt {
				v = src[l*ld+j]
			}
			dst[j/w*w*k+l*w+j%%w] = v
		}
	}`, w, e.name),
		"exactly (a copy), a step of a micro-panel at a time in two ZMM registers; the last step of "+
			"a row that ends within a step is read with a mask, so no element past the row is read.",
		fmt.Sprintf("Contract: k, cnt >= 0; ld >= cnt; src[l*ld+j] lies in src for l < k, j < cnt; "+
			"len(dst) >= ceil(cnt/%d)*%d*k. It does not check the lengths. dst must not overlap src. "+
			"It requires AVX-512F.", w, w),
	)...)
	c.Pragma("noescape")
	c.SignatureExpr(fmt.Sprintf("func(dst, src []%[1]s, ld, cnt, k int)", e.name))
	c.Comment(
		"Registers:",
		"  DI  step l of the first micro-panel; SI  row l of src; R8  ld in bytes",
		fmt.Sprintf("  R9  the distance between micro-panels in bytes (%d*k)", piece),
		"  R10 whole pieces of a row; R11 rows left; R12 pieces of this row left",
		"  R13, BX  the current piece's step in dst and its start in src",
		"  CX  elements of the last piece; K1, K2  its masks (low and high ZMM)",
		"  Z0, Z1  a piece",
	)
	c.Load(c.Param("dst").Base(), dst)
	c.Load(c.Param("src").Base(), src)
	c.Load(c.Param("ld"), ld)
	c.Load(c.Param("cnt"), rem)
	c.Load(c.Param("k"), k)
	c.TESTQ(k, k)
	c.JZ(operand.LabelRef("done"))
	c.SHLQ(operand.U8(e.shift()), ld)
	c.MOVQ(k, ps)
	c.SHLQ(operand.U8(e.shift()+uint64(log2(w))), ps)
	c.MOVQ(rem, full)
	c.SHRQ(operand.U8(log2(w)), full)
	c.ANDQ(operand.U8(w-1), rem)
	c.Comment(fmt.Sprintf("The masks of the last piece: (1<<rem)-1, its low %d bits in K1, the next %d in K2.", lanes, lanes))
	c.MOVL(operand.U32(1), mask.As32())
	c.SHLQ(reg.CL, mask)
	c.DECQ(mask)
	c.KMOVW(mask.As32(), k1)
	c.SHRQ(operand.U8(lanes), mask)
	c.KMOVW(mask.As32(), k2)

	c.Label("row")
	c.MOVQ(dst, d)
	c.MOVQ(src, s)
	c.MOVQ(full, n)
	c.TESTQ(n, n)
	c.JZ(operand.LabelRef("last"))
	c.Label("piece")
	move(operand.Mem{Base: s}, z0)
	move(operand.Mem{Base: s, Disp: 64}, z1)
	move(z0, operand.Mem{Base: d})
	move(z1, operand.Mem{Base: d, Disp: 64})
	c.ADDQ(operand.U32(piece), s)
	c.ADDQ(ps, d)
	c.DECQ(n)
	c.JNZ(operand.LabelRef("piece"))
	c.Label("last")
	c.TESTQ(rem, rem)
	c.JZ(operand.LabelRef("next"))
	moveZ(operand.Mem{Base: s}, k1, z0)
	moveZ(operand.Mem{Base: s, Disp: 64}, k2, z1)
	move(z0, operand.Mem{Base: d})
	move(z1, operand.Mem{Base: d, Disp: 64})
	c.Label("next")
	c.ADDQ(operand.U32(piece), dst)
	c.ADDQ(ld, src)
	c.DECQ(k)
	c.JNZ(operand.LabelRef("row"))

	c.Label("done")
	c.VZEROUPPER()
	c.RET()
}

func log2(n int) int {
	l := 0
	for 1<<l < n {
		l++
	}
	return l
}
