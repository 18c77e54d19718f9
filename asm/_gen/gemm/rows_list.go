package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The list kernels of the rows kernels (rows.go): the nonzero elements of a row of A and their
// indices, compressed with VPCOMPRESSD on AVX-512 and moved by a table of permutations on AVX2.

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
	listArgs(c, ip, vp, ap, left, n, alpha)
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
	listLoop(c, rowsAVX512, ap, left, x, ids, sixteen, kTail, body)
	c.Label("done")
	c.Store(n, c.ReturnIndex(0))
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
	listArgs(c, ip, vp, ap, left, n, alpha)
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
	listLoop(c, rowsAVX2, ap, left, x, ids, eights, tail, body)
	c.Label("done")
	c.Store(n, c.ReturnIndex(0))
	c.VZEROUPPER()
	c.RET()
}

// listLoop emits the loop of a list kernel for v: body on each whole register of elements of a
// (at ap, left of them) loaded into x, the indices ids advanced by step (v.lanes in every lane)
// after each, then body once more on the last left%v.lanes elements, loaded under the mask m
// (made with CX and AX) with zeros in the other lanes, which body then does not list.
func listLoop(c *build.Context, v rowsISA, ap, left reg.GPPhysical, x, ids, step reg.VecPhysical, m reg.Register, body func()) {
	c.CMPQ(left, operand.U8(v.lanes))
	c.JLT(operand.LabelRef("tail"))
	c.Label("block")
	c.VMOVUPS(operand.Mem{Base: ap}, x)
	body()
	c.VPADDD(step, ids, ids)
	c.ADDQ(operand.U8(v.bytes()), ap)
	c.SUBQ(operand.U8(v.lanes), left)
	c.CMPQ(left, operand.U8(v.lanes))
	c.JGE(operand.LabelRef("block"))
	c.Label("tail")
	c.TESTQ(left, left)
	c.JZ(operand.LabelRef("done"))
	c.MOVQ(left, reg.RCX)
	v.rowsMask(c, m, left) // left is done with
	v.loadMasked(c, operand.Mem{Base: ap}, m, x)
	body()
}

// listArgs emits what both list kernels begin with: idx, val, a and len(a) into ip, vp, ap and
// left, n = 0, and alpha in every lane of alpha.
func listArgs(c *build.Context, ip, vp, ap, left, n reg.GPPhysical, alpha reg.VecPhysical) {
	c.Load(c.Param("idx").Base(), ip)
	c.Load(c.Param("val").Base(), vp)
	c.Load(c.Param("a").Base(), ap)
	c.Load(c.Param("a").Len(), left)
	c.XORL(n.As32(), n.As32())
	arg, err := c.Param("alpha").Resolve()
	if err != nil {
		panic(err)
	}
	c.VBROADCASTSS(arg.Addr, alpha)
}
