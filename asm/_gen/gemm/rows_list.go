package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The list kernels of the rows kernels (rows.go): the nonzero elements of rows of A and their
// indices, compressed with VPCOMPRESSD on AVX-512 and moved by a table of permutations on AVX2.
// One call lists any number of rows, so that a band of short rows (a convolution's patches of
// 26 elements) costs one call, not one per row.

// rowsListLoop is the Go loop both list kernels compute.
const rowsListLoop = `	n := ptr[0]
	for r := 0; r+1 < len(ptr); r++ {
		for l, v := range a[r*lda : r*lda+cols] {
			if v != 0 {
				idx[n], val[n] = int32(l), alpha*v
				n++
			}
		}
		ptr[r+1] = n
	}`

// rowsListSignature is both list kernels' Go signature.
const rowsListSignature = "func(idx []int32, val []float32, ptr []int32, a []float32, lda, cols int, alpha float32)"

// rowsListKernel emits GemmRowsListF32AVX512, which lists the nonzero elements of rows of A.
func rowsListKernel(c *build.Context) {
	c.Function(rowsList)
	c.Attributes(attr.NOSPLIT)
	c.Doc(comment(
		fmt.Sprintf("%s lists the elements of each of len(ptr)-1 rows of cols elements of a, lda "+
			"apart, that are not zero (NaN included, -0 not), times alpha, with their columns; row r's "+
			"entries run from ptr[r] to ptr[r+1]. It computes", rowsList),
		rowsListLoop,
		"exactly, 16 elements at a time: a compare to zero, then the elements and their indices "+
			"compressed to the low lanes of a register and stored whole, so it writes up to 15 elements "+
			"past the last one listed; the last cols%16 elements of each row are read under a mask, none past it.",
		"Contract: len(idx), len(val) >= ptr[0]+(len(ptr)-1)*cols+15 (ptr[0] >= 0); a[r*lda+l] lies in a "+
			"for r < len(ptr)-1, l < cols; the entries fit in an int32. It does not check the lengths. "+
			"It requires AVX-512F.",
	)...)
	c.Pragma("noescape")
	c.SignatureExpr(rowsListSignature)

	var (
		x, alpha, ids, zero = reg.Z0, reg.Z1, reg.Z2, reg.Z3
		sixteen, cx, ci     = reg.Z4, reg.Z5, reg.Z6
		ids0                = reg.Z7
		nz, kTail           = reg.K2, reg.K3
	)
	g := listRegs()
	c.Comment(
		"Registers:",
		"  DI  idx; SI  val; DX  ptr[r+1]; R13 row r of a; R11 lda in bytes; R12 cols; CX rows left",
		"  R8  the next 16 elements of the row; R9  elements of the row left; R10 n; AX scratch",
		"  Z0  the elements; Z1 alpha; Z2 their indices; Z3 zero; Z4 16 in every lane; Z7 0, 1, ..., 15",
		"  Z5, Z6 the nonzero elements and their indices, compressed; K2 the nonzero lanes; K3 the tail's",
	)
	listArgs(c, g, alpha)
	c.Comment("Z7 = 0, 1, ..., 15: the bytes 0-15 in two quadwords, widened")
	c.MOVQ(operand.U64(0x0706050403020100), g.cnt)
	c.VMOVQ(g.cnt, ids0.AsX())
	c.MOVQ(operand.U64(0x0f0e0d0c0b0a0908), g.cnt)
	c.VPINSRQ(operand.U8(1), g.cnt, ids0.AsX(), ids0.AsX())
	c.VPMOVZXBD(ids0.AsX(), ids0)
	c.MOVL(operand.U32(16), g.cnt.As32())
	c.VPBROADCASTD(g.cnt.As32(), sixteen)
	c.VPXORD(zero, zero, zero)

	body := func() {
		c.VCMPPS(operand.U8(4), zero, x, nz) // NEQ_UQ: NaN is listed
		c.VMULPS(alpha, x, x)
		c.VCOMPRESSPS(x, nz, cx)
		c.VPCOMPRESSD(ids, nz, ci)
		c.VMOVUPS(cx, operand.Mem{Base: g.vp, Index: g.n, Scale: 4})
		c.VMOVDQU32(ci, operand.Mem{Base: g.ip, Index: g.n, Scale: 4})
		c.KMOVW(nz, g.cnt.As32())
		c.POPCNTL(g.cnt.As32(), g.cnt.As32())
		c.ADDQ(g.cnt, g.n)
	}
	listRows(c, rowsAVX512, g, x, ids, ids0, sixteen, kTail, nil, body)
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
			"mask; the last cols%%8 elements of each row are read under a VMASKMOV mask. It writes up to 7 "+
			"elements past the last one listed.", rowsListAVX2, rowsList),
		"Contract: as "+rowsList+"'s. It requires AVX2 and POPCNT (which every AVX2 CPU has).",
	)...)
	c.Pragma("noescape")
	c.SignatureExpr(rowsListSignature)

	var (
		tab                         = reg.RBX
		x, alpha, ids, zero, eights = reg.Y0, reg.Y1, reg.Y2, reg.Y3, reg.Y4
		nz, p, cx, ci, tail         = reg.Y5, reg.Y6, reg.Y7, reg.Y8, reg.Y9
		ids0                        = reg.Y10
	)
	g := listRegs()
	c.Comment(
		"Registers:",
		"  DI  idx; SI  val; DX  ptr[r+1]; R13 row r of a; R11 lda in bytes; R12 cols; CX rows left",
		"  R8  the next 8 elements of the row; R9  elements of the row left; R10 n",
		"  AX  the compare's mask, then its count; BX  rowsperm (first ·tailmask)",
		"  Y0  the elements; Y1 alpha; Y2 their indices; Y3 zero; Y4 8 in every lane; Y10 0, 1, ..., 7",
		"  Y5  the compare; Y6 the permutation; Y7, Y8 the nonzero elements and their indices, moved low",
		"  Y9  the tail's VMASKMOV mask",
	)
	listArgs(c, g, alpha)
	c.Comment("Y10 = 0, 1, ..., 7: the bytes 0-7 widened")
	c.MOVQ(operand.U64(0x0706050403020100), g.cnt)
	c.VMOVQ(g.cnt, ids0.AsX())
	c.VPMOVZXBD(ids0.AsX(), ids0)
	c.MOVL(operand.U32(8), g.cnt.As32())
	c.VMOVD(g.cnt.As32(), eights.AsX())
	c.VPBROADCASTD(eights.AsX(), eights)
	c.VXORPS(zero, zero, zero)

	body := func() {
		c.VCMPPS(operand.U8(4), zero, x, nz) // NEQ_UQ: NaN is listed
		c.VMOVMSKPS(nz, g.cnt.As32())
		c.VPMOVZXBD(operand.Mem{Base: tab, Index: g.cnt, Scale: 8}, p)
		c.VMULPS(alpha, x, x)
		c.VPERMPS(x, p, cx)
		c.VPERMD(ids, p, ci)
		c.VMOVUPS(cx, operand.Mem{Base: g.vp, Index: g.n, Scale: 4})
		c.VMOVDQU(ci, operand.Mem{Base: g.ip, Index: g.n, Scale: 4})
		c.POPCNTL(g.cnt.As32(), g.cnt.As32())
		c.ADDQ(g.cnt, g.n)
	}
	listRows(c, rowsAVX2, g, x, ids, ids0, eights, tail, func() { c.LEAQ(perm, tab) }, body)
}

// listGP names the general registers of the list kernels.
type listGP struct {
	ip, vp, pp, row, ld, cols, rows reg.GPPhysical // idx, val, &ptr[r+1], row r, lda in bytes, cols, rows left
	ap, left, n, cnt                reg.GPPhysical // the next elements, elements of the row left, n, scratch
}

func listRegs() listGP {
	return listGP{ip: reg.RDI, vp: reg.RSI, pp: reg.RDX, row: reg.R13, ld: reg.R11, cols: reg.R12, rows: reg.RCX,
		ap: reg.R8, left: reg.R9, n: reg.R10, cnt: reg.RAX}
}

// listArgs emits what both list kernels begin with: the arguments into g's registers, n =
// ptr[0], and alpha in every lane of alpha.
func listArgs(c *build.Context, g listGP, alpha reg.VecPhysical) {
	c.Load(c.Param("idx").Base(), g.ip)
	c.Load(c.Param("val").Base(), g.vp)
	c.Load(c.Param("ptr").Base(), g.pp)
	c.Load(c.Param("a").Base(), g.row)
	c.Load(c.Param("lda"), g.ld)
	c.SHLQ(operand.U8(2), g.ld)
	c.Load(c.Param("cols"), g.cols)
	c.VBROADCASTSS(paramAddr(c, "alpha"), alpha)
}

// listRows emits the loops of a list kernel for v: the tail mask m of the last cols%v.lanes
// elements (made with CX, AX and BX, before setup, which may then take BX), then for each row:
// body on each whole register of its elements loaded into x, the indices ids (from ids0)
// advanced by step (v.lanes in every lane) after each, body once more on the last elements under
// the mask with zeros in the other lanes (which body then does not list), and n into ptr[r+1].
func listRows(c *build.Context, v rowsISA, g listGP, x, ids, ids0, step reg.VecPhysical, m reg.Register, setup, body func()) {
	c.MOVQ(g.cols, reg.RCX)
	c.ANDQ(operand.U32(v.lanes-1), reg.RCX)
	v.rowsMask(c, m, reg.RBX)
	if setup != nil {
		setup()
	}
	c.Load(c.Param("ptr").Len(), g.rows)
	c.DECQ(g.rows)
	c.JLE(operand.LabelRef("done")) // no rows (len(ptr) <= 1)
	c.MOVLQSX(operand.Mem{Base: g.pp}, g.n)
	c.ADDQ(operand.U8(4), g.pp)
	c.Label("row")
	c.MOVQ(g.row, g.ap)
	c.MOVQ(g.cols, g.left)
	if v.k {
		c.VMOVDQA32(ids0, ids)
	} else {
		c.VMOVDQA(ids0, ids)
	}
	c.CMPQ(g.left, operand.U8(v.lanes))
	c.JLT(operand.LabelRef("tail"))
	c.Label("block")
	c.VMOVUPS(operand.Mem{Base: g.ap}, x)
	body()
	c.VPADDD(step, ids, ids)
	c.ADDQ(operand.U8(v.bytes()), g.ap)
	c.SUBQ(operand.U8(v.lanes), g.left)
	c.CMPQ(g.left, operand.U8(v.lanes))
	c.JGE(operand.LabelRef("block"))
	c.Label("tail")
	c.TESTQ(g.left, g.left)
	c.JZ(operand.LabelRef("next"))
	v.loadMasked(c, operand.Mem{Base: g.ap}, m, x)
	body()
	c.Label("next")
	c.MOVL(g.n.As32(), operand.Mem{Base: g.pp})
	c.ADDQ(operand.U8(4), g.pp)
	c.ADDQ(g.ld, g.row)
	c.DECQ(g.rows)
	c.JNZ(operand.LabelRef("row"))
	c.Label("done")
	c.VZEROUPPER()
	c.RET()
}
