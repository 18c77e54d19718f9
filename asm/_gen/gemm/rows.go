package main

import (
	"fmt"
	"strings"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The sparse-rows kernels: a product whose A is mostly zero element by element (the input of a
// layer after a ReLU, a batch of images) computed row by row from lists of A's nonzero elements,
// each adding its multiple of one row of B to a row of C held in registers. GemmRowsList* writes
// the list of one row of A (rows_list.go), GemmRows* computes rows of C from lists, and
// GemmRowsPack* copies the block of B they read and checks it for Inf and NaN (which a skipped
// zero of A must still turn into NaN). The AVX-512 and AVX2 kernels are one template each
// (rowsKernel, rowsPackKernel), a rowsISA saying how to mask and which registers to use.
const (
	rowsName = "GemmRowsF32AVX512"
	rowsList = "GemmRowsListF32AVX512"
	rowsPack = "GemmRowsPackF32AVX512"
	// rowsVecs is the most ZMM registers of C's row GemmRowsF32AVX512 keeps: 128 columns.
	rowsVecs = 8

	rowsNameAVX2 = "GemmRowsF32AVX2"
	rowsListAVX2 = "GemmRowsListF32AVX2"
	rowsPackAVX2 = "GemmRowsPackF32AVX2"
	// rowsVecsAVX2 is the most YMM registers of C's row GemmRowsF32AVX2 keeps: 96 columns.
	rowsVecsAVX2 = 12
)

// rowsISA is what the templates need of an ISA: its names, its vector registers, and how it
// reads and writes the last, partial register of a row under a mask (a K register on AVX-512,
// a VMASKMOV mask from ·tailmask on AVX2).
type rowsISA struct {
	name, pack string
	lanes      int // float32 lanes a register
	vecs       int // the most registers of a row of C
	regs       []reg.VecPhysical
	k          bool   // masks are K registers (AVX-512), else VMASKMOV masks (AVX2)
	needs      string // what the CPU must have
}

var (
	rowsAVX512 = rowsISA{name: rowsName, pack: rowsPack, lanes: 16, vecs: rowsVecs, k: true, needs: "AVX-512F",
		regs: []reg.VecPhysical{reg.Z0, reg.Z1, reg.Z2, reg.Z3, reg.Z4, reg.Z5, reg.Z6, reg.Z7, reg.Z8, reg.Z9, reg.Z10}}
	rowsAVX2 = rowsISA{name: rowsNameAVX2, pack: rowsPackAVX2, lanes: 8, vecs: rowsVecsAVX2, needs: "AVX2 and FMA3",
		regs: []reg.VecPhysical{reg.Y0, reg.Y1, reg.Y2, reg.Y3, reg.Y4, reg.Y5, reg.Y6, reg.Y7, reg.Y8, reg.Y9, reg.Y10, reg.Y11, reg.Y12, reg.Y13, reg.Y14}}
)

// vec is v's vector register i.
func (v rowsISA) vec(i int) reg.VecPhysical { return v.regs[i] }

// rowTail is the width of the register that holds the last columns of a row of C: the whole
// register, or on AVX-512 its low half (YMM) or quarter (XMM) where the last 1 to 8 or 1 to 4
// columns fit in it (a CPU that runs a ZMM instruction as two 256-bit halves, such as AMD's Zen 4,
// then does half or a quarter of its work: SimpleConvNet's rows of 100 columns take six ZMM
// registers and an XMM one).
type rowTail int

const (
	tailWhole rowTail = iota
	tailY
	tailX
)

// tails returns the widths of the last register v's kernels have loops for.
func (v rowsISA) tails() []rowTail {
	if v.k {
		return []rowTail{tailWhole, tailY, tailX}
	}
	return []rowTail{tailWhole}
}

// suffix names the loops of the tail in labels.
func (t rowTail) suffix() string { return [...]string{"", "y", "x"}[t] }

// view is r as wide as the tail.
func (t rowTail) view(r reg.VecPhysical) reg.VecPhysical {
	switch t {
	case tailY:
		return r.AsY().(reg.VecPhysical)
	case tailX:
		return r.AsX().(reg.VecPhysical)
	}
	return r
}

// tailJump emits, at the loop of a row of registers with the whole last one, the jumps to the
// loops of the narrower tails for CX lanes in the last register (rowWidth's).
func (v rowsISA) tailJump(c *build.Context, label func(string) string) {
	if !v.k {
		return
	}
	c.CMPQ(reg.RCX, operand.U8(4))
	c.JLE(operand.LabelRef(label("vecs") + tailX.suffix()))
	c.CMPQ(reg.RCX, operand.U8(8))
	c.JLE(operand.LabelRef(label("vecs") + tailY.suffix()))
}

// bytes is the size of one of v's registers.
func (v rowsISA) bytes() int { return 4 * v.lanes }

// rowsMask emits the mask of the first CX lanes (0 <= CX <= lanes) into m (K1 or a YMM
// register), using AX and tm (for ·tailmask's address on AVX2).
func (v rowsISA) rowsMask(c *build.Context, m reg.Register, tm reg.GPPhysical) {
	if v.k {
		c.MOVL(operand.U32(1), reg.EAX)
		c.SHLL(reg.CL, reg.EAX)
		c.DECL(reg.EAX)
		c.KMOVW(reg.EAX, m)
		return
	}
	c.MOVQ(operand.U32(v.lanes), reg.RAX)
	c.SUBQ(reg.RCX, reg.RAX)
	c.LEAQ(tailmask, tm)
	c.VMOVDQU(operand.Mem{Base: tm, Index: reg.RAX, Scale: 4}, m)
}

// loadMasked loads the lanes of mem that mask selects into x, zeroing the others.
func (v rowsISA) loadMasked(c *build.Context, mem operand.Mem, mask reg.Register, x reg.VecPhysical) {
	if v.k {
		c.VMOVUPS_Z(mem, mask, x)
	} else {
		c.VMASKMOVPS(mem, mask, x)
	}
}

// storeMasked stores the lanes of x that mask selects to mem.
func (v rowsISA) storeMasked(c *build.Context, x reg.VecPhysical, mask reg.Register, mem operand.Mem) {
	if v.k {
		c.VMOVUPS(x, mask, mem)
	} else {
		c.VMASKMOVPS(x, mask, mem)
	}
}

// zero sets x to zero.
func (v rowsISA) zero(c *build.Context, x reg.VecPhysical) {
	if v.k {
		c.VPXORD(x, x, x)
	} else {
		c.VXORPS(x, x, x)
	}
}

// rowsKernel emits GemmRows* for v: one loop over the rows for each number of registers (1 to
// v.vecs) a row of cols columns takes, the last register read and written under a mask.
func rowsKernel(c *build.Context, v rowsISA) {
	c.Function(v.name)
	c.Attributes(attr.NOSPLIT)
	if v.k {
		c.Doc(comment(
			fmt.Sprintf("%s adds to rows of C the multiples of rows of B that lists of the nonzero "+
				"elements of A name (a product with a sparse A). It computes", v.name),
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
			fmt.Sprintf("with fused multiply-adds. Each row of C is kept in ceil(cols/16) "+
				"ZMM registers for the whole list (at most %d), the last one under a mask (its low half or "+
				"quarter, YMM or XMM, where the last columns are at most 8 or 4), so no element "+
				"of c or b past a row's cols is read or written. %s", v.vecs, rowsSetsDoc(v)),
			fmt.Sprintf("Contract: 1 <= cols <= %d; ptr[r] <= ptr[r+1]; val[t], idx[t] lie in val, idx for "+
				"ptr[0] <= t < ptr[len(ptr)-1]; b[int(idx[t])*ldb+j] lies in b and c[r*ldc+j] in c for "+
				"j < cols. It does not check the lengths. c must not overlap b. It requires %s.", v.vecs*v.lanes, v.needs),
		)...)
	} else {
		c.Doc(comment(
			fmt.Sprintf("%s is %s for AVX2: it computes the same loop with fused multiply-adds, "+
				"each row of C kept in ceil(cols/8) YMM registers (at most %d), the last one read "+
				"and written under a VMASKMOV mask, as are the elements of b it multiplies. %s", v.name, rowsName, v.vecs, rowsSetsDoc(v)),
			fmt.Sprintf("Contract: as %s's, with 1 <= cols <= %d. It requires %s.", rowsName, v.vecs*v.lanes, v.needs),
		)...)
	}
	c.Pragma("noescape")
	c.SignatureExpr("func(c []float32, ldc int, b []float32, ldb int, ptr, idx []int32, val []float32, cols int, add bool)")

	var (
		cp, ldc, bp, ldb = reg.RDI, reg.R8, reg.RSI, reg.R9
		ptr, rows        = reg.R10, reg.R11
		idx, val         = reg.R12, reg.R13
		t, end, off, add = reg.RDX, reg.R14, reg.RAX, reg.RBX
		bc, last         = v.vec(v.vecs), v.vec(v.vecs + 1) // last: AVX2 only
	)
	regs, mask := v.rowRegs("val[t]")
	c.Comment(append([]string{
		"Registers:",
		"  DI  row r of c; R8  ldc in bytes; SI  b; R9  ldb in bytes",
		"  R10 ptr[r]; R11 rows left; R12 idx; R13 val; BX  add",
		"  DX  t; R14 ptr[r+1]; AX  the offset of row idx[t] of b in bytes",
	}, regs...)...)
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
	v.rowWidth(c, t, mask, end)
	for nv := v.vecs; nv >= 1; nv-- {
		for _, tw := range v.tails() {
			rowsLoop(c, v, nv, tw, cp, ldc, bp, ldb, ptr, rows, idx, val, t, end, off, add, bc, last, mask)
		}
	}
	c.Label("done")
	c.VZEROUPPER()
	c.RET()
}

// rowsLoop emits GemmRows*'s loop over the rows for rows of nv registers, the last tw wide.
func rowsLoop(c *build.Context, v rowsISA, nv int, tw rowTail, cp, ldc, bp, ldb, ptr, rows, idx, val, t, end, off, add reg.GPPhysical, bc, last reg.VecPhysical, mask reg.Register) {
	base := func(s string) string { return fmt.Sprintf("%s%d", s, nv) }
	l := func(s string) string { return base(s) + tw.suffix() }
	sets := rowsSets(v, nv)
	acc := func(set, i int) reg.VecPhysical { return v.vec(set*nv + i) }
	c.Label(l("vecs"))
	if tw == tailWhole {
		v.tailJump(c, base)
	}
	c.Label(l("row"))
	c.MOVLQSX(operand.Mem{Base: ptr}, t)
	c.MOVLQSX(operand.Mem{Base: ptr, Disp: 4}, end)
	for set := 1; set < sets; set++ {
		for i := range nv {
			v.zero(c, acc(set, i))
		}
	}
	v.loadRow(c, cp, add, nv, mask, tw, l("zero"), l("test"))
	// entry adds the multiple of b's row of entry t+d to the accumulators of set.
	entry := func(d, set int) {
		c.VBROADCASTSS(operand.Mem{Base: val, Index: t, Scale: 4, Disp: 4 * d}, bc)
		c.MOVLQSX(operand.Mem{Base: idx, Index: t, Scale: 4, Disp: 4 * d}, off)
		c.IMULQ(ldb, off)
		v.multiplyAdd(c, bc, last, bp, off, nv, mask, tw, func(i int) reg.VecPhysical { return acc(set, i) })
	}
	c.Label(l("test"))
	if sets > 1 {
		// Whole groups of sets entries, entry t+d into set d, while they last.
		c.LEAQ(operand.Mem{Base: t, Disp: sets}, off)
		c.CMPQ(off, end)
		c.JG(operand.LabelRef(l("one")))
		for d := range sets {
			entry(d, d)
		}
		c.ADDQ(operand.U8(sets), t)
		c.JMP(operand.LabelRef(l("test")))
	}
	c.Label(l("one"))
	c.CMPQ(t, end)
	c.JGE(operand.LabelRef(l("sum")))
	entry(0, 0)
	c.INCQ(t)
	c.JMP(operand.LabelRef(l("one")))
	c.Label(l("sum"))
	for set := 1; set < sets; set++ {
		for i := range nv {
			c.VADDPS(acc(set, i), acc(0, i), acc(0, i))
		}
	}
	c.Label(l("store"))
	v.storeRow(c, cp, nv, mask, tw)
	c.ADDQ(ldc, cp)
	c.ADDQ(operand.U8(4), ptr)
	c.DECQ(rows)
	c.JNZ(operand.LabelRef(l("row")))
	c.JMP(operand.LabelRef("done"))
}

// rowRegs returns the comment lines for the registers of a row of C, the broadcast multiplier
// (what says what it holds) and the mask, and the mask register: K1, or AVX2's VMASKMOV mask.
func (v rowsISA) rowRegs(what string) ([]string, reg.Register) {
	if v.k {
		return []string{"  Z0-Z7 row r of C; Z8 " + what + " in every lane; K1 the lanes of the row's last ZMM register"}, reg.K1
	}
	return []string{"  Y0-Y11 row r of C; Y12 " + what + " in every lane; Y13 the last elements of b's row",
		"  Y14 the VMASKMOV mask of the row's last YMM register"}, v.vec(v.vecs + 2)
}

// rowWidth emits, for cols in CX: regs = the registers a row takes, less one; CX = the lanes of
// the last one (1 to v.lanes); its mask (with AX and tm); and the jump to label vecs<n> for a
// row of n registers (falling through for v.vecs).
func (v rowsISA) rowWidth(c *build.Context, regs reg.GPPhysical, mask reg.Register, tm reg.GPPhysical) {
	shift := log2(v.lanes)
	c.Commentf("%s = registers a row takes, less one; CX = lanes of the last one (1 to %d); its mask", regs.Asm(), v.lanes)
	c.LEAQ(operand.Mem{Base: reg.RCX, Disp: -1}, regs)
	c.SHRQ(operand.U8(shift), regs)
	c.MOVQ(regs, reg.RAX)
	c.SHLQ(operand.U8(shift), reg.RAX)
	c.SUBQ(reg.RAX, reg.RCX)
	v.rowsMask(c, mask, tm)
	for nv := 1; nv < v.vecs; nv++ {
		c.CMPQ(regs, operand.U8(nv-1))
		c.JEQ(operand.LabelRef(fmt.Sprintf("vecs%d", nv)))
	}
}

// rowAt is the memory operand of register i of the row at base.
func (v rowsISA) rowAt(base reg.GPPhysical, i int) operand.Mem {
	return operand.Mem{Base: base, Disp: v.bytes() * i}
}

// loadRow emits: row r of C (nv registers at cp, the last under mask, tw wide) into the
// accumulators if add is set, else zeros, then a jump to next.
func (v rowsISA) loadRow(c *build.Context, cp, add reg.GPPhysical, nv int, mask reg.Register, tw rowTail, zero, next string) {
	c.TESTB(add.As8(), add.As8())
	c.JZ(operand.LabelRef(zero))
	for i := range nv - 1 {
		c.VMOVUPS(v.rowAt(cp, i), v.vec(i))
	}
	v.loadMasked(c, v.rowAt(cp, nv-1), mask, tw.view(v.vec(nv-1)))
	c.JMP(operand.LabelRef(next))
	c.Label(zero)
	for i := range nv {
		v.zero(c, v.vec(i))
	}
}

// multiplyAdd emits acc(i) += bc * the nv registers of the row of B at bp+off (the last under
// mask, tw wide; on AVX2 loaded into last first).
func (v rowsISA) multiplyAdd(c *build.Context, bc, last reg.VecPhysical, bp, off reg.GPPhysical, nv int, mask reg.Register, tw rowTail, acc func(i int) reg.VecPhysical) {
	for i := range nv {
		m := operand.Mem{Base: bp, Index: off, Scale: 1, Disp: v.bytes() * i}
		switch {
		case i < nv-1:
			c.VFMADD231PS(m, bc, acc(i))
		case v.k:
			c.VFMADD231PS(m, tw.view(bc), mask, tw.view(acc(i)))
		default:
			c.VMASKMOVPS(m, mask, last)
			c.VFMADD231PS(last, bc, acc(i))
		}
	}
}

// storeRow emits the store of the nv registers of a row of C to cp (the last under mask, tw
// wide).
func (v rowsISA) storeRow(c *build.Context, cp reg.GPPhysical, nv int, mask reg.Register, tw rowTail) {
	for i := range nv - 1 {
		c.VMOVUPS(v.vec(i), v.rowAt(cp, i))
	}
	v.storeMasked(c, tw.view(v.vec(nv-1)), mask, v.rowAt(cp, nv-1))
}

// rowsSets is how many sets of accumulators GemmRows* keeps for a row of C of nv registers:
// the list's entries go to the sets in turn, so that enough fused multiply-adds are in flight
// (at least eight while the registers last: four cycles of latency, two a cycle), where one
// set's nv would leave each waiting on the last.
func rowsSets(v rowsISA, nv int) int {
	return max(1, min(4, v.vecs/nv, (8+nv-1)/nv))
}

// rowsSetsDoc says how v's rows kernel orders the sums of short rows.
func rowsSetsDoc(v rowsISA) string {
	var groups []string
	for nv := 1; nv <= v.vecs; {
		sets, hi := rowsSets(v, nv), nv
		for hi < v.vecs && rowsSets(v, hi+1) == sets {
			hi++
		}
		span := fmt.Sprint(nv)
		if hi > nv {
			span = fmt.Sprintf("%d to %d", nv, hi)
		}
		groups = append(groups, fmt.Sprintf("%d for rows of %s registers", sets, span))
		nv = hi + 1
	}
	return "So that enough multiply-adds are in flight, a row of C of few registers has several sets of " +
		"accumulators (" + strings.Join(groups, ", ") + "): set 0 starts from c's row (or zero), the " +
		"others from zero; while a whole group of one entry per set is left, entry t+d of the group goes " +
		"to set d; the last entries go to set 0; the row is then set 0 plus set 1, plus set 2, and so on. " +
		"Each sum is that of the loop's products, in that order within each set."
}

// rowsPackKernel emits GemmRowsPack* for v, which copies a block of B for GemmRows* (whose rows,
// read in place ldb apart, would fall into a few sets of L1 when ldb is a multiple of 512 bytes)
// and reports whether it holds no Inf or NaN: it adds x*0 of every element to four sums, which
// stay ±0 unless an x*0 is NaN.
func rowsPackKernel(c *build.Context, v rowsISA) {
	c.Function(v.pack)
	c.Attributes(attr.NOSPLIT)
	if v.k {
		c.Doc(comment(
			fmt.Sprintf("%s copies the rows x cols block of b whose rows start ld apart into dst, rows "+
				"ceil(cols/16)*16 elements apart (zeros after the first cols of each), and reports "+
				"whether it holds no Inf or NaN. It computes", v.pack),
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
				"It does not check the lengths. dst must not overlap b. It requires "+v.needs+".",
		)...)
	} else {
		c.Doc(comment(
			fmt.Sprintf("%s is %s for AVX2: the same copy and check, 8 elements at a time, the last ones "+
				"of each row read under a VMASKMOV mask (so no element past a row is read) and stored "+
				"whole, zeros included; it writes the first ceil(cols/8)*8 elements of each row of dst, "+
				"the rest up to w not at all.", v.pack, rowsPack),
			"Contract: as "+rowsPack+"'s. It requires "+v.needs+".",
		)...)
	}
	c.Pragma("noescape")
	c.SignatureExpr("func(dst, b []float32, ld, rows, cols int) (finite bool)")

	var (
		bp, ld, rows, full, rem = reg.RSI, reg.R8, reg.R9, reg.R10, reg.RCX
		p, n, dp, dRow, stride  = reg.RBX, reg.R11, reg.RDI, reg.R12, reg.R13
		sums                    = []reg.VecPhysical{v.vec(0), v.vec(1), v.vec(2), v.vec(3)}
		xs                      = []reg.VecPhysical{v.vec(4), v.vec(5), v.vec(6), v.vec(7)}
		zero, x                 = v.vec(8), v.vec(9)
		mask                    = reg.Register(reg.K1)
		vn                      = "Z"
	)
	if !v.k {
		mask, vn = v.vec(10), "Y"
	}
	c.Comment(
		"Registers:",
		"  SI  row r of b; R8  ld in bytes; R9  rows left; R10 whole registers a row; CX the rest",
		"  BX  the next elements; DI  where they go; R12 row r of dst; R13 its stride in bytes",
		"  R11 registers of this row left; AX scratch",
		fmt.Sprintf("  %[1]s0-%[1]s3 the sums; %[1]s4-%[1]s7 elements; %[1]s8 zero; %[1]s9 the row's last elements; %[2]s their mask", vn, mask.Asm()),
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
	c.ANDQ(operand.U8(v.lanes-1), rem)
	c.SHRQ(operand.U8(log2(v.lanes)), full)
	c.Comment("The mask of the last CX elements of a row (none when CX is 0)")
	v.rowsMask(c, mask, p)
	for _, s := range append(sums, zero) {
		v.zero(c, s)
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
	for i := range sums {
		c.VMOVUPS(operand.Mem{Base: p, Disp: v.bytes() * i}, xs[i])
	}
	for i, s := range sums {
		c.VMOVUPS(xs[i], operand.Mem{Base: dp, Disp: v.bytes() * i})
		c.VFMADD231PS(xs[i], zero, s)
	}
	c.ADDQ(operand.U32(4*v.bytes()), p)
	c.ADDQ(operand.U32(4*v.bytes()), dp)
	c.SUBQ(operand.U8(4), n)
	c.CMPQ(n, operand.U8(4))
	c.JGE(operand.LabelRef("four"))
	c.Label("single")
	c.TESTQ(n, n)
	c.JZ(operand.LabelRef("last"))
	c.VMOVUPS(operand.Mem{Base: p}, x)
	c.VMOVUPS(x, operand.Mem{Base: dp})
	c.VFMADD231PS(x, zero, sums[0])
	c.ADDQ(operand.U8(v.bytes()), p)
	c.ADDQ(operand.U8(v.bytes()), dp)
	c.DECQ(n)
	c.JMP(operand.LabelRef("single"))
	c.Label("last")
	c.TESTQ(rem, rem)
	c.JZ(operand.LabelRef("next"))
	v.loadMasked(c, operand.Mem{Base: p}, mask, x)
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
	if v.k {
		c.VCMPPS(operand.U8(0), zero, sums[0], reg.K2) // EQ_OQ: false for NaN
		c.KMOVW(reg.K2, reg.EAX)
	} else {
		c.VCMPPS(operand.U8(0), zero, sums[0], sums[0]) // EQ_OQ: false for NaN
		c.VMOVMSKPS(sums[0], reg.EAX)
	}
	c.CMPL(reg.EAX, operand.U32(1<<v.lanes-1))
	c.SETEQ(reg.AL)
	c.Store(reg.AL, c.ReturnIndex(0))
	c.VZEROUPPER()
	c.RET()
}
