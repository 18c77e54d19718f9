package main

import (
	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("gelutanh64", genGELUTanh64) }

// The double-double constants of the float64 GELUTanh: v = 2u = x·(A + B·x²) with
// A = 2√(2/π) = geluTanh64AHi + geluTanh64ALo and B = 0.044715·2√(2/π) = geluTanh64BHi +
// geluTanh64BLo (those of kernels/activation_ref.go).
const (
	geluTanh64AHi = 0x1.9884533d43651p+00
	geluTanh64ALo = -0x1.cbc0d30ebfd15p-54
	geluTanh64BHi = 0x1.2444f2a4d8b4bp-04
	geluTanh64BLo = -0x1.6c843a29d1c7p-61
)

// genGELUTanh64 emits GELUTanhF64AVX512 and GELUTanhF64AVX2, dst[i] = 0.5·x·(1 + tanh(u)),
// u = √(2/π)(x + 0.044715x³).
//
// Method. 0.5·(1 + tanh(u)) = σ(2u), so the result is c·σ(v), v = 2u = c·(A + B·c²) for c = x
// clamped to [-30, 10] (below -30 the result is -0, from 10 on it is x): the x·σ kernel of SiLU
// (f64XSigmoid512, f64XSigmoid2) with a = -|v| carried as a double-double ah + al, within about
// 2^-100 relative: c², B·c², A + B·c² and the product with -|c| each keep their rounding error
// (FMA, TwoSum). e^a is relatively sensitive to a in proportion to |a| (up to 745 where the
// result is not 0), so a rounded once would cost up to hundreds of ULP; al goes into the reduced
// argument r. ah is clamped at -1100 (the result is 0 there). The lanes where x >= 10, +Inf or
// NaN take x.
func genGELUTanh64(c *build.Context) {
	tab := newConsts("gelutanh64c")
	for _, v := range variants[2:] {
		f := newFn(c, "GELUTanh", v, "func(dst, src []T)")
		f.doc(
			f.Name+" sets dst[i] = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) for x = src[i], "+
				"the tanh approximation of GELU, within 2 ULP of the correctly rounded exact "+
				"value of this formula (0.044715 and √(2/π) taken as real numbers) that the loop",
			"\tfor i, x := range src {\n\t\tdst[i] = 0.5 * x * (1 + math.Tanh(math.Sqrt(2/math.Pi)*(x+0.044715*x*x*x)))\n\t}",
			"approximates. GELUTanh(+Inf) = +Inf, GELUTanh(-Inf) = -0, ±0 stay ±0, NaN stays "+
				"NaN, and results of negative inputs that round to zero (below -21.55) are -0. "+
				"It requires "+f.isa.Requires+siluRequires(f)+". "+f.mapContract(f64SigUnroll(f)),
		)
		e := f.newF64Exp(tab)
		g := newGeluTanh64Arg(f, e)
		lo, hi := g.lo, g.hi
		arg := func(v f64SigVec) { g.arg(v, e.lo) }
		if f.avx512() {
			f64XSigmoid512(f, e, f64Sig512{
				Load: func() {},
				Arg:  arg,
				C: func(x, dst reg.VecPhysical) {
					f.VMAXPD_BCST(lo, x, dst)
					f.VMINPD_BCST(hi, dst, dst) // c
				},
				Fix: func(x, out reg.VecPhysical, k reg.OpmaskPhysical) {
					f.VCMPPD_BCST(U8(geluCmpNLTUQ), hi, x, k) // x >= 10 or NaN
					f.VMOVAPD(x, k, out)
				},
			})
		} else {
			f64XSigmoid2(f, e, f64Sig2{
				Arg: arg,
				C: func(x Op, dst reg.VecPhysical) {
					f.VMOVUPD(lo, dst)
					f.VMAXPD(x, dst, dst)
					f.VMINPD(hi, dst, dst) // c
				},
				Fix: func(x Op, out, tmp reg.VecPhysical) {
					f.VMOVUPD(x, tmp)
					f.VCMPPD(U8(geluCmpNLTUQ), hi, tmp, tmp) // x >= 10 or NaN
					f.VBLENDVPD(tmp, x, out, out)
				},
			})
		}
	}
	tab.emit(c)
}

// geluTanh64Arg emits the argument of e^a of the float64 GELUTanh and of its backward kernel:
// a = -|v| = -|c|·(A + B·c²) as a double-double, for c = x clamped to [lo, hi] = [-30, 10].
type geluTanh64Arg struct {
	f                  *fn
	e                  *f64Exp
	lo, hi             Mem // -30 and 10, the clamp of x
	ahi, alo, bhi, blo Mem // A and B as double-doubles
	// The forms of the instructions with a constant operand: {1to8} broadcasts with AVX-512.
	mulc, addc, subc, maxc, minc, fmsub231c, orc func(...Op)
}

// newGeluTanh64Arg adds the constants of the argument to e's table (lo and hi, then A and B).
func newGeluTanh64Arg(f *fn, e *f64Exp) *geluTanh64Arg {
	g := &geluTanh64Arg{f: f, e: e}
	g.lo = e.c("-30, the lower clamp of x", f64bits(-30))
	g.hi = e.c("10, the upper clamp of x", f64bits(10))
	pick := func(plain, bcast func(...Op)) func(...Op) {
		if f.avx512() {
			return bcast
		}
		return plain
	}
	g.mulc, g.addc, g.subc = pick(f.VMULPD, f.VMULPD_BCST), pick(f.VADDPD, f.VADDPD_BCST), pick(f.VSUBPD, f.VSUBPD_BCST)
	g.maxc, g.minc = pick(f.VMAXPD, f.VMAXPD_BCST), pick(f.VMINPD, f.VMINPD_BCST)
	g.fmsub231c = pick(f.VFMSUB231PD, f.VFMSUB231PD_BCST)
	g.orc = pick(f.VORPD, f.VPORQ_BCST)
	g.ahi, g.alo = e.c("A = 2√(2/π), high part", f64bits(geluTanh64AHi)), e.c("A, low part", f64bits(geluTanh64ALo))
	g.bhi, g.blo = e.c("B = 0.044715·2√(2/π), high part", f64bits(geluTanh64BHi)), e.c("B, low part", f64bits(geluTanh64BLo))
	return g
}

// arg clamps x in v.A to c, computes ah + al = -|c|·(A + B·c²) (in v.A and v.F, v.B to v.E
// scratch), clamps ah at the constant floor returns (its address is taken after the others) and
// reduces it with al by f64Exp.red: r in v.A, t in v.B, n in v.C.
func (g *geluTanh64Arg) arg(v f64SigVec, floor func() Mem) {
	f, e := g.f, g.e
	g.maxc(g.lo, v.A, v.A)
	g.minc(g.hi, v.A, v.A)                      // c
	f.VMULPD(v.A, v.A, v.B)                     // sh = c² rounded
	f.VMOVAPD(v.B, v.C)                         //
	f.VFMSUB231PD(v.A, v.A, v.C)                // sl = c² - sh
	g.mulc(g.bhi, v.B, v.D)                     // ph = Bhi·sh rounded
	f.VMOVAPD(v.D, v.E)                         //
	g.fmsub231c(g.bhi, v.B, v.E)                // Bhi·sh - ph
	g.mulc(g.bhi, v.C, v.C)                     // Bhi·sl
	e.fma231(g.blo, v.B, v.C)                   // + Blo·sh
	f.VADDPD(v.C, v.E, v.E)                     // pl: B·c² = ph + pl
	g.addc(g.ahi, v.D, v.B)                     // qh = Ahi + ph rounded
	g.subc(g.ahi, v.B, v.C)                     // bb = qh - Ahi
	f.VSUBPD(v.C, v.B, v.F)                     // qh - bb
	g.subc(g.ahi, v.F, v.F)                     // (qh - bb) - Ahi
	f.VSUBPD(v.C, v.D, v.D)                     // ph - bb
	f.VSUBPD(v.F, v.D, v.D)                     // TwoSum's error of Ahi + ph
	g.addc(g.alo, v.E, v.E)                     // Alo + pl
	f.VADDPD(v.E, v.D, v.D)                     // ql: A + B·c² = qh + ql
	g.orc(e.c("the sign bit", 1<<63), v.A, v.C) // -|c|
	f.VMULPD(v.B, v.C, v.A)                     // ah = -|c|·qh rounded
	f.VMOVAPD(v.A, v.F)                         //
	f.VFMSUB231PD(v.B, v.C, v.F)                // -|c|·qh - ah
	f.VMULPD(v.C, v.D, v.D)                     // -|c|·ql
	f.VADDPD(v.D, v.F, v.F)                     // al
	g.maxc(floor(), v.A, v.A)                   // ah >= floor
	e.red(v.A, v.B, v.C, v.F)
}
