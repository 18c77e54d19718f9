package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("softmax_f32", genSoftmaxF32) }

// Registers of the float32 Softmax.
var (
	smSrc   = reg.RSI // src row k, whose exponentials the pass computes
	smDst   = reg.RDI // dst row k, where they go
	smNext  = reg.R9  // src row k+1 (row k itself on the last row), whose maximum the pass takes
	smAhead = reg.RAX // smAheadBytes past the start of row k+1, or as far as src goes: what the pass prefetches
	smSum   = reg.RDX // dst row k-1, whose exponentials the pass adds up
	smPrev  = reg.R8  // dst row k-2, which the pass scales
	smOff   = reg.RCX // the byte offset within the rows
	smFull  = reg.R10 // the bytes of a row's whole vectors: (cols - cols%lanes)*4
	smRow   = reg.R11 // the bytes of a row: cols*4 (cols until the rows are counted)
	smTail  = reg.R12 // AVX2: cols%lanes; AVX-512: which of rows k and k-1 ran without the clamp (bits 0, 1)
	smLimit = reg.R13 // smFull less the bytes of one iteration of the unrolled loop
	smRows  = reg.RBX // rows left, row k included
)

// The AVX-512 rows run without the clamp of x - max at -104. Where x - max is -Inf the core's
// k/16 is -Inf and VSCALEFPS gives +0 (whatever its NaN argument), as the clamped computation
// does; where it is at least -2^17 the reduction is exact and everything below e^-104 scales to
// +0; below that, down to about -2.5e20, the reduction is off but finite and the scaling by
// 2^(k/16), k/16 below -2^17, still gives 0 (sometimes -0). Further down the core can give ±Inf
// or NaN, and the row's sum is then not finite: such a row is done again with the clamp (and so
// is every later row of the call) before it is scaled. So is a row with a NaN or a +Inf, which
// gives NaN either way. With dst == src the source is gone when the sum is known, so every row
// is clamped.

// smFast bounds the AVX2 rows whose exponentials are all normal numbers: where every x - max is
// at least -87, 2^n is formed from n directly (n >= -126).
const smFast = -87

// smUnroll is the number of vectors per iteration of the unrolled loop.
func smUnroll(f *fn) int {
	if f.avx512() {
		return 4
	}
	return 2
}

// genSoftmaxF32 emits SoftmaxF32AVX512 and SoftmaxF32AVX2.
//
// Rows of at most unroll vectors (64 elements on AVX-512, 16 on AVX2) take a register path,
// one row at a time: the row loaded once, its maximum, exponentials (always clamped), their sum
// widened to float64, 1/sum and the products; consecutive rows overlap in the out-of-order
// window. Longer rows take the pipelined path below, whose per-row set-up and row-to-row
// latencies short rows could not hide.
//
// Per row the work is the maximum m, the exponentials e = e^(x - m) (stored to dst), their sum
// s, and dst times 1/s. It is pipelined over the rows: one loop over the columns computes the
// exponentials of row k, the maximum of row k+1, the sum of row k-1 (read back from dst, where
// the previous pass stored it, still in L1 or L2) and the scaled row k-2, and prefetches 2 KB
// ahead of the maximum. The loads and comparisons of the maximum, the additions of the sum and the
// multiplications and stores of the scaling are independent of the long dependency chains of
// the exponentials, so they fill their gaps (the sum reads what the previous row stored rather
// than taking each vector as it is computed, which left its additions waiting on every chain),
// and the reductions between rows (the next maximum, 1/sum) have a whole row to complete before
// their results are used. All rows have the same width, so the streams go through their rows
// at the same offsets: one offset register and a base register per stream. The first two rows
// and the last two run loops with fewer streams, so that each stream stays inside its own row;
// the maximum stream of the last row reads that row again (nothing follows it), and the
// prefetches stop short of the end of src, so nothing outside src is touched. Each
// loop does whole vectors, then the last cols%lanes elements of each stream's row under a mask,
// so that nothing outside the slices is read or written and the streams stay in step (a row of
// fewer than lanes elements is only that tail).
//
// The sum: every e is at most 1 (x - m <= 0). The loop adds pairs of vectors, each pair's sum
// p <= 2 rounded once (by at most 2^-24 p), and adds p into running sums that start at 2, so
// that each lane of a running sum is at least every p added to it and Fast2Sum gives that
// addition's rounding error exactly: t = s + p, err = (s - t) + p. The errors go into a second
// accumulator. At the end of the row both are added in float64, less the starting 2s: the sum's
// relative error is at most 2^-24 (the pairs' roundings; the rest is below cols²·2^-48). With the
// exponentials' 0.51 ULP and the roundings of 1/sum and of each product, every element stays
// within 3.52 ULP of the exact softmax of x - m, and each row sums to 1 within 3·2^-24. A NaN
// makes the sum NaN (and so the row); an e of 0 adds nothing.
func genSoftmaxF32(c *build.Context) {
	tab := newConsts("softmax32c")
	for _, v := range variants[:2] {
		f := newFn(c, "Softmax", v, "func(dst, src []T, cols int)")
		if f.avx512() {
			f.doc(
				f.Name+" computes the softmax of each row of cols elements:",
				"\tfor r := 0; r+cols <= len(src); r += cols {\n"+
					"\t\trow, out := src[r:r+cols], dst[r:r+cols]\n"+
					"\t\tm := T(math.Inf(-1))\n"+
					"\t\tfor _, x := range row {\n\t\t\tm = max(m, x)\n\t\t}\n"+
					"\t\tvar s float64\n"+
					"\t\tfor i, x := range row {\n"+
					"\t\t\tout[i] = T(math.Exp(float64(x - m)))\n"+
					"\t\t\ts += float64(out[i])\n\t\t}\n"+
					"\t\tinv := T(1 / s)\n"+
					"\t\tfor i := range out {\n\t\t\tout[i] *= inv\n\t\t}\n\t}",
				"with e^x as in ExpF32AVX512 (within 1 ULP, about 0.51 ULP from e^x), and the sum "+
					"formed in float32: pairs of exponentials added, each pair's sum then added "+
					"with its rounding error kept (Fast2Sum, exact as the running sums start at "+
					"2), sums and errors added in float64 at the end of the row. It differs from "+
					"the loop's float64 sum by at most 2^-24 relative (the roundings of the pairs), "+
					"so every element is within 3.52 ULP of the exact softmax of x - m and every "+
					"row sums to 1 within 3·2^-24. A NaN in a row makes its sum, and so the whole "+
					"row, NaN (whether or not the maximum, which uses VMAXPS, sees it); so does a "+
					"+Inf, or a row of -Inf only. It requires AVX-512 F, DQ and VL. cols must be "+
					"positive (nothing is done otherwise); whole rows are processed (a last partial "+
					"row is left alone); len(dst) must be at least len(src); dst may be src "+
					"(exactly, not partly overlapping). Any cols and alignment, and nothing "+
					"outside the slices is read or written: each pass over a row works through 16 "+
					"elements at a time and does the last cols%16 with K-masked loads and stores. "+
					"Rows of at most 64 elements are done one at a time in registers (loaded once, "+
					"the last vector under a mask, the sum widened to float64). Over longer rows "+
					"the passes over four rows run in one loop: the exponentials of row k, the "+
					"maximum of row k+1, the sum of row k-1 (read back from dst) and the scaling of "+
					"row k-2. Where dst is not src the rows run without the clamp of x - max at -104, "+
					"which gives the same results (a -Inf entry gives 0, and one below max - 2^17 "+
					"0 or -0) unless the row's sum comes out NaN or infinite (a NaN, a +Inf, or an "+
					"entry below about max - 2.5e20): such a row is done again with the clamp, and "+
					"so are the rows after it.",
			)
		} else {
			f.doc(
				f.Name + " computes the same as SoftmaxF32AVX512, with AVX2 and FMA3, e^x as in " +
					"ExpF32AVX2 (within 1 ULP, about 0.51 ULP from e^x) and the same sum and " +
					"bounds. Rows whose elements are all within 87 of their maximum (the maximum " +
					"pass takes the minimum too) scale the exponentials by 2^n formed from n " +
					"directly; the others clamp x - max at -104 and scale in two steps, as " +
					"ExpF32AVX2 does beyond 87. cols must be positive (nothing is done otherwise); " +
					"len(dst) must be at least len(src); dst may be src. Any cols and alignment, " +
					"and nothing outside the slices is read or written: each pass works through 8 " +
					"elements at a time and does the last cols%8 with VMASKMOVPS, and the rows are " +
					"pipelined, as in SoftmaxF32AVX512; rows of at most 16 elements are done in " +
					"registers, clamped and scaled in two steps.",
			)
		}
		softmaxF32(f, tab)
	}
	tab.emit(c)
}

// smPass is one loop over the columns: which streams it runs.
type smPass struct {
	exp, max, sum, scale bool
	// clamp: clamp x - max at -104 (AVX-512: rows done again, and all rows once one was or
	// where dst is src; AVX2: rows beyond smFast, which also scale in two steps).
	clamp bool
}

// sm holds what the emitters of one function share.
type sm struct {
	f       *fn
	tab     *consts
	e       *exp32
	unroll  int
	vec     func(j int) expVec
	m       reg.VecPhysical // the maximum of row k, in every lane
	inv     reg.VecPhysical // 1/sum of row k-2, in every lane
	s, c    reg.VecPhysical // the running sums of row k-1 (starting at 2), and their rounding errors
	mx      reg.VecPhysical // the running maximum of row k+1
	mn      reg.VecPhysical // AVX2: the running minimum of row k+1
	check   reg.VecPhysical // AVX2: its low lane decides the next row's pass (see maxOut)
	sticky  Mem             // AVX-512: nonzero once rows are clamped (dst == src, or a row redone)
	saved   Mem             // AVX-512: the maximum of the next row while a row is redone
	site    Mem             // AVX-512: where the redo returns to
	one     reg.VecPhysical // 1.0 in every lane
	magic   reg.VecPhysical // AVX2: 1.5*2^20 in every lane
	maskMem Mem             // AVX2: the VMASKMOV mask of the last cols%8 lanes, loaded into mask at the tails
	mask    reg.VecPhysical
	labels  int
}

// ld loads the tail lanes from m into r, the others 0 (K1 or the AVX2 mask).
func (s *sm) ld(m Mem, r reg.VecPhysical) {
	if s.f.avx512() {
		s.f.VMOVUPS_Z(m, tailK, r)
	} else {
		s.f.VMASKMOVPS(m, s.mask, r)
	}
}

// st stores the tail lanes of r to m.
func (s *sm) st(r reg.VecPhysical, m Mem) {
	if s.f.avx512() {
		s.f.VMOVUPS(r, tailK, m)
	} else {
		s.f.VMASKMOVPS(r, s.mask, m)
	}
}

// at is the memory operand of vector j of the row at base, at the current offset.
func (s *sm) at(base reg.Register, j int) Mem {
	return Mem{Base: base, Index: smOff, Scale: 1, Disp: j * s.f.VecBytes}
}

// loop emits one pass over the columns, labels prefixed with name: the unrolled loop, the loop
// of one vector, the masked tail.
func (s *sm) loop(name string, p smPass) {
	f := s.f
	f.XORL(smOff.As32(), smOff.As32())
	f.CMPQ(smOff, smLimit)
	f.JG(LabelRef(name + "_one"))
	f.Label(name + "_loop")
	s.body(p, s.unroll, false)
	f.ADDQ(imm(s.unroll*f.VecBytes), smOff)
	f.CMPQ(smOff, smLimit)
	f.JLE(LabelRef(name + "_loop"))
	f.Label(name + "_one")
	f.CMPQ(smOff, smFull)
	f.JGE(LabelRef(name + "_tail"))
	s.body(p, 1, false)
	f.ADDQ(imm(f.VecBytes), smOff)
	f.JMP(LabelRef(name + "_one"))
	f.Label(name + "_tail")
	if f.avx512() {
		f.KORTESTW(tailK, tailK)
		f.JZ(LabelRef(name + "_end"))
	} else {
		f.TESTQ(smTail, smTail)
		f.JZ(LabelRef(name + "_end"))
		f.VMOVDQU(s.maskMem, s.mask)
	}
	s.body(p, 1, true)
	f.Label(name + "_end")
}

// body emits n vectors of each stream of p; tail: one vector under the tail mask. The first
// stage of the exponentials (load, x - max, clamp, reduction) comes first, then the other
// streams, then the second stage (polynomial, scaling, store).
func (s *sm) body(p smPass, n int, tail bool) {
	if p.exp {
		s.expA(p, n, tail)
	}
	s.streams(p, n, tail)
	if p.exp {
		s.expB(p, n, tail)
	}
}

// expA is the first stage of the exponentials of n vectors: X = x - max (clamped), then the
// reduction (X = r, T = t, K = k/N).
func (s *sm) expA(p smPass, n int, tail bool) {
	f, e := s.f, s.e
	for j := 0; j < n; j++ {
		v := s.vec(j)
		switch {
		case tail && f.avx512():
			// x - max = 0 in the other lanes (never stored): e^(-max) could underflow, which
			// costs a microcode assist per vector on Intel's cores.
			s.ld(s.at(smSrc, j), v.X)
			f.VSUBPS_Z(s.m, v.X, tailK, v.X)
		case tail:
			s.ld(s.at(smSrc, j), v.X) // the other lanes: never stored
			// x - max = 0 there: e^(-max) could be subnormal, which is slow on AVX2.
			f.BLENDV(s.mask, v.X, s.m, v.X)
			f.VSUBPS(s.m, v.X, v.X)
		default:
			f.VMOVUPS(s.at(smSrc, j), v.X)
			f.VSUBPS(s.m, v.X, v.X)
		}
		if p.clamp {
			f.VBROADCASTSS(e.nbound(), v.K)
			e.clamp(v.X, v.K, nil)
		}
	}
	for j := 0; j < n; j++ {
		v := s.vec(j)
		if f.avx512() {
			e.red(v)
			continue
		}
		// The core's reduction with 1.5*2^20 in a register.
		f.VMOVAPS(s.magic, v.T)
		f.VFMADD231PS(s.tab.bcast32("1/ln2", exp32Log2e), v.X, v.T)
		f.VSUBPS(s.magic, v.T, v.K)
		f.VFMADD231PS(s.tab.bcast32("-ln2hi", exp32NLn2Hi), v.K, v.X)
		f.VFMADD231PS(s.tab.bcast32("-ln2lo", exp32NLn2Lo), v.K, v.X)
	}
}

// expB is the second stage: the polynomial, the scaling by 2^n and the store.
func (s *sm) expB(p smPass, n int, tail bool) {
	f, e := s.f, s.e
	for j := 0; j < n; j++ {
		s.poly(s.vec(j))
	}
	for j := 0; j < n; j++ {
		v := s.vec(j)
		switch {
		case f.avx512():
			e.scale(v, scaleFast)
		case p.clamp:
			e.scale2(v.X, v.T, v.K, scaleSlow)
		default:
			// 2^n as a factor rather than added to the exponent field: a NaN stays a NaN.
			f.VPSLLD(U8(20), v.T, v.T)
			f.VPAND(s.tab.bcast32("sign and exponent field", exp32ExpMask), v.T, v.T)
			f.VPADDD(s.one, v.T, v.T) // the bits of 2^n
			f.VMULPS(v.T, v.X, v.X)
		}
	}
	for j := 0; j < n; j++ {
		v := s.vec(j)
		if tail {
			s.st(v.X, s.at(smDst, j))
		} else {
			f.VMOVUPS(v.X, s.at(smDst, j))
		}
	}
}

// streams emits the prefetch, maximum, sum and scaling streams of n vectors.
//
// Scratch registers, free between the reduction and the polynomial: the sum stream takes P and
// R of the vector (AVX2: P and K), the scaling stream R (AVX2: P), the AVX2 maximum stream P; the
// tail of the AVX2 maximum takes X and T of vector 1, which the tail does not use.
func (s *sm) streams(p smPass, n int, tail bool) {
	f := s.f
	avx512 := f.avx512()
	scratch := func(j int) (a, b reg.VecPhysical) {
		v := s.vec(j)
		if avx512 {
			return v.P, v.R
		}
		return v.P, v.K
	}
	if p.max && !tail {
		// One prefetch per 64-byte line.
		for j := 0; j < n; j++ {
			if (j*f.VecBytes)%64 == 0 {
				f.PREFETCHT0(s.at(smAhead, j))
			}
		}
	}
	if p.max {
		for j := 0; j < n; j++ {
			switch {
			case avx512 && tail:
				f.VMAXPS(s.at(smNext, j), s.mx, tailK, s.mx)
			case avx512:
				f.VMAXPS(s.at(smNext, j), s.mx, s.mx)
			case tail:
				// The masked-off lanes take the running maximum's and minimum's own values.
				a, b := s.vec(1).X, s.vec(1).T
				s.ld(s.at(smNext, j), a)
				f.BLENDV(s.mask, a, s.mx, b)
				f.VMAXPS(b, s.mx, s.mx)
				f.BLENDV(s.mask, a, s.mn, b)
				f.VMINPS(b, s.mn, s.mn)
			default:
				a, _ := scratch(j)
				f.VMOVUPS(s.at(smNext, j), a)
				f.VMAXPS(a, s.mx, s.mx)
				f.VMINPS(a, s.mn, s.mn)
			}
		}
	}
	if p.sum {
		for j := 0; j < n; {
			a, t := scratch(j)
			switch {
			case tail:
				s.ld(s.at(smSum, j), a) // the other lanes 0: they add nothing
			case j+1 < n:
				f.VMOVUPS(s.at(smSum, j), a)
				f.VADDPS(s.at(smSum, j+1), a, a) // a pair, rounded once
				j++
			default:
				f.VMOVUPS(s.at(smSum, j), a)
			}
			s.fast2sum(a, t)
			j++
		}
	}
	if p.scale {
		for j := 0; j < n; j++ {
			_, t := scratch(j)
			if !avx512 {
				t = s.vec(j).P
			}
			if tail {
				s.ld(s.at(smPrev, j), t)
				f.VMULPS(s.inv, t, t)
				s.st(t, s.at(smPrev, j))
			} else {
				f.VMULPS(s.at(smPrev, j), s.inv, t)
				f.VMOVUPS(t, s.at(smPrev, j))
			}
		}
	}
}

// fast2sum adds x to the running sums s and the rounding error to c: t = s + x; s - t is exact
// and so is (s - t) + x, as s >= 2 >= x. x is clobbered, t is scratch.
func (s *sm) fast2sum(x, t reg.VecPhysical) {
	f := s.f
	f.VADDPS(x, s.s, t)
	f.VSUBPS(t, s.s, s.s) // s - t
	f.VADDPS(s.s, x, x)   // the rounding error of s + x
	f.VADDPS(x, s.c, s.c)
	f.MOVA(t, s.s)
}

// args loads the arguments, sets the row registers, the tail mask and smRows, and jumps to
// "done" when there is no whole row.
func (s *sm) args() {
	f := s.f
	f.base("dst", smDst)
	f.base("src", smSrc)
	f.Load(f.Param("cols"), smRow)
	f.TESTQ(smRow, smRow)
	f.JLE(LabelRef("done"))
	f.MOVQ(smRow, count)
	f.ANDQ(imm(f.Lanes-1), count)
	if f.avx512() {
		f.tailMask() // AX scratch; K1 = 0 when cols%16 is 0
	} else {
		f.MOVQ(count, smTail)
		f.JZ(LabelRef("whole"))
		f.tailMask() // AX, BX scratch
		f.VMOVDQU(tailY, s.maskMem)
		f.Label("whole")
	}
	f.length("src", reg.RAX)
	f.XORL(reg.EDX, reg.EDX)
	f.DIVQ(smRow) // AX = rows
	f.MOVQ(reg.RAX, smRows)
	f.TESTQ(smRows, smRows)
	f.JZ(LabelRef("done"))
	f.MOVQ(smRow, smFull)
	f.ANDQ(I32(-f.Lanes), smFull)
	f.SHLQ(U8(2), smFull)
	f.SHLQ(U8(2), smRow)
	f.LEAQ(Mem{Base: smFull, Disp: -s.unroll * f.VecBytes}, smLimit)
}

// smAheadBytes is how far ahead of the maximum stream the prefetches go.
const smAheadBytes = 2048

// next sets smNext to row k+1 (row k on the last row) and smAhead smAheadBytes after it, or as
// far as src goes.
func (s *sm) next() {
	f := s.f
	l := fmt.Sprintf("next%d", s.labels)
	s.labels++
	f.MOVQ(smSrc, smNext)
	f.MOVQ(smSrc, smAhead)
	f.CMPQ(smRows, U8(2))
	f.JB(LabelRef(l)) // row k is the last
	f.LEAQ(Mem{Base: smSrc, Index: smRow, Scale: 1}, smNext)
	f.LEAQ(Mem{Base: smRows, Disp: -2}, smAhead)
	f.IMULQ(smRow, smAhead) // the bytes of src after row k+1
	f.MOVL(U32(smAheadBytes), count.As32())
	f.CMPQ(smAhead, count)
	f.CMOVQHI(count, smAhead)
	f.ADDQ(smNext, smAhead)
	f.Label(l)
}

// behind sets smSum to dst row k-1 and, with scale, smPrev to dst row k-2.
func (s *sm) behind(scale bool) {
	f := s.f
	f.MOVQ(smDst, smSum)
	f.SUBQ(smRow, smSum)
	if scale {
		f.MOVQ(smSum, smPrev)
		f.SUBQ(smRow, smPrev)
	}
}

// advance moves row k on by one row.
func (s *sm) advance() {
	f := s.f
	f.ADDQ(smRow, smSrc)
	f.ADDQ(smRow, smDst)
}

// hreduce reduces the lanes of acc with op into the low lane of X(i), X(t) scratch.
func (s *sm) hreduce(acc reg.VecPhysical, op, ops func(...Op), i, t int) reg.VecPhysical {
	f := s.f
	if f.avx512() {
		f.VEXTRACTF32X8(U8(1), acc, ymmAll(t))
		op(ymmAll(t), f.half(acc), ymm[i])
	} else {
		f.VMOVAPS(acc, ymm[i])
	}
	f.VEXTRACTF128(U8(1), ymm[i], xmm[t])
	op(xmm[t], xmm[i], xmm[i])
	f.VPSHUFD(U8(0x4e), xmm[i], xmm[t])
	op(xmm[t], xmm[i], xmm[i])
	f.VPSHUFD(U8(0xb1), xmm[i], xmm[t])
	ops(xmm[t], xmm[i], xmm[i])
	return xmm[i]
}

// maxOut sets m to the maximum of the running maxima; AVX2: and the low lane of check to the
// minimum less the maximum, which the next row compares with -87. The maxima and minima are
// reset.
func (s *sm) maxOut() {
	f := s.f
	x := s.hreduce(s.mx, f.VMAXPS, f.VMAXSS, 0, 1)
	f.VBROADCASTSS(x, s.m)
	if !f.avx512() {
		y := s.hreduce(s.mn, f.VMINPS, f.VMINSS, 2, 3)
		f.VSUBSS(x, y, xmm[f.wvIndex(s.check)])
	}
	s.resetMax()
}

// sumOut sets inv to 1/sum of the row just summed: the running sums less their starting 2
// (exact) and the errors, in float64; the quotient rounded once to float32. The sums are reset.
func (s *sm) sumOut() {
	f := s.f
	two := s.tab.f32("2.0", 2)
	a, b, c, d := f.V(0), f.V(1), f.V(2), f.V(3)
	if f.avx512() {
		f.VSUBPS_BCST(two, s.s, s.s)
		f.VCVTPS2PD(f.half(s.s), a)
		f.VEXTRACTF32X8(U8(1), s.s, f.half(b))
		f.VCVTPS2PD(f.half(b), b)
		f.VCVTPS2PD(f.half(s.c), c)
		f.VEXTRACTF32X8(U8(1), s.c, f.half(d))
		f.VCVTPS2PD(f.half(d), d)
	} else {
		f.VSUBPS(two, s.s, s.s)
		f.VCVTPS2PD(f.half(s.s), a)
		f.VEXTRACTF128(U8(1), s.s, f.half(b))
		f.VCVTPS2PD(f.half(b), b)
		f.VCVTPS2PD(f.half(s.c), c)
		f.VEXTRACTF128(U8(1), s.c, f.half(d))
		f.VCVTPS2PD(f.half(d), d)
	}
	f.VADDPD(b, a, a)
	f.VADDPD(d, c, c)
	f.VADDPD(c, a, a)
	f.hsum64(a, b) // X1
	f.VMOVSD(c64(s.tab, "1.0 (float64)", 1), xmm[0])
	f.VDIVSD(xmm[1], xmm[0], xmm[0])
	f.VCVTSD2SS(xmm[0], xmm[0], xmm[0])
	f.VBROADCASTSS(xmm[0], s.inv)
	s.resetSum()
}

// resetMax starts the running maximum of a row at -Inf (AVX2: and the minimum at +Inf).
func (s *sm) resetMax() {
	f := s.f
	f.VBROADCASTSS(s.tab.bcast32("-Inf", 0xff800000), s.mx)
	if !f.avx512() {
		f.VBROADCASTSS(s.tab.bcast32("+Inf", 0x7f800000), s.mn)
	}
}

// resetSum starts the sums of a row: 2 in every lane, and errors 0.
func (s *sm) resetSum() {
	f := s.f
	f.VBROADCASTSS(s.tab.f32("2.0", 2), s.s)
	if f.avx512() {
		f.VPXORD(s.c, s.c, s.c)
	} else {
		f.VXORPS(s.c, s.c, s.c)
	}
}

// rows emits the row loop:
//
//	the maximum of row 0
//	row 0: its exponentials, the maximum of row 1
//	row 1: its exponentials, the maximum of row 2, the sum of row 0
//	row k >= 2: its exponentials, the maximum of row k+1, the sum of row k-1, the scaling of row k-2
//	the sum of the last row, the scaling of the one before it (of none with one row)
//	the scaling of the last row
func (s *sm) rows() {
	f := s.f
	s.resetMax()
	s.resetSum()
	f.MOVQ(smSrc, smNext)
	f.MOVQ(smSrc, smAhead)
	s.loop("max0", smPass{max: true})
	s.maxOut()

	s.next()
	s.rowPass("row0", smPass{exp: true, max: true})
	s.maxOut()
	s.advance()
	f.DECQ(smRows)
	f.JZ(LabelRef("end1"))

	s.next()
	s.behind(false)
	s.rowPass("row1", smPass{exp: true, max: true, sum: true})
	s.maxOut()
	s.sumOut()
	s.redoIfNaN(1, 2)
	s.advance()
	f.DECQ(smRows)
	f.JZ(LabelRef("end2"))

	f.Label("rows")
	s.next()
	s.behind(true)
	s.rowPass("row", smPass{exp: true, max: true, sum: true, scale: true})
	s.maxOut()
	s.sumOut()
	s.redoIfNaN(2, 2)
	s.advance()
	f.DECQ(smRows)
	f.JNZ(LabelRef("rows"))

	f.Label("end2")
	s.behind(true)
	s.loop("sumscale", smPass{sum: true, scale: true})
	s.sumOut()
	s.redoIfNaN(3, 1)
	f.MOVQ(smSum, smPrev)
	f.JMP(LabelRef("last"))

	f.Label("end1")
	s.behind(false)
	s.loop("sum", smPass{sum: true})
	s.sumOut()
	s.redoIfNaN(4, 1)
	f.MOVQ(smSum, smPrev)

	f.Label("last")
	s.loop("scale", smPass{scale: true})
	f.Label("done")
	f.ret()
	if f.avx512() {
		s.redo(4)
	}
}

// redoIfNaN (AVX-512) follows the sum of the row just summed (dst row k-1, src row k-1 at
// SI - R11): if the sum is not finite and the row ran without the clamp (bit of R12), it jumps to
// the redo, which returns to "back<site>".
func (s *sm) redoIfNaN(site int, bit uint32) {
	f := s.f
	if !f.avx512() {
		return
	}
	back := fmt.Sprintf("back%d", site)
	f.VMOVQ(xmm[1], count) // the sum, float64
	f.SHRQ(U8(52), count)
	f.ANDL(U32(0x7ff), count.As32())
	f.CMPL(count.As32(), U32(0x7ff))
	f.JNE(LabelRef(back)) // finite
	f.TESTQ(U32(bit), smTail)
	f.JZ(LabelRef(back)) // the row was clamped: a NaN or +Inf in it
	f.MOVQ(U32(site), s.site)
	f.JMP(LabelRef("redo"))
	f.Label(back)
}

// redo (AVX-512) does row k-1 again with the clamp: its maximum, its exponentials and their sum,
// 1/sum into inv; then every later row is clamped. It keeps the maximum of the next row and
// returns to the site redoIfNaN stored.
func (s *sm) redo(sites int) {
	f := s.f
	f.Label("redo")
	f.VMOVSS(reg.X21, s.saved) // the maximum of the next row
	f.SUBQ(smRow, smSrc)
	f.SUBQ(smRow, smDst)
	f.MOVQ(smSrc, smNext)
	f.MOVQ(smSrc, smAhead)
	s.loop("redomax", smPass{max: true})
	s.maxOut()
	s.loop("redoexp", smPass{exp: true, clamp: true})
	s.loop("redosum", smPass{sum: true})
	s.sumOut()
	f.VBROADCASTSS(s.saved, s.m)
	f.ADDQ(smRow, smSrc)
	f.ADDQ(smRow, smDst)
	f.MOVB(U8(1), s.sticky)
	f.MOVQ(s.site, count)
	for i := 1; i <= sites; i++ {
		f.CMPQ(count, U8(i))
		f.JE(LabelRef(fmt.Sprintf("back%d", i)))
	}
	f.JMP(LabelRef("done")) // not reached
}

// rowPass emits the pass of row k in two versions, without and with the clamp of x - max: on
// AVX-512 the clamped one once the sticky flag is set (and R12 records which one ran), on AVX2
// where the check that maxOut left (min - max < -87) asks for it (which also scales in two
// steps).
func (s *sm) rowPass(name string, p smPass) {
	f := s.f
	if f.avx512() {
		f.ADDQ(smTail, smTail)
		f.ANDQ(U8(2), smTail) // row k-1's bit
		f.CMPB(s.sticky, U8(0))
		f.JNE(LabelRef(name + "_clamp"))
		f.ORQ(U8(1), smTail)
	} else {
		f.VUCOMISS(s.tab.f32("-87, the bound of the AVX2 rows whose exponentials are normal", smFast), xmm[f.wvIndex(s.check)])
		f.JCS(LabelRef(name + "_clamp")) // below, or unordered
	}
	s.loop(name, p)
	f.JMP(LabelRef(name + "_done"))
	f.Label(name + "_clamp")
	p.clamp = true
	s.loop(name+"c", p)
	f.Label(name + "_done")
}

// smRegs is the register map of both functions: the general-purpose registers, then lines.
func smRegs(f *fn, lines ...string) {
	f.regs(append([]string{
		"SI, DI  src and dst of row k",
		"R9  src of row k+1 (of row k on the last row), the row whose maximum the pass takes",
		"AX  2 KB past the start of row k+1 (or as far as src goes), where the pass " +
			"prefetches; scratch before the rows",
		"DX  dst of row k-1, the row whose sum the pass forms",
		"R8  dst of row k-2, the row the pass scales",
		"CX  byte offset within the rows",
		"R10  the bytes of a row's whole vectors",
		"R11  the bytes of a row",
		r12(f),
		"R13  R10 less the bytes of one iteration of the unrolled loop",
		"BX  rows left, row k included",
	}, lines...)...)
}

func r12(f *fn) string {
	if f.avx512() {
		return "R12  bit 0: row k ran without the clamp; bit 1: row k-1 did"
	}
	return "R12  cols%8"
}

func softmaxF32(f *fn, tab *consts) {
	e := f.newExp32(tab)
	s := &sm{f: f, tab: tab, e: e, unroll: smUnroll(f)}
	if f.avx512() {
		s.vec = func(j int) expVec {
			return expVec{X: Z(5 * j), T: Z(5*j + 1), K: Z(5*j + 2), P: Z(5*j + 3), R: Z(5*j + 4)}
		}
		s.one, s.m, s.inv, s.s, s.c, s.mx = Z(20), Z(21), Z(22), Z(27), Z(28), Z(29)
		s.sticky, s.saved, s.site = f.AllocLocal(8), f.AllocLocal(8), f.AllocLocal(8)
		smRegs(f,
			"Z0-Z19  four vectors in flight, five registers each (x, t, k/16, polynomial, "+
				"R[j]); the sum stream's scratch in the fourth and fifth, the scaled vectors in "+
				"the fifth; the reductions between rows",
			"Z20  1.0",
			"Z21  the maximum of row k",
			"Z22  1/sum of row k-2",
			"Z23-Z26, Z30, Z31  e^x constants: 1/ln2, 1.5*2^19, -ln2hi, -ln2lo, RHO16, THI16 "+
				"(D3 and D2 are memory operands)",
			"Z27, Z28  the running sums of row k-1 (starting at 2) and their rounding errors",
			"Z29  the running maximum of row k+1",
			"K1  the last cols%16 lanes of a row",
			"stack: the sticky flag (rows clamped), the next row's maximum and the return site "+
				"while a row is done again",
		)
		e.load() // Z27-Z29 are then the sums and the maximum
	} else {
		s.vec = func(j int) expVec {
			return expVec{X: ymm[4*j], T: ymm[4*j+1], K: ymm[4*j+2], P: ymm[4*j+3]}
		}
		s.m, s.inv, s.s, s.c, s.mx, s.mn, s.check = reg.Y8, reg.Y9, reg.Y10, reg.Y11, reg.Y12,
			reg.Y14, reg.Y4
		s.one, s.magic, s.mask = reg.Y13, reg.Y15, reg.Y7
		s.maskMem = f.AllocLocal(32)
		smRegs(f,
			"Y0-Y7  two vectors in flight, four registers each (x, t, k, polynomial); the "+
				"maximum stream's load, the sum stream's scratch in the third and fourth, the "+
				"scaled vectors in the fourth; the reductions between rows; X4 min - max of row "+
				"k+1 between rows; Y7 the tail mask in the tails",
			"Y8  the maximum of row k",
			"Y9  1/sum of row k-2",
			"Y10, Y11  the running sums of row k-1 (starting at 2) and their rounding errors",
			"Y12, Y14  the running maximum and minimum of row k+1",
			"Y13  1.0",
			"Y15  1.5*2^20",
			"the other e^x constants: memory operands",
			"stack: the VMASKMOV mask of the last cols%8 lanes",
		)
	}
	s.args()
	f.VBROADCASTSS(tab.f32("1.0", 1), s.one)
	if f.avx512() {
		// Rows are clamped from the start where dst is src: a row cannot be done again.
		f.XORL(smTail.As32(), smTail.As32())
		f.CMPQ(smDst, smSrc)
		f.SETEQ(s.sticky)
	} else {
		f.VBROADCASTSS(tab.bcast32("1.5*2^20", exp32Magic8), s.magic)
	}
	s.smallDispatch()
	s.rows()
	s.smallRows()
}

// smallDispatch jumps to the register path of rows of at most unroll vectors, "small<n>" for
// rows of n vectors (AVX2: "small<n>m" where the last is partial). AVX-512 sets K2 to the lanes
// of the last vector: K1, or all 16 where cols%16 is 0.
func (s *sm) smallDispatch() {
	f := s.f
	f.CMPQ(smRow, imm(s.unroll*f.VecBytes))
	f.JA(LabelRef("pipelined"))
	if f.avx512() {
		f.KMOVW(tailK, reg.K2)
		f.KORTESTW(tailK, tailK)
		f.JNZ(LabelRef("smallmask"))
		f.KXNORW(reg.K2, reg.K2, reg.K2)
		f.Label("smallmask")
	}
	for n := 1; n < s.unroll; n++ {
		f.CMPQ(smRow, imm(n*f.VecBytes))
		if f.avx512() {
			f.JBE(LabelRef(fmt.Sprintf("small%d", n)))
			continue
		}
		f.JB(LabelRef(fmt.Sprintf("small%dm", n)))
		f.JE(LabelRef(fmt.Sprintf("small%d", n)))
	}
	last := fmt.Sprintf("small%d", s.unroll)
	if !f.avx512() {
		f.CMPQ(smRow, imm(s.unroll*f.VecBytes))
		f.JB(LabelRef(last + "m"))
	}
	f.JMP(LabelRef(last))
	f.Label("pipelined")
}

// smallRows emits the register path: rows of n <= unroll vectors, each row loaded once (its last
// vector under the mask, its other lanes -Inf), its maximum, exponentials (clamped, AVX2 scaled
// in two steps), their sum widened to float64, 1/sum, and the products stored.
func (s *sm) smallRows() {
	f := s.f
	for n := 1; n <= s.unroll; n++ {
		if f.avx512() {
			s.smallRow(n, true)
			continue
		}
		s.smallRow(n, true)
		s.smallRow(n, false)
	}
}

// smallRow emits the loop over rows of n vectors; masked: the last vector is partial (AVX-512:
// always masked, with K2).
func (s *sm) smallRow(n int, masked bool) {
	f, e := s.f, s.e
	avx512 := f.avx512()
	name := fmt.Sprintf("small%d", n)
	if masked && !avx512 {
		name += "m"
	}
	at := func(base reg.Register, j int) Mem { return Mem{Base: base, Disp: j * f.VecBytes} }
	vs := make([]expVec, n)
	for j := range vs {
		vs[j] = s.vec(j)
	}
	last := vs[n-1].X
	maskY, fillY := reg.Y12, reg.Y14 // AVX2: the tail mask and -Inf
	f.Label(name)
	if masked && !avx512 {
		f.VMOVDQU(s.maskMem, maskY)
		f.VBROADCASTSS(s.tab.bcast32("-Inf", 0xff800000), fillY)
	}
	f.Label(name + "_row")
	// The row, the masked-off lanes -Inf.
	for j := 0; j < n-1; j++ {
		f.VMOVUPS(at(smSrc, j), vs[j].X)
	}
	switch {
	case avx512:
		f.VBROADCASTSS(s.tab.bcast32("-Inf", 0xff800000), last)
		f.VMOVUPS(at(smSrc, n-1), reg.K2, last)
	case masked:
		f.VMASKMOVPS(at(smSrc, n-1), maskY, last)
		f.BLENDV(maskY, last, fillY, last)
	default:
		f.VMOVUPS(at(smSrc, n-1), last)
	}
	// The maximum, into every lane of m.
	acc := vs[0].X
	if n > 1 {
		acc = vs[0].T
		f.VMAXPS(vs[1].X, vs[0].X, acc)
		for j := 2; j < n; j++ {
			f.VMAXPS(vs[j].X, acc, acc)
		}
	}
	x := s.hreduce(acc, f.VMAXPS, f.VMAXSS, 1, 2)
	f.VBROADCASTSS(x, s.m)
	// The exponentials of x - max, clamped at -104. The masked-off lanes take x - max = 0
	// (e^-104 would underflow, which costs a microcode assist per vector on Intel's cores and is
	// slow with AVX2 on others) and are cleared again below.
	for j, v := range vs {
		if j == n-1 && avx512 {
			f.VSUBPS_Z(s.m, v.X, reg.K2, v.X)
		} else {
			f.VSUBPS(s.m, v.X, v.X)
		}
		if j == n-1 && masked && !avx512 {
			f.VXORPS(v.K, v.K, v.K)
			f.BLENDV(maskY, v.X, v.K, v.X)
		}
		f.VBROADCASTSS(e.nbound(), v.K)
		e.clamp(v.X, v.K, nil)
	}
	for _, v := range vs {
		if avx512 {
			e.red(v)
			continue
		}
		f.VMOVAPS(s.magic, v.T)
		f.VFMADD231PS(s.tab.bcast32("1/ln2", exp32Log2e), v.X, v.T)
		f.VSUBPS(s.magic, v.T, v.K)
		f.VFMADD231PS(s.tab.bcast32("-ln2hi", exp32NLn2Hi), v.K, v.X)
		f.VFMADD231PS(s.tab.bcast32("-ln2lo", exp32NLn2Lo), v.K, v.X)
	}
	for _, v := range vs {
		s.poly(v)
	}
	for _, v := range vs {
		if avx512 {
			e.scale(v, scaleFast)
		} else {
			e.scale2(v.X, v.T, v.K, scaleSlow)
		}
	}
	if avx512 {
		f.VMOVAPS_Z(last, reg.K2, last)
	} else if masked {
		f.VANDPS(maskY, last, last)
	}
	// The sum, each vector widened to two of float64 (the masked-off lanes are 0).
	for _, v := range vs {
		f.VCVTPS2PD(f.half(v.X), v.P)
		if avx512 {
			f.VEXTRACTF32X8(U8(1), v.X, f.half(v.T))
		} else {
			f.VEXTRACTF128(U8(1), v.X, f.half(v.T))
		}
		f.VCVTPS2PD(f.half(v.T), v.T)
		f.VADDPD(v.T, v.P, v.P)
	}
	for j := 1; j < n; j++ {
		f.VADDPD(vs[j].P, vs[0].P, vs[0].P)
	}
	f.hsum64(vs[0].P, vs[0].K) // the sum in the low lane of K's XMM
	sum := xmm[f.wvIndex(vs[0].K)]
	one := xmm[f.wvIndex(vs[0].T)]
	f.VMOVSD(c64(s.tab, "1.0 (float64)", 1), one)
	f.VDIVSD(sum, one, one)
	f.VCVTSD2SS(one, one, one)
	f.VBROADCASTSS(one, s.inv)
	// The products.
	for j, v := range vs {
		f.VMULPS(s.inv, v.X, v.X)
		switch {
		case j < n-1 || (!avx512 && !masked):
			f.VMOVUPS(v.X, at(smDst, j))
		case avx512:
			f.VMOVUPS(v.X, reg.K2, at(smDst, j))
		default:
			f.VMASKMOVPS(v.X, maskY, at(smDst, j))
		}
	}
	f.ADDQ(smRow, smSrc)
	f.ADDQ(smRow, smDst)
	f.DECQ(smRows)
	f.JNZ(LabelRef(name + "_row"))
	f.JMP(LabelRef("done"))
}

// poly is the polynomial and table steps of the core: AVX-512 with D3 and D2 from memory and 1.0
// in a register (the registers of D3, D2 and 1.0 hold the sums and the maximum), AVX2 with 1.0
// in a register.
func (s *sm) poly(v expVec) {
	f, t := s.f, s.tab
	if f.avx512() {
		f.VBROADCASTSS(t.bcast32("D3, e^x's r^3 coefficient (AVX-512)", exp32D3), v.P)
		f.VFMADD213PS_BCST(t.bcast32("D2, e^x's r^2 coefficient (AVX-512)", exp32D2), v.X, v.P)
		f.VFMADD213PS(s.one, v.X, v.P)
		f.VPERMPS(exp32RegRho, v.T, v.R)
		return
	}
	f.VMOVUPS(t.bcast32("1/24", exp32C4), v.P)
	f.VFMADD213PS(t.bcast32("1/6", exp32C3), v.X, v.P)
	f.VFMADD213PS(t.bcast32("1/2", exp32C2), v.X, v.P)
	f.VFMADD213PS(s.one, v.X, v.P)
	f.VPERMPS(t.vec32("RHO8: 2^(j/8) = THI8[j]*(1+RHO8[j])", every2(exp32RHO16)...), v.T, v.K)
	f.VFMADD213PS(v.K, v.P, v.X)
	f.VPERMPS(t.vec32("THI8: 2^(j/8) rounded to float32", every2(exp32THI16)...), v.T, v.P)
	f.VFMADD213PS(v.P, v.P, v.X)
}
