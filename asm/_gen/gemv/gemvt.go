package main

import (
	"fmt"
	"strings"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The general-purpose registers of GemvT.
var (
	tBlock = reg.RSI // row p of a, the first row of the current block
	tP0    = reg.RDX // row p of a at the current column
	tP4    = reg.RBX // row p+4 of a at the current column (blocks of 8 rows)
	tY     = reg.RDI // y at the current column
	tCols  = reg.RCX // columns left in the pass
	tLdaB  = reg.R9  // lda in bytes
	tLda3  = reg.R10 // 3*lda in bytes
	tX     = reg.R8  // x[p]
	tRows  = reg.R11 // rows left: len(x) - p
	tYBase = reg.R12 // &y[0]
	tN     = reg.R13 // len(y)
)

// tPrefetch is how far ahead in each row of a block GemvT asks for the lines of a (PREFETCHT0),
// in bytes, while at least that much of the row is left: a matrix streamed from memory arrives
// faster with the requests of the eight rows out ahead of the loads than with the hardware's
// prefetching alone. On AMD Zen 4, 1 x 4096 x 4096 float32 ran at 1.02-1.03x numpy's speed with
// 128 bytes (make compare's row, 4 runs), 0.92-0.99x with no prefetching (4 runs interleaved with
// those), 0.92-0.93x with 512 bytes (5 runs), and 1.00-1.04x with 256: further ahead, the
// requests of the eight rows seem to crowd out the lines in flight.
const tPrefetch = 128

// gemvT emits GemvT for v: for each block of rows of a (blocks of blocks[0] rows while that many
// are left, then of the next size), it broadcasts alpha*x[p+r] for each row r of the block, then
// passes over y, unroll vectors at a time, then one, then the masked tail, adding the block's
// rows times those into each vector of y while it is in a register: one load and one store of
// y per block of rows. While more than tPrefetch bytes of the rows are left past a step of
// unroll vectors, the step also asks for the lines tPrefetch ahead in each row. The vector
// registers: V(0..7) the scaled x values, V(8..8+unroll-1) the vectors of y, V(12) alpha, V(14)
// the tail of a row (AVX2), Y13 the AVX2 tail mask.
func gemvT(c *build.Context, v variant, blocks []int, unroll int) {
	g := &gen{c, v}
	L, VB := v.lanes(), v.bytes
	if blocks[0] > 8 || blocks[len(blocks)-1] != 1 || unroll > 4 {
		panic("gemvT: blocks of at most 8 rows, ending with 1, and at most 4 vectors per step")
	}
	name := "GemvT" + v.elem.suffix + v.isa.suffix
	c.Function(name)
	c.Attributes(attr.NOSPLIT)
	c.Doc(gemvTDoc(name, v, blocks, unroll)...)
	c.Pragma("noescape")
	c.SignatureExpr(fmt.Sprintf("func(alpha %[1]s, a []%[1]s, lda int, x, y []%[1]s)", v.name))
	bx := func(r int) reg.VecPhysical { return g.V(r) }
	yv := func(u int) reg.VecPhysical { return g.V(8 + u) }
	alpha, tmp := g.V(12), g.V(14)
	c.Comment(
		"Registers:",
		"  SI  row p of a (the first row of the block)",
		"  DX, BX  rows p and p+4 of a at the current column (rows p+1..p+3, p+5..p+7 at R9, 2*R9, R10 from them)",
		"  DI  y at the current column",
		"  CX  columns left in the pass over y",
		"  R8  x[p]",
		"  R9, R10  lda and 3*lda in bytes",
		"  R11  rows left",
		"  R12, R13  &y[0], len(y)",
		fmt.Sprintf("  %s-%s  alpha*x[p+r] for the rows r of the block", g.vr(0), g.vr(7)),
		fmt.Sprintf("  %s-%s  vectors of y", g.vr(8), g.vr(8+unroll-1)),
		fmt.Sprintf("  %s  alpha", g.vr(12)),
		"  "+map[bool]string{true: "K1  tail mask", false: "Y13  tail mask (VMASKMOV); Y14 the tail of a row"}[v.is512()],
	)

	c.Load(c.Param("a").Base(), tBlock)
	c.Load(c.Param("lda"), tLdaB)
	c.Load(c.Param("x").Base(), tX)
	c.Load(c.Param("x").Len(), tRows)
	c.Load(c.Param("y").Base(), tYBase)
	c.Load(c.Param("y").Len(), tN)
	c.TESTQ(tN, tN)
	c.JZ(operand.LabelRef("done"))
	c.TESTQ(tRows, tRows)
	c.JZ(operand.LabelRef("done"))
	c.SHLQ(operand.U8(v.shift), tLdaB)
	c.LEAQ(operand.Mem{Base: tLdaB, Index: tLdaB, Scale: 2}, tLda3)
	g.BROADCAST(g.param("alpha"), alpha)
	c.Commentf("The tail mask of the last len(y)%%%d columns.", L)
	c.MOVQ(tN, tCols)
	c.ANDQ(imm(L-1), tCols)
	g.tailMask()

	for bi, R := range blocks {
		lbl := func(s string) string { return fmt.Sprintf("%s%d", s, R) }
		next := "done"
		if bi+1 < len(blocks) {
			next = fmt.Sprintf("rows%d", blocks[bi+1])
		}
		c.Commentf("Blocks of %d rows: y += (alpha*x[p+r]) * (row p+r of a), r < %d.", R, R)
		c.Label(lbl("rows"))
		c.CMPQ(tRows, imm(R))
		c.JB(operand.LabelRef(next))
		for r := 0; r < R; r++ {
			g.BROADCAST(operand.Mem{Base: tX, Disp: r * v.size}, bx(r))
			g.MUL(alpha, bx(r), bx(r))
		}
		c.MOVQ(tBlock, tP0)
		if R > 4 {
			c.LEAQ(operand.Mem{Base: tP0, Index: tLdaB, Scale: 4}, tP4)
		}
		c.MOVQ(tYBase, tY)
		c.MOVQ(tN, tCols)
		step := func(n int, prefetch bool) {
			for u := 0; u < n; u++ {
				g.MOVU(operand.Mem{Base: tY, Disp: u * VB}, yv(u))
			}
			for r := 0; r < R; r++ {
				for u := 0; u < n; u++ {
					g.FMA(rowMem(r, tP0, tP4, tLdaB, tLda3, u*VB), bx(r), yv(u))
				}
				for off := 0; prefetch && off < n*VB; off += 64 {
					c.PREFETCHT0(rowMem(r, tP0, tP4, tLdaB, tLda3, tPrefetch+off))
				}
			}
			for u := 0; u < n; u++ {
				g.MOVU(yv(u), operand.Mem{Base: tY, Disp: u * VB})
			}
			c.ADDQ(imm(n*VB), tP0)
			if R > 4 {
				c.ADDQ(imm(n*VB), tP4)
			}
			c.ADDQ(imm(n*VB), tY)
			c.SUBQ(imm(n*L), tCols)
		}
		c.Label(lbl("colspf"))
		c.CMPQ(tCols, imm(unroll*L+tPrefetch/v.size))
		c.JB(operand.LabelRef(lbl("cols")))
		step(unroll, true)
		c.JMP(operand.LabelRef(lbl("colspf")))
		c.Label(lbl("cols"))
		c.CMPQ(tCols, imm(unroll*L))
		c.JB(operand.LabelRef(lbl("col")))
		step(unroll, false)
		c.JMP(operand.LabelRef(lbl("cols")))
		c.Label(lbl("col"))
		c.CMPQ(tCols, imm(L))
		c.JB(operand.LabelRef(lbl("tail")))
		step(1, false)
		c.JMP(operand.LabelRef(lbl("col")))
		c.Label(lbl("tail"))
		c.TESTQ(tCols, tCols)
		c.JZ(operand.LabelRef(lbl("end")))
		g.maskedLoad(operand.Mem{Base: tY}, yv(0))
		for r := 0; r < R; r++ {
			g.maskedFMA(rowMem(r, tP0, tP4, tLdaB, tLda3, 0), bx(r), yv(0), tmp)
		}
		g.maskedStore(yv(0), operand.Mem{Base: tY})
		c.Label(lbl("end"))
		c.ADDQ(imm(R*v.size), tX)
		c.SUBQ(imm(R), tRows)
		switch R {
		case 8:
			c.LEAQ(operand.Mem{Base: tBlock, Index: tLdaB, Scale: 8}, tBlock)
		case 4, 2:
			c.LEAQ(operand.Mem{Base: tBlock, Index: tLdaB, Scale: uint8(R)}, tBlock)
		case 1:
			c.ADDQ(tLdaB, tBlock)
		default:
			c.LEAQ(operand.Mem{Base: tBlock, Index: tLda3, Scale: 1}, tBlock)
			if R != 3 {
				panic("gemvT: a block of " + fmt.Sprint(R) + " rows")
			}
		}
		c.JMP(operand.LabelRef(lbl("rows")))
	}
	c.Label("done")
	c.VZEROUPPER()
	c.RET()
}

// gemvTDoc is the doc comment of GemvT.
func gemvTDoc(name string, v variant, blocks []int, unroll int) []string {
	bs := make([]string, len(blocks))
	for i, b := range blocks {
		bs[i] = fmt.Sprint(b)
	}
	return comment(
		name+" adds alpha times x times the rows of a to y, the product y += alpha * x·A of a "+
			"row vector x with the len(x) x len(y) matrix A whose rows are lda elements apart in a. "+
			"It computes exactly",
		"\tfor p, xp := range x {\n\t\ts := alpha * xp\n\t\tfor j := range y {\n\t\t\ty[j] += s * a[p*lda+j] // a fused multiply-add: rounded once\n\t\t}\n\t}",
		fmt.Sprintf("(the same roundings in the same order). It takes the rows of a in blocks of %s "+
			"rows and passes over y once per block, keeping %d vectors of y in registers while "+
			"it adds the rows of the block to them, so y is loaded and stored once per block, "+
			"and each row of a is read once, from start to end; it asks for the lines %d bytes "+
			"ahead in each row (PREFETCHT0) while the row holds them.", strings.Join(bs, ", then "), unroll, tPrefetch),
		fmt.Sprintf("Contract: lda >= len(y) when len(x) > 1 (not checked); when len(x) and len(y) "+
			"are not 0, len(a) >= (len(x)-1)*lda + len(y) (not checked), and it reads exactly "+
			"a[p*lda+j] for p < len(x), j < len(y), all of x and all of y; otherwise it reads "+
			"nothing. Any length and alignment: %d, then %d elements of y per step, and the last "+
			"len(y)%%%d with %s loads and stores, so it never reads or writes outside the slices. "+
			"y must not overlap a or x. It requires %s.", unroll*v.lanes(), v.lanes(), v.lanes(), v.mask, v.needs),
	)
}
