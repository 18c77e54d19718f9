package main

import (
	"fmt"
	"math"
	"strings"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("silugrad", genSiLUGrad) }

// siluGradSpec describes a backward kernel of the form dy·d/dx[x·σ(v(x))] =
// dy·σ(v)·(1 + x·v'(x)·σ(-v)), v odd and increasing: SiLU (v = x) and GELUTanh.
type siluGradSpec struct {
	name, table string
	doc         []string // the doc comment's blocks
	// hi is the upper clamp of x: from it on the derivative is 1 in float64; cut is where the
	// derivative is taken as -0 (below it, -Inf included), as in the pure-Go path.
	hi, cut float64
	// arg sets A = v and, if xdv is not nil, xdv = x·v'(x), from X = x (clamped), emitting
	// into g; s is a scratch register.
	arg func(g *fn, tab *consts, x, a, xdv, s reg.VecPhysical)
	// f64 is the float64 kernel.
	f64 sigGrad64
}

const (
	// siluGradLo is the clamp of -|v|: e^-400 < 2^-577, so that the result below it rounds to ±0
	// in float32 even for the largest dy, and e^-400 is a normal float64.
	siluGradLo = -400
	// Predicates: "greater than, ordered, quiet" and "unordered, quiet".
	siluGradGTOQ    = 0x1e
	siluGradUNORDQ  = 0x03
	siluGradUnroll  = 2    // float32 vectors per iteration of the main loop
	siluGradTernSel = 0xca // VPTERNLOG: A ? B : C
)

// genSiLUGrad emits SiLUGrad, float32.
func genSiLUGrad(c *build.Context) {
	genXSigmoidGrad(c, siluGradSpec{
		name:  "SiLUGrad",
		table: "silugrad32c",
		doc: []string{
			" sets dx[i] = dy[i]·σ(x)·(1 + x·(1 - σ(x))) for x = x[i], the gradient through " +
				"SiLU, evaluated in float64 lanes and rounded once: within 1 ULP of the " +
				"correctly rounded result of",
			"\tfor i := range dx {\n\t\tv := float64(x[i])\n\t\ts := 1 / (1 + math.Exp(-v))\n\t\tdx[i] = T(float64(dy[i]) * s * (1 + v*(1-s)))\n\t}",
			"except next to the zero of the derivative (x = -1.2785), where the error is within " +
				"1 ULP of dy·σ(x). dx = dy for x >= 100 (+Inf included), dy·-0 below -1500 " +
				"(-Inf included); NaN gives NaN.",
		},
		hi:  100,
		cut: -1500,
		arg: func(g *fn, _ *consts, x, a, _, _ reg.VecPhysical) { g.VMOVAPD(x, a) },
		f64: sigGrad64{
			doc: []string{
				" sets dx[i] = dy[i]·σ(x)·(1 + x·(1 - σ(x))) for x = x[i], the gradient through " +
					"SiLU, within 2 ULP of the correctly rounded exact value of",
				"\tfor i := range dx {\n\t\tv := x[i]\n\t\ts := 1 / (1 + math.Exp(-v))\n\t\tdx[i] = dy[i] * s * (1 + v*(1-s))\n\t}",
				"except next to the zero of the derivative (x = -1.2785), where the error is " +
					"within 2 ULP of |dy|·σ(x)·(1 + |x|·σ(-x)). It evaluates 1 - σ(x) as σ(-x), " +
					"without cancellation, and multiplies dy in before a subnormal factor is " +
					"scaled, so that any finite dy comes out right. dx = dy for x > 50 (+Inf " +
					"included), dy·-0 below -1500 (-Inf included; NaN for an infinite dy, as the " +
					"pure-Go path); NaN in x gives NaN.",
			},
			hi:      50,
			hiPred:  siluGradGTOQ,
			cut:     grad64Cut,
			cutZero: math.Copysign(0, -1),
		},
	})
}

// genXSigmoidGrad emits the two float32 variants of the kernel s describes.
//
// Method, per float64 half, with x clamped to at most hi (NaN and the lanes below cut are
// replaced at the end):
//
//	v, x·v'                       s.arg
//	e = e^max(-|v|, -400)         exp64 (about 2^-32 relative)
//	q = 1/(1 + e)                 σ(|v|); e·q is σ(-|v|)
//	σ(v) = (x < 0 ? e : 1)·q      the numerator picked by the sign bit of x (that of v)
//	f' = σ(v) + x·v'·e·q²         σ(v)·x·v'·σ(-v), as σ(v)·σ(-v) = e·q² for either sign
//	d = dy·f'                     in float64: no overflow, no subnormal
//
// then d is rounded to float32; the float32 lanes where x < cut take dy·-0 and those where x
// is NaN take x.
func genXSigmoidGrad(c *build.Context, s siluGradSpec) {
	tab, tab64 := newConsts(s.table), newConsts(strings.Replace(s.table, "32c", "64c", 1))
	for _, v := range variants {
		f := newFn(c, s.name, v, "func(dx, dy, x []T)")
		if f.f64() {
			xSigGrad64(f, tab64, s.f64)
			continue
		}
		blocks := append([]string{f.Name + s.doc[0]}, s.doc[1:]...)
		blocks[len(blocks)-1] += " It requires " + f.isa.Requires + eluGradRequires(f) + ". " +
			f.reluGradContract(siluGradUnroll)
		f.doc(blocks...)
		siluGradKernel(f, tab, s)
	}
	tab.emit(c)
	tab64.emit(c)
}

// siluGradHalf names the registers of one float64 half of a float32 vector.
type siluGradHalf struct {
	X, D, A, N, P, Q reg.VecPhysical // x; dy; v, then r, then 1 + e, then σ(v); n, then q; e, then the result; x·v'
}

func siluGradKernel(f *fn, tab *consts, s siluGradSpec) {
	var half func(j, h int) siluGradHalf
	var zero, cut, negZero, tailX, tailDy reg.VecPhysical
	if f.avx512() {
		zero, cut, negZero, tailX, tailDy = Z(24), Z(25), Z(26), Z(27), Z(28)
		half = func(j, h int) siluGradHalf {
			q := 6 * (2*j + h)
			return siluGradHalf{X: Z(q), D: Z(q + 1), A: Z(q + 2), N: Z(q + 3), P: Z(q + 4), Q: Z(q + 5)}
		}
		f.regs(append(reluGradRegs(),
			"Z0-Z23  the float64 halves of two float32 vectors, six registers each: x; dy; v, "+
				"then r, 1 + e and σ(v); n, then q; e, then the result; x·v'",
			"Z24  zero", "Z25  the float32 cut", "Z26  -0 (float32)",
			"Z27, Z28  x and dy in the tail",
			"K2, K3  the float32 lanes below the cut, then the NaN lanes",
			f.tailRegs())...)
	} else {
		tailX, tailDy = f.V(15), f.V(14)
		half = func(_, h int) siluGradHalf {
			q := 6 * h
			return siluGradHalf{X: f.V(q), D: f.V(q + 1), A: f.V(q + 2), N: f.V(q + 3), P: f.V(q + 4), Q: f.V(q + 5)}
		}
		f.regs(append(reluGradRegs(),
			"Y0-Y11  the float64 halves of a float32 vector, six registers each: x; dy; v, "+
				"then r, 1 + e and σ(v); n, then q; e, then the result; x·v'; after the "+
				"rounding, scratch for the float32 selects",
			"Y15, Y14  x and dy in the tail",
			f.tailRegs())...)
	}
	f.reluGradArgs()
	cut32 := tab.f32("the cut, float32", float32(s.cut))
	nz32 := tab.bcast32("-0 (float32)", 0x80000000)
	if f.avx512() {
		f.VPXORD(zero, zero, zero)
		f.VBROADCASTSS(cut32, cut)
		f.VBROADCASTSS(nz32, negZero)
	}
	one := c64(tab, "1.0", 1)
	hi := c64(tab, "the upper clamp of x", s.hi)
	lo := c64(tab, "-400, the clamp of -|v|", siluGradLo)
	sign := tab.bcast64("the sign bit", math.Float64bits(math.Copysign(0, -1)))

	compute := func(g *fn, j, h int, x, dy Op) {
		r := half(j, h)
		eluGradWiden(g, x, h, r.X)
		eluGradWiden(g, dy, h, r.D)
		xdv := r.Q
		if s.name == "SiLUGrad" {
			xdv = r.X // x·v' = x
		}
		if g.avx512() {
			g.VMINPD_BCST(hi, r.X, r.X)
			s.arg(g, tab, r.X, r.A, xdv, r.N)
			g.VORPD_BCST(sign, r.A, r.A) // -|v|
			g.VMAXPD_BCST(lo, r.A, r.A)
		} else {
			g.VMINPD(hi, r.X, r.X)
			s.arg(g, tab, r.X, r.A, xdv, r.N)
			g.VORPD(sign, r.A, r.A)
			g.VMAXPD(lo, r.A, r.A)
		}
		g.newExp64(tab).exp(r.A, r.N, r.P) // P = e
		if g.avx512() {
			g.VADDPD_BCST(one, r.P, r.A) // 1 + e
			g.VBROADCASTSD(one, r.N)
			g.VDIVPD(r.A, r.N, r.N) // q
			g.VPSRAQ(U8(63), r.X, r.A)
			g.VPTERNLOGQ_BCST(U8(siluGradTernSel), one, r.P, r.A) // x < 0 ? e : 1
		} else {
			g.VADDPD(one, r.P, r.A)
			g.VMOVUPD(one, r.N)
			g.VDIVPD(r.A, r.N, r.N)
			g.VMOVUPD(one, r.A)
			g.VBLENDVPD(r.X, r.P, r.A, r.A) // the sign bit of x: e, else 1
		}
		g.VMULPD(r.N, r.A, r.A)      // σ(v)
		g.VMULPD(r.N, r.P, r.P)      // e·q
		g.VMULPD(r.N, r.P, r.P)      // e·q²
		g.VFMADD213PD(r.A, xdv, r.P) // f' = x·v'·e·q² + σ(v)
		g.VMULPD(r.D, r.P, r.P)      // dy·f'
	}
	finish := func(j int, x, dy Op) reg.VecPhysical {
		lo, hi := half(j, 0), half(j, 1)
		out := lo.P
		f.narrowReg(wideVec{Lo: lo.P, Hi: hi.P}, out)
		if f.avx512() {
			f.VCMPPS(U8(siluGradGTOQ), x, cut, reluGradK(0)) // cut > x
			f.VMULPS(dy, negZero, reluGradK(0), out)
			f.VCMPPS(U8(siluGradUNORDQ), x, zero, reluGradK(1)) // x is NaN
			f.VMOVUPS(x, reluGradK(1), out)
			return out
		}
		xr, dyr, m := lo.A, lo.N, hi.A
		if r, ok := x.(reg.VecPhysical); ok {
			xr = r
		} else {
			f.VMOVUPS(x, xr)
		}
		f.VCMPPS(U8(reluGradLTOQ), cut32, xr, m) // x < cut
		f.VMOVUPS(nz32, dyr)
		f.VMULPS(dy, dyr, dyr) // dy·-0
		f.VBLENDVPS(m, dyr, out, out)
		f.VCMPPS(U8(siluGradUNORDQ), xr, xr, m) // x is NaN
		f.VBLENDVPS(m, xr, out, out)
		return out
	}
	f.eluGradWideLoop(siluGradUnroll, compute, finish, tailX, tailDy)
}

func reluGradK(i int) reg.OpmaskPhysical { return kreg[i] }

// sigGrad64 describes a float64 backward kernel of the x·σ family (xSigGrad64): SiLUGrad and
// GELUTanhGrad, dy·σ(v)·(1 + x·v'·σ(-v)), and SoftplusGrad, dy·σ(x).
type sigGrad64 struct {
	// softplus: the derivative is σ(x) itself (no factor 1 + x·v'·σ(-v)).
	softplus bool
	// doc is the doc comment's blocks after the function's name.
	doc []string
	// hi, where set, is where dx = dy from on (hiPred the predicate of x against it: dy where
	// it holds); cut is where the derivative is taken as zero (below it, -Inf included): dx =
	// dy·cutZero.
	hi      float64
	hiPred  uint8
	cut     float64
	cutZero float64
	// arg is the first stage: x in v.I (loaded), it sets v.A = a = -|v| clamped at -1500,
	// reduced by f64Exp.red into v.A, v.B, v.C, and (except softplus) v.I = x·v'(x), keeping
	// the sign of x, with its low part in v.K where pair is set. It may use the other registers
	// of v. Nil: v = x.
	arg  func(f *fn, e *f64Exp, v sigGrad64Vec)
	pair bool
}

// sigGrad64Vec are the registers of one vector of xSigGrad64: ten, and K where x·v' is a pair.
type sigGrad64Vec struct{ A, B, C, D, E, F, G, H, I, J, K reg.VecPhysical }

// width is the number of registers of one vector.
func (s *sigGrad64) width() int {
	if s.pair {
		return 11
	}
	return 10
}

// unroll is the number of vectors per iteration of xSigGrad64's main loop.
func (s *sigGrad64) unroll(f *fn) int {
	if !f.avx512() {
		return 1
	}
	return 30 / s.width()
}

// xSigGrad64 emits the float64 kernel s describes, for f's ISA.
//
// Method. From a = -|v| (clamped at -1500) the core (expcore64.go) gives e^a = (M + Ml)·2^n,
// M = 1 + s rounded and Ml = s - (M - 1) its error (exact); e + el = (M + Ml)·2^n (AVX2:
// 2^max(n, -1022), where e no longer matters next to 1), d + dl = 1 + e + el (Fast2Sum, dl
// rounded) and rd = 1/d (VDIVPD). A quotient (num + numl)/(1 + e + el) is y0 + yl with y0 =
// num·rd and yl = rd·(num - y0·d + numl - y0·dl) (num - y0·d exact by FMA), within about 2^-100
// relative. With that,
//
//	σ(v)·2^-m = (M + Ml)/(1 + e) where x < 0 (m = n), 1/(1 + e) elsewhere (m = 0): y0 + yl
//	σ(-v)     = 1/(1 + e) where x < 0, (e + el)/(1 + e) elsewhere: sm0 + sml
//	k         = 1 + x·v'·(sm0 + sml) = kh + kl     x·v'·sm0 exact as a pair (FMA), 1 + its
//	                                                 high part by TwoSum
//	p         = (y0 + yl)·(kh + kl) = ph + pl      y0·kh exact as a pair (FMA), the other
//	                                                 products added to the low part
//	dx        = dy·(ph + pl)·2^m                   f64Exp.mulScaled: one rounding (FMA), one more
//	                                                 where dx is subnormal
//
// (SoftplusGrad: ph + pl = y0 + yl). e^a is within about 0.5 ULP (the reduced argument and s
// each rounded once, and for GELUTanhGrad the low part of a added to r), p carries that error and
// little more (about 2^-100 relative), so dx is within about 1 ULP of dy·f' (the tests measure 1
// ULP, 2 for GELUTanhGrad); next to the zero of k (x·v'·σ(-v) = -1) that error is relative to the
// larger term rather than to the result. The lanes where x is beyond hi take dy, those below the
// cut dy·cutZero, the NaN lanes x.
func xSigGrad64(f *fn, tab *consts, s sigGrad64) {
	unroll := s.unroll(f)
	blocks := append([]string{f.Name + s.doc[0]}, s.doc[1:]...)
	blocks[len(blocks)-1] += " It requires " + f.isa.Requires + siluRequires(f) + ". " +
		f.reluGradContract(unroll)
	f.doc(blocks...)
	e := f.newF64Exp(tab)
	oneC := e.one()
	sign := e.c("the sign bit", 1<<63)
	lo := e.c("-1500, the clamp of -|v|", f64bits(grad64Cut))
	cut := e.c("the cut: below it dx = dy·±0", f64bits(s.cut))
	cutZero := e.c("dx/dy below the cut", f64bits(s.cutZero))
	var hi Mem
	if s.hi != 0 {
		hi = e.c("dx = dy from here on", f64bits(s.hi))
	}
	w := s.width()
	vec := func(j int) sigGrad64Vec {
		r := func(i int) reg.VecPhysical { return f.vreg(w*j + i) }
		v := sigGrad64Vec{r(0), r(1), r(2), r(3), r(4), r(5), r(6), r(7), r(8), r(9), nil}
		if s.pair {
			v.K = r(10)
		}
		return v
	}
	// keep is the register that carries n to the last stage (AVX2: the bits of t), free the
	// other one of t and n.
	keep, free := func(v sigGrad64Vec) reg.VecPhysical { return v.C }, func(v sigGrad64Vec) reg.VecPhysical { return v.B }
	var one, zero, tailX, tailDy reg.VecPhysical
	low := ""
	if s.pair {
		low = "; the low part of x·v'"
	}
	pairs := "M, then num, yl; d, then kh; dl, then scratch, pl and the result; el, then σ(-v)'s " +
		"low numerator, x·v'·sm0; x, then x·v', x; y0" + low
	if s.softplus {
		pairs += " (here y0 and yl are ph and pl, and yl the result)"
	}
	if f.avx512() {
		last := vec(unroll - 1)
		one, zero, tailX, tailDy = Z(30), Z(31), last.A, last.B
		f.regs(append(reluGradRegs(),
			fmt.Sprintf("Z0-Z%d  %d vectors in flight, %d registers each: %s", unroll*w-1, unroll, w,
				"a, then r, M - 1, 1/d, scratch, ph; t, then e, σ(-v)'s numerator, sml, n1 and "+
					"dy clamped; n, then m, n2; s, then Ml, numl, sm0, kl, dy; "+pairs),
			fmt.Sprintf("%s, %s  x and dy in the tail (registers of the last vector)", last.A.Asm(), last.B.Asm()),
			"Z30  1.0", "Z31  zero",
			fmt.Sprintf("K2-K%d  the lanes where x is negative", 1+unroll),
			"K6, K7  the lanes below the cut, beyond hi, NaN; K7 first the lanes where dy = ±0",
			f.tailRegs())...)
	} else {
		keep, free = free, keep
		one, zero, tailX, tailDy = f.V(15), f.V(14), f.V(11), f.V(12)
		f.regs(append(reluGradRegs(),
			fmt.Sprintf("Y0-Y%d  one vector, %d registers: %s", w-1, w,
				"a, then r, M - 1, 1/d, scratch, ph; t (n in its low doublewords), then m and "+
					"the exponents of the scaling; n, then e, σ(-v)'s numerator, sml, n1, the "+
					"factors of the scaling, dy clamped, the masks of the selects; s, then Ml, "+
					"numl, sm0, kl, dy·cutZero; "+strings.Replace(pairs, "; d, then", "; "+
					"2^max(n, -1022), then d,", 1)),
			"Y11, Y12  x and dy in the tail", "Y14  zero", "Y15  1.0",
			f.tailRegs())...)
	}
	f.reluGradArgs()
	if f.avx512() {
		f.VBROADCASTSD(oneC, one)
		f.VPXORQ(zero, zero, zero)
	} else {
		f.VMOVUPD(oneC, one)
		f.VXORPD(zero, zero, zero)
	}
	kneg := func(j int) reg.OpmaskPhysical { return kreg[j] }
	stages := []gradStage{
		func(j, _ int, dy, x Op) {
			v := vec(j)
			f.VMOVUPD(x, v.I)
			if f.avx512() {
				f.VPMOVQ2M(v.I, kneg(j))
			}
			if s.arg != nil {
				s.arg(f, e, v)
				return
			}
			if f.avx512() {
				f.VPORQ_BCST(sign, v.I, v.A)
				f.VMAXPD_BCST(lo, v.A, v.A)
			} else {
				f.VORPD(sign, v.I, v.A)
				f.VMAXPD(lo, v.A, v.A)
			}
			e.red(v.A, v.B, v.C, nil)
		},
		func(j, _ int, dy, x Op) {
			v := vec(j)
			e.poly(v.A, v.D)        // s
			f.VADDPD(one, v.D, v.E) // M = 1 + s rounded
			f.VSUBPD(one, v.E, v.A) // M - 1, exact
			f.VSUBPD(v.A, v.D, v.D) // Ml = s - (M - 1), exact
		},
		func(j, _ int, dy, x Op) {
			v := vec(j)
			ee := free(v) // e, then σ(-v)'s numerator
			if f.avx512() {
				f.VSCALEFPD(v.C, v.E, ee)  // e = M·2^n
				f.VSCALEFPD(v.C, v.D, v.H) // el = Ml·2^n
			} else {
				e.maxExp(v.B, -1022, v.F)
				e.pow2(v.F)
				f.VMULPD(v.E, v.F, ee)  // e = M·2^max(n, -1022)
				f.VMULPD(v.D, v.F, v.H) // el
			}
			f.VADDPD(one, ee, v.F)  // d = 1 + e
			f.VSUBPD(one, v.F, v.G) // d - 1, exact
			f.VSUBPD(v.G, ee, v.G)  // e - (d - 1), exact
			f.VADDPD(v.H, v.G, v.G) // dl
			f.VDIVPD(v.F, one, v.A) // rd = 1/d
			// σ(v)·2^-m = y0 + yl
			if f.avx512() {
				f.VBLENDMPD(v.E, one, kneg(j), v.E) // num: M where x < 0, else 1
				f.VMOVAPD_Z(v.D, kneg(j), v.D)      // numl: Ml where x < 0, else 0
			} else {
				f.VBLENDVPD(v.I, v.E, one, v.E)
				f.VBLENDVPD(v.I, v.D, zero, v.D)
			}
			f.VMULPD(v.A, v.E, v.J)       // y0 = num·rd
			f.VFNMADD231PD(v.J, v.F, v.E) // num - y0·d, exact
			f.VADDPD(v.D, v.E, v.E)       // + numl
			f.VFNMADD231PD(v.J, v.G, v.E) // - y0·dl: the residual
			f.VMULPD(v.A, v.E, v.E)       // yl
			if s.softplus {
				return // p = y0 + yl
			}
			// σ(-v) = sm0 + sml
			if f.avx512() {
				f.VMOVAPD(one, kneg(j), ee)   // numerator: 1 where x < 0, e elsewhere
				f.VMOVAPD(zero, kneg(j), v.H) // and its low part: 0, el
			} else {
				f.VBLENDVPD(v.I, one, ee, ee)
				f.VBLENDVPD(v.I, zero, v.H, v.H)
			}
			f.VMULPD(v.A, ee, v.D)       // sm0
			f.VFNMADD231PD(v.D, v.F, ee) // numerator - sm0·d, exact
			f.VADDPD(v.H, ee, ee)        // + its low part
			f.VFNMADD231PD(v.D, v.G, ee) // - sm0·dl
			f.VMULPD(v.A, ee, ee)        // sml
			// k = kh + kl
			f.VMULPD(v.D, v.I, v.H) // x·v'·sm0 rounded
			f.VMULPD(v.I, ee, ee)   // x·v'·sml
			if s.pair {
				f.VFMADD231PD(v.K, v.D, ee) // + (the low part of x·v')·sm0
			}
			f.VFMSUB213PD(v.H, v.I, v.D) // x·v'·sm0 - its rounding, exact
			f.VADDPD(ee, v.D, v.D)
			f.VADDPD(one, v.H, v.F) // kh = 1 + x·v'·sm0 rounded
			f.VSUBPD(one, v.F, v.G) // TwoSum: bb = kh - 1
			f.VSUBPD(v.G, v.F, v.A) // kh - bb
			f.VSUBPD(v.A, one, v.A) // 1 - (kh - bb)
			f.VSUBPD(v.G, v.H, v.G) // x·v'·sm0 - bb
			f.VADDPD(v.G, v.A, v.A) // the error of kh
			f.VADDPD(v.A, v.D, v.D) // kl
			// p = ph + pl
			f.VMULPD(v.F, v.J, v.A)      // ph = y0·kh rounded
			f.VMOVAPD(v.F, v.G)          //
			f.VFMSUB213PD(v.A, v.J, v.G) // y0·kh - ph, exact
			f.VFMADD231PD(v.J, v.D, v.G) // + y0·kl
			f.VFMADD231PD(v.E, v.F, v.G) // pl = + yl·kh
		},
		func(j, _ int, dy, x Op) {
			v := vec(j)
			ph, pl := v.A, v.G
			if s.softplus {
				ph, pl = v.J, v.E
			}
			if f.avx512() {
				f.VMOVAPD_Z(v.C, kneg(j), v.C) // m: n where x < 0, else 0
			} else {
				f.VBLENDVPD(v.I, v.B, zero, v.B) // m in the low doublewords
			}
			e.mulScaled(dy, keep(v), ph, pl, free(v)) // dy·(ph + pl)·2^m
			out := pl
			f.VMOVUPD(x, v.I)
			if f.avx512() {
				f.VMOVUPD(dy, v.D)
				f.VCMPPD_BCST(U8(cmpLTOQ), cut, v.I, reg.K6) // x < cut
				f.VMULPD_BCST(cutZero, v.D, reg.K6, out)
				if s.hi != 0 {
					f.VCMPPD_BCST(U8(s.hiPred), hi, v.I, reg.K7)
					f.VMOVAPD(v.D, reg.K7, out)
				}
				f.VCMPPD(U8(cmpUNORDQ), v.I, v.I, reg.K7) // x is NaN
				f.VMOVAPD(v.I, reg.K7, out)
				return
			}
			m := free(v)
			f.VCMPPD(U8(cmpLTOQ), cut, v.I, m)
			f.VMOVUPD(cutZero, v.D)
			f.VMULPD(dy, v.D, v.D)
			f.VBLENDVPD(m, v.D, out, out)
			if s.hi != 0 {
				f.VCMPPD(U8(s.hiPred), hi, v.I, m)
				f.VBLENDVPD(m, dy, out, out)
			}
			f.VCMPPD(U8(cmpUNORDQ), v.I, v.I, m)
			f.VBLENDVPD(m, v.I, out, out)
		},
	}
	out := func(j int) reg.VecPhysical {
		if s.softplus {
			return vec(j).E
		}
		return vec(j).G
	}
	f.gradStages(unroll, stages, out, tailDy, tailX)
}
