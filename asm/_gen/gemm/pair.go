package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/attr"
	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// The 8 x 50 float32 AVX-512 tile: three ZMM registers of 16 columns per row for columns 0-47,
// and the last two columns of all 8 rows in one more ZMM register (columns 48 of rows 0-7 in lanes
// 0-7, column 49 in lanes 8-15), so that a product 50 columns wide, as in a neural network's
// layer of 50 units, costs 25 multiply-adds per step of 8 rows, every lane of them used, where
// 32-column tiles pad it to 64 columns (32 multiply-adds for the same work). Each step reads the
// 8 elements of A's step once more, as one 256-bit load broadcast to both halves of a register
// (A must be stored step by step: rs = 1), and its packed B step holds, after columns 0-47,
// column 48 eight times and column 49 eight times.
const (
	pairRows     = 8
	pairCols     = 50
	pairStep     = 64 // elements of a packed B step
	pairName     = "GemmPairF32AVX512"
	pairSkipName = "GemmPairSkipF32AVX512"
	pairPack     = "GemmPackPairF32AVX512"
	pairBytes    = pairStep * 4
)

// pairKernel emits GemmPairF32AVX512 (rows = 8), or its top rows (4, for the last micro-panel of A
// when at most 4 of its rows lie in C: GemmPairF32AVX512R4); with skip, GemmPairSkipF32AVX512 and
// GemmPairSkipF32AVX512R4, the same tiles passing over the steps of A that are all +0.
func pairKernel(c *build.Context, rows int, skip bool) {
	name := pairName
	if skip {
		name = pairSkipName
	}
	if rows != pairRows {
		name = fmt.Sprintf("%sR%d", name, rows)
	}
	c.Function(name)
	if !skip {
		c.Attributes(attr.NOSPLIT) // the skipping kernels have a frame (their list of steps)
	}
	if skip {
		c.Doc(pairSkipDoc(name, rows)...)
	} else if rows != pairRows {
		c.Doc(comment(
			fmt.Sprintf("%s is the top %d rows of %s, for the last micro-panel of A when at most %d of its "+
				"rows lie in C: it computes rows 0-%d of %s's tile with the same operations in the "+
				"same order, and reads and writes only those rows of c (len(c) >= %d*ldc+50); it still reads "+
				"the 8 elements a[l*cs : l*cs+8] of each step. Everything else is as %s says.",
				name, rows, pairName, rows, rows-1, pairName, rows-1, pairName),
		)...)
	} else {
		c.Doc(pairDoc()...)
	}
	c.Pragma("noescape")
	c.SignatureExpr("func(a []float32, rs, cs int, b, c []float32, k, ldc int, add bool)")
	pairBody(c, rows, skip)
}

// pairSkipDoc is the doc comment of GemmPairSkipF32AVX512 (rows = 8) and its R4 variant.
func pairSkipDoc(name string, rows int) []string {
	like := pairName
	if rows != pairRows {
		like = fmt.Sprintf("%sR%d", pairName, rows)
	}
	return comment(
		fmt.Sprintf("%s is %s passing over the steps l whose 8 elements a[l*cs : l*cs+8] are all +0 "+
			"(every bit clear), as a product whose A is mostly zero has many: the pixels of the MNIST "+
			"images, 81%% zero, leave half the steps of an 8-row micro-panel and 60%% of 8 neighbouring "+
			"pixels' steps all zero. It computes", name, like),
		`	for l := 0; l < k; l++ {
		if all of a[l*cs : l*cs+8] are +0 {
			continue
		}
		for i := 0; i < rows; i++ {
			for j := 0; j < 50; j++ {
				sum[i][j] += a[i+l*cs] * b[l*64+col(j)]
			}
		}
	}`,
		fmt.Sprintf("with rows = %d and the rest as %s says. The multiply-adds it leaves out add +0·b, "+
			"so the result has the bits of %s's wherever every skipped b is finite, but for the sign of "+
			"a zero sum (-0 there, +0 from %s): the caller gives it only B blocks with no Inf or NaN. "+
			"The kernel first tests %d steps spread over the depth (steps i*(k/%d), none where k < %d); if none is all +0 it runs "+
			"%s's loop over every step. Otherwise it lists the steps that are not all +0 (a test and a "+
			"store per step, up to 1024 steps at a time, into its stack frame) and multiplies only "+
			"those, each read through its index: the MNIST book net (784-50-10, 10,000 batches of 100), "+
			"whose two large products go through this tile, trained in 1.26 s instead of 1.95 on AMD "+
			"Zen 4 (medians of 5). It requires AVX-512F, DQ and VL.", rows, like, like, like, probeSteps, probeSteps, probeSteps, like),
	)
}

// pairDoc is the doc comment of GemmPairF32AVX512.
func pairDoc() []string {
	return comment(
		pairName+" is a GEMM micro-kernel for products 50 columns wide: it multiplies an A micro-panel "+
			"(8 rows, stored step by step: rs = 1) by a packed B micro-panel into an 8 x 50 tile of C. It computes",
		`	const mr, nr = 8, 50
	for i := 0; i < mr; i++ {
		for j := 0; j < nr; j++ {
			var s float32
			for l := 0; l < k; l++ {
				s += a[i+l*cs] * b[l*64+col(j)]
			}
			if add {
				c[i*ldc+j] += s
			} else {
				c[i*ldc+j] = s
			}
		}
	}`,
		"where col(j) is j for j < 48, 48 for j = 48 and 56 for j = 49 (the packed step, 64 elements, "+
			"holds columns 0-47, then column 48 eight times, then column 49 eight times; "+pairPack+
			" writes it), with each product added by a fused multiply-add (rounded once, as math.FMA "+
			"rounds); that and the order of the additions, which is the order of l, are the only "+
			"differences, so that it gives the bits of GemmF32AVX512 for the same depth blocks. The sums "+
			"of columns 0-47 are kept in 24 ZMM registers; those of columns 48 and 49 of all 8 rows in one "+
			"more, multiplied by the step of A read once more as 8 elements broadcast to both of its "+
			"halves, so that the 50 columns take 25 multiply-adds per step, where a 32-column tile spends "+
			"32 on them.",
		"Contract: rs is ignored (1); a[i+l*cs] lies in a for i < 8, l < k; len(b) >= 64*k; "+
			"len(c) >= 7*ldc+50; ldc >= 50; k >= 0 (k == 0 stores zeros, or adds nothing). The kernel "+
			"reads and writes exactly the 8 x 50 tile of c and reads only those elements of a and b; it "+
			"does not check the lengths, so a tile at the edge of C must be computed into an 8 x 50 "+
			"scratch tile and copied out by the caller. c must not overlap a or b. No alignment is needed. "+
			"It requires AVX-512F, DQ and VL.",
	)
}

// pairBody emits the instructions of the pair kernel of rows rows (with skip, the loop over the
// steps of skipLoop).
func pairBody(c *build.Context, rows int, skip bool) {
	var (
		cs    = reg.R13 // cs in bytes (aPtr, bPtr, steps and cRow are the micro-kernels')
		cBase = reg.R10
		ldc   = reg.R8
		z     = func(i int) reg.VecPhysical { return vec(512, i) }
		sum   = func(i, v int) reg.VecPhysical { return z(3*i + v) } // Z0-Z23
		pair  = z(24)
		bv    = func(v int) reg.VecPhysical { return z(25 + v) } // Z25-Z27
		bPair = z(28)
		bc    = [2]reg.VecPhysical{z(29), z(30)}
		aDup  = z(31)
	)
	c.Comment(
		fmt.Sprintf("%d x 50 tile of C. Registers:", rows),
		"  SI  element (0, l) of the A micro-panel at the current step l (rows i at SI + 4*i)",
		"  R13  the A step stride cs in bytes",
		fmt.Sprintf("  DI  the packed B micro-panel at the current step (%d elements, %d bytes, per step)", pairStep, pairBytes),
		"  CX  steps (of k) left; DX  the C row being stored; R10  row 0 of C; R8  ldc in bytes",
		fmt.Sprintf("  Z0-Z%d  the sums of row i: columns 0-15 in Z(3*i), 16-31 in Z(1+3*i), 32-47 in Z(2+3*i)", 3*rows-1),
		"  Z24  the sums of columns 48 (lanes 0-7, row i in lane i) and 49 (lanes 8-15, row i in lane 8+i)",
		"  Z25-Z27  the B step, columns 0-47; Z28  column 48 eight times, then column 49 eight times",
		"  Z29, Z30  the A element of the row, broadcast (alternating between rows)",
		"  Z31  the 8 elements of the A step, in both halves",
	)
	c.Load(c.Param("a").Base(), aPtr)
	c.Load(c.Param("cs"), cs)
	c.Load(c.Param("b").Base(), bPtr)
	c.Load(c.Param("c").Base(), cBase)
	c.Load(c.Param("k"), steps)
	c.Load(c.Param("ldc"), ldc)
	c.SHLQ(operand.U8(2), ldc)
	c.SHLQ(operand.U8(2), cs)
	c.Comment("Zero the sums.")
	for i := 0; i < 3*rows; i++ {
		c.VPXORD(z(i), z(i), z(i))
	}
	c.VPXORD(pair, pair, pair)
	// Prefetch the C tile, as the other micro-kernels do: in a product whose C is larger than L2
	// (a layer's 4320 x 100 weight gradient) the tile's lines would otherwise arrive one by one
	// while the sums are stored. Offsets 64 bytes apart from the row's start, then its last
	// element, so that every line of the 200-byte row holds one of them.
	c.Comment("Ask for the C tile now, so that it is in L1 when the sums are stored.")
	c.MOVQ(cBase, cRow)
	for i := range rows {
		if i > 0 {
			c.ADDQ(ldc, cRow)
		}
		for _, o := range []int{0, 64, 128, 192, 4*pairCols - 4} {
			c.PREFETCHT0(operand.Mem{Base: cRow, Disp: o})
		}
	}
	step := func(bo int) {
		for v := range 3 {
			c.VMOVUPS(operand.Mem{Base: bPtr, Disp: bo + 64*v}, bv(v))
		}
		c.VMOVUPS(operand.Mem{Base: bPtr, Disp: bo + 192}, bPair)
		c.VBROADCASTF32X8(operand.Mem{Base: aPtr}, aDup)
		c.VFMADD231PS(bPair, aDup, pair)
		for i := range rows {
			c.VBROADCASTSS(operand.Mem{Base: aPtr, Disp: 4 * i}, bc[i%2])
			for v := range 3 {
				c.VFMADD231PS(bv(v), bc[i%2], sum(i, v))
			}
		}
		c.ADDQ(cs, aPtr)
	}
	if skip {
		skipLoop(c, step, cs)
	} else {
		kLoop(c, step, pairBytes)
	}

	// The epilogue. Columns 48 and 49 first become pairs per row: Y25 = columns 48 of rows 0-7,
	// Y26 = columns 49; their unpacking puts rows 0, 1 | 4, 5 in Y27 and rows 2, 3 | 6, 7 in Y28,
	// each row's two columns side by side.
	c.Label("store")
	c.Comment("Columns 48 and 49 as pairs: rows 0, 1 | 4, 5 in Y27, rows 2, 3 | 6, 7 in Y28.")
	c.VEXTRACTF32X8(operand.U8(1), pair, bv(1).AsY())
	c.VUNPCKLPS(bv(1).AsY(), pair.AsY(), bv(2).AsY())
	c.VUNPCKHPS(bv(1).AsY(), pair.AsY(), bPair.AsY())
	halves := []struct {
		src  reg.VecPhysical
		high bool
	}{{bv(2), false}, {bPair, false}, {bv(2), true}, {bPair, true}}[:rows/2] // rows 0-1, 2-3, 4-5, 6-7
	x := bc[0].AsX()
	old := bc[1].AsX()
	add := paramAddr(c, "add")
	epilogue := func(adding bool) {
		c.MOVQ(cBase, cRow)
		for i := range rows {
			for v := range 3 {
				m := operand.Mem{Base: cRow, Disp: 64 * v}
				if adding {
					c.VADDPS(m, sum(i, v), sum(i, v))
				}
				c.VMOVUPS(sum(i, v), m)
			}
			c.ADDQ(ldc, cRow)
		}
		c.MOVQ(cBase, cRow)
		for _, h := range halves {
			if h.high {
				c.VEXTRACTF32X4(operand.U8(1), h.src.AsY(), x)
			} else {
				c.VMOVAPS(h.src.AsX(), x)
			}
			m0 := operand.Mem{Base: cRow, Disp: 48 * 4}
			m1 := operand.Mem{Base: cRow, Index: ldc, Scale: 1, Disp: 48 * 4}
			if adding {
				c.VMOVSD(m0, old)
				c.VMOVHPS(m1, old, old)
				c.VADDPS(old, x, x)
			}
			c.VMOVLPS(x, m0)
			c.VMOVHPS(x, m1)
			c.LEAQ(operand.Mem{Base: cRow, Index: ldc, Scale: 2}, cRow)
		}
		c.VZEROUPPER()
		c.RET()
	}
	c.CMPB(add, operand.U8(0))
	c.JEQ(operand.LabelRef("overwrite"))
	epilogue(true)
	c.Label("overwrite")
	epilogue(false)
}

// pairPacker emits GemmPackPairF32AVX512, the packer of GemmPairF32AVX512's B micro-panels.
func pairPacker(c *build.Context) {
	var (
		dst = reg.RDI
		src = reg.RSI
		ld  = reg.R8
		k   = reg.R11
		cnt = reg.RCX
		m   = reg.RAX
	)
	c.Function(pairPack)
	c.Attributes(attr.NOSPLIT)
	c.Doc(comment(
		pairPack+" packs the k x cnt block (cnt <= 50) of a matrix stored row by row (rows ld apart) "+
			"into one micro-panel of GemmPairF32AVX512, 64 elements a step. It computes",
		`	finite = true
	for l := 0; l < k; l++ {
		for j := 0; j < 64; j++ {
			c := j // the column step l's element j holds: 0-47, then 48 eight times, 49 eight times
			if j >= 48 {
				c = 48 + (j-48)/8
			}
			var v float32 // 0 past the row
			if c < cnt {
				v = src[l*ld+c]
			}
			dst[l*64+j] = v
			if math.IsInf(float64(v), 0) || v != v {
				finite = false
			}
		}
	}
	return finite`,
		"exactly (a copy), with masked loads, so that no element past a row is read; finite tells "+
			"the driver whether it may give the block to "+pairSkipName+" (a multiply-add by x·0, "+
			"NaN for x Inf or NaN, on each vector copied).",
		"Contract: 0 <= cnt <= 50; k >= 0; ld >= cnt; src[l*ld+j] lies in src for l < k, j < cnt; "+
			"len(dst) >= 64*k. It writes only those elements of dst and does not check the lengths. dst "+
			"must not overlap src. It requires AVX-512F.",
	)...)
	c.Pragma("noescape")
	c.SignatureExpr("func(dst, src []float32, ld, cnt, k int) (finite bool)")
	c.Comment(
		"Registers: DI  step l of dst; SI  row l of src; R8  ld in bytes; R11  rows left;",
		"  Z4  the sum of every element copied times 0 (NaN once one is Inf or NaN); Z5  0;",
		"  K1-K3  the columns of 0-47 in the row (16 each); K4  lanes 0-7 where column 48 is,",
		"  K5  lanes 8-15 where column 49 is; Z0-Z3  a step",
	)
	c.Load(c.Param("dst").Base(), dst)
	c.Load(c.Param("src").Base(), src)
	c.Load(c.Param("ld"), ld)
	c.Load(c.Param("cnt"), cnt)
	c.Load(c.Param("k"), k)
	c.VPXORD(reg.Z4, reg.Z4, reg.Z4)
	c.VPXORD(reg.Z5, reg.Z5, reg.Z5)
	c.TESTQ(k, k)
	c.JZ(operand.LabelRef("done"))
	c.SHLQ(operand.U8(2), ld)
	c.Comment("K1-K3: (1<<min(cnt, 48))-1 in three pieces of 16 bits.")
	c.MOVQ(cnt, reg.RDX)
	c.CMPQ(cnt, operand.U8(48))
	c.JBE(operand.LabelRef("low"))
	c.MOVQ(operand.U32(48), cnt)
	c.Label("low")
	c.MOVL(operand.U32(1), m.As32())
	c.SHLQ(reg.CL, m)
	c.DECQ(m)
	for _, kr := range []reg.Register{reg.K1, reg.K2, reg.K3} {
		c.KMOVW(m.As32(), kr)
		c.SHRQ(operand.U8(16), m)
	}
	c.Comment("K4 = 0x00ff if column 48 is in the row, K5 = 0xff00 if column 49 is.")
	c.XORL(m.As32(), m.As32())
	c.CMPQ(reg.RDX, operand.U8(49))
	c.JB(operand.LabelRef("k4"))
	c.MOVL(operand.U32(0xff), m.As32())
	c.Label("k4")
	c.KMOVW(m.As32(), reg.K4)
	c.XORL(m.As32(), m.As32())
	c.CMPQ(reg.RDX, operand.U8(50))
	c.JB(operand.LabelRef("k5"))
	c.MOVL(operand.U32(0xff00), m.As32())
	c.Label("k5")
	c.KMOVW(m.As32(), reg.K5)

	c.Label("row")
	for v, kr := range []reg.Register{reg.K1, reg.K2, reg.K3} {
		c.VMOVUPS_Z(operand.Mem{Base: src, Disp: 64 * v}, kr, vec(512, v))
	}
	c.VBROADCASTSS_Z(operand.Mem{Base: src, Disp: 48 * 4}, reg.K4, reg.Z3)
	c.VBROADCASTSS(operand.Mem{Base: src, Disp: 49 * 4}, reg.K5, reg.Z3)
	for v := range 4 {
		c.VMOVUPS(vec(512, v), operand.Mem{Base: dst, Disp: 64 * v})
		c.VFMADD231PS(vec(512, v), reg.Z5, reg.Z4) // x·0: NaN where x is Inf or NaN
	}
	c.ADDQ(operand.U32(pairBytes), dst)
	c.ADDQ(ld, src)
	c.DECQ(k)
	c.JNZ(operand.LabelRef("row"))
	c.Label("done")
	c.Comment("finite: no lane of Z4 is NaN.")
	c.VCMPPS(operand.U8(3), reg.Z4, reg.Z4, reg.K6) // unordered
	c.KORTESTW(reg.K6, reg.K6)
	c.SETEQ(reg.AL)
	c.VZEROUPPER()
	c.Store(reg.AL, c.ReturnIndex(0))
	c.RET()
}

// skipChunk is how many steps the skipping pair kernels list at a time, and probeSteps how many
// they test first, k/probeSteps apart from step 0 (spread over the depth block: where only the
// first steps were tested, the depth blocks of a product over MNIST's 784 pixels that begin in the
// middle of an image found no all-zero step among them and ran every step, though a third of
// their steps were all zero).
const (
	skipChunk  = 1024
	probeSteps = 8
)

// skipLoop emits the loop over k of the skipping pair kernels: a probe of probeSteps steps spread
// over the depth, then kLoop where none of them is all +0, else the steps that are not, listed skipChunk at a time.
// It uses AX, BX, DX, R9, R11, R12, K1 and Z31 (aDup, loaded again by every step) besides the
// loop's registers, and leaves at "store" as kLoop does.
func skipLoop(c *build.Context, step func(bo int), cs reg.GPPhysical) {
	frame := c.AllocLocal(4*skipChunk + 8)
	list := func(i reg.GPPhysical) operand.Mem {
		return operand.Mem{Base: frame.Base, Disp: frame.Disp, Index: i, Scale: 4}
	}
	left := operand.Mem{Base: frame.Base, Disp: frame.Disp + 4*skipChunk} // steps after this chunk
	var (
		l     = reg.RAX // a step
		t     = reg.RBX // scratch
		span  = reg.RDX // the steps of this chunk
		bBase = reg.R9  // step 0 of the chunk in B
		n     = reg.R11 // the steps listed
		aBase = reg.R12 // step 0 of the chunk in A
	)
	// testStep sets K1 to the lanes of the 8 elements of A at m that are not +0 (Y31 scratch).
	testStep := func(m operand.Mem) {
		c.VMOVUPS(m, reg.Y31)
		c.VPTESTMD(reg.Y31, reg.Y31, reg.K1)
	}
	c.Commentf("The probe: the plain loop unless one of the %d steps i*(k/%d) is all +0 (none if k < %d).", probeSteps, probeSteps, probeSteps)
	c.CMPQ(steps, operand.U8(probeSteps))
	c.JB(operand.LabelRef("dense"))
	if probeSteps != 8 {
		panic("the probe's stride is k >> 3")
	}
	c.MOVQ(steps, span)
	c.SHRQ(operand.U8(3), span)
	c.IMULQ(cs, span) // the probe's stride in bytes
	c.MOVQ(aPtr, t)
	for i := range probeSteps {
		if i > 0 {
			c.ADDQ(span, t)
		}
		testStep(operand.Mem{Base: t})
		c.KORTESTW(reg.K1, reg.K1)
		c.JZ(operand.LabelRef("sparse")) // all +0
	}
	c.Label("dense")
	kLoop(c, step, pairBytes)

	c.Label("sparse")
	c.MOVQ(aPtr, aBase)
	c.MOVQ(bPtr, bBase)
	c.Label("chunk")
	c.Comment("List the steps of the next chunk that are not all +0.")
	c.TESTQ(steps, steps)
	c.JZ(operand.LabelRef("store"))
	c.MOVQ(steps, span)
	c.CMPQ(span, operand.U32(skipChunk))
	c.JBE(operand.LabelRef("spanned"))
	c.MOVL(operand.U32(skipChunk), span.As32())
	c.Label("spanned")
	c.SUBQ(span, steps)
	c.MOVQ(steps, left)
	c.XORL(n.As32(), n.As32())
	c.XORL(l.As32(), l.As32())
	c.MOVQ(aBase, aPtr)
	c.Label("scan")
	testStep(operand.Mem{Base: aPtr})
	c.MOVL(l.As32(), list(n)) // written always, kept where the step is not all +0
	c.KMOVW(reg.K1, t.As32())
	c.NEGL(t.As32()) // CF: not all +0
	c.ADCQ(operand.U8(0), n)
	c.ADDQ(cs, aPtr)
	c.INCQ(l)
	c.CMPQ(l, span)
	c.JB(operand.LabelRef("scan"))
	c.Comment("Multiply the listed steps: A at aBase + l*cs, B at bBase + l*" + fmt.Sprint(pairBytes) + ".")
	c.XORL(t.As32(), t.As32())
	c.Label("run")
	c.CMPQ(t, n)
	c.JAE(operand.LabelRef("ran"))
	c.MOVL(list(t), l.As32())
	c.MOVQ(l, steps)
	c.IMULQ(cs, l)
	c.LEAQ(operand.Mem{Base: aBase, Index: l, Scale: 1}, aPtr)
	c.SHLQ(operand.U8(8), steps) // pairBytes = 256
	c.LEAQ(operand.Mem{Base: bBase, Index: steps, Scale: 1}, bPtr)
	step(0)
	c.INCQ(t)
	c.JMP(operand.LabelRef("run"))
	c.Label("ran")
	c.MOVQ(span, t)
	c.IMULQ(cs, t)
	c.ADDQ(t, aBase)
	c.SHLQ(operand.U8(8), span)
	c.ADDQ(span, bBase)
	c.MOVQ(left, steps)
	c.JMP(operand.LabelRef("chunk"))
}
