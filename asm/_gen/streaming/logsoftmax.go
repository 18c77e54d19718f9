package main

import (
	"math"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("logsoftmax", genLogSoftmax) }

// Registers of LogSoftmax besides DI, SI and CX.
var (
	lsCols  = reg.RDX // cols
	lsLeft  = reg.R8  // elements of src left, from the current row on
	lsPtr   = reg.R9  // the next src element of the current pass
	lsOut   = reg.R10 // the next dst element of the last pass
	lsLower = -1000.0 // the clamp of x - max on AVX-512: e^-1000 scales to 0
	lsLow2  = -708.0  // the clamp on AVX2: e^-708 is a normal float64; lanes below it add 0
)

// genLogSoftmax emits LogSoftmax, float32, in float64 lanes, row by row in three passes:
//
//  1. m = the row's maximum (VMAXPS; masked-off lanes -Inf).
//  2. d = x - m in float64 (exact: the exponents of float32 x and m differ by far less than 29
//     where it matters); over the lanes with d != 0 the sum of e^d (exp64; NaN kept), and the
//     number of lanes with d == 0; t = sum + (count - 1), the sum over every element but one
//     maximal one, as the pure-Go reference forms it. A NaN or +Inf in the row, or a row of -Inf
//     only, makes some d a NaN, so t is a NaN.
//  3. lse = log1p(t) = ln u + (t - (u - 1))/u with u = 1 + t rounded (the ln core and one
//     division), a NaN where t is one; each element becomes (x - m) - lse, rounded once to
//     float32.
//
// d - lse does not cancel (d <= 0 <= lse), and lse is within about 2^-31 relative, so each
// element is within 1 ULP of the correctly rounded float64 result.
//
// Both take a faster way for the rows whose minimum is within 87 of the maximum (ls512Fast,
// ls2Fast, and pass 3 in float32 lanes): the terms in float32, each within 0.51 ULP (1.02·2^-24
// relative), so that lse is within 1.02·2^-24 relative (the relative error of t, at most that of
// its terms, over (1 + t)·log1p(t)/t >= 1); then each element is (x - m) - lse in float32, x - m
// and lse each rounded and the difference rounded. As x - m <= 0 <= lse, at most one of |x - m|
// and lse lies in the result's binade and the other's ULP is at most half the result's: the
// error is at most 0.25 + (0.5 + 1.02) + 0.5 = 2.27 ULP of the exact result where lse is the
// larger (1.76 where x - m is), so the element is within 2 ULP of the correctly rounded one (and
// of the float64 result's rounding); TestLogSoftmaxF32Near2k tries lse just below powers of two,
// where the bound is widest, and measures 1 ULP, as the other tests do. Pass 3 of these rows ran
// at 2.42 Gelem/s instead of 1.93 on AVX-512 and 1.64 instead of 1.43 on AVX2 (rows of 1024, 1M
// elements, medians of 7 alternating turns on Zen 4), where it widened, subtracted in float64
// and rounded once. The other rows (also those with -Inf, +Inf or NaN entries) take the float64
// passes above; their pass 3 forms x - c, c = m + lse rounded to float64, one subtraction instead
// of two, on the rows where |c| <= 2^13 lse.
func genLogSoftmax(c *build.Context) {
	tab := newConsts("logsoftmax32c")
	for _, v := range variants[:2] {
		f := newFn(c, "LogSoftmax", v, "func(dst, src []T, cols int)")
		f.doc(
			f.Name+" treats src as rows of cols elements and sets each row of dst to x - max - "+
				"log(sum(e^(x - max))) over that row: in float64, each element rounded once to "+
				"float32, or as below",
			"\tfor r := 0; r+cols <= len(src); r += cols {\n\t\trow := src[r : r+cols]\n"+
				"\t\tm := float64(slices.Max(row))\n\t\tvar s float64\n\t\tfor _, x := range row {\n"+
				"\t\t\ts += math.Exp(float64(x) - m)\n\t\t}\n\t\tfor i, x := range row {\n"+
				"\t\t\tdst[r+i] = T(float64(x) - m - math.Log(s))\n\t\t}\n\t}",
			"where the sum is formed as 1 + t, t the sum over every element but one maximal one, "+
				"and log(1 + t) as log1p(t), so that the maximal element of a row with one dominant "+
				"entry gets -t rather than -0. -Inf entries give -Inf; a NaN or +Inf anywhere in a "+
				"row, or a row of -Inf only, gives a row of NaN. It requires "+f.isa.Requires+
				logRequires(f)+". cols must be positive (otherwise it returns at once) and "+
				"len(dst) at least len(src); whole rows are processed (a last partial row is "+
				"left alone); dst may be src. Any length and alignment: each pass over a row "+
				"works through "+itoa(f.Lanes)+" elements at a time and does the last cols%"+
				itoa(f.Lanes)+" with a "+f.Mask+" load (and store), so it never reads or writes "+
				"outside the slices."+lsFastDoc(f),
		)
		logSoftmaxBody(f, tab)
	}
	tab.emit(c)
	genLogSoftmax64(c)
}

// lsFastRegs is the register map line of the fast path (ls512Fast, ls2Fast).
func lsFastRegs(f *fn) string {
	if f.avx512() {
		return "fast path: Z6, Z14-Z20 the maxima and minima (pass 1); Z13 m (float32); Z0-Z5, " +
			"Z14-Z21 two vectors of the e^x core, d's rounding error and x; Z6, Z7 the sums; " +
			"K2-K5 x == m and x != m; R11 scratch, R12 the count of x == m; Z22 m + lse " +
			"(pass 3); Z23-Z31 the e^x core's constants"
	}
	return "fast path: Y6, Y7, Y14, Y15 the maxima and minima (pass 1), then Y6, Y7 the sums; " +
		"Y8 m (float32); Y0-Y5 the e^x core, d's rounding error and x; Y14 x == m; R11 " +
		"scratch, R12 the count of x == m; Y14 m + lse (pass 3)"
}

// lsFastDoc is the doc sentence of the fast path.
func lsFastDoc(f *fn) string {
	return " On a row whose elements are all within 87 of its maximum the exponentials are " +
		"float32 (the e^x core, each within about 0.51 ULP, of x - max carried exactly as a " +
		"float32 sum and error) summed in float64, and each element is (x - max) - lse in float32 " +
		"(two subtractions, each rounded), which keeps it within 2.27 ULP of the exact result " +
		"and 2 ULP of the correctly rounded one."
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + itoa(n%10)
}

func logSoftmaxBody(f *fn, tab *consts) {
	l := f.newLogCore(tab)
	e := f.newExp64(tab)
	w := f.wv
	md, sumLo, sumHi, cnt, lo, lse, fill := w(9), w(6), w(7), w(8), w(10), w(11), w(12)
	acc := w(6)
	f.regs(
		"DI  address of the current dst row",
		"SI  address of the current src row",
		"DX  cols",
		"R8  elements of src left, from the current row on",
		"R9, R10  the next src and dst elements of a pass",
		"R13  the distance to the next row in bytes, 0 on the last row (R11 scratch while it is set)",
		"CX  elements left in the pass",
		"AX, BX  scratch (tail mask)",
		acc.Asm()+"  the running maximum (pass 1)",
		"0-5 (the ISA's vector registers)  the float64 halves x, then d, then r, and their scratch "+
			"(pass 2, 3); the ln core's registers (after pass 2)",
		sumLo.Asm()+", "+sumHi.Asm()+", "+cnt.Asm()+"  the sums of e^d and the count of d == 0",
		md.Asm()+"  m, float64, in every lane",
		lo.Asm()+"  the clamp of d",
		lse.Asm()+"  lse in every lane",
		fill.Asm()+"  -Inf (float32), the fill of the masked-off lanes",
		l.regs(),
		f.tailRegs(),
		lsFastRegs(f),
	)
	f.base("dst", dstPtr)
	f.base("src", srcPtr)
	f.Load(f.Param("cols"), lsCols)
	f.length("src", lsLeft)
	f.TESTQ(lsCols, lsCols)
	f.JLE(LabelRef("done"))
	l.load()
	f.VBROADCASTSS(tab.bcast32("-Inf (float32)", 0xff800000), fill)
	if f.avx512() {
		f.VBROADCASTSD(c64(tab, "-1000, the clamp of d (AVX-512)", lsLower), lo)
	} else {
		f.VBROADCASTSD(c64(tab, "-708, the clamp of d (AVX2)", lsLow2), lo)
	}
	one := c64(tab, "1.0", 1)
	zero := c64(tab, "0.0", 0)

	f.Label("row")
	f.CMPQ(lsLeft, lsCols)
	f.JB(LabelRef("done"))
	f.nextRow(4) // pass 2 asks for the next row's lines (prefetchNext)

	// pass loops over the row from SI (and DI): vec(m) for each whole vector at m, then
	// tail(m) for the last cols%lanes with the tail mask set.
	pass := func(p string, out bool, vec func(m Mem), tail func(m Mem)) {
		if !out { // pass 3 starts with a loop of two vectors
			f.MOVQ(lsCols, count)
			f.MOVQ(srcPtr, lsPtr)
			if out {
				f.MOVQ(dstPtr, lsOut)
			}
		}
		f.Label(p + "v")
		f.CMPQ(count, imm(f.Lanes))
		f.JB(LabelRef(p + "t"))
		vec(Mem{Base: lsPtr})
		f.ADDQ(imm(f.VecBytes), lsPtr)
		if out {
			f.ADDQ(imm(f.VecBytes), lsOut)
		}
		f.SUBQ(imm(f.Lanes), count)
		f.JMP(LabelRef(p + "v"))
		f.Label(p + "t")
		f.TESTQ(count, count)
		f.JZ(LabelRef(p + "e"))
		f.tailMask()
		tail(Mem{Base: lsPtr})
		f.Label(p + "e")
	}

	// Pass 1 and 2 of the rows whose every element is within 87 of the maximum, in float32
	// lanes; the others go on at "slow".
	if f.avx512() {
		ls512Fast(f, tab, md, fill)
	} else {
		ls2Fast(f, tab, md, fill)
	}
	f.MOVL(U32(1), lsFlag.As32()) // pass 3 in float32 lanes
	f.JMP(LabelRef("lse"))
	f.Label("slow")

	// Pass 2: the sum of e^d over d != 0 and the count of d == 0.
	for _, r := range []reg.VecPhysical{sumLo, sumHi, cnt} {
		f.VXORPD(xmm[f.wvIndex(r)], xmm[f.wvIndex(r)], xmm[f.wvIndex(r)]) // clears the whole register
	}
	halves := wideVec{Lo: w(0), Hi: w(1)}
	sum := func() {
		for h, x := range []reg.VecPhysical{halves.Lo, halves.Hi} {
			s := []reg.VecPhysical{sumLo, sumHi}[h]
			n, p := w(2+2*h), w(3+2*h)
			f.VSUBPD(md, x, x) // d
			if f.avx512() {
				kadd, keq := kreg[2*h], kreg[2*h+1]
				f.VCMPPD_BCST(U8(cmpNEQUQ), zero, x, kadd)
				f.VCMPPD_BCST(U8(cmpEQOQ), zero, x, keq)
				f.VMAXPD(x, lo, x) // NaN kept
				e.expScaled(x, n, p)
				f.VADDPD(p, s, kadd, s)
				f.VADDPD_BCST(one, cnt, keq, cnt)
				continue
			}
			n, p = w(2), w(3)
			keep, eq := w(4), w(5)
			f.VCMPPD(U8(cmpNLTUQ), lo, x, keep) // d >= -708 or NaN
			f.VCMPPD(U8(cmpEQOQ), zero, x, eq)
			f.VMAXPD(x, lo, x)
			e.exp(x, n, p)
			f.VANDPD(keep, p, p)
			f.VANDNPD(p, eq, p) // 0 where d == 0
			f.VADDPD(p, s, s)
			f.VANDPD(one, eq, eq)
			f.VADDPD(eq, cnt, cnt)
		}
	}
	pass("sum", false, func(m Mem) {
		f.prefetchNext(0, f.VecBytes)
		f.widenMem(m, halves)
		sum()
	}, func(m Mem) {
		f.maskedLoadFill(m, w(5), fill)
		f.widenReg(w(5), halves)
		sum()
	})
	// t = (sumLo + sumHi) + (cnt - 1), into X0.
	f.VADDPD(sumHi, sumLo, sumLo)
	f.hsum64(sumLo, w(0))
	f.hsum64(cnt, w(1))
	f.VSUBSD(one, xmm[1], xmm[1])
	f.VADDSD(xmm[1], xmm[0], xmm[0])     // t
	f.XORL(lsFlag.As32(), lsFlag.As32()) // pass 3 in float64 lanes
	f.Label("lse")
	l.load()                         // AVX-512: the fast path's e^x core had Z30, Z31
	f.VADDSD(one, xmm[0], xmm[1])    // u
	f.VSUBSD(one, xmm[1], xmm[2])    // u - 1
	f.VSUBSD(xmm[2], xmm[0], xmm[2]) // t - (u - 1)
	f.VDIVSD(xmm[1], xmm[2], xmm[2]) // the correction
	f.VBROADCASTSD(xmm[1], w(0))
	l.log(logVec{X: w(0), T: w(1), K: w(3), C: w(4), L: w(5)})
	f.VBROADCASTSD(xmm[2], lse)
	f.VADDPD(w(0), lse, lse)

	// Pass 3 of the rows of the fast path, in float32 lanes: (x - m) - lse, each subtraction
	// rounded to float32 (lsPass3Doc has the bound).
	m32, l32 := w(2), w(3)
	f.TESTQ(lsFlag, lsFlag)
	f.JZ(LabelRef("out64"))
	f.VCVTSD2SS(xmm[f.wvIndex(md)], xmm[2], xmm[2]) // m, exactly
	f.VBROADCASTSS(xmm[2], m32)
	f.VCVTSD2SS(xmm[f.wvIndex(lse)], xmm[3], xmm[3])
	f.VBROADCASTSS(xmm[3], l32)
	f.MOVQ(lsCols, count)
	f.MOVQ(srcPtr, lsPtr)
	f.MOVQ(dstPtr, lsOut)
	sub32 := func(v reg.VecPhysical) {
		f.VSUBPS(m32, v, v)
		f.VSUBPS(l32, v, v)
	}
	// vecs does n whole vectors from lsPtr to lsOut: a loop of two (o32v2), then one (o32v1).
	vecs := func(n int, label, next string) {
		f.Label(label)
		f.CMPQ(count, imm(n*f.Lanes))
		f.JB(LabelRef(next))
		for j := range n {
			f.VMOVUPS(Mem{Base: lsPtr, Disp: j * f.VecBytes}, w(j))
			sub32(w(j))
			f.VMOVUPS(w(j), Mem{Base: lsOut, Disp: j * f.VecBytes})
		}
		f.ADDQ(imm(n*f.VecBytes), lsPtr)
		f.ADDQ(imm(n*f.VecBytes), lsOut)
		f.SUBQ(imm(n*f.Lanes), count)
	}
	vecs(2, "o32v2", "o32v1")
	f.JMP(LabelRef("o32v2"))
	vecs(1, "o32v1", "o32t")
	f.Label("o32t")
	f.TESTQ(count, count)
	f.JZ(LabelRef("rowdone"))
	f.tailMask()
	f.maskedLoad(Mem{Base: lsPtr}, w(0))
	sub32(w(0))
	f.maskedStore(w(0), Mem{Base: lsOut})
	f.JMP(LabelRef("rowdone"))

	// Pass 3 of the other rows: (x - m) - lse in float64, rounded once.
	f.Label("out64")
	{
		// Two vectors at a time, as (x - m) - lse, or as x - c with c = m + lse rounded to
		// float64 where |c| <= 2^13 lse: then |c| <= 2^13 |x - m - lse| and c's rounding moves
		// x - c by at most 2^-40 of it.
		f.MOVQ(lsCols, count)
		f.MOVQ(srcPtr, lsPtr)
		f.MOVQ(dstPtr, lsOut)
		f.VADDSD(xmm[f.wvIndex(lse)], xmm[f.wvIndex(md)], xmm[1]) // c
		f.VANDPD(tab.bcast64("every bit but the sign (float64)", 1<<63-1), xmm[1], xmm[2])
		f.VMULSD(c64(tab, "2^13", 8192), xmm[f.wvIndex(lse)], xmm[3])
		cv := lsC
		if !f.avx512() {
			cv = reg.Y14
		}
		f.VBROADCASTSD(xmm[1], cv)
		f.VUCOMISD(xmm[2], xmm[3])
		f.JCC(LabelRef("oc2")) // 2^13 lse >= |c|
		for _, one := range []bool{false, true} {
			p := "out2"
			if one {
				p = "oc2"
			}
			f.Label(p)
			f.CMPQ(count, imm(2*f.Lanes))
			f.JB(LabelRef("outv"))
			hs := []wideVec{{Lo: w(0), Hi: w(1)}, {Lo: w(2), Hi: w(3)}}
			for j, h := range hs {
				f.widenMem(Mem{Base: lsPtr, Disp: j * f.VecBytes}, h)
			}
			if one {
				for _, h := range hs {
					f.VSUBPD(cv, h.Lo, h.Lo)
					f.VSUBPD(cv, h.Hi, h.Hi)
				}
			} else {
				for _, h := range hs {
					f.VSUBPD(md, h.Lo, h.Lo)
					f.VSUBPD(md, h.Hi, h.Hi)
				}
				for _, h := range hs {
					f.VSUBPD(lse, h.Lo, h.Lo)
					f.VSUBPD(lse, h.Hi, h.Hi)
				}
			}
			for j, h := range hs {
				f.narrowStore(h, Mem{Base: lsOut, Disp: j * f.VecBytes})
			}
			f.ADDQ(imm(2*f.VecBytes), lsPtr)
			f.ADDQ(imm(2*f.VecBytes), lsOut)
			f.SUBQ(imm(2*f.Lanes), count)
			f.JMP(LabelRef(p))
		}
	}
	out := func() {
		for _, x := range []reg.VecPhysical{halves.Lo, halves.Hi} {
			f.VSUBPD(md, x, x)
			f.VSUBPD(lse, x, x)
		}
	}
	pass("out", true, func(m Mem) {
		f.widenMem(m, halves)
		out()
		f.narrowStore(halves, Mem{Base: lsOut})
	}, func(m Mem) {
		f.maskedLoad(m, w(5))
		f.widenReg(w(5), halves)
		out()
		f.narrowReg(halves, w(5))
		f.maskedStore(w(5), Mem{Base: lsOut})
	})
	f.Label("rowdone")
	f.SUBQ(lsCols, lsLeft)
	f.LEAQ(Mem{Base: srcPtr, Index: lsCols, Scale: 4}, srcPtr)
	f.LEAQ(Mem{Base: dstPtr, Index: lsCols, Scale: 4}, dstPtr)
	f.JMP(LabelRef("row"))
	f.Label("done")
	f.ret()
}

// nextRow sets lsNext to the distance to the next row in bytes (size bytes an element) where src
// holds one, else to 0 (the lines of this row, in cache); lsScratch is clobbered. Pass 2, which
// computes the most per element, then asks for the next row's lines as it goes, so that pass 1
// of the next row finds them in cache: LogSoftmax over rows of 1024 float32 from L3 went from
// 1.07 to 1.26 Gelem/s so on AVX-512 and from 0.54 to 0.73 on AVX2 (medians of 7 and 9 turns).
func (f *fn) nextRow(size uint8) {
	f.MOVQ(lsCols, lsNext)
	f.SHLQ(U8(map[uint8]uint8{4: 2, 8: 3}[size]), lsNext)
	f.LEAQ(Mem{Base: lsCols, Index: lsCols, Scale: 1}, lsScratch)
	f.CMPQ(lsLeft, lsScratch)
	f.JAE(LabelRef("next"))
	f.XORQ(lsNext, lsNext)
	f.Label("next")
}

// prefetchNext asks for the lines of the next row (lsNext bytes on) under the n bytes of the current
// row from disp bytes past lsPtr on (PREFETCHT0, one per line; n < 64 asks for the line at disp).
func (f *fn) prefetchNext(disp, n int) {
	for off := disp; off < disp+max(n, 1); off += 64 {
		f.PREFETCHT0(Mem{Base: lsPtr, Index: lsNext, Scale: 1, Disp: off})
	}
}

// More VCMP predicates.
const (
	cmpNEQUQ = 0x04 // not equal, or unordered
	cmpNLTUQ = 0x15 // not less than, or unordered
)

// hsum64 sums the float64 lanes of r into the low lane of XMM register t (r is clobbered).
func (f *fn) hsum64(r, t reg.VecPhysical) {
	i, ti := f.wvIndex(r), f.wvIndex(t)
	if f.avx512() {
		f.VEXTRACTF64X4(U8(1), r, ymm[ti])
		f.VADDPD(ymm[ti], ymm[i], ymm[i])
	}
	f.VEXTRACTF128(U8(1), ymm[i], xmm[ti])
	f.VADDPD(xmm[ti], xmm[i], xmm[i])
	f.VUNPCKHPD(xmm[i], xmm[i], xmm[ti])
	f.VADDSD(xmm[i], xmm[ti], xmm[ti])
}

// expScaled is exp64's e^a with VSCALEFPD (AVX-512 only): P = e^A for any A >= -1100, down
// through the subnormals to 0, NaN kept. A ends as r, N as n.
func (e *exp64) expScaled(a, n, p reg.VecPhysical) {
	f, t := e.f, e.tab
	if !f.avx512() {
		panic("expScaled is AVX-512 only")
	}
	coef := func(k int) Mem { return c64(t, "1/k!, e^r's Taylor coefficients", exp64Taylor[k]) }
	f.VMULPD_BCST(c64(t, "1/ln2", 1/math.Ln2), a, n)
	f.VRNDSCALEPD(U8(0), n, n) // n = round(a/ln2), to nearest
	f.VFMADD231PD_BCST(c64(t, "-ln2", -math.Ln2), n, a)
	f.VBROADCASTSD(coef(8), p)
	for k := 7; k >= 0; k-- {
		f.VFMADD213PD_BCST(coef(k), a, p)
	}
	f.VSCALEFPD(n, p, p)
}

// Registers of the AVX-512 fast path of LogSoftmax.
var (
	ls32M     = reg.Z13 // m, float32, in every lane
	lsC       = reg.Z22 // m + lse, float64, in every lane (pass 3)
	lsCount   = reg.R12 // the number of elements equal to m
	lsFlag    = reg.R12 // after pass 2: 1 where the row took the fast path (pass 3 in float32)
	lsScratch = reg.R11 // scratch
	lsNext    = reg.R13 // the distance to the next row, in bytes (0 at the last row)
	lsMaxAcc  = []reg.VecPhysical{reg.Z6, reg.Z14, reg.Z15, reg.Z16}
	lsMinAcc  = []reg.VecPhysical{reg.Z17, reg.Z18, reg.Z19, reg.Z20}
	lsFloor   = -87.0 // e^d for d >= -87 is a normal float32
)

// ls512Fast emits the AVX-512 passes 1 and 2 of a row: the maximum and the minimum with four
// accumulators each; then, unless min - m >= -87 (in float64; false when either is NaN or
// infinite), a jump to "slow". Otherwise every e^d is a normal float32, so the float32 e^x core
// (within about 0.51 ULP) gives each term to a relative error of about 2^-24: d = x - m is
// formed exactly as s + err (float32, TwoSum), the reduction of s gets err added to r, and the
// lanes with x != m (or NaN) are widened and summed in float64, the lanes with x == m counted.
// It leaves t = the sum + (count - 1) in X0 and m (float64) in every lane of md.
func ls512Fast(f *fn, tab *consts, md, fill reg.VecPhysical) {
	e := f.newExp32(tab)
	// Pass 1.
	f.MOVQ(lsCols, count)
	f.MOVQ(srcPtr, lsPtr)
	f.VBROADCASTSS(tab.bcast32("+Inf (float32)", 0x7f800000), lsMinAcc[0])
	for j := range lsMaxAcc {
		f.VMOVAPS(fill, lsMaxAcc[j])
		if j > 0 {
			f.VMOVAPS(lsMinAcc[0], lsMinAcc[j])
		}
	}
	f.Label("mx4")
	f.CMPQ(count, imm(4*f.Lanes))
	f.JB(LabelRef("mx1"))
	for j := 0; j < 4; j++ {
		f.VMOVUPS(Mem{Base: lsPtr, Disp: j * f.VecBytes}, Z(j))
	}
	for j := 0; j < 4; j++ {
		f.VMAXPS(Z(j), lsMaxAcc[j], lsMaxAcc[j])
		f.VMINPS(Z(j), lsMinAcc[j], lsMinAcc[j])
	}
	f.ADDQ(imm(4*f.VecBytes), lsPtr)
	f.SUBQ(imm(4*f.Lanes), count)
	f.JMP(LabelRef("mx4"))
	f.Label("mx1")
	f.CMPQ(count, imm(f.Lanes))
	f.JB(LabelRef("mxt"))
	f.VMOVUPS(Mem{Base: lsPtr}, Z(0))
	f.VMAXPS(Z(0), lsMaxAcc[0], lsMaxAcc[0])
	f.VMINPS(Z(0), lsMinAcc[0], lsMinAcc[0])
	f.ADDQ(imm(f.VecBytes), lsPtr)
	f.SUBQ(imm(f.Lanes), count)
	f.JMP(LabelRef("mx1"))
	f.Label("mxt")
	f.TESTQ(count, count)
	f.JZ(LabelRef("mxe"))
	f.tailMask()
	f.VMOVAPS(fill, Z(0))
	f.VMOVUPS(Mem{Base: lsPtr}, tailK, Z(0))
	f.VMOVAPS(lsMinAcc[1], Z(1)) // +Inf
	f.VMOVUPS(Mem{Base: lsPtr}, tailK, Z(1))
	f.VMAXPS(Z(0), lsMaxAcc[1], lsMaxAcc[1])
	f.VMINPS(Z(1), lsMinAcc[1], lsMinAcc[1])
	f.Label("mxe")
	// reduce leaves the maximum (or minimum) of the lanes of acc in X(i) (scratch: X(t)).
	reduce := func(acc []reg.VecPhysical, op func(...Op), ops func(...Op), i, t int) reg.VecPhysical {
		op(acc[1], acc[0], acc[0])
		op(acc[3], acc[2], acc[2])
		op(acc[2], acc[0], Z(i))
		f.VEXTRACTF32X8(U8(1), Z(i), ymmAll(t))
		op(ymmAll(t), ymmAll(i), ymmAll(i))
		f.VEXTRACTF128(U8(1), ymmAll(i), xmm[t])
		op(xmm[t], xmm[i], xmm[i])
		f.VMOVHLPS(xmm[i], xmm[i], xmm[t])
		op(xmm[t], xmm[i], xmm[i])
		f.VMOVSHDUP(xmm[i], xmm[t])
		ops(xmm[t], xmm[i], xmm[i])
		return xmm[i]
	}
	mx := reduce(lsMaxAcc, f.VMAXPS, f.VMAXSS, 0, 2)
	mn := reduce(lsMinAcc, f.VMINPS, f.VMINSS, 1, 2)
	f.VBROADCASTSS(mx, ls32M)
	f.VCVTSS2SD(mx, mx, mx)
	f.VBROADCASTSD(mx, md)
	f.VCVTSS2SD(mn, mn, mn)
	f.VSUBSD(mx, mn, mn)
	f.VUCOMISD(c64(tab, "-87, the floor of d of the fast path", lsFloor), mn)
	f.JCS(LabelRef("slow")) // below, or unordered
	f.JMP(LabelRef("fast"))
	f.Label("fast")

	// Pass 2, two vectors at a time.
	e.load()
	sumLo, sumHi := reg.Z6, reg.Z7
	f.VXORPD(sumLo, sumLo, sumLo)
	f.VXORPD(sumHi, sumHi, sumHi)
	f.XORQ(lsCount, lsCount)
	type lane struct {
		v      expVec
		e, a   reg.VecPhysical
		kq, kn reg.OpmaskPhysical
	}
	lanes := []lane{
		{expVec{X: Z(0), T: Z(1), K: Z(2), P: Z(3), R: Z(4)}, Z(5), Z(14), reg.K2, reg.K3},
		{expVec{X: Z(15), T: Z(16), K: Z(17), P: Z(18), R: Z(19)}, Z(20), Z(21), reg.K4, reg.K5},
	}
	body := func(ls []lane, tail bool) {
		for j, v := range ls {
			if tail {
				f.VMOVUPS_Z(Mem{Base: lsPtr}, tailK, v.a)
			} else {
				f.VMOVUPS(Mem{Base: lsPtr, Disp: j * f.VecBytes}, v.a)
			}
			f.VCMPPS(U8(cmpEQOQ), ls32M, v.a, v.kq)
			f.VSUBPS(ls32M, v.a, v.v.X) // s = x - m, rounded
			f.VADDPS(ls32M, v.v.X, v.e) // s + m
			f.VSUBPS(v.e, v.v.X, v.v.T) // s - (s + m)
			f.VSUBPS(v.e, v.a, v.e)     // x - (s + m)
			f.VADDPS(ls32M, v.v.T, v.v.T)
			f.VSUBPS(v.v.T, v.e, v.e) // err: x - m = s + err exactly
		}
		for _, v := range ls {
			e.red(v.v)
		}
		for _, v := range ls {
			f.VADDPS(v.e, v.v.X, v.v.X)
			e.poly(v.v)
		}
		for _, v := range ls {
			e.scale(v.v, scaleFast)
		}
		for _, v := range ls {
			f.KNOTW(v.kq, v.kn)
			if tail {
				f.KANDW(tailK, v.kn, v.kn)
				f.KANDW(tailK, v.kq, v.kq)
			}
			f.KMOVW(v.kq, lsScratch.As32())
			f.POPCNTL(lsScratch.As32(), lsScratch.As32())
			f.ADDQ(lsScratch, lsCount)
			f.VCVTPS2PD_Z(f.half(v.v.X), v.kn, v.v.P) // the lanes with x == m (or masked off) 0
			f.KSHIFTRW(U8(8), v.kn, v.kn)
			f.VEXTRACTF32X8(U8(1), v.v.X, f.half(v.v.T))
			f.VCVTPS2PD_Z(f.half(v.v.T), v.kn, v.v.T)
			f.VADDPD(v.v.P, sumLo, sumLo)
			f.VADDPD(v.v.T, sumHi, sumHi)
		}
	}
	f.MOVQ(lsCols, count)
	f.MOVQ(srcPtr, lsPtr)
	f.Label("fs2")
	f.CMPQ(count, imm(2*f.Lanes))
	f.JB(LabelRef("fs1"))
	f.prefetchNext(0, 2*f.VecBytes)
	body(lanes, false)
	f.ADDQ(imm(2*f.VecBytes), lsPtr)
	f.SUBQ(imm(2*f.Lanes), count)
	f.JMP(LabelRef("fs2"))
	f.Label("fs1")
	f.CMPQ(count, imm(f.Lanes))
	f.JB(LabelRef("fst"))
	body(lanes[:1], false)
	f.ADDQ(imm(f.VecBytes), lsPtr)
	f.SUBQ(imm(f.Lanes), count)
	f.Label("fst")
	f.TESTQ(count, count)
	f.JZ(LabelRef("fse"))
	f.tailMask()
	body(lanes[:1], true)
	f.Label("fse")
	one := c64(tab, "1.0", 1)
	f.VADDPD(sumHi, sumLo, sumLo)
	f.hsum64(sumLo, Z(0))
	f.VCVTSI2SDQ(lsCount, reg.X1, reg.X1)
	f.VSUBSD(one, reg.X1, reg.X1)
	f.VADDSD(reg.X1, reg.X0, reg.X0) // t
}

// ls2Fast is ls512Fast for AVX2: two accumulators each for the maximum and the minimum, one
// vector at a time in pass 2 (the core's constants are memory operands), the lanes with x == m
// (and the masked-off ones) cleared with VANDNPS and counted with VMOVMSKPS.
func ls2Fast(f *fn, tab *consts, md, fill reg.VecPhysical) {
	e := f.newExp32(tab)
	m32, inf := reg.Y8, reg.Y5
	maxAcc := []reg.VecPhysical{reg.Y6, reg.Y7}
	minAcc := []reg.VecPhysical{reg.Y14, reg.Y15}
	f.MOVQ(lsCols, count)
	f.MOVQ(srcPtr, lsPtr)
	f.VBROADCASTSS(tab.bcast32("+Inf (float32)", 0x7f800000), inf)
	for j := range maxAcc {
		f.VMOVAPS(fill, maxAcc[j])
		f.VMOVAPS(inf, minAcc[j])
	}
	f.Label("mx2")
	f.CMPQ(count, imm(2*f.Lanes))
	f.JB(LabelRef("mx1"))
	for j := 0; j < 2; j++ {
		f.VMOVUPS(Mem{Base: lsPtr, Disp: j * f.VecBytes}, ymm[j])
	}
	for j := 0; j < 2; j++ {
		f.VMAXPS(ymm[j], maxAcc[j], maxAcc[j])
		f.VMINPS(ymm[j], minAcc[j], minAcc[j])
	}
	f.ADDQ(imm(2*f.VecBytes), lsPtr)
	f.SUBQ(imm(2*f.Lanes), count)
	f.JMP(LabelRef("mx2"))
	f.Label("mx1")
	f.CMPQ(count, imm(f.Lanes))
	f.JB(LabelRef("mxt"))
	f.VMOVUPS(Mem{Base: lsPtr}, ymm[0])
	f.VMAXPS(ymm[0], maxAcc[0], maxAcc[0])
	f.VMINPS(ymm[0], minAcc[0], minAcc[0])
	f.ADDQ(imm(f.VecBytes), lsPtr)
	f.SUBQ(imm(f.Lanes), count)
	f.Label("mxt")
	f.TESTQ(count, count)
	f.JZ(LabelRef("mxe"))
	f.tailMask()
	f.maskedLoadFill(Mem{Base: lsPtr}, ymm[0], fill)
	f.maskedLoadFill(Mem{Base: lsPtr}, ymm[1], inf)
	f.VMAXPS(ymm[0], maxAcc[1], maxAcc[1])
	f.VMINPS(ymm[1], minAcc[1], minAcc[1])
	f.Label("mxe")
	reduce := func(acc []reg.VecPhysical, op func(...Op), ops func(...Op), i, t int) reg.VecPhysical {
		op(acc[1], acc[0], ymm[i])
		f.VEXTRACTF128(U8(1), ymm[i], xmm[t])
		op(xmm[t], xmm[i], xmm[i])
		f.VMOVHLPS(xmm[i], xmm[i], xmm[t])
		op(xmm[t], xmm[i], xmm[i])
		f.VMOVSHDUP(xmm[i], xmm[t])
		ops(xmm[t], xmm[i], xmm[i])
		return xmm[i]
	}
	mx := reduce(maxAcc, f.VMAXPS, f.VMAXSS, 0, 2)
	mn := reduce(minAcc, f.VMINPS, f.VMINSS, 1, 2)
	f.VBROADCASTSS(mx, m32)
	f.VCVTSS2SD(mx, mx, mx)
	f.VBROADCASTSD(mx, md)
	f.VCVTSS2SD(mn, mn, mn)
	f.VSUBSD(mx, mn, mn)
	f.VUCOMISD(c64(tab, "-87, the floor of d of the fast path", lsFloor), mn)
	f.JCS(LabelRef("slow")) // below, or unordered

	// Pass 2.
	sumLo, sumHi := reg.Y6, reg.Y7
	f.VXORPD(sumLo, sumLo, sumLo)
	f.VXORPD(sumHi, sumHi, sumHi)
	f.XORQ(lsCount, lsCount)
	v := expVec{X: reg.Y0, T: reg.Y1, K: reg.Y2, P: reg.Y3}
	er, a, eq := reg.Y4, reg.Y5, reg.Y14
	body := func(tail bool) {
		if tail {
			f.maskedLoad(Mem{Base: lsPtr}, a)
		} else {
			f.VMOVUPS(Mem{Base: lsPtr}, a)
		}
		f.VCMPPS(U8(cmpEQOQ), m32, a, eq)
		f.VSUBPS(m32, a, v.X)  // s = x - m, rounded
		f.VADDPS(m32, v.X, er) // s + m
		f.VSUBPS(er, v.X, v.T) // s - (s + m)
		f.VSUBPS(er, a, er)    // x - (s + m)
		f.VADDPS(m32, v.T, v.T)
		f.VSUBPS(v.T, er, er) // err: x - m = s + err exactly
		e.red(v)
		f.VADDPS(er, v.X, v.X)
		e.poly(v)
		e.scale(v, scaleFast)
		// scaleFast adds bits of t to those of a NaN result, which can make it a number:
		// all ones (a NaN) where x is a NaN.
		f.VCMPPS(U8(cmpUNORDQ), a, a, reg.Y15)
		f.VORPS(reg.Y15, v.X, v.X)
		if tail {
			f.VANDPS(tailY, eq, eq)
			f.VANDPS(tailY, v.X, v.X)
		}
		f.VANDNPS(v.X, eq, v.X) // 0 where x == m
		f.VMOVMSKPS(eq, lsScratch.As32())
		f.POPCNTL(lsScratch.As32(), lsScratch.As32())
		f.ADDQ(lsScratch, lsCount)
		f.VCVTPS2PD(xmm[0], v.P)
		f.VEXTRACTF128(U8(1), v.X, xmm[1])
		f.VCVTPS2PD(xmm[1], v.T)
		f.VADDPD(v.P, sumLo, sumLo)
		f.VADDPD(v.T, sumHi, sumHi)
	}
	f.MOVQ(lsCols, count)
	f.MOVQ(srcPtr, lsPtr)
	f.Label("fs1")
	f.CMPQ(count, imm(f.Lanes))
	f.JB(LabelRef("fst"))
	f.prefetchNext(0, f.VecBytes)
	body(false)
	f.ADDQ(imm(f.VecBytes), lsPtr)
	f.SUBQ(imm(f.Lanes), count)
	f.JMP(LabelRef("fs1"))
	f.Label("fst")
	f.TESTQ(count, count)
	f.JZ(LabelRef("fse"))
	f.tailMask()
	body(true)
	f.Label("fse")
	one := c64(tab, "1.0", 1)
	f.VADDPD(sumHi, sumLo, sumLo)
	f.hsum64(sumLo, reg.Y0)
	f.VCVTSI2SDQ(lsCount, reg.X1, reg.X1)
	f.VSUBSD(one, reg.X1, reg.X1)
	f.VADDSD(reg.X1, reg.X0, reg.X0) // t
}
