package main

import (
	"fmt"
	"strings"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// elemType is a GEMM element type and the AVX instructions that move and combine it.
type elemType struct {
	name string // Go type
	size int    // bytes
}

var (
	f32 = elemType{name: "float32", size: 4}
	f64 = elemType{name: "float64", size: 8}
)

// shift is log2(size), to turn element counts into bytes.
func (e elemType) shift() uint64 {
	if e.size == 4 {
		return 2
	}
	return 3
}

// broadcast copies the element at src into every lane of dst.
func (e elemType) broadcast(c *build.Context, src, dst operand.Op) {
	if e.size == 4 {
		c.VBROADCASTSS(src, dst)
	} else {
		c.VBROADCASTSD(src, dst)
	}
}

// fma computes acc += x*y (Go assembly order: VFMADD231 x, y, acc).
func (e elemType) fma(c *build.Context, x, y, acc operand.Op) {
	if e.size == 4 {
		c.VFMADD231PS(x, y, acc)
	} else {
		c.VFMADD231PD(x, y, acc)
	}
}

// add computes dst = src + x.
func (e elemType) add(c *build.Context, src, x, dst operand.Op) {
	if e.size == 4 {
		c.VADDPS(src, x, dst)
	} else {
		c.VADDPD(src, x, dst)
	}
}

// move copies a vector (unaligned load or store).
func (e elemType) move(c *build.Context, src, dst operand.Op) {
	if e.size == 4 {
		c.VMOVUPS(src, dst)
	} else {
		c.VMOVUPD(src, dst)
	}
}

// isaSpec is a vector instruction set: its full vector width and register file.
type isaSpec struct {
	name  string // as in the doc comments
	width int    // bits of its full vectors (YMM or ZMM)
	regs  int    // vector registers
	needs string // what the CPU must have, as a doc sentence fragment
}

var (
	avx2   = isaSpec{name: "AVX2", width: 256, regs: 16, needs: "AVX2 and FMA3"}
	avx512 = isaSpec{name: "AVX-512", width: 512, regs: 32, needs: "AVX-512F"}
)

// vec returns vector register n of the given width in bits.
func vec(width, n int) reg.VecPhysical {
	regs := map[int][]reg.VecPhysical{
		256: {reg.Y0, reg.Y1, reg.Y2, reg.Y3, reg.Y4, reg.Y5, reg.Y6, reg.Y7, reg.Y8, reg.Y9, reg.Y10,
			reg.Y11, reg.Y12, reg.Y13, reg.Y14, reg.Y15, reg.Y16, reg.Y17, reg.Y18, reg.Y19, reg.Y20,
			reg.Y21, reg.Y22, reg.Y23, reg.Y24, reg.Y25, reg.Y26, reg.Y27, reg.Y28, reg.Y29, reg.Y30,
			reg.Y31},
		512: {reg.Z0, reg.Z1, reg.Z2, reg.Z3, reg.Z4, reg.Z5, reg.Z6, reg.Z7, reg.Z8, reg.Z9, reg.Z10,
			reg.Z11, reg.Z12, reg.Z13, reg.Z14, reg.Z15, reg.Z16, reg.Z17, reg.Z18, reg.Z19, reg.Z20,
			reg.Z21, reg.Z22, reg.Z23, reg.Z24, reg.Z25, reg.Z26, reg.Z27, reg.Z28, reg.Z29, reg.Z30,
			reg.Z31},
	}
	r, ok := regs[width]
	if !ok || n >= len(r) {
		panic(fmt.Sprintf("no %d-bit vector register %d", width, n))
	}
	return r[n]
}

// asWidth returns the register r viewed at the given width (Z7 as Y7).
func asWidth(r reg.VecPhysical, width int) reg.Register {
	if width == 256 {
		return r.AsY()
	}
	return r.AsZ()
}

// tile describes one micro-kernel: a rows x cols tile of C kept in registers, each row of it
// made of the vectors vecs (widths in bits, in column order).
type tile struct {
	name string
	elem elemType
	isa  isaSpec
	rows int
	vecs []int
	// bStep is the distance in elements between the steps of the B micro-panel, when it is more
	// than the tile's width: a tile for the edge of C that reads the first columns of the packed
	// micro-panels of a wider tile. 0: the width.
	bStep int
	// masked: the tile takes one more argument, cols, and stores only the first cols columns of
	// each row (AVX-512 masked stores and loads), for the last micro-panel of B when fewer than
	// the tile's columns lie in C.
	masked bool
	why    string // for the doc comment: what the tile is for, when it is not the ISA's plain tile
}

// unroll is how many steps of the loop over k one pass of the main loop does.
const unroll = 4

// lanes is the number of elements in a vector of the given width.
func (t tile) lanes(width int) int { return width / 8 / t.elem.size }

// cols is the width of the tile in elements.
func (t tile) cols() int {
	n := 0
	for _, w := range t.vecs {
		n += t.lanes(w)
	}
	return n
}

// rowBytes is the size of one row of the tile.
func (t tile) rowBytes() int { return t.cols() * t.elem.size }

// step is the distance in elements between the steps of the B micro-panel.
func (t tile) step() int {
	if t.bStep != 0 {
		return t.bStep
	}
	return t.cols()
}

// stepBytes is step in bytes.
func (t tile) stepBytes() int { return t.step() * t.elem.size }

// vecOffset is the byte offset of vector v within a row of the tile.
func (t tile) vecOffset(v int) int {
	o := 0
	for _, w := range t.vecs[:v] {
		o += w / 8
	}
	return o
}

// narrow reports whether vector v is narrower than the ISA's full vectors (a YMM column of an
// AVX-512 tile).
func (t tile) narrow(v int) bool { return t.vecs[v] < t.isa.width }

// layout is the register assignment of a micro-kernel.
type layout struct {
	sums  [][]reg.VecPhysical // sums[i][v]: vector v of row i of the tile
	bcast [2]reg.VecPhysical  // the broadcast A element, alternating between rows (full width)
	b     []reg.VecPhysical   // b[v]: vector v of the current step of B
}

// registers numbers the vector registers of t from 0. A plain tile takes the sums (row by
// row), then the two broadcasts, then the B step. A tile with narrow (YMM) vectors on AVX-512
// first takes the narrow sums, the narrow B vectors and the broadcasts, then the full-width
// sums and B vectors: its YMM multiply-adds then use only registers below 16 and have a VEX
// encoding (FMA3), where Y16-Y31 would need AVX-512VL.
func (t tile) registers() layout {
	var l layout
	l.sums = make([][]reg.VecPhysical, t.rows)
	for i := range l.sums {
		l.sums[i] = make([]reg.VecPhysical, len(t.vecs))
	}
	l.b = make([]reg.VecPhysical, len(t.vecs))
	next := 0
	take := func(width int) reg.VecPhysical {
		r := vec(width, next)
		next++
		return r
	}
	takeSums := func(narrow bool) {
		for i := 0; i < t.rows; i++ {
			for v, w := range t.vecs {
				if t.narrow(v) == narrow {
					l.sums[i][v] = take(w)
				}
			}
		}
	}
	takeB := func(narrow bool) {
		for v, w := range t.vecs {
			if t.narrow(v) == narrow {
				l.b[v] = take(w)
			}
		}
	}
	hasNarrow := false
	for v := range t.vecs {
		hasNarrow = hasNarrow || t.narrow(v)
	}
	if hasNarrow {
		takeSums(true)
		takeB(true)
		l.bcast = [2]reg.VecPhysical{take(t.isa.width), take(t.isa.width)}
		if next > 16 {
			panic(t.name + ": the narrow vectors and the broadcasts need more than 16 registers")
		}
	}
	takeSums(false)
	if !hasNarrow {
		l.bcast = [2]reg.VecPhysical{take(t.isa.width), take(t.isa.width)}
	}
	takeB(false)
	if next > t.isa.regs {
		panic(fmt.Sprintf("%s: needs %d vector registers, %s has %d", t.name, next, t.isa.name, t.isa.regs))
	}
	return l
}

// The general-purpose registers of a micro-kernel.
var (
	aPtr    = reg.RSI // element (0, l) of the A micro-panel
	aPtr9   = reg.RBX // element (9, l) of the A micro-panel, for tiles of more than 9 rows
	rowStep = reg.R9  // rs in bytes
	colStep = reg.R13 // cs in bytes
	bPtr    = reg.RDI // the current step of the packed B micro-panel
	steps   = reg.RCX // steps of k left
	cRow    = reg.RDX // the C row being stored
	cPre    = reg.RAX // the C row being prefetched
	ldcB    = reg.R8  // ldc in bytes
	// multiples[m] holds m*rs in bytes (R9 itself for m = 1).
	multiples = map[int]reg.GPPhysical{1: reg.R9, 3: reg.R10, 5: reg.R11, 7: reg.R12}
)

// rowAddr is the address of element (i, l) of the A micro-panel: base + index*scale, with base
// aPtr (row 0) or aPtr9 (row 9) and index one of the multiples of rs.
type rowAddr struct {
	base  reg.GPPhysical
	index int // the multiple of rs in the index register; 0 for none
	scale uint8
}

func (a rowAddr) mem() operand.Mem {
	m := operand.Mem{Base: a.base}
	if a.index != 0 {
		m.Index, m.Scale = multiples[a.index], a.scale
	}
	return m
}

// rowAddrs addresses the rows of the A micro-panel: row i is aPtr + m*rs*s for a multiple m
// of rs in {1, 3, 5, 7} and a scale s in {1, 2, 4, 8}, else the same from aPtr9 = aPtr + 9*rs.
func (t tile) rowAddrs() []rowAddr {
	addrs := make([]rowAddr, t.rows)
	for i := range addrs {
		found := false
		for _, b := range []struct {
			reg  reg.GPPhysical
			from int
		}{{aPtr, 0}, {aPtr9, 9}} {
			d := i - b.from
			if d == 0 {
				addrs[i], found = rowAddr{base: b.reg}, true
			}
			for _, m := range []int{1, 3, 5, 7} {
				for _, s := range []int{1, 2, 4, 8} {
					if !found && d == m*s {
						addrs[i], found = rowAddr{base: b.reg, index: m, scale: uint8(s)}, true
					}
				}
			}
			if found {
				break
			}
		}
		if !found {
			panic(fmt.Sprintf("%s: row %d of A cannot be addressed", t.name, i))
		}
	}
	return addrs
}

// microKernel emits the micro-kernel t: for each step l of k, it loads the step of B, and for
// each row i broadcasts element (i, l) of A and multiplies-adds it into the row's sums; then it
// adds the sums to the C tile or stores them there. See doc for the loop it computes.
func microKernel(c *build.Context, t tile) {
	l := t.registers()
	addrs := t.rowAddrs()
	usesA9, need := false, map[int]bool{}
	for _, a := range addrs {
		usesA9 = usesA9 || a.base == aPtr9
		need[a.index] = true
	}
	need[3] = need[3] || need[7] // 7*rs is made from 3*rs
	e := t.elem

	c.Function(t.name)
	c.Attributes(attr.NOSPLIT)
	c.Doc(t.doc()...)
	c.Pragma("noescape")
	sig := fmt.Sprintf("func(a []%[1]s, rs, cs int, b, c []%[1]s, k, ldc int, add bool)", e.name)
	if t.masked {
		if t.isa != avx512 || t.cols() > 32 || t.elem != f32 {
			panic(t.name + ": masked columns only for float32 AVX-512 tiles of up to 32 columns")
		}
		sig = strings.TrimSuffix(sig, ")") + ", cols int)"
	}
	c.SignatureExpr(sig)
	c.Comment(t.registerComment(l, addrs)...)

	c.Load(c.Param("a").Base(), aPtr)
	c.Load(c.Param("rs"), rowStep)
	c.Load(c.Param("cs"), colStep)
	c.Load(c.Param("b").Base(), bPtr)
	c.Load(c.Param("c").Base(), cRow)
	c.Load(c.Param("k"), steps)
	c.Load(c.Param("ldc"), ldcB)
	c.SHLQ(operand.U8(e.shift()), ldcB)
	c.SHLQ(operand.U8(e.shift()), rowStep)
	c.SHLQ(operand.U8(e.shift()), colStep)
	if need[3] {
		c.LEAQ(operand.Mem{Base: rowStep, Index: rowStep, Scale: 2}, multiples[3])
	}
	if need[5] {
		c.LEAQ(operand.Mem{Base: rowStep, Index: rowStep, Scale: 4}, multiples[5])
	}
	if need[7] {
		c.LEAQ(operand.Mem{Base: multiples[3], Index: rowStep, Scale: 4}, multiples[7])
	}
	if usesA9 {
		c.LEAQ(operand.Mem{Base: rowStep, Index: rowStep, Scale: 8}, aPtr9)
		c.ADDQ(aPtr, aPtr9)
	}

	// Zero the sums, in register order: ZMM with VPXORD, YMM with VPXOR on AVX2 and with VXORPS
	// (AVX) on AVX-512, where VPXOR would add AVX2 to what the kernel needs.
	var zero []reg.VecPhysical
	for _, row := range l.sums {
		zero = append(zero, row...)
	}
	sortRegs(zero)
	c.Comment("Zero the sums.")
	for _, r := range zero {
		switch {
		case r.Size() == 64:
			c.VPXORD(r, r, r)
		case t.isa.width == 256:
			c.VPXOR(r, r, r)
		default:
			c.VXORPS(r, r, r)
		}
	}

	// Prefetch the C tile: one line per whole 64 bytes of a row from its start, and the line of
	// its last element.
	c.Comment("Ask for the C tile now, so that it is in L1 when the sums are added to it.")
	c.MOVQ(cRow, cPre)
	for i := 0; i < t.rows; i++ {
		if i > 0 {
			c.ADDQ(ldcB, cPre)
		}
		for o := 0; o+64 <= t.rowBytes(); o += 64 {
			c.PREFETCHT0(operand.Mem{Base: cPre, Disp: o})
		}
		c.PREFETCHT0(operand.Mem{Base: cPre, Disp: t.rowBytes() - e.size})
	}

	// The loop over k: unroll steps at a time, then one at a time.
	step := func(bo int) {
		for v := range t.vecs {
			e.move(c, operand.Mem{Base: bPtr, Disp: bo + t.vecOffset(v)}, l.b[v])
		}
		for i := 0; i < t.rows; i++ {
			bc := l.bcast[i%2]
			e.broadcast(c, addrs[i].mem(), bc)
			for v, w := range t.vecs {
				e.fma(c, l.b[v], asWidth(bc, w), l.sums[i][v])
			}
		}
		c.ADDQ(colStep, aPtr)
		if usesA9 {
			c.ADDQ(colStep, aPtr9)
		}
	}
	kLoop(c, step, t.stepBytes())

	// The epilogue: C += sums, or C = sums, row by row.
	c.Label("store")
	// masks[v]: the mask of the columns of vector v that lie in C (masked tiles).
	var masks []reg.OpmaskPhysical
	if t.masked {
		masks = []reg.OpmaskPhysical{reg.K1, reg.K2}[:len(t.vecs)]
		c.Comment("The masks of the first cols columns: K1 for columns 0-15, K2 for 16-31.")
		c.Load(c.Param("cols"), reg.RCX)
		c.MOVL(operand.U32(1), cPre.As32())
		c.SHLQ(reg.CL, cPre)
		c.DECQ(cPre)
		for v, k := range masks {
			if v > 0 {
				c.SHRQ(operand.U8(16), cPre)
			}
			c.KMOVW(cPre.As32(), k)
		}
	}
	store := func(i, v int) {
		m := operand.Mem{Base: cRow, Disp: t.vecOffset(v)}
		if t.masked {
			c.VMOVUPS(l.sums[i][v], masks[v], m)
			return
		}
		e.move(c, l.sums[i][v], m)
	}
	c.CMPB(paramAddr(c, "add"), operand.U8(0))
	c.JEQ(operand.LabelRef("overwrite"))
	for i := 0; i < t.rows; i++ {
		for v := range t.vecs {
			m := operand.Mem{Base: cRow, Disp: t.vecOffset(v)}
			if t.masked {
				c.VADDPS_Z(m, l.sums[i][v], masks[v], l.sums[i][v]) // the lanes past cols not read
				continue
			}
			e.add(c, m, l.sums[i][v], l.sums[i][v])
		}
		for v := range t.vecs {
			store(i, v)
		}
		c.ADDQ(ldcB, cRow)
	}
	c.VZEROUPPER()
	c.RET()
	c.Label("overwrite")
	for i := 0; i < t.rows; i++ {
		for v := range t.vecs {
			store(i, v)
		}
		c.ADDQ(ldcB, cRow)
	}
	c.VZEROUPPER()
	c.RET()
}

// kLoop emits the loop over k of a micro-kernel: unroll steps a pass (step(bo) emits one, with its
// B step bo bytes into the pass), then one at a time, advancing bPtr by stepBytes a step; it
// counts down steps and ends at the label "store".
func kLoop(c *build.Context, step func(bo int), stepBytes int) {
	c.Commentf("The loop over k, %d steps at a time, then one at a time.", unroll)
	c.CMPQ(steps, operand.U8(unroll))
	c.JB(operand.LabelRef("steps1"))
	c.Label("steps4")
	for s := range unroll {
		step(s * stepBytes)
	}
	c.ADDQ(imm(unroll*stepBytes), bPtr)
	c.SUBQ(operand.U8(unroll), steps)
	c.CMPQ(steps, operand.U8(unroll))
	c.JAE(operand.LabelRef("steps4"))
	c.Label("steps1")
	c.TESTQ(steps, steps)
	c.JZ(operand.LabelRef("store"))
	step(0)
	c.ADDQ(imm(stepBytes), bPtr)
	c.DECQ(steps)
	c.JMP(operand.LabelRef("steps1"))
}

// nextRow ends the loop over the rows of a packer: src and dst advance by a row (ld and piece
// bytes), rows counts down, and the function returns after VZEROUPPER.
func nextRow(c *build.Context, dst, src, ld, rows reg.GPPhysical, piece int) {
	c.ADDQ(operand.U32(piece), dst)
	c.ADDQ(ld, src)
	c.DECQ(rows)
	c.JNZ(operand.LabelRef("row"))
	c.Label("done")
	c.VZEROUPPER()
	c.RET()
}

// imm is the constant n as an 8-bit immediate where it fits, else a 32-bit one (the assembler
// picks the encoding from the value either way).
func imm(n int) operand.Constant {
	if n < 256 {
		return operand.U8(n)
	}
	return operand.U32(n)
}

func sortRegs(r []reg.VecPhysical) {
	for i := 1; i < len(r); i++ {
		for j := i; j > 0 && r[j].PhysicalIndex() < r[j-1].PhysicalIndex(); j-- {
			r[j], r[j-1] = r[j-1], r[j]
		}
	}
}

// registerComment describes the register assignment at the top of the function body.
func (t tile) registerComment(l layout, addrs []rowAddr) []string {
	lines := []string{
		fmt.Sprintf("%d x %d tile of C, %s per row.", t.rows, t.cols(), t.rowShape()),
		"Registers:",
		fmt.Sprintf("  %s  element (0, l) of the A micro-panel at the current step l", aPtr.Asm()),
	}
	for i, a := range addrs {
		if a.base == aPtr9 && a.index == 0 {
			lines = append(lines, fmt.Sprintf("  %s  element (%d, l)", aPtr9.Asm(), i))
		}
	}
	ms := []string{}
	for _, m := range []int{3, 5, 7} {
		for _, a := range addrs {
			if a.index == m || (m == 3 && a.index == 7) {
				sep := ", "
				if len(ms) == 0 {
					sep = "; "
				}
				ms = append(ms, fmt.Sprintf("%s%s = %d*rs", sep, multiples[m].Asm(), m))
				break
			}
		}
	}
	lines = append(lines,
		fmt.Sprintf("  %s  the A row stride rs in bytes%s", rowStep.Asm(), strings.Join(ms, "")),
		fmt.Sprintf("  %s  the A step stride cs in bytes", colStep.Asm()),
		t.bComment(),
		fmt.Sprintf("  %s  steps (of k) left", steps.Asm()),
		fmt.Sprintf("  %s  the C row being stored; %s the C row being prefetched", cRow.Asm(), cPre.Asm()),
		fmt.Sprintf("  %s  ldc in bytes", ldcB.Asm()),
	)
	for _, s := range t.sumsComment(l) {
		lines = append(lines, "  "+s)
	}
	lines = append(lines,
		fmt.Sprintf("  %s, %s  the A element of the row, broadcast (alternating between rows)",
			l.bcast[0].Asm(), l.bcast[1].Asm()))
	for v, w := range t.vecs {
		if t.narrow(v) {
			lines = append(lines, fmt.Sprintf("          (%s, %s for the %s columns)",
				asWidth(l.bcast[0], w).Asm(), asWidth(l.bcast[1], w).Asm(), vecName(w)))
			break
		}
	}
	var bs []string
	for _, r := range l.b {
		bs = append(bs, r.Asm())
	}
	lines = append(lines, fmt.Sprintf("  %s  the B step", strings.Join(bs, ", ")))
	return lines
}

// bComment describes the B pointer's register.
func (t tile) bComment() string {
	if t.step() == t.cols() {
		return fmt.Sprintf("  %s  the packed B micro-panel at the current step (%d elements, %d bytes, per step)",
			bPtr.Asm(), t.cols(), t.rowBytes())
	}
	return fmt.Sprintf("  %s  the packed B micro-panel at the current step (the first %d of %d elements, %d bytes, per step)",
		bPtr.Asm(), t.cols(), t.step(), t.stepBytes())
}

// sumsComment describes the registers of the sums, e.g. "Y0-Y11  the sums of row i: columns
// 0-7 in Y(2*i), 8-15 in Y(1+2*i)", on two lines if it is long.
func (t tile) sumsComment(l layout) []string {
	var ranges, cols []string
	for _, w := range []int{512, 256} {
		var regs []reg.VecPhysical
		for _, row := range l.sums {
			for v, r := range row {
				if t.vecs[v] == w {
					regs = append(regs, r)
				}
			}
		}
		if len(regs) > 0 {
			sortRegs(regs)
			ranges = append(ranges, regs[0].Asm()+"-"+regs[len(regs)-1].Asm())
		}
	}
	for v, w := range t.vecs {
		first := t.vecOffset(v) / t.elem.size
		cols = append(cols, fmt.Sprintf("%d-%d in %s", first, first+t.lanes(w)-1, regStride(l, v)))
	}
	head := strings.Join(ranges, ", ") + "  the sums of row i:"
	if line := head + " columns " + strings.Join(cols, ", "); len(line) <= 90 {
		return []string{line}
	}
	return []string{head, "      columns " + strings.Join(cols, ", ")}
}

// regStride names the register of vector v of row i, e.g. "Z(9+3*i)".
func regStride(l layout, v int) string {
	r0 := l.sums[0][v]
	name := r0.Asm()[:1]
	stride := 0
	if len(l.sums) > 1 {
		stride = int(l.sums[1][v].PhysicalIndex()) - int(r0.PhysicalIndex())
	}
	i := "i"
	if stride != 1 {
		i = fmt.Sprintf("%d*i", stride)
	}
	if r0.PhysicalIndex() == 0 {
		return fmt.Sprintf("%s(%s)", name, i)
	}
	return fmt.Sprintf("%s(%d+%s)", name, r0.PhysicalIndex(), i)
}

// rowShape describes the vectors of a row, e.g. "2 ZMM" or "3 ZMM and 1 YMM".
func (t tile) rowShape() string {
	var parts []string
	for i := 0; i < len(t.vecs); {
		j := i
		for j < len(t.vecs) && t.vecs[j] == t.vecs[i] {
			j++
		}
		parts = append(parts, fmt.Sprintf("%d %s", j-i, vecName(t.vecs[i])))
		i = j
	}
	return strings.Join(parts, " and ")
}

// rowColumns describes the vectors of a row with their columns, e.g. "3 ZMM of 16 columns and 1
// YMM of 8 columns".
func (t tile) rowColumns() string {
	var parts []string
	for i := 0; i < len(t.vecs); {
		j := i
		for j < len(t.vecs) && t.vecs[j] == t.vecs[i] {
			j++
		}
		parts = append(parts, fmt.Sprintf("%d %s of %d columns", j-i, vecName(t.vecs[i]), t.lanes(t.vecs[i])))
		i = j
	}
	return strings.Join(parts, " and ")
}

func vecName(width int) string {
	if width == 256 {
		return "YMM"
	}
	return "ZMM"
}
