package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The sparse-rows kernels: a product whose A is mostly zero element by element (the input of a
// layer after a ReLU, a batch of images) computed row by row from lists of A's nonzero elements,
// each adding its multiple of one row of B to a row of C held in registers. GemmRowsListF32AVX512
// writes the list of one row of A, GemmRowsF32AVX512 computes rows of C from lists, and
// GemmRowsPackF32AVX512 copies the block of B they read and checks it for Inf and NaN (which a
// skipped zero of A must still turn into NaN).
const (
	rowsName = "GemmRowsF32AVX512"
	rowsList = "GemmRowsListF32AVX512"
	rowsPack = "GemmRowsPackF32AVX512"
	// rowsVecs is the most ZMM registers of C's row GemmRowsF32AVX512 keeps: 128 columns.
	rowsVecs = 8
)

// rowsKernel emits GemmRowsF32AVX512: one loop over the rows for each number of ZMM registers
// (1 to rowsVecs) a row of cols columns takes, the last register under the mask K1.
func rowsKernel(c *build.Context) {
	c.Function(rowsName)
	c.Attributes(attr.NOSPLIT)
	c.Doc(comment(
		fmt.Sprintf("%s adds to rows of C the multiples of rows of B that lists of the nonzero "+
			"elements of A name (a product with a sparse A). It computes", rowsName),
		`	for r := 0; r < len(ptr)-1; r++ {
		for j := 0; j < cols; j++ {
			var s float32
			if add {
				s = c[r*ldc+j]
			}
			for t := ptr[r]; t < ptr[r+1]; t++ {
				s += val[t] * b[int(idx[t])*ldb+j]
			}
			c[r*ldc+j] = s
		}
	}`,
		fmt.Sprintf("with fused multiply-adds, in that order. Each row of C is kept in ceil(cols/16) "+
			"ZMM registers for the whole list (at most %d), the last one under a mask, so no element "+
			"of c or b past a row's cols is read or written.", rowsVecs),
		fmt.Sprintf("Contract: 1 <= cols <= %d; ptr[r] <= ptr[r+1]; val[t], idx[t] lie in val, idx for "+
			"ptr[0] <= t < ptr[len(ptr)-1]; b[int(idx[t])*ldb+j] lies in b and c[r*ldc+j] in c for "+
			"j < cols. It does not check the lengths. c must not overlap b. It requires AVX-512F.", rowsVecs*16),
	)...)
	c.Pragma("noescape")
	c.SignatureExpr("func(c []float32, ldc int, b []float32, ldb int, ptr, idx []int32, val []float32, cols int, add bool)")

	var (
		cp, ldc, bp, ldb = reg.RDI, reg.R8, reg.RSI, reg.R9
		ptr, rows        = reg.R10, reg.R11
		idx, val         = reg.R12, reg.R13
		t, end, off, add = reg.RDX, reg.R14, reg.RAX, reg.RBX
		bc               = reg.Z8
		kLast            = reg.K1
	)
	c.Comment(
		"Registers:",
		"  DI  row r of c; R8  ldc in bytes; SI  b; R9  ldb in bytes",
		"  R10 ptr[r]; R11 rows left; R12 idx; R13 val; BX  add",
		"  DX  t; R14 ptr[r+1]; AX  the offset of row idx[t] of b in bytes",
		"  Z0-Z7 row r of C; Z8 val[t] in every lane; K1 the lanes of the row's last ZMM register",
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
	c.Comment("AX = ZMM registers a row takes, less one; CX = lanes of the last one; K1 = (1<<CX)-1")
	c.LEAQ(operand.Mem{Base: reg.RCX, Disp: -1}, off)
	c.SHRQ(operand.U8(4), off)
	c.MOVQ(off, t)
	c.SHLQ(operand.U8(4), t)
	c.SUBQ(t, reg.RCX)
	c.MOVL(operand.U32(1), t.As32())
	c.SHLL(reg.CL, t.As32())
	c.DECL(t.As32())
	c.KMOVW(t.As32(), kLast)
	for v := 1; v < rowsVecs; v++ {
		c.CMPQ(off, operand.U8(v-1))
		c.JEQ(operand.LabelRef(fmt.Sprintf("vecs%d", v)))
	}
	for v := rowsVecs; v >= 1; v-- {
		rowsLoop(c, v, cp, ldc, bp, ldb, ptr, rows, idx, val, t, end, off, add, bc, kLast)
	}
	c.Label("done")
	c.VZEROUPPER()
	c.RET()
}

// rowsLoop emits the loop over the rows of GemmRowsF32AVX512 for rows of nv ZMM registers.
func rowsLoop(c *build.Context, nv int, cp, ldc, bp, ldb, ptr, rows, idx, val, t, end, off, add reg.GPPhysical, bc reg.VecPhysical, kLast reg.Register) {
	acc := []reg.VecPhysical{reg.Z0, reg.Z1, reg.Z2, reg.Z3, reg.Z4, reg.Z5, reg.Z6, reg.Z7}
	l := func(s string) string { return fmt.Sprintf("%s%d", s, nv) }
	c.Label(l("vecs"))
	c.Label(l("row"))
	c.MOVLQSX(operand.Mem{Base: ptr}, t)
	c.MOVLQSX(operand.Mem{Base: ptr, Disp: 4}, end)
	c.TESTB(add.As8(), add.As8())
	c.JZ(operand.LabelRef(l("zero")))
	for v := range nv {
		m := operand.Mem{Base: cp, Disp: 64 * v}
		if v == nv-1 {
			c.VMOVUPS_Z(m, kLast, acc[v])
		} else {
			c.VMOVUPS(m, acc[v])
		}
	}
	c.JMP(operand.LabelRef(l("test")))
	c.Label(l("zero"))
	for v := range nv {
		c.VPXORD(acc[v], acc[v], acc[v])
	}
	c.Label(l("test"))
	c.CMPQ(t, end)
	c.JGE(operand.LabelRef(l("store")))
	c.Label(l("entry"))
	c.VBROADCASTSS(operand.Mem{Base: val, Index: t, Scale: 4}, bc)
	c.MOVLQSX(operand.Mem{Base: idx, Index: t, Scale: 4}, off)
	c.IMULQ(ldb, off)
	for v := range nv {
		m := operand.Mem{Base: bp, Index: off, Scale: 1, Disp: 64 * v}
		if v == nv-1 {
			c.VFMADD231PS(m, bc, kLast, acc[v])
		} else {
			c.VFMADD231PS(m, bc, acc[v])
		}
	}
	c.INCQ(t)
	c.CMPQ(t, end)
	c.JLT(operand.LabelRef(l("entry")))
	c.Label(l("store"))
	for v := range nv {
		m := operand.Mem{Base: cp, Disp: 64 * v}
		if v == nv-1 {
			c.VMOVUPS(acc[v], kLast, m)
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

// rowsListKernel emits GemmRowsListF32AVX512, which lists the nonzero elements of a row of A.
func rowsListKernel(c *build.Context) {
	c.Function(rowsList)
	c.Attributes(attr.NOSPLIT)
	c.Doc(comment(
		fmt.Sprintf("%s lists the elements of a that are not zero (NaN included, -0 not), times "+
			"alpha, with their indices plus base. It computes", rowsList),
		`	n = 0
	for l, v := range a {
		if v != 0 {
			idx[n], val[n] = base+int32(l), alpha*v
			n++
		}
	}`,
		"exactly, 16 elements at a time: a compare to zero, then the elements and their indices "+
			"compressed to the low lanes of a register and stored whole, so it writes up to 15 elements "+
			"past the last one listed; the last 16 or fewer elements of a are read under a mask, none past it.",
		"Contract: len(idx), len(val) >= len(a)+15; base+len(a) <= 1<<31. It does not check the lengths. "+
			"It requires AVX-512F.",
	)...)
	c.Pragma("noescape")
	c.SignatureExpr("func(idx []int32, val []float32, a []float32, base int32, alpha float32) (n int)")

	var (
		ip, vp, ap, left, n, cnt = reg.RDI, reg.RSI, reg.R8, reg.R9, reg.R10, reg.RAX
		x, alpha, ids, zero      = reg.Z0, reg.Z1, reg.Z2, reg.Z3
		sixteen, cx, ci          = reg.Z4, reg.Z5, reg.Z6
		nz, kTail                = reg.K2, reg.K3
	)
	c.Comment(
		"Registers:",
		"  DI  idx; SI  val; R8  the next 16 elements of a; R9  elements of a left; R10 n",
		"  Z0  the elements; Z1 alpha; Z2 their indices plus base; Z3 zero; Z4 16 in every lane",
		"  Z5, Z6 the nonzero elements and their indices, compressed; K2 the nonzero lanes; K3 the tail's",
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
	c.Comment("Z2 = base + 0, 1, ..., 15: the bytes 0-15 in two quadwords, widened")
	c.MOVQ(operand.U64(0x0706050403020100), cnt)
	c.VMOVQ(cnt, ids.AsX())
	c.MOVQ(operand.U64(0x0f0e0d0c0b0a0908), cnt)
	c.VPINSRQ(operand.U8(1), cnt, ids.AsX(), ids.AsX())
	c.VPMOVZXBD(ids.AsX(), ids)
	c.Load(c.Param("base"), cnt.As32())
	c.VPBROADCASTD(cnt.As32(), sixteen)
	c.VPADDD(sixteen, ids, ids)
	c.MOVL(operand.U32(16), cnt.As32())
	c.VPBROADCASTD(cnt.As32(), sixteen)
	c.VPXORD(zero, zero, zero)

	body := func() {
		c.VCMPPS(operand.U8(4), zero, x, nz) // NEQ_UQ: NaN is listed
		c.VMULPS(alpha, x, x)
		c.VCOMPRESSPS(x, nz, cx)
		c.VPCOMPRESSD(ids, nz, ci)
		c.VMOVUPS(cx, operand.Mem{Base: vp, Index: n, Scale: 4})
		c.VMOVDQU32(ci, operand.Mem{Base: ip, Index: n, Scale: 4})
		c.KMOVW(nz, cnt.As32())
		c.POPCNTL(cnt.As32(), cnt.As32())
		c.ADDQ(cnt, n)
	}
	c.CMPQ(left, operand.U8(16))
	c.JLT(operand.LabelRef("tail"))
	c.Label("block")
	c.VMOVUPS(operand.Mem{Base: ap}, x)
	body()
	c.VPADDD(sixteen, ids, ids)
	c.ADDQ(operand.U8(64), ap)
	c.SUBQ(operand.U8(16), left)
	c.CMPQ(left, operand.U8(16))
	c.JGE(operand.LabelRef("block"))
	c.Label("tail")
	c.TESTQ(left, left)
	c.JZ(operand.LabelRef("done"))
	c.MOVQ(left, reg.RCX)
	c.MOVL(operand.U32(1), cnt.As32())
	c.SHLL(reg.CL, cnt.As32())
	c.DECL(cnt.As32())
	c.KMOVW(cnt.As32(), kTail)
	c.VMOVUPS_Z(operand.Mem{Base: ap}, kTail, x) // the lanes past a are zero: not listed
	body()
	c.Label("done")
	c.Store(n, c.ReturnIndex(0))
	c.VZEROUPPER()
	c.RET()
}

// rowsPackKernel emits GemmRowsPackF32AVX512, which copies a block of B for GemmRowsF32AVX512
// (whose rows, read in place ldb apart, would fall into a few sets of L1 when ldb is a multiple of
// 512 bytes) and reports whether it holds no Inf or NaN: it adds x*0 of every element to four
// sums, which stay ±0 unless an x*0 is NaN.
func rowsPackKernel(c *build.Context) {
	c.Function(rowsPack)
	c.Attributes(attr.NOSPLIT)
	c.Doc(comment(
		fmt.Sprintf("%s copies the rows x cols block of b whose rows start ld apart into dst, rows "+
			"ceil(cols/16)*16 elements apart (zeros after the first cols of each), and reports "+
			"whether it holds no Inf or NaN. It computes", rowsPack),
		`	w := (cols + 15) / 16 * 16
	finite = true
	for r := 0; r < rows; r++ {
		for j := 0; j < w; j++ {
			var v float32 // 0 past the row
			if j < cols {
				v = b[r*ld+j]
			}
			dst[r*w+j] = v
			if math.IsInf(float64(v), 0) || v != v {
				finite = false
			}
		}
	}`,
		"16 elements at a time, the last ones of each row read under a mask, so no element past a row "+
			"is read; x*0 of every element x (NaN exactly when x is Inf or NaN) goes into four sums.",
		"Contract: rows, cols >= 0; b[r*ld+j] lies in b for r < rows, j < cols; len(dst) >= rows*w. "+
			"It does not check the lengths. dst must not overlap b. It requires AVX-512F.",
	)...)
	c.Pragma("noescape")
	c.SignatureExpr("func(dst, b []float32, ld, rows, cols int) (finite bool)")

	var (
		bp, ld, rows, full, rem = reg.RSI, reg.R8, reg.R9, reg.R10, reg.RCX
		p, n, tmp, dp           = reg.RBX, reg.R11, reg.RAX, reg.RDI
		zero, x                 = reg.Z8, reg.Z9
		sums                    = []reg.VecPhysical{reg.Z0, reg.Z1, reg.Z2, reg.Z3}
		xs                      = []reg.VecPhysical{reg.Z4, reg.Z5, reg.Z6, reg.Z7}
		kTail, kEq              = reg.K1, reg.K2
	)
	c.Comment(
		"Registers:",
		"  SI  row r of b; R8  ld in bytes; R9  rows left; R10 whole ZMM registers a row; CX the rest",
		"  BX  the next 16 elements; DI  where they go; R11 registers of this row left",
		"  Z0-Z3 the sums; Z4-Z7 elements; Z8 zero; Z9 the row's last elements; K1 their lanes",
	)
	c.Load(c.Param("dst").Base(), dp)
	c.Load(c.Param("b").Base(), bp)
	c.Load(c.Param("ld"), ld)
	c.Load(c.Param("rows"), rows)
	c.Load(c.Param("cols"), full)
	c.SHLQ(operand.U8(2), ld)
	c.MOVQ(full, rem)
	c.ANDQ(operand.U8(15), rem)
	c.SHRQ(operand.U8(4), full)
	c.MOVL(operand.U32(1), tmp.As32())
	c.SHLL(reg.CL, tmp.As32())
	c.DECL(tmp.As32())
	c.KMOVW(tmp.As32(), kTail)
	for _, s := range append(sums, zero) {
		c.VPXORD(s, s, s)
	}
	c.TESTQ(rows, rows)
	c.JLE(operand.LabelRef("check"))
	c.Label("row")
	c.MOVQ(bp, p)
	c.MOVQ(full, n)
	c.CMPQ(n, operand.U8(4))
	c.JLT(operand.LabelRef("single"))
	c.Label("four")
	for v := range sums {
		c.VMOVUPS(operand.Mem{Base: p, Disp: 64 * v}, xs[v])
	}
	for v, s := range sums {
		c.VMOVUPS(xs[v], operand.Mem{Base: dp, Disp: 64 * v})
		c.VFMADD231PS(xs[v], zero, s)
	}
	c.ADDQ(operand.U32(256), p)
	c.ADDQ(operand.U32(256), dp)
	c.SUBQ(operand.U8(4), n)
	c.CMPQ(n, operand.U8(4))
	c.JGE(operand.LabelRef("four"))
	c.Label("single")
	c.TESTQ(n, n)
	c.JZ(operand.LabelRef("last"))
	c.VMOVUPS(operand.Mem{Base: p}, x)
	c.VMOVUPS(x, operand.Mem{Base: dp})
	c.VFMADD231PS(x, zero, sums[0])
	c.ADDQ(operand.U8(64), p)
	c.ADDQ(operand.U8(64), dp)
	c.DECQ(n)
	c.JMP(operand.LabelRef("single"))
	c.Label("last")
	c.TESTQ(rem, rem)
	c.JZ(operand.LabelRef("next"))
	c.VMOVUPS_Z(operand.Mem{Base: p}, kTail, x)
	c.VMOVUPS(x, operand.Mem{Base: dp})
	c.VFMADD231PS(x, zero, sums[1])
	c.ADDQ(operand.U8(64), dp)
	c.Label("next")
	c.ADDQ(ld, bp)
	c.DECQ(rows)
	c.JNZ(operand.LabelRef("row"))
	c.Label("check")
	c.VADDPS(sums[1], sums[0], sums[0])
	c.VADDPS(sums[3], sums[2], sums[2])
	c.VADDPS(sums[2], sums[0], sums[0])
	c.VCMPPS(operand.U8(0), zero, sums[0], kEq) // EQ_OQ: false for NaN
	c.KMOVW(kEq, tmp.As32())
	c.CMPL(tmp.As32(), operand.U32(0xffff))
	c.SETEQ(tmp.As8())
	c.Store(tmp.As8(), c.ReturnIndex(0))
	c.VZEROUPPER()
	c.RET()
}
