package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// packRowsAVX512 emits the copy named name with which the GEMM driver packs a matrix stored row
// by row into micro-panels w elements wide: each row of the block is cut into pieces of w, each
// copied in ceil(w/lanes) ZMM registers (the last one masked when w is not a whole number of
// them), and the last piece, when the row is not a whole number of them, is read with a zeroing
// mask (the elements past the row are not read) and stored whole, zeros included. With w the
// width of an AVX-512 tile's B micro-panel (two ZMM registers) it packs B; with w = mr, 10, it
// packs an A stored transposed, whose micro-panels hold the steps of 10 rows one after another.
func packRowsAVX512(c *build.Context, e elemType, name string, w int, what string) {
	lanes := 64 / e.size // per ZMM register
	nv := (w + lanes - 1) / lanes
	if nv > 2 {
		panic(name + ": pieces of more than two ZMM registers")
	}
	lastLanes := w - (nv-1)*lanes // lanes of the last vector of a piece
	dst, src, ld, ps, full, k, n, d, s, rem := rowRegs()
	var (
		mask  = reg.RAX
		z     = []reg.VecPhysical{reg.Z0, reg.Z1}
		kTail = []reg.Register{reg.K1, reg.K2} // the last piece's load masks, per vector
		kLast = reg.K3                         // the lanes of a piece's last vector, where partial
		piece = w * e.size
	)
	move, moveZ := c.VMOVUPS, c.VMOVUPS_Z
	if e.size == 8 {
		move, moveZ = c.VMOVUPD, c.VMOVUPD_Z
	}
	store := func(v int, mem operand.Mem) {
		if v == nv-1 && lastLanes < lanes {
			move(z[v], kLast, mem)
			return
		}
		move(z[v], mem)
	}
	vecs := fmt.Sprintf("%d ZMM registers", nv)
	if nv == 1 {
		vecs = "one ZMM register"
	}
	if lastLanes < lanes {
		vecs += fmt.Sprintf(" (%d lanes of the last one, by a mask)", lastLanes)
	}

	packRowsHeader(c, e, name, w, what, vecs, "a mask", "AVX-512F")
	packRowsPrologue(c, e, w,
		"  DX  elements of the last piece; K1, K2  its load masks (per ZMM register)",
		"  K3  the lanes of a piece's last ZMM register, where it is partial",
		"  Z0, Z1  a piece",
	)
	c.Comment(fmt.Sprintf("The masks of the last piece: (1<<rem)-1, its low %d bits in K1, the next in K2.", lanes))
	c.MOVQ(rem, reg.RCX)
	c.MOVL(operand.U32(1), mask.As32())
	c.SHLQ(reg.CL, mask)
	c.DECQ(mask)
	c.KMOVW(mask.As32(), kTail[0])
	if nv > 1 {
		c.SHRQ(operand.U8(lanes), mask)
		c.KMOVW(mask.As32(), kTail[1])
	}
	if lastLanes < lanes {
		c.MOVL(operand.U32((1<<lastLanes)-1), mask.As32())
		c.KMOVW(mask.As32(), kLast)
	}

	c.Label("row")
	c.MOVQ(dst, d)
	c.MOVQ(src, s)
	c.MOVQ(full, n)
	c.TESTQ(n, n)
	c.JZ(operand.LabelRef("last"))
	c.Label("piece")
	for v := range nv {
		if v == nv-1 && lastLanes < lanes {
			moveZ(operand.Mem{Base: s, Disp: 64 * v}, kLast, z[v])
		} else {
			move(operand.Mem{Base: s, Disp: 64 * v}, z[v])
		}
	}
	for v := range nv {
		store(v, operand.Mem{Base: d, Disp: 64 * v})
	}
	c.ADDQ(operand.U32(piece), s)
	c.ADDQ(ps, d)
	c.DECQ(n)
	c.JNZ(operand.LabelRef("piece"))
	c.Label("last")
	c.TESTQ(rem, rem)
	c.JZ(operand.LabelRef("next"))
	for v := range nv {
		moveZ(operand.Mem{Base: s, Disp: 64 * v}, kTail[v], z[v])
	}
	for v := range nv {
		store(v, operand.Mem{Base: d, Disp: 64 * v})
	}
	c.Label("next")
	nextRow(c, dst, src, ld, k, piece)
}

func log2(n int) int {
	l := 0
	for 1<<l < n {
		l++
	}
	return l
}

// packRowsHeader declares the row copy name (w elements a step, packing what), with its doc
// comment: the exact loop it computes, how (vecs, the last step of a row read under mask) and its
// contract, requiring isa.
func packRowsHeader(c *build.Context, e elemType, name string, w int, what, vecs, mask, isa string) {
	c.Function(name)
	c.Attributes(attr.NOSPLIT)
	c.Doc(comment(
		fmt.Sprintf("%s packs the k x cnt block of a matrix stored row by row (rows ld apart) into "+
			"ceil(cnt/%d) micro-panels of %d columns and depth k, as the GEMM driver packs %s. It computes",
			name, w, w, what),
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
		fmt.Sprintf("exactly (a copy), a step of a micro-panel at a time in %s; the last step of ", vecs)+
			fmt.Sprintf("a row that ends within a step is read with %s, so no element past the row is read.", mask),
		fmt.Sprintf("Contract: k, cnt >= 0; ld >= cnt; src[l*ld+j] lies in src for l < k, j < cnt; "+
			"len(dst) >= ceil(cnt/%d)*%d*k. It writes only those elements of dst and does not check the "+
			"lengths. dst must not overlap src. It requires %s.", w, w, isa),
	)...)
	c.Pragma("noescape")
	c.SignatureExpr(fmt.Sprintf("func(dst, src []%[1]s, ld, cnt, k int)", e.name))
}

// rowRegs returns the general-purpose registers both row copies use: step l of the first
// micro-panel (DI), row l of src (SI), ld in bytes (R8), the distance between micro-panels, w*k
// elements, in bytes (R9), the whole pieces in a row (R10), the rows left (R11), the pieces of this
// row left (R12), the current piece's micro-panel step (R13), the current piece in src (BX) and
// the elements of the last piece (DX). packRowsPrologue sets them up.
func rowRegs() (dst, src, ld, ps, full, k, n, d, s, rem reg.GPPhysical) {
	return reg.RDI, reg.RSI, reg.R8, reg.R9, reg.R10, reg.R11, reg.R12, reg.R13, reg.RBX, reg.RDX
}

// packRowsPrologue emits what both row copies begin with: the comment on the registers (those
// both use, then regs), the loads of the arguments, the return for k = 0, ld in bytes (R8), the
// distance between micro-panels (R9), full = cnt / w (R10) and rem = cnt % w (DX); CX holds w.
func packRowsPrologue(c *build.Context, e elemType, w int, regs ...string) {
	piece := w * e.size
	c.Comment(append([]string{
		"Registers:",
		"  DI  step l of the first micro-panel; SI  row l of src; R8  ld in bytes",
		fmt.Sprintf("  R9  the distance between micro-panels in bytes (%d*k)", piece),
		"  R10 whole pieces of a row; R11 rows left; R12 pieces of this row left",
		"  R13, BX  the current piece's step in dst and its start in src",
	}, regs...)...)
	dst, src, ld, ps, full, k, _, _, _, _ := rowRegs()
	c.Load(c.Param("dst").Base(), dst)
	c.Load(c.Param("src").Base(), src)
	c.Load(c.Param("ld"), ld)
	c.Load(c.Param("cnt"), reg.RAX)
	c.Load(c.Param("k"), k)
	c.TESTQ(k, k)
	c.JZ(operand.LabelRef("done"))
	c.SHLQ(operand.U8(e.shift()), ld)
	c.IMUL3Q(operand.U32(piece), k, ps)
	c.Comment(fmt.Sprintf("full = cnt / %d, rem = cnt %% %d", w, w))
	c.XORL(reg.EDX, reg.EDX) // rem's register, DX, takes the remainder
	c.MOVQ(operand.U32(w), reg.RCX)
	c.DIVQ(reg.RCX)
	c.MOVQ(reg.RAX, full)
}
