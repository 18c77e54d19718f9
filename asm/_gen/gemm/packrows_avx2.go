package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// tailmask is the shared VMASKMOV mask of asm/tailmask_amd64.s (written by the streaming
// generator): eight all-ones dwords, then eight zero dwords, so that the 32 bytes at
// size*(lanes-count) select the first count elements of size bytes.
var tailmask = operand.NewDataAddr(operand.Symbol{Name: "·tailmask"}, 0)

// packRowsAVX2 emits the AVX2 tiles' copy named name, which computes what packRowsAVX512's copies
// compute: the rows of the block cut into pieces of w elements, each a step of a micro-panel,
// copied in one or two YMM registers, the last piece of a row read under a VMASKMOV mask (no
// element past the row is read) and stored whole, zeros included. Where a piece is not a whole
// number of YMM registers (w = 6, an A stored transposed for the 6-row tiles), its last register
// is read under a mask too, and stored whole except in the block's last row: the lanes past the
// piece land in the next step of the same micro-panel, which the next row's copy writes over,
// so that only the last row pays for masked stores (microcoded on some CPUs).
func packRowsAVX2(c *build.Context, e elemType, name string, w int, what string) {
	lanes := 32 / e.size // per YMM register
	nv := (w + lanes - 1) / lanes
	if nv > 2 {
		panic(name + ": pieces of more than two YMM registers")
	}
	lastLanes := w - (nv-1)*lanes // lanes of the last register of a piece
	partial := lastLanes < lanes
	dst, src, ld, ps, full, k, n, d, s, rem := rowRegs()
	var (
		tm    = reg.RCX // tailmask, once the divide is done with CX
		t     = reg.RAX
		z     = []reg.VecPhysical{reg.Y0, reg.Y1}
		yTail = []reg.VecPhysical{reg.Y2, reg.Y3} // the last piece's load masks, per register
		yLast = reg.Y4                            // the lanes of a piece's last register, where partial
		piece = w * e.size
	)
	move, maskmov := c.VMOVUPS, c.VMASKMOVPS
	if e.size == 8 {
		move, maskmov = c.VMOVUPD, c.VMASKMOVPD
	}
	vecs := fmt.Sprintf("%d YMM registers", nv)
	if nv == 1 {
		vecs = "one YMM register"
	}
	if partial {
		vecs += fmt.Sprintf(" (%d lanes of the last one)", lastLanes)
	}

	packRowsHeader(c, e, name, w, what, vecs, "a VMASKMOV mask", "AVX")
	packRowsPrologue(c, e, w,
		"  DX  elements of the last piece; CX  tailmask (while the masks are made); AX  scratch",
		"  Y2, Y3  the last piece's load masks (per YMM register)",
		"  Y4  the lanes of a piece's last YMM register, where it is partial",
		"  Y0, Y1  a piece",
	)
	c.LEAQ(tailmask, tm)
	if partial {
		c.Commentf("Y4: the first %d lanes.", lastLanes)
		c.VMOVDQU(operand.Mem{Base: tm, Disp: e.size * (lanes - lastLanes)}, yLast)
	}
	c.Comment("The last piece's masks: register v takes min(max(rem - v*lanes, 0), lanes) elements.")
	for v := range nv {
		c.MOVQ(rem, t)
		if v > 0 {
			c.SUBQ(operand.U8(v*lanes), t)
			c.JGE(operand.LabelRef(fmt.Sprintf("pos%d", v)))
			c.XORL(t.As32(), t.As32())
			c.Label(fmt.Sprintf("pos%d", v))
		}
		c.CMPQ(t, operand.U8(lanes))
		c.JLE(operand.LabelRef(fmt.Sprintf("fits%d", v)))
		c.MOVQ(operand.U32(lanes), t)
		c.Label(fmt.Sprintf("fits%d", v))
		c.NEGQ(t)
		c.ADDQ(operand.U8(lanes), t)
		c.VMOVDQU(operand.Mem{Base: tm, Index: t, Scale: uint8(e.size)}, yTail[v])
	}

	load := func(m operand.Mem, v int) {
		if v == nv-1 && partial {
			maskmov(m, yLast, z[v])
			return
		}
		move(m, z[v])
	}
	// store writes a piece; in the last row (masked), a partial last register by its mask.
	store := func(masked bool) {
		for v := range nv {
			m := operand.Mem{Base: d, Disp: 32 * v}
			if masked && v == nv-1 && partial {
				maskmov(z[v], yLast, m)
				continue
			}
			move(z[v], m)
		}
	}
	// row emits the copy of one row, its labels suffixed by sfx; masked: the block's last row.
	row := func(sfx string, masked bool) {
		c.Label("row" + sfx)
		c.MOVQ(dst, d)
		c.MOVQ(src, s)
		c.MOVQ(full, n)
		c.TESTQ(n, n)
		c.JZ(operand.LabelRef("last" + sfx))
		c.Label("piece" + sfx)
		for v := range nv {
			load(operand.Mem{Base: s, Disp: 32 * v}, v)
		}
		store(masked)
		c.ADDQ(operand.U32(piece), s)
		c.ADDQ(ps, d)
		c.DECQ(n)
		c.JNZ(operand.LabelRef("piece" + sfx))
		c.Label("last" + sfx)
		c.TESTQ(rem, rem)
		c.JZ(operand.LabelRef("next" + sfx))
		for v := range nv {
			maskmov(operand.Mem{Base: s, Disp: 32 * v}, yTail[v], z[v])
		}
		store(masked)
		c.Label("next" + sfx)
	}
	if partial {
		c.Comment("Every row but the last: partial registers stored whole (into the next step).")
		c.DECQ(k)
		c.JZ(operand.LabelRef("rowlast"))
		row("", false)
		c.ADDQ(operand.U32(piece), dst)
		c.ADDQ(ld, src)
		c.DECQ(k)
		c.JNZ(operand.LabelRef("row"))
		c.Comment("The last row: partial registers stored by their mask.")
		row("last", true)
		c.Label("done")
		c.VZEROUPPER()
		c.RET()
		return
	}
	row("", false)
	nextRow(c, dst, src, ld, k, piece)
}
