package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The masked rows kernels: products at most 32 steps deep whose A is stored transposed and
// sparse, a convolution's column matrix (one row per step, one column per output pixel) above
// all. Listing such an A would take a transpose first; instead GemmRowsMask* sets, for each
// column of the stored A (each row of op(A)), a mask of its nonzero steps, 16 (8) columns at a
// time, and GemmRowsMasked* adds, for each set bit of a row's mask, that element of A times the
// step's row of B to the row of C held in registers.

const (
	rowsMask       = "GemmRowsMaskF32AVX512"
	rowsMaskAVX2   = "GemmRowsMaskF32AVX2"
	rowsMasked     = "GemmRowsMaskedF32AVX512"
	rowsMaskedAVX2 = "GemmRowsMaskedF32AVX2"
)

// rowsMaskKernel emits GemmRowsMask* for v.
func rowsMaskKernel(c *build.Context, v rowsISA) {
	name := v.function(c, rowsMask, rowsMaskAVX2)
	if v.k {
		c.Doc(comment(
			name+" sets the mask of the nonzero elements (NaN included, -0 not) of each column of the "+
				"k x len(masks) matrix a, rows lda apart:",
			`	for p := range masks {
		var m uint32
		for t := 0; t < k; t++ {
			if a[t*lda+p] != 0 {
				m |= 1 << t
			}
		}
		masks[p] = m
	}`,
			"16 columns at a time: a compare of each row's 16 elements to zero, which ORs the row's bit into "+
				"their masks; the last len(masks)%16 columns are read and written under a mask, so nothing "+
				"past them is read or written.",
			"Contract: 0 <= k <= 32; a[t*lda+p] lies in a for t < k, p < len(masks). It does not check the "+
				"lengths. It requires AVX-512F.",
		)...)
	} else {
		c.Doc(comment(
			name+" is "+rowsMask+" for AVX2: the same loop, 8 columns at a time, the last len(masks)%8 read "+
				"and written under a VMASKMOV mask.",
			"Contract: as "+rowsMask+"'s. It requires AVX2.",
		)...)
	}
	c.Pragma("noescape")
	c.SignatureExpr("func(masks []uint32, a []float32, lda, k int)")

	var (
		mp, ap, ld, k, left, row, t = reg.RDI, reg.RSI, reg.R8, reg.R9, reg.RCX, reg.R10, reg.R11
		zero, one, acc, bit, x      = v.vec(0), v.vec(1), v.vec(2), v.vec(3), v.vec(4)
		ne                          = reg.Register(reg.K1)
		mask                        = reg.Register(reg.K2)
	)
	if !v.k {
		ne, mask = v.vec(5), v.vec(6)
	}
	c.Comment(
		"Registers:",
		"  DI  the next masks; SI  the next columns of a; R8  lda in bytes; R9  k; CX  columns left",
		"  R10 row t of the columns; R11 rows left; AX, BX scratch (the tail mask)",
		fmt.Sprintf("  %s zero; %s 1 in every lane; %s the masks; %s 1<<t in every lane; %s the tail's elements",
			zero.Asm(), one.Asm(), acc.Asm(), bit.Asm(), x.Asm()),
		fmt.Sprintf("  %s the lanes not zero; %s the tail's lanes", ne.Asm(), mask.Asm()),
	)
	c.Load(c.Param("masks").Base(), mp)
	c.Load(c.Param("masks").Len(), left)
	c.Load(c.Param("a").Base(), ap)
	c.Load(c.Param("lda"), ld)
	c.SHLQ(operand.U8(2), ld)
	c.Load(c.Param("k"), k)
	v.zero(c, zero)
	c.MOVL(operand.U32(1), reg.EAX)
	if v.k {
		c.VPBROADCASTD(reg.EAX, one)
	} else {
		c.VMOVD(reg.EAX, one.AsX())
		c.VPBROADCASTD(one.AsX(), one)
	}
	// columns emits the masks of v.lanes columns (tail: the first CX of them, under mask).
	columns := func(label string, tail bool) {
		v.zero(c, acc)
		if v.k {
			c.VMOVDQA32(one, bit)
		} else {
			c.VMOVDQA(one, bit)
		}
		c.MOVQ(ap, row)
		c.MOVQ(k, t)
		c.TESTQ(t, t)
		c.JZ(operand.LabelRef(label + "_store"))
		c.Label(label + "_row")
		switch {
		case v.k && tail:
			c.VMOVUPS_Z(operand.Mem{Base: row}, mask, x)
			c.VCMPPS(operand.U8(4), zero, x, ne) // NEQ_UQ: NaN is not zero
			c.VPORD(bit, acc, ne, acc)
		case v.k:
			c.VCMPPS(operand.U8(4), operand.Mem{Base: row}, zero, ne)
			c.VPORD(bit, acc, ne, acc)
		default:
			if tail {
				c.VMASKMOVPS(operand.Mem{Base: row}, mask, x)
				c.VCMPPS(operand.U8(4), zero, x, ne)
			} else {
				c.VCMPPS(operand.U8(4), operand.Mem{Base: row}, zero, ne)
			}
			c.VPAND(bit, ne, ne)
			c.VPOR(ne, acc, acc)
		}
		c.VPSLLD(operand.U8(1), bit, bit)
		c.ADDQ(ld, row)
		c.DECQ(t)
		c.JNZ(operand.LabelRef(label + "_row"))
		c.Label(label + "_store")
		switch {
		case tail:
			v.storeMasked(c, acc, mask, operand.Mem{Base: mp})
		case v.k:
			c.VMOVDQU32(acc, operand.Mem{Base: mp})
		default:
			c.VMOVDQU(acc, operand.Mem{Base: mp})
		}
	}
	c.CMPQ(left, operand.U8(v.lanes))
	c.JLT(operand.LabelRef("tail"))
	c.Label("block")
	columns("block", false)
	c.ADDQ(operand.U8(v.bytes()), mp)
	c.ADDQ(operand.U8(v.bytes()), ap)
	c.SUBQ(operand.U8(v.lanes), left)
	c.CMPQ(left, operand.U8(v.lanes))
	c.JGE(operand.LabelRef("block"))
	c.Label("tail")
	c.TESTQ(left, left)
	c.JZ(operand.LabelRef("done"))
	v.rowsMask(c, mask, reg.RBX) // CX columns
	columns("tail", true)
	c.Label("done")
	c.VZEROUPPER()
	c.RET()
}

// function starts the NOSPLIT function named avx512 or avx2, as v is, and returns its name.
func (v rowsISA) function(c *build.Context, avx512, avx2 string) string {
	name := avx512
	if !v.k {
		name = avx2
	}
	c.Function(name)
	c.Attributes(attr.NOSPLIT)
	return name
}

// rowsMaskedKernel emits GemmRowsMasked* for v: one loop over the rows for each number of
// registers (1 to v.vecs) a row of cols columns takes, the last one read and written under a mask.
func rowsMaskedKernel(c *build.Context, v rowsISA) {
	name := v.function(c, rowsMasked, rowsMaskedAVX2)
	if v.k {
		c.Doc(comment(
			fmt.Sprintf("%s adds to rows of C the multiples of rows of B that the masks of the nonzero "+
				"elements of a transposed A name (a product with a sparse op(A) at most 32 steps deep, "+
				"A stored k x len(masks), rows lda apart). It computes", name),
			`	for r := range masks {
		for j := 0; j < cols; j++ {
			var s float32
			if add {
				s = c[r*ldc+j]
			}
			for t := 0; t < 32; t++ {
				if masks[r]&(1<<t) != 0 {
					s += a[t*lda+r] * b[t*ldb+j]
				}
			}
			c[r*ldc+j] = s
		}
	}`,
			fmt.Sprintf("with fused multiply-adds, in that order (the bits of a mask lowest first). Each "+
				"row of C is kept in ceil(cols/16) ZMM registers (at most %d), the last one under a mask (its "+
				"low half or quarter, YMM or XMM, where the last columns are at most 8 or 4), so "+
				"no element of c or b past a row's cols is read or written.", v.vecs),
			fmt.Sprintf("Contract: 1 <= cols <= %d; a[t*lda+r] lies in a and b[t*ldb+j] in b for every set "+
				"bit t of masks[r] and j < cols; c[r*ldc+j] lies in c. It does not check the lengths. c must "+
				"not overlap a or b. It requires %s.", v.vecs*v.lanes, v.needs),
		)...)
	} else {
		c.Doc(comment(
			fmt.Sprintf("%s is %s for AVX2: the same loop with fused multiply-adds in the same order, each "+
				"row of C kept in ceil(cols/8) YMM registers (at most %d), the last one read and written "+
				"under a VMASKMOV mask, as are the elements of b it multiplies.", name, rowsMasked, v.vecs),
			fmt.Sprintf("Contract: as %s's, with 1 <= cols <= %d. It requires %s.", rowsMasked, v.vecs*v.lanes, v.needs),
		)...)
	}
	c.Pragma("noescape")
	c.SignatureExpr("func(c []float32, ldc int, b []float32, ldb int, a []float32, lda int, masks []uint32, cols int, add bool)")

	var (
		cp, ldc, bp, ldb = reg.RDI, reg.R8, reg.RSI, reg.R9
		ap, lda          = reg.R10, reg.R11
		mp, rows         = reg.R12, reg.R13
		bits, t, off     = reg.RDX, reg.R14, reg.RAX
		add              = reg.RBX
		bc, last         = v.vec(v.vecs), v.vec(v.vecs + 1) // last: AVX2 only
	)
	regs, mask := v.rowRegs("a[t*lda+r]")
	c.Comment(append([]string{
		"Registers:",
		"  DI  row r of c; R8  ldc in bytes; SI  b; R9  ldb in bytes; R10 column r of a; R11 lda in bytes",
		"  R12 masks[r]; R13 rows left; BX  add; DX  the bits of masks[r] not yet done; R14 the lowest",
		"  AX  the offset of row t of a, then of b, in bytes",
	}, regs...)...)
	c.Load(c.Param("c").Base(), cp)
	c.Load(c.Param("ldc"), ldc)
	c.Load(c.Param("b").Base(), bp)
	c.Load(c.Param("ldb"), ldb)
	c.Load(c.Param("a").Base(), ap)
	c.Load(c.Param("lda"), lda)
	c.Load(c.Param("masks").Base(), mp)
	c.Load(c.Param("masks").Len(), rows)
	c.Load(c.Param("cols"), reg.RCX)
	c.Load(c.Param("add"), add.As8())
	c.TESTQ(rows, rows)
	c.JZ(operand.LabelRef("done"))
	c.SHLQ(operand.U8(2), ldc)
	c.SHLQ(operand.U8(2), ldb)
	c.SHLQ(operand.U8(2), lda)
	v.rowWidth(c, bits, mask, t)
	for nv := v.vecs; nv >= 1; nv-- {
		for _, tw := range v.tails() {
			base := func(s string) string { return fmt.Sprintf("%s%d", s, nv) }
			l := func(s string) string { return base(s) + tw.suffix() }
			c.Label(l("vecs"))
			if tw == tailWhole {
				v.tailJump(c, base)
			}
			c.Label(l("row"))
			c.MOVL(operand.Mem{Base: mp}, bits.As32())
			v.loadRow(c, cp, add, nv, mask, tw, l("zero"), l("bits"))
			c.Label(l("bits"))
			c.TESTL(bits.As32(), bits.As32())
			c.JZ(operand.LabelRef(l("store")))
			c.BSFL(bits.As32(), t.As32())
			c.LEAL(operand.Mem{Base: bits, Disp: -1}, off.As32())
			c.ANDL(off.As32(), bits.As32()) // the lowest bit cleared
			c.MOVQ(t, off)
			c.IMULQ(lda, off)
			c.VBROADCASTSS(operand.Mem{Base: ap, Index: off, Scale: 1}, bc)
			c.MOVQ(t, off)
			c.IMULQ(ldb, off)
			v.multiplyAdd(c, bc, last, bp, off, nv, mask, tw, v.vec)
			c.JMP(operand.LabelRef(l("bits")))
			c.Label(l("store"))
			v.storeRow(c, cp, nv, mask, tw)
			c.ADDQ(ldc, cp)
			c.ADDQ(operand.U8(4), ap)
			c.ADDQ(operand.U8(4), mp)
			c.DECQ(rows)
			c.JNZ(operand.LabelRef(l("row")))
			c.JMP(operand.LabelRef("done"))
		}
	}
	c.Label("done")
	c.VZEROUPPER()
	c.RET()
}
