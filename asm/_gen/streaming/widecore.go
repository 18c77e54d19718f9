package main

import (
	"math"

	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/ir"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// This file holds what the float32 kernels that evaluate in float64 lanes share (LogSoftmax and
// the backward kernels of Softplus, GELU, SiLU and ELU): the conversions between a vector of
// float32 and two vectors of float64, the registers of a block of such vectors, and exp64, an
// e^x core in float64 lanes accurate to about 2^-32 relative: far beyond float32 precision, so
// that a float32 result computed from it in float64 and rounded once is within 1 ULP of the
// correctly rounded one.
//
// Why float64 lanes: every float32 x is exact as a float64 (subnormals become normal numbers),
// x² is exact too, and the steps that lose a float32 ULP or more in float32 arithmetic (the
// argument of e^(-x²/2), log1p of a tiny e^x, the cancellation around ln 1) lose nothing that
// shows after the final rounding to float32.

// f64bits is the bits of v.
func f64bits(v float64) uint64 { return math.Float64bits(v) }

// c64 is the address of 4 copies of the float64 v in tab: a YMM memory operand, or the source of
// an AVX-512 {1to8} broadcast.
func c64(tab *consts, note string, v float64) Mem { return tab.bcast64(note, f64bits(v)) }

// table64 is the address of the float64 values vs, in order, in tab.
func table64(tab *consts, note string, vs []float64) Mem {
	var w []uint32
	for _, v := range vs {
		b := f64bits(v)
		w = append(w, uint32(b), uint32(b>>32))
	}
	return tab.entry(note, w...)
}

// wideVec is the pair of float64 vectors that hold one float32 vector: Lo its first half, Hi its
// second.
type wideVec struct{ Lo, Hi reg.VecPhysical }

// half is the register of the float32 half of width VecBytes/2 that overlaps vector register r:
// the low YMM of a ZMM, the low XMM of a YMM.
func (f *fn) half(r reg.VecPhysical) reg.VecPhysical {
	for i := range zmmAll {
		if zmmAll[i] == r || (i < 16 && ymm[i] == r) {
			if f.avx512() {
				return ymmAll(i)
			}
			return xmm[i]
		}
	}
	panic("half: not a vector register of the ISA: " + r.Asm())
}

// ymmAll is YMM register i, 0 <= i < 32.
func ymmAll(i int) reg.VecPhysical {
	if i < 16 {
		return ymm[i]
	}
	return []reg.VecPhysical{reg.Y16, reg.Y17, reg.Y18, reg.Y19, reg.Y20, reg.Y21, reg.Y22,
		reg.Y23, reg.Y24, reg.Y25, reg.Y26, reg.Y27, reg.Y28, reg.Y29, reg.Y30, reg.Y31}[i-16]
}

// widenMem converts the float32 vector at m into w: two VCVTPS2PD from memory.
func (f *fn) widenMem(m Mem, w wideVec) {
	h := m
	h.Disp += f.VecBytes / 2
	f.VCVTPS2PD(m, w.Lo)
	f.VCVTPS2PD(h, w.Hi)
}

// widenReg converts the float32 vector x into w (x may not be w.Lo or w.Hi).
func (f *fn) widenReg(x reg.VecPhysical, w wideVec) {
	f.VCVTPS2PD(f.half(x), w.Lo)
	if f.avx512() {
		f.VEXTRACTF32X8(U8(1), x, f.half(w.Hi))
	} else {
		f.VEXTRACTF128(U8(1), x, f.half(w.Hi))
	}
	f.VCVTPS2PD(f.half(w.Hi), w.Hi)
}

// narrowStore rounds w to float32 and stores it to m (two half-width stores).
func (f *fn) narrowStore(w wideVec, m Mem) {
	h := m
	h.Disp += f.VecBytes / 2
	if f.avx512() {
		f.VCVTPD2PS(w.Lo, f.half(w.Lo))
		f.VCVTPD2PS(w.Hi, f.half(w.Hi))
	} else {
		f.VCVTPD2PSY(w.Lo, f.half(w.Lo))
		f.VCVTPD2PSY(w.Hi, f.half(w.Hi))
	}
	f.VMOVUPS(f.half(w.Lo), m)
	f.VMOVUPS(f.half(w.Hi), h)
}

// narrowReg rounds w to float32 into the float32 vector out (which may be w.Lo).
func (f *fn) narrowReg(w wideVec, out reg.VecPhysical) {
	if f.avx512() {
		f.VCVTPD2PS(w.Lo, f.half(w.Lo))
		f.VCVTPD2PS(w.Hi, f.half(w.Hi))
		f.VINSERTF32X8(U8(1), f.half(w.Hi), w.Lo, out)
		return
	}
	f.VCVTPD2PSY(w.Lo, f.half(w.Lo))
	f.VCVTPD2PSY(w.Hi, f.half(w.Hi))
	f.VINSERTF128(U8(1), f.half(w.Hi), w.Lo, out)
}

// exp64 emits e^a in float64 lanes to float32 kernels' accuracy: within about 2^-32 relative
// for a in [-1100, 0] on AVX-512 and [-708, 0] on AVX2 (the kernel clamps).
//
// Method: n = round(a/ln2), r = a - n·ln2 (one FMA with ln2 rounded to float64: n·(ln2 - ln2₆₄)
// is below 2^-43 for |n| <= 1600, so r is within 2^-43 of its exact value), |r| <= ln2/2 + 2^-43,
// e^r by its Taylor polynomial of degree 8 (the remainder is below 2^-32 relative), and the
// scaling by 2^n: VSCALEFPD on AVX-512 (which rounds once and goes down through the subnormals to
// 0), the addition of n to the exponent field on AVX2 (the result must be normal: a >= -708).
//
// Registers: A holds a and ends as r; N is scratch (n); P is the result. Constants are memory
// operands of tab ({1to8} broadcasts on AVX-512). Nothing else is written. On AVX2 a NaN argument
// gives a NaN (the default NaN's low bits are zero, so adding n<<52 keeps it a NaN); on AVX-512
// VSCALEFPD keeps it.
type exp64 struct {
	f   *fn
	tab *consts
}

// exp64Taylor are 1/k!, k = 0..8: e^r's Taylor coefficients.
var exp64Taylor = func() []float64 {
	c := make([]float64, 9)
	c[0] = 1
	for k := 1; k < len(c); k++ {
		c[k] = c[k-1] / float64(k)
	}
	return c
}()

func (f *fn) newExp64(tab *consts) *exp64 { return &exp64{f: f, tab: tab} }

// exp sets P = e^A; A ends as r, N as n (AVX-512) or scratch (AVX2).
func (e *exp64) exp(a, n, p reg.VecPhysical) {
	f, t := e.f, e.tab
	log2e := c64(t, "1/ln2", 1/math.Ln2)
	nln2 := c64(t, "-ln2", -math.Ln2)
	coef := func(k int) Mem { return c64(t, "1/k!, e^r's Taylor coefficients", exp64Taylor[k]) }
	if f.avx512() {
		magic := c64(t, "1.5*2^52: adding it rounds to an integer, kept in the low bits", 0x1.8p52)
		f.VBROADCASTSD(magic, n)
		f.VFMADD231PD_BCST(log2e, a, n) // 1.5*2^52 + n
		f.VSUBPD_BCST(magic, n, p)      // n
		f.VFMADD231PD_BCST(nln2, p, a)  // r
		f.VBROADCASTSD(coef(8), p)
		for k := 7; k >= 0; k-- {
			f.VFMADD213PD_BCST(coef(k), a, p)
		}
		f.VPSLLQ(U8(52), n, n)
		f.VPADDQ(n, p, p)
		return
	}
	magic := c64(t, "1.5*2^52: adding it rounds to an integer, kept in the low bits", 0x1.8p52)
	f.VMOVUPD(magic, n)
	f.VFMADD231PD(log2e, a, n) // 1.5*2^52 + n
	f.VSUBPD(magic, n, p)      // n
	f.VFMADD231PD(nln2, p, a)  // r
	f.VMOVUPD(coef(8), p)
	for k := 7; k >= 0; k-- {
		f.VFMADD213PD(coef(k), a, p)
	}
	f.VPSLLQ(U8(52), n, n) // n<<52: the bits of 1.5*2^52 shift out
	f.VPADDQ(n, p, p)
}

// wideX is the register of the float64 half h of float32 vector j of a block: Z0-Z3 on
// AVX-512, Y0 and Y1 on AVX2 (whose vectors of one block reuse them).
func (f *fn) wideX(j, h int) reg.VecPhysical {
	if f.avx512() {
		return Z(2*j + h)
	}
	return ymm[h]
}

// wideScratch are the n scratch registers of half h of vector j (n <= 6): Z4-Z27 on AVX-512, each
// half its own; Y2-Y7 on AVX2, shared by the halves.
func (f *fn) wideScratch(j, h, n int) []reg.VecPhysical {
	var s []reg.VecPhysical
	for i := 0; i < n; i++ {
		if f.avx512() {
			s = append(s, Z(4+6*(2*j+h)+i))
		} else {
			s = append(s, ymm[2+i])
		}
	}
	return s
}

// interleave emits the instructions of gens, which must write disjoint registers, in turn: the
// first instruction of each, then the second of each, and so on. Each gen emits into a scratch
// function of its own (g is f with another build context), so that its instruction stream can
// be taken apart; gens may emit instructions only (no labels, no branches).
func (f *fn) interleave(gens ...func(g *fn)) {
	var streams [][]*ir.Instruction
	for _, gen := range gens {
		sc := build.NewContext()
		sc.Function("interleave")
		sc.SignatureExpr("func()")
		g := *f
		g.Context = sc
		gen(&g)
		file, err := sc.Result()
		if err != nil {
			panic(f.Name + ": interleave: " + err.Error())
		}
		var s []*ir.Instruction
		for _, node := range file.Functions()[0].Nodes {
			i, ok := node.(*ir.Instruction)
			if !ok {
				panic(f.Name + ": interleave: only instructions can be interleaved")
			}
			s = append(s, i)
		}
		streams = append(streams, s)
	}
	for k := 0; ; k++ {
		more := false
		for _, s := range streams {
			if k < len(s) {
				f.Instruction(s[k])
				more = true
			}
		}
		if !more {
			return
		}
	}
}
