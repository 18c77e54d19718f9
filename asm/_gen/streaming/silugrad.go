package main

import (
	"math"

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
	tab := newConsts(s.table)
	for _, v := range variants[:2] {
		f := newFn(c, s.name, v, "func(dx, dy, x []T)")
		blocks := append([]string{f.Name + s.doc[0]}, s.doc[1:]...)
		blocks[len(blocks)-1] += " It requires " + f.isa.Requires + eluGradRequires(f) + ". " +
			f.reluGradContract(siluGradUnroll)
		f.doc(blocks...)
		siluGradKernel(f, tab, s)
	}
	tab.emit(c)
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
