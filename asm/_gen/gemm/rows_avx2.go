package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The AVX2 sparse-rows kernels: GemmRowsF32AVX2, GemmRowsListF32AVX2 and GemmRowsPackF32AVX2
// compute what their AVX-512 namesakes (rows.go) do, with YMM registers, VMASKMOV masks from
// ·tailmask instead of K registers, and a table of permutations instead of VPCOMPRESSD.
const (
	rowsNameAVX2 = "GemmRowsF32AVX2"
	rowsListAVX2 = "GemmRowsListF32AVX2"
	rowsPackAVX2 = "GemmRowsPackF32AVX2"
	// rowsVecsAVX2 is the most YMM registers of C's row GemmRowsF32AVX2 keeps: 96 columns.
	rowsVecsAVX2 = 12
)

// rowsKernelAVX2 emits GemmRowsF32AVX2: one loop over the rows for each number of YMM registers
// (1 to rowsVecsAVX2) a row of cols columns takes, the last register read and written under the
// VMASKMOV mask Y14.
func rowsKernelAVX2(c *build.Context) {
	c.Function(rowsNameAVX2)
	c.Attributes(attr.NOSPLIT)
	c.Doc(comment(
		fmt.Sprintf("%s is %s for AVX2: it computes the same loop with fused multiply-adds in the same "+
			"order, each row of C kept in ceil(cols/8) YMM registers (at most %d), the last one read "+
			"and written under a VMASKMOV mask, as are the elements of b it multiplies.", rowsNameAVX2, rowsName, rowsVecsAVX2),
		fmt.Sprintf("Contract: as %s's, with 1 <= cols <= %d. It requires AVX2 and FMA3.", rowsName, rowsVecsAVX2*8),
	)...)
	c.Pragma("noescape")
	c.SignatureExpr("func(c []float32, ldc int, b []float32, ldb int, ptr, idx []int32, val []float32, cols int, add bool)")

	var (
		cp, ldc, bp, ldb = reg.RDI, reg.R8, reg.RSI, reg.R9
		ptr, rows        = reg.R10, reg.R11
		idx, val         = reg.R12, reg.R13
		t, end, off, add = reg.RDX, reg.R14, reg.RAX, reg.RBX
	)
	c.Comment(
		"Registers:",
		"  DI  row r of c; R8  ldc in bytes; SI  b; R9  ldb in bytes",
		"  R10 ptr[r]; R11 rows left; R12 idx; R13 val; BX  add",
		"  DX  t; R14 ptr[r+1]; AX  the offset of row idx[t] of b in bytes",
		"  Y0-Y11 row r of C; Y12 val[t] in every lane; Y13 the last elements of b's row",
		"  Y14 the VMASKMOV mask of the row's last YMM register",
	)
	c.Load(c.Param("c").Base(), cp)
	c.Load(c.Param("ldc"), ldc)
	c.Load(c.Param("b").Base(), bp)
	c.Load(c.Param("ldb"), ldb)
	c.Load(c.Param("ptr").Base(), ptr)
	c.Load(c.Param("ptr").Len(), rows)
	c.Load(c.Param("idx").Base(), idx)
	c.Load(c.Param("val").Base(), val)
	c.Load(c.Param("cols"), reg.RCX)
	c.Load(c.Param("add"), add.As8())
	c.DECQ(rows)
	c.JLE(operand.LabelRef("done"))
	c.SHLQ(operand.U8(2), ldc)
	c.SHLQ(operand.U8(2), ldb)
	c.Comment("AX = YMM registers a row takes, less one; Y14 = the first cols - 8*AX lanes")
	c.LEAQ(operand.Mem{Base: reg.RCX, Disp: -1}, off)
	c.SHRQ(operand.U8(3), off)
	c.MOVQ(off, t)
	c.SHLQ(operand.U8(3), t)
	c.SUBQ(reg.RCX, t)
	c.ADDQ(operand.U8(8), t) // 8 - lanes of the last register
	c.LEAQ(tailmask, end)
	c.VMOVDQU(operand.Mem{Base: end, Index: t, Scale: 4}, reg.Y14)
	for v := 1; v < rowsVecsAVX2; v++ {
		c.CMPQ(off, operand.U8(v-1))
		c.JEQ(operand.LabelRef(fmt.Sprintf("vecs%d", v)))
	}
	acc := []reg.VecPhysical{reg.Y0, reg.Y1, reg.Y2, reg.Y3, reg.Y4, reg.Y5, reg.Y6, reg.Y7, reg.Y8, reg.Y9, reg.Y10, reg.Y11}
	bc, last, mask := reg.Y12, reg.Y13, reg.Y14
	for nv := rowsVecsAVX2; nv >= 1; nv-- {
		l := func(s string) string { return fmt.Sprintf("%s%d", s, nv) }
		c.Label(l("vecs"))
		c.Label(l("row"))
		c.MOVLQSX(operand.Mem{Base: ptr}, t)
		c.MOVLQSX(operand.Mem{Base: ptr, Disp: 4}, end)
		c.TESTB(add.As8(), add.As8())
		c.JZ(operand.LabelRef(l("zero")))
		for v := range nv {
			m := operand.Mem{Base: cp, Disp: 32 * v}
			if v == nv-1 {
				c.VMASKMOVPS(m, mask, acc[v])
			} else {
				c.VMOVUPS(m, acc[v])
			}
		}
		c.JMP(operand.LabelRef(l("test")))
		c.Label(l("zero"))
		for v := range nv {
			c.VXORPS(acc[v], acc[v], acc[v])
		}
		c.Label(l("test"))
		c.CMPQ(t, end)
		c.JGE(operand.LabelRef(l("store")))
		c.Label(l("entry"))
		c.VBROADCASTSS(operand.Mem{Base: val, Index: t, Scale: 4}, bc)
		c.MOVLQSX(operand.Mem{Base: idx, Index: t, Scale: 4}, off)
		c.IMULQ(ldb, off)
		for v := range nv {
			m := operand.Mem{Base: bp, Index: off, Scale: 1, Disp: 32 * v}
			if v == nv-1 {
				c.VMASKMOVPS(m, mask, last)
				c.VFMADD231PS(last, bc, acc[v])
			} else {
				c.VFMADD231PS(m, bc, acc[v])
			}
		}
		c.INCQ(t)
		c.CMPQ(t, end)
		c.JLT(operand.LabelRef(l("entry")))
		c.Label(l("store"))
		for v := range nv {
			m := operand.Mem{Base: cp, Disp: 32 * v}
			if v == nv-1 {
				c.VMASKMOVPS(acc[v], mask, m)
			} else {
				c.VMOVUPS(acc[v], m)
			}
		}
		c.ADDQ(ldc, cp)
		c.ADDQ(operand.U8(4), ptr)
		c.DECQ(rows)
		c.JNZ(operand.LabelRef(l("row")))
		c.JMP(operand.LabelRef("done"))
	}
	c.Label("done")
	c.VZEROUPPER()
	c.RET()
}

// rowsListKernelAVX2 emits GemmRowsListF32AVX2 and its table of permutations, rowsperm<>: for
// each 8-bit mask, the positions of its set bits in order, one byte each, then zeros.
func rowsListKernelAVX2(c *build.Context) {
	perm := c.StaticGlobal("rowsperm")
	c.DataAttributes(attr.RODATA | attr.NOPTR)
	for mask := range 256 {
		var v uint64
		n := 0
		for bit := range 8 {
			if mask&(1<<bit) != 0 {
				v |= uint64(bit) << (8 * n)
				n++
			}
		}
		c.AppendDatum(operand.U64(v))
	}

	c.Function(rowsListAVX2)
	c.Attributes(attr.NOSPLIT)
	c.Doc(comment(
		fmt.Sprintf("%s is %s for AVX2: the same loop, 8 elements at a time, the nonzero ones and "+
			"their indices moved to the low lanes by a permutation from a table indexed by the compare's "+
			"mask; the last 8 or fewer elements of a are read under a VMASKMOV mask. It writes up to 7 "+
			"elements past the last one listed.", rowsListAVX2, rowsList),
		"Contract: as "+rowsList+"'s. It requires AVX2 and POPCNT (which every AVX2 CPU has).",
	)...)
	c.Pragma("noescape")
	c.SignatureExpr("func(idx []int32, val []float32, a []float32, base int32, alpha float32) (n int)")

	var (
		ip, vp, ap, left, n, cnt, tab = reg.RDI, reg.RSI, reg.R8, reg.R9, reg.R10, reg.RAX, reg.RBX
		x, alpha, ids, zero, eights   = reg.Y0, reg.Y1, reg.Y2, reg.Y3, reg.Y4
		nz, p, cx, ci, tail           = reg.Y5, reg.Y6, reg.Y7, reg.Y8, reg.Y9
	)
	c.Comment(
		"Registers:",
		"  DI  idx; SI  val; R8  the next 8 elements of a; R9  elements of a left; R10 n",
		"  AX  the compare's mask, then its count; BX  rowsperm",
		"  Y0  the elements; Y1 alpha; Y2 their indices plus base; Y3 zero; Y4 8 in every lane",
		"  Y5  the compare; Y6 the permutation; Y7, Y8 the nonzero elements and their indices, moved low",
		"  Y9  the tail's VMASKMOV mask",
	)
	c.Load(c.Param("idx").Base(), ip)
	c.Load(c.Param("val").Base(), vp)
	c.Load(c.Param("a").Base(), ap)
	c.Load(c.Param("a").Len(), left)
	c.XORL(n.As32(), n.As32())
	alphaArg, err := c.Param("alpha").Resolve()
	if err != nil {
		panic(err)
	}
	c.VBROADCASTSS(alphaArg.Addr, alpha)
	c.LEAQ(perm, tab)
	c.Comment("Y2 = base + 0, 1, ..., 7: the bytes 0-7 widened")
	c.MOVQ(operand.U64(0x0706050403020100), cnt)
	c.VMOVQ(cnt, ids.AsX())
	c.VPMOVZXBD(ids.AsX(), ids)
	c.Load(c.Param("base"), cnt.As32())
	c.VMOVD(cnt.As32(), eights.AsX())
	c.VPBROADCASTD(eights.AsX(), eights)
	c.VPADDD(eights, ids, ids)
	c.MOVL(operand.U32(8), cnt.As32())
	c.VMOVD(cnt.As32(), eights.AsX())
	c.VPBROADCASTD(eights.AsX(), eights)
	c.VXORPS(zero, zero, zero)

	body := func() {
		c.VCMPPS(operand.U8(4), zero, x, nz) // NEQ_UQ: NaN is listed
		c.VMOVMSKPS(nz, cnt.As32())
		c.VPMOVZXBD(operand.Mem{Base: tab, Index: cnt, Scale: 8}, p)
		c.VMULPS(alpha, x, x)
		c.VPERMPS(x, p, cx)
		c.VPERMD(ids, p, ci)
		c.VMOVUPS(cx, operand.Mem{Base: vp, Index: n, Scale: 4})
		c.VMOVDQU(ci, operand.Mem{Base: ip, Index: n, Scale: 4})
		c.POPCNTL(cnt.As32(), cnt.As32())
		c.ADDQ(cnt, n)
	}
	c.CMPQ(left, operand.U8(8))
	c.JLT(operand.LabelRef("tail"))
	c.Label("block")
	c.VMOVUPS(operand.Mem{Base: ap}, x)
	body()
	c.VPADDD(eights, ids, ids)
	c.ADDQ(operand.U8(32), ap)
	c.SUBQ(operand.U8(8), left)
	c.CMPQ(left, operand.U8(8))
	c.JGE(operand.LabelRef("block"))
	c.Label("tail")
	c.TESTQ(left, left)
	c.JZ(operand.LabelRef("done"))
	c.NEGQ(left)
	c.ADDQ(operand.U8(8), left)
	c.LEAQ(tailmask, cnt)
	c.VMOVDQU(operand.Mem{Base: cnt, Index: left, Scale: 4}, tail)
	c.VMASKMOVPS(operand.Mem{Base: ap}, tail, x) // the lanes past a are zero: not listed
	body()
	c.Label("done")
	c.Store(n, c.ReturnIndex(0))
	c.VZEROUPPER()
	c.RET()
}

// rowsPackKernelAVX2 emits GemmRowsPackF32AVX2, GemmRowsPackF32AVX512 for AVX2.
func rowsPackKernelAVX2(c *build.Context) {
	c.Function(rowsPackAVX2)
	c.Attributes(attr.NOSPLIT)
	c.Doc(comment(
		fmt.Sprintf("%s is %s for AVX2: the same copy and check, 8 elements at a time, the last ones "+
			"of each row read under a VMASKMOV mask (so no element past a row is read) and stored "+
			"whole, zeros included; it writes the first ceil(cols/8)*8 elements of each row of dst, "+
			"the rest up to w not at all.", rowsPackAVX2, rowsPack),
		"Contract: as "+rowsPack+"'s. It requires AVX2 and FMA3.",
	)...)
	c.Pragma("noescape")
	c.SignatureExpr("func(dst, b []float32, ld, rows, cols int) (finite bool)")

	var (
		bp, ld, rows, full, rem = reg.RSI, reg.R8, reg.R9, reg.R10, reg.RCX
		p, n, tmp, dp, dRow     = reg.RBX, reg.R11, reg.RAX, reg.RDI, reg.R12
		zero, x, tail           = reg.Y8, reg.Y9, reg.Y10
		sums                    = []reg.VecPhysical{reg.Y0, reg.Y1, reg.Y2, reg.Y3}
		xs                      = []reg.VecPhysical{reg.Y4, reg.Y5, reg.Y6, reg.Y7}
		stride                  = reg.R13
	)
	c.Comment(
		"Registers:",
		"  SI  row r of b; R8  ld in bytes; R9  rows left; R10 whole YMM registers a row; CX the rest",
		"  BX  the next 8 elements; DI  where they go; R12 row r of dst; R13 its stride in bytes",
		"  R11 registers of this row left",
		"  Y0-Y3 the sums; Y4-Y7 elements; Y8 zero; Y9 the row's last elements; Y10 their mask",
	)
	c.Load(c.Param("dst").Base(), dRow)
	c.Load(c.Param("b").Base(), bp)
	c.Load(c.Param("ld"), ld)
	c.Load(c.Param("rows"), rows)
	c.Load(c.Param("cols"), full)
	c.SHLQ(operand.U8(2), ld)
	c.Comment("R13 = ceil(cols/16)*16*4 bytes")
	c.LEAQ(operand.Mem{Base: full, Disp: 15}, stride)
	c.ANDQ(operand.I32(-16), stride)
	c.SHLQ(operand.U8(2), stride)
	c.MOVQ(full, rem)
	c.ANDQ(operand.U8(7), rem)
	c.SHRQ(operand.U8(3), full)
	c.MOVQ(operand.U32(8), tmp)
	c.SUBQ(rem, tmp)
	c.LEAQ(tailmask, p)
	c.VMOVDQU(operand.Mem{Base: p, Index: tmp, Scale: 4}, tail)
	for _, s := range append(sums, zero) {
		c.VXORPS(s, s, s)
	}
	c.TESTQ(rows, rows)
	c.JLE(operand.LabelRef("check"))
	c.Label("row")
	c.MOVQ(bp, p)
	c.MOVQ(dRow, dp)
	c.MOVQ(full, n)
	c.CMPQ(n, operand.U8(4))
	c.JLT(operand.LabelRef("single"))
	c.Label("four")
	for v := range sums {
		c.VMOVUPS(operand.Mem{Base: p, Disp: 32 * v}, xs[v])
	}
	for v, s := range sums {
		c.VMOVUPS(xs[v], operand.Mem{Base: dp, Disp: 32 * v})
		c.VFMADD231PS(xs[v], zero, s)
	}
	c.ADDQ(operand.U32(128), p)
	c.ADDQ(operand.U32(128), dp)
	c.SUBQ(operand.U8(4), n)
	c.CMPQ(n, operand.U8(4))
	c.JGE(operand.LabelRef("four"))
	c.Label("single")
	c.TESTQ(n, n)
	c.JZ(operand.LabelRef("last"))
	c.VMOVUPS(operand.Mem{Base: p}, x)
	c.VMOVUPS(x, operand.Mem{Base: dp})
	c.VFMADD231PS(x, zero, sums[0])
	c.ADDQ(operand.U8(32), p)
	c.ADDQ(operand.U8(32), dp)
	c.DECQ(n)
	c.JMP(operand.LabelRef("single"))
	c.Label("last")
	c.TESTQ(rem, rem)
	c.JZ(operand.LabelRef("next"))
	c.VMASKMOVPS(operand.Mem{Base: p}, tail, x)
	c.VMOVUPS(x, operand.Mem{Base: dp})
	c.VFMADD231PS(x, zero, sums[1])
	c.Label("next")
	c.ADDQ(ld, bp)
	c.ADDQ(stride, dRow)
	c.DECQ(rows)
	c.JNZ(operand.LabelRef("row"))
	c.Label("check")
	c.VADDPS(sums[1], sums[0], sums[0])
	c.VADDPS(sums[3], sums[2], sums[2])
	c.VADDPS(sums[2], sums[0], sums[0])
	c.VCMPPS(operand.U8(0), zero, sums[0], sums[0]) // EQ_OQ: false for NaN
	c.VMOVMSKPS(sums[0], tmp.As32())
	c.CMPL(tmp.As32(), operand.U32(0xff))
	c.SETEQ(tmp.As8())
	c.Store(tmp.As8(), c.ReturnIndex(0))
	c.VZEROUPPER()
	c.RET()
}
