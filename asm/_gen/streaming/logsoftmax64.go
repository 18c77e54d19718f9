package main

import (
	"math"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// LogSoftmax's float64 method (LogSoftmaxF64AVX512, LogSoftmaxF64AVX2), row by row in three
// passes:
//
//  1. m = the row's maximum (VMAXPD, four accumulators; masked-off lanes -Inf).
//  2. d = x - m rounded, as the reference rounds it, and S = the sum of e^d over the whole row,
//     from the float64 exp core (expcore64.go: each term within about 0.52 ULP). The terms
//     equal to 1 (those of the maximal elements) are counted, the others summed exactly but
//     for the rounding of the terms: each addition's rounding error, from TwoSum, goes into a
//     second sum (whose own roundings are below 2^-100 of S); the lanes are then added
//     pairwise with TwoSum likewise, and S = hi + lo from a last TwoSum with the count. A NaN
//     or +Inf in the row, or a row of -Inf only, makes some d a NaN, and S a NaN. d is
//     clamped to -1100, and the terms scaled by 2^n with one rounding, down through the
//     subnormals to 0 (VSCALEFPD; AVX2 two normal factors 2^floor(n/2)·2^(n-floor(n/2)), the
//     first product exact): where one entry dominates, a sum of subnormal terms is the
//     result's own size.
//  3. lse = ln S = ln hi + lo/hi, by the ln core (logcore64.go, within 1 ULP) with lo/hi as its
//     low term: where one entry dominates, hi = 1 and lse = lo, the sum of the small terms
//     itself, so the maximal element gets -lo rather than -0; NaN where S is a NaN (the core
//     would make a number of it: S - S is added). Each element becomes (x - m) - lse.
//
// d - lse does not cancel (d <= 0 <= lse) and lse is within about 1.5 ULP, so each element is
// within about 2 ULP of the exact log-softmax of the rounded d (the reference's).

// ls64Lo is the clamp of d: e^-1100 scales to 0, as every e^d below -745.14 does.
const ls64Lo = -1100.0

// genLogSoftmax64 emits LogSoftmaxF64AVX512 and LogSoftmaxF64AVX2 (see the method above).
func genLogSoftmax64(c *build.Context) {
	tab := newConsts("logsoftmax64c")
	for _, v := range variants[2:] {
		f := newFn(c, "LogSoftmax", v, "func(dst, src []T, cols int)")
		f.doc(
			f.Name+" treats src as rows of cols elements and sets each row of dst to x - max - "+
				"log(sum(e^(x - max))) over that row, as the loop",
			"\tfor r := 0; r+cols <= len(src); r += cols {\n\t\trow := src[r : r+cols]\n"+
				"\t\tm := slices.Max(row)\n\t\tvar s float64\n\t\tfor _, x := range row {\n"+
				"\t\t\ts += math.Exp(x - m)\n\t\t}\n\t\tfor i, x := range row {\n"+
				"\t\t\tdst[r+i] = (x - m) - math.Log(s)\n\t\t}\n\t}",
			"does, except that the sum is exact but for the rounding of its terms and log(s) "+
				"is formed from s - 1 (log1p), so that the maximal element of a row with one dominant "+
				"entry gets -(s - 1) rather than -0: each element within 2 ULP of the exact "+
				"log-softmax of the rounded x - max. -Inf entries give -Inf; a NaN or +Inf "+
				"anywhere in a row, or a row of -Inf only, gives a row of NaN. It requires "+
				f.isa.Requires+logRequires(f)+". cols must be positive (otherwise it returns at "+
				"once) and len(dst) at least len(src); whole rows are processed (a last partial "+
				"row is left alone); dst may be src. Any length and alignment: each pass over a "+
				"row works through "+itoa(f.Lanes)+" elements at a time and does the last cols%"+
				itoa(f.Lanes)+" with a "+f.Mask+" load (and store), so it never reads or writes "+
				"outside the slices.",
		)
		logSoftmax64Body(f, tab)
	}
	tab.emit(c)
}

// ls64Vec are the registers of one vector of pass 2: d (then r, then a - (s - bb)), t (then
// 2^(n-floor(n/2)) on AVX2, then s), n (then bb and the error), the term, and (AVX2)
// 2^floor(n/2), then the lanes where the term is 1.
type ls64Vec struct{ A, T, N, P, H reg.VecPhysical }

func logSoftmax64Body(f *fn, tab *consts) {
	e, l := f.newF64Exp(tab), f.newLog64(tab)
	var unroll int
	var acc, comp, cnt, md, lo, fill, lse, ones reg.VecPhysical
	vec := func(j int) ls64Vec { return ls64Vec{} }
	lines := []string{
		"DI  address of the current dst row",
		"SI  address of the current src row",
		"DX  cols",
		"R8  elements of src left, from the current row on",
		"R9, R10  the next src and dst elements of a pass",
		"R13  the distance to the next row in bytes, 0 on the last row (R11 scratch while it is set)",
		"CX  elements left in the pass",
		"AX, BX  scratch (tail mask)",
	}
	if f.avx512() {
		unroll = 4
		acc, comp, cnt, md, lo, fill, lse, ones = Z(16), Z(17), Z(18), Z(19), Z(20), Z(21), Z(22), Z(23)
		vec = func(j int) ls64Vec { return ls64Vec{Z(4 * j), Z(4*j + 1), Z(4*j + 2), Z(4*j + 3), nil} }
		lines = append(lines,
			"Z0-Z3  the maxima (pass 1); Z4  the tail's x",
			"Z0-Z15  four vectors in flight (pass 2), four registers each: d, then r, then "+
				"a - (s - bb); t, then s; n, then bb and the error; the term e^d; then the "+
				"reduction of the sums (Z0-Z8) and the ln core (Z0-Z6)",
			"Z16  the sums of the terms other than 1",
			"Z17  the sums of their rounding errors",
			"Z18  the counts of the terms equal to 1",
			"Z19  m in every lane",
			"Z20  -1100, the clamp of d",
			"Z21  -Inf, the fill of the masked-off lanes",
			"Z22  lse in every lane (pass 3)",
			"Z23  1.0",
			"K2-K5  the lanes where the term is 1; K2 the ln core's scratch",
		)
	} else {
		unroll = 2
		acc, comp, cnt, md, lo, lse = f.V(10), f.V(11), f.V(15), f.V(12), f.V(14), f.V(10)
		vec = func(j int) ls64Vec {
			return ls64Vec{f.V(5 * j), f.V(5*j + 1), f.V(5*j + 2), f.V(5*j + 3), f.V(5*j + 4)}
		}
		lines = append(lines,
			"Y0-Y3  the maxima (pass 1); Y4  the tail's x; Y5  -Inf",
			"Y0-Y9  two vectors in flight (pass 2), five registers each: d, then r, then "+
				"a - (s - bb); t, then 2^(n-floor(n/2)), then s; n, then bb and the error; the "+
				"term e^d; 2^floor(n/2), then the lanes where the term is 1 (-Inf in the "+
				"tail); then the reduction of the sums (Y0-Y8) and the ln core (Y0-Y6)",
			"Y10  the sums of the terms other than 1; then lse in every lane (pass 3)",
			"Y11  the sums of their rounding errors",
			"Y12  m in every lane",
			"Y14  -1100, the clamp of d",
			"Y15  the counts of the terms equal to 1",
		)
	}
	f.regs(append(lines, f.tailRegs())...)
	f.base("dst", dstPtr)
	f.base("src", srcPtr)
	f.Load(f.Param("cols"), lsCols)
	f.length("src", lsLeft)
	f.TESTQ(lsCols, lsCols)
	f.JLE(LabelRef("done"))
	inf := e.c("-Inf", f64bits(math.Inf(-1)))
	one := e.one()
	clamp := e.c("-1100, the clamp of d", f64bits(ls64Lo))
	if f.avx512() {
		f.VBROADCASTSD(inf, fill)
		f.VBROADCASTSD(clamp, lo)
		f.VBROADCASTSD(one, ones)
	} else {
		f.VMOVUPD(clamp, lo)
	}
	// fillReg loads -Inf into r (AVX2), or returns the register that holds it (AVX-512).
	fillReg := func(r reg.VecPhysical) reg.VecPhysical {
		if f.avx512() {
			return fill
		}
		f.VMOVUPD(inf, r)
		return r
	}

	f.Label("row")
	f.CMPQ(lsLeft, lsCols)
	f.JB(LabelRef("done"))
	f.nextRow(8) // pass 2 asks for the next row's lines (prefetchNext)

	// Pass 1: the maximum, four accumulators.
	mx := []reg.VecPhysical{f.V(0), f.V(1), f.V(2), f.V(3)}
	fl := fillReg(f.V(0))
	for _, r := range mx {
		if r != fl {
			f.VMOVAPD(fl, r)
		}
	}
	f.ls64Pass("mx", 4, false, []func(j int, m Mem){
		func(j int, m Mem) { f.VMAXPD(m, mx[j], mx[j]) },
	}, func(m Mem) {
		f.maskedLoadFill(m, f.V(4), fillReg(f.V(5)))
		f.VMAXPD(f.V(4), mx[1], mx[1])
	})
	f.VMAXPD(mx[1], mx[0], mx[0])
	f.VMAXPD(mx[3], mx[2], mx[2])
	f.VMAXPD(mx[2], mx[0], mx[0])
	if f.avx512() {
		f.VEXTRACTF64X4(U8(1), Z(0), ymm[1])
		f.VMAXPD(ymm[1], ymm[0], ymm[0])
	}
	f.VEXTRACTF128(U8(1), ymm[0], xmm[1])
	f.VMAXPD(xmm[1], xmm[0], xmm[0])
	f.VUNPCKHPD(xmm[0], xmm[0], xmm[1])
	f.VMAXSD(xmm[1], xmm[0], xmm[0])
	f.VBROADCASTSD(xmm[0], md)

	// Pass 2: the terms equal to 1 counted, the others summed with TwoSum.
	for _, r := range []reg.VecPhysical{acc, comp, cnt} {
		f.VXORPD(r, r, r)
	}
	term := func(j int, m Op) { // d, clamped, and its reduction
		v := vec(j)
		if m != Op(v.A) {
			f.VMOVUPD(m, v.A)
		}
		f.VSUBPD(md, v.A, v.A) // d = x - m, rounded
		f.VMAXPD(v.A, lo, v.A) // clamped, NaN kept (d is the operand returned)
		e.red(v.A, v.T, v.N, nil)
	}
	// poly forms the term e^d; the lanes where it is 1 are counted and cleared. tail: (AVX-512)
	// only the lanes of tailK count, and the others are cleared too.
	poly := func(j int, tail bool) {
		v := vec(j)
		e.poly(v.A, v.P)
		if f.avx512() {
			k := kreg[j]
			f.VADDPD(ones, v.P, v.P) // 1 + s
			e.scalef(v.N, v.P, nil, v.P)
			if tail {
				f.VCMPPD(U8(cmpEQOQ), ones, v.P, tailK, k)
			} else {
				f.VCMPPD(U8(cmpEQOQ), ones, v.P, k)
			}
			f.VADDPD(ones, cnt, k, cnt)
			f.VXORPD(v.P, v.P, k, v.P)
			if tail {
				f.VMOVAPD_Z(v.P, tailK, v.P)
			}
			return
		}
		f.VADDPD(one, v.P, v.P) // 1 + s
		e.halves(v.T, v.H)
		f.VMULPD(v.H, v.P, v.P) // ·2^floor(n/2), exact
		f.VMULPD(v.T, v.P, v.P) // ·2^(n-floor(n/2)), one rounding
		f.VCMPPD(U8(cmpEQOQ), one, v.P, v.H)
		f.VANDNPD(v.P, v.H, v.P) // 0 where 1
		f.VANDPD(one, v.H, v.H)
		f.VADDPD(v.H, cnt, cnt)
	}
	add := func(j int) { // TwoSum into the sums
		v := vec(j)
		f.VADDPD(v.P, acc, v.T) // s = a + e
		f.VSUBPD(acc, v.T, v.N) // bb = s - a
		f.VSUBPD(v.N, v.T, v.A) // s - bb
		f.VSUBPD(v.A, acc, v.A) // a - (s - bb)
		f.VSUBPD(v.N, v.P, v.N) // e - bb
		f.VADDPD(v.A, v.N, v.N) // the rounding error of s, exact
		f.VADDPD(v.N, comp, comp)
		f.VMOVAPD(v.T, acc)
	}
	f.ls64Pass("sum", unroll, false, []func(j int, m Mem){
		func(j int, m Mem) {
			f.prefetchNext(j*f.VecBytes, f.VecBytes)
			term(j, m)
		},
		func(j int, m Mem) { poly(j, false) },
		func(j int, m Mem) { add(j) },
	}, func(m Mem) {
		if f.avx512() {
			// The masked-off lanes take the maximum, d = 0, rather than -Inf: e^-1100
			// underflows, which costs a microcode assist per vector on Intel's cores. Their
			// terms (1) are neither counted nor summed.
			f.maskedLoadFill(m, vec(0).A, md)
		} else {
			f.maskedLoadFill(m, vec(0).A, fillReg(vec(0).H))
		}
		term(0, vec(0).A)
		poly(0, true)
		add(0)
	})

	// The lanes of the sums pairwise, by TwoSum: (s, c) = (a + b, ca + cb + err); the counts
	// (integers) summed.
	twoSum := func(a, b, s, bb, t reg.VecPhysical) { // s + bb = a + b exactly; t scratch
		f.VADDPD(b, a, s)
		f.VSUBPD(a, s, bb)  // bb = s - a
		f.VSUBPD(bb, s, t)  // s - bb
		f.VSUBPD(t, a, t)   // a - (s - bb)
		f.VSUBPD(bb, b, bb) // b - bb
		f.VADDPD(t, bb, bb) // the error
	}
	f.VMOVAPD(acc, f.V(0))
	f.VMOVAPD(comp, f.V(1))
	f.VMOVAPD(cnt, f.V(7))
	level := func(width func(i int) reg.VecPhysical, split func(src int, dst reg.VecPhysical)) {
		split(0, width(4))
		split(1, width(5))
		split(7, width(8))
		twoSum(width(0), width(4), width(2), width(3), width(6))
		f.VADDPD(width(5), width(1), width(1))
		f.VADDPD(width(3), width(1), width(1))
		f.VADDPD(width(8), width(7), width(7))
		f.VMOVAPD(width(2), width(0))
	}
	if f.avx512() {
		level(func(i int) reg.VecPhysical { return ymmAll(i) }, func(src int, dst reg.VecPhysical) {
			f.VEXTRACTF64X4(U8(1), Z(src), dst)
		})
	}
	level(func(i int) reg.VecPhysical { return xmm[i] }, func(src int, dst reg.VecPhysical) {
		f.VEXTRACTF128(U8(1), ymm[src], dst)
	})
	level(func(i int) reg.VecPhysical { return xmm[i] }, func(src int, dst reg.VecPhysical) {
		f.VUNPCKHPD(xmm[src], xmm[src], dst)
	})
	// S = count + X0 + X1 = hi + lo: TwoSum of the count and X0, X1 into the error.
	twoSum(xmm[7], xmm[0], xmm[2], xmm[3], xmm[6]) // hi = X2
	f.VADDSD(xmm[3], xmm[1], xmm[1])               // lo
	f.VDIVSD(xmm[2], xmm[1], xmm[1])               // lo/hi
	f.VSUBSD(xmm[2], xmm[2], xmm[7])               // 0, or NaN where S is
	f.VADDSD(xmm[7], xmm[1], xmm[1])
	f.VBROADCASTSD(xmm[2], f.V(0))
	f.VBROADCASTSD(xmm[1], f.V(6))
	lv := log64Vec{K: f.V(1), F: f.V(2), S: f.V(3), Z: f.V(4), R: f.V(5), H: f.V(0)}
	l.reduce(f.V(0), lv, reg.K2)
	l.quot(lv)
	l.poly(lv)
	l.combine(lv, f.V(6)) // ln hi + lo/hi
	f.VMOVAPD(f.V(0), lse)

	// Pass 3: (x - m) - lse.
	out := func(j int, m Op) {
		v := f.V(j)
		if m != Op(v) {
			f.VMOVUPD(m, v)
		}
		f.VSUBPD(md, v, v)
		f.VSUBPD(lse, v, v)
	}
	f.ls64Pass("out", 4, true, []func(j int, m Mem){
		func(j int, m Mem) { out(j, m) },
		func(j int, m Mem) { f.VMOVUPD(f.V(j), Mem{Base: lsOut, Disp: j * f.VecBytes}) },
	}, func(m Mem) {
		f.maskedLoad(m, f.V(0))
		out(0, f.V(0))
		f.maskedStore(f.V(0), Mem{Base: lsOut})
	})
	f.SUBQ(lsCols, lsLeft)
	f.LEAQ(Mem{Base: srcPtr, Index: lsCols, Scale: 8}, srcPtr)
	f.LEAQ(Mem{Base: dstPtr, Index: lsCols, Scale: 8}, dstPtr)
	f.JMP(LabelRef("row"))
	f.Label("done")
	f.ret()
}

// ls64Pass emits one pass over the current row, from SI (R9) and, with out, to DI (R10):
// unroll vectors at a time, each stage for every vector before the next (stage j addresses its
// vector at m), then one vector at a time, then the last cols%lanes with the tail mask set
// (tail, m the tail's address).
func (f *fn) ls64Pass(p string, unroll int, out bool, stages []func(j int, m Mem), tail func(m Mem)) {
	f.MOVQ(lsCols, count)
	f.MOVQ(srcPtr, lsPtr)
	if out {
		f.MOVQ(dstPtr, lsOut)
	}
	block := func(n int, label, next string) {
		f.Label(label)
		f.CMPQ(count, imm(n*f.Lanes))
		f.JB(LabelRef(next))
		for _, s := range stages {
			for j := 0; j < n; j++ {
				s(j, Mem{Base: lsPtr, Disp: j * f.VecBytes})
			}
		}
		f.ADDQ(imm(n*f.VecBytes), lsPtr)
		if out {
			f.ADDQ(imm(n*f.VecBytes), lsOut)
		}
		f.SUBQ(imm(n*f.Lanes), count)
		f.JMP(LabelRef(label))
	}
	if unroll > 1 {
		block(unroll, p+"u", p+"1")
	}
	block(1, p+"1", p+"t")
	f.Label(p + "t")
	f.TESTQ(count, count)
	f.JZ(LabelRef(p + "e"))
	f.tailMask()
	tail(Mem{Base: lsPtr})
	f.Label(p + "e")
}
