package main

import (
	"fmt"
	"strings"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The general-purpose registers of GemvN.
var (
	nBlock = reg.RSI // row i of a, the first row of the current block
	nP0    = reg.RDX // row i of a at the current column
	nXp    = reg.RAX // x at the current column
	nCols  = reg.RCX // columns left
	nLdaB  = reg.R9  // lda in bytes
	nLda3  = reg.R10 // 3*lda in bytes
	nXBase = reg.R8  // &x[0]
	nK     = reg.R11 // len(x)
	nY     = reg.RDI // y[i]
	nRows  = reg.R12 // rows left: len(y) - i
)

// gemvN emits GemvN for v: for each block of rows of a (blocks of blocks[0] rows while that many
// are left, then single rows), it passes over x, unroll vectors at a time, then one, then the
// masked tail, with unroll vector accumulators per row; then it sums each row's accumulators and
// lanes and adds alpha times the sums to the block's elements of y with fused multiply-adds. The
// vector registers: V(r*unroll+u) the accumulators, V(8..8+unroll-1) the vectors of x, V(10)
// alpha, V(11) the tail of a row (AVX2), V(12), V(14), V(15) and the freed accumulators the
// reduction, Y13 the AVX2 tail mask.
func gemvN(c *build.Context, v variant, blocks []int, unroll int) {
	g := &gen{c, v}
	L, VB := v.lanes(), v.bytes
	if blocks[0] != 4 || len(blocks) != 2 || blocks[1] != 1 || unroll != 2 {
		panic("gemvN: blocks of 4 rows then 1, 2 vectors per step")
	}
	name := "GemvN" + v.elem.suffix + v.isa.suffix
	c.Function(name)
	c.Attributes(attr.NOSPLIT)
	c.Doc(gemvNDoc(name, v, blocks, unroll)...)
	c.Pragma("noescape")
	c.SignatureExpr(fmt.Sprintf("func(alpha %[1]s, a []%[1]s, lda int, x, y []%[1]s)", v.name))
	acc := func(r, u int) reg.VecPhysical { return g.V(r*unroll + u) }
	xv := func(u int) reg.VecPhysical { return g.V(8 + u) }
	alpha, tmp := g.V(10), g.V(11)
	c.Comment(
		"Registers:",
		"  SI  row i of a (the first row of the block)",
		"  DX  row i of a at the current column (rows i+1..i+3 at R9, 2*R9, R10 from it)",
		"  AX  x at the current column",
		"  CX  columns left",
		"  DI  y[i]",
		"  R8, R11  &x[0], len(x)",
		"  R9, R10  lda and 3*lda in bytes",
		"  R12  rows left",
		fmt.Sprintf("  %s-%s  the partial sums of the rows of the block, %d per row", g.vr(0), g.vr(4*unroll-1), unroll),
		fmt.Sprintf("  %s-%s  vectors of x", g.vr(8), g.vr(8+unroll-1)),
		fmt.Sprintf("  %s  alpha", g.vr(10)),
		"  "+map[bool]string{true: "K1  tail mask", false: "Y13  tail mask (VMASKMOV); Y11 the tail of a row"}[v.is512()],
	)

	c.Load(c.Param("a").Base(), nBlock)
	c.Load(c.Param("lda"), nLdaB)
	c.Load(c.Param("x").Base(), nXBase)
	c.Load(c.Param("x").Len(), nK)
	c.Load(c.Param("y").Base(), nY)
	c.Load(c.Param("y").Len(), nRows)
	c.TESTQ(nRows, nRows)
	c.JZ(operand.LabelRef("done"))
	c.TESTQ(nK, nK)
	c.JZ(operand.LabelRef("done"))
	c.SHLQ(operand.U8(v.shift), nLdaB)
	c.LEAQ(operand.Mem{Base: nLdaB, Index: nLdaB, Scale: 2}, nLda3)
	g.BROADCAST(g.param("alpha"), alpha)
	c.Commentf("The tail mask of the last len(x)%%%d columns.", L)
	c.MOVQ(nK, nCols)
	c.ANDQ(imm(L-1), nCols)
	g.tailMask()

	for bi, R := range blocks {
		lbl := func(s string) string { return fmt.Sprintf("%s%d", s, R) }
		next := "done"
		if bi+1 < len(blocks) {
			next = fmt.Sprintf("rows%d", blocks[bi+1])
		}
		c.Commentf("Blocks of %d rows: y[i+r] += alpha * (row i+r of a)·x, r < %d.", R, R)
		c.Label(lbl("rows"))
		c.CMPQ(nRows, imm(R))
		c.JB(operand.LabelRef(next))
		for r := 0; r < R; r++ {
			for u := 0; u < unroll; u++ {
				g.zero(r*unroll + u)
			}
		}
		c.MOVQ(nBlock, nP0)
		c.MOVQ(nXBase, nXp)
		c.MOVQ(nK, nCols)
		step := func(n int) {
			for u := 0; u < n; u++ {
				g.MOVU(operand.Mem{Base: nXp, Disp: u * VB}, xv(u))
			}
			for r := 0; r < R; r++ {
				for u := 0; u < n; u++ {
					g.FMA(rowMem(r, nP0, nP0, nLdaB, nLda3, u*VB), xv(u), acc(r, u))
				}
			}
			c.ADDQ(imm(n*VB), nP0)
			c.ADDQ(imm(n*VB), nXp)
			c.SUBQ(imm(n*L), nCols)
		}
		c.Label(lbl("cols"))
		c.CMPQ(nCols, imm(unroll*L))
		c.JB(operand.LabelRef(lbl("col")))
		step(unroll)
		c.JMP(operand.LabelRef(lbl("cols")))
		c.Label(lbl("col"))
		c.CMPQ(nCols, imm(L))
		c.JB(operand.LabelRef(lbl("tail")))
		step(1)
		c.JMP(operand.LabelRef(lbl("col")))
		c.Label(lbl("tail"))
		c.TESTQ(nCols, nCols)
		c.JZ(operand.LabelRef(lbl("sum")))
		g.maskedLoad(operand.Mem{Base: nXp}, xv(0))
		for r := 0; r < R; r++ {
			// The x lanes past the end are zero, but a's are not read at all (they may not exist).
			g.maskedFMA(rowMem(r, nP0, nP0, nLdaB, nLda3, 0), xv(0), acc(r, 1), tmp)
		}
		c.Label(lbl("sum"))
		for r := 0; r < R; r++ {
			g.ADD(acc(r, 1), acc(r, 0), acc(r, 0))
		}
		if R == 4 {
			g.sum4(func(r int) int { return r * unroll })
			// X1 (float32) or Y1 (float64) holds the 4 sums: y[i:i+4] += alpha * sums.
			s, al, yy := g.X(1), g.X(10), g.X(12)
			if v.size == 8 {
				s, al, yy = g.Y(1), g.Y(10), g.Y(12)
			}
			g.MOVU(operand.Mem{Base: nY}, yy)
			g.FMA(s, al, yy)
			g.MOVU(yy, operand.Mem{Base: nY})
		} else {
			g.sum1(0)
			g.MOVS(operand.Mem{Base: nY}, g.X(12))
			g.FMAS(g.X(0), g.X(10), g.X(12))
			g.MOVS(g.X(12), operand.Mem{Base: nY})
		}
		c.ADDQ(imm(R*v.size), nY)
		c.SUBQ(imm(R), nRows)
		if R == 4 {
			c.LEAQ(operand.Mem{Base: nBlock, Index: nLdaB, Scale: 4}, nBlock)
		} else {
			c.ADDQ(nLdaB, nBlock)
		}
		c.JMP(operand.LabelRef(lbl("rows")))
	}
	c.Label("done")
	c.VZEROUPPER()
	c.RET()
}

// sum1 sums the lanes of V(i) pairwise into the low element of X(i) (X(i+1) scratch).
func (g *gen) sum1(i int) {
	a, t := i, i+1
	if g.is512() {
		g.VEXTRACTF64X4(operand.U8(1), g.V(a), g.Y(t))
		g.ADD(g.Y(t), g.Y(a), g.Y(a))
	}
	g.VEXTRACTF128(operand.U8(1), g.Y(a), g.X(t))
	g.ADD(g.X(t), g.X(a), g.X(a))
	if g.size == 8 {
		g.VUNPCKHPD(g.X(a), g.X(a), g.X(t))
		g.ADDS(g.X(t), g.X(a), g.X(a))
		return
	}
	g.VMOVHLPS(g.X(a), g.X(a), g.X(t))
	g.ADD(g.X(t), g.X(a), g.X(a))
	g.VMOVSHDUP(g.X(a), g.X(t))
	g.ADDS(g.X(t), g.X(a), g.X(a))
}

// sum4 sums the lanes of the four vectors V(reg(0..3)) into the four elements of X1 (float32) or
// Y1 (float64), element r the sum of V(reg(r)); V(1), V(3), V(5), V(7), V(12), V(14) and V(15)
// are scratch (reg(r) is 0, 2, 4, 6).
func (g *gen) sum4(reg func(r int) int) {
	r := [4]int{reg(0), reg(1), reg(2), reg(3)}
	if r != [4]int{0, 2, 4, 6} {
		panic("sum4: the accumulators must be V0, V2, V4, V6")
	}
	if g.is512() {
		// Fold each 512-bit vector to 256 bits.
		for _, i := range r {
			g.VEXTRACTF64X4(operand.U8(1), g.V(i), g.Y(15))
			g.ADD(g.Y(15), g.Y(i), g.Y(i))
		}
	}
	// Pairwise horizontal sums: h01 = hadd(v0, v1), h23 = hadd(v2, v3).
	g.HADD(g.Y(2), g.Y(0), g.Y(3))
	g.HADD(g.Y(6), g.Y(4), g.Y(5))
	if g.size == 4 {
		// hadd(h01, h23) = [s0 s1 s2 s3] in each 128-bit half (of the lanes of that half).
		g.HADD(g.Y(5), g.Y(3), g.Y(7))
		g.VEXTRACTF128(operand.U8(1), g.Y(7), g.X(14))
		g.ADD(g.X(14), g.X(7), g.X(1))
		return
	}
	// float64: h01 = [v0 lanes 0+1, v1 0+1, v0 2+3, v1 2+3], h23 likewise; the low halves of
	// both plus the high halves of both.
	g.VPERM2F128(operand.U8(0x20), g.Y(5), g.Y(3), g.Y(7))
	g.VPERM2F128(operand.U8(0x31), g.Y(5), g.Y(3), g.Y(14))
	g.ADD(g.Y(14), g.Y(7), g.Y(1))
}

// gemvNDoc is the doc comment of GemvN.
func gemvNDoc(name string, v variant, blocks []int, unroll int) []string {
	bs := make([]string, len(blocks))
	for i, b := range blocks {
		bs[i] = fmt.Sprint(b)
	}
	return comment(
		name+" adds alpha times the dot products of the rows of a with x to y, the product "+
			"y += alpha * A·x of the len(y) x len(x) matrix A whose rows are lda elements apart "+
			"in a with a column vector x. It computes",
		"\tfor i := range y {\n\t\tvar s "+v.name+"\n\t\tfor l, xl := range x {\n\t\t\ts += a[i*lda+l] * xl\n\t\t}\n\t\ty[i] += alpha * s // a fused multiply-add: rounded once\n\t}",
		fmt.Sprintf("with each product added by a fused multiply-add into %d vector partial sums per "+
			"row, which are then summed with the lanes pairwise: that order of the additions is the "+
			"only difference from the loop. It takes the rows in blocks of %s, reading x once per "+
			"block and each row of a once, from start to end.", unroll, strings.Join(bs, ", then ")),
		fmt.Sprintf("Contract: lda >= len(x) when len(y) > 1 (not checked); when len(x) and len(y) "+
			"are not 0, len(a) >= (len(y)-1)*lda + len(x) (not checked), and it reads exactly "+
			"a[i*lda+l] for i < len(y), l < len(x), all of x and all of y; otherwise it reads "+
			"nothing. Any length and alignment: %d, then %d elements of each row per step, and the "+
			"last len(x)%%%d with %s loads, so it never reads or writes outside the slices. y must "+
			"not overlap a or x. It requires %s.", unroll*v.lanes(), v.lanes(), v.lanes(), v.mask, v.needs),
	)
}
