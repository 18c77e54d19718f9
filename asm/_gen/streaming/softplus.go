package main

import (
	"math"

	"github.com/mmcloughlin/avo/build"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("softplus", genSoftplus) }

// softplusLo is the clamp of Softplus's exponent -|x|: below it e^-|x| (and so Softplus(x) for
// x < 0) rounds to 0 in float32 anyway, and e^-110 is a normal float64.
const softplusLo = -110

// genSoftplus emits Softplus, dst[i] = log(1 + e^x), float32, evaluated in float64 lanes as
// max(x, 0) + log1p(e^-|x|):
//
//	e = e^max(-|x|, -110)       exp64 (about 2^-32 relative)
//	u = 1 + e, w = e - (u - 1)  u rounded, w its rounding error (exact)
//	log1p(e) = ln u + w         the ln core; w/u would be the exact correction, and w·e is
//	                            below 2^-53·e, so log1p(e) keeps about 2^-31 relative even
//	                            where e is below 2^-53 and u = 1
//
// then + max(x, 0) (the maximum returns x where x is NaN). The float64 value is within about
// 2^-30 relative of Softplus(x), so the float32 result is within 1 ULP of the correctly rounded
// one; the tiny results of very negative x (e^x itself, down through the subnormals) stay
// relative-accurate. Softplus(+Inf) = +Inf, Softplus(-Inf) = +0.
func genSoftplus(c *build.Context) {
	tab := newConsts("softplus32c")
	for _, v := range variants[:2] {
		f := newFn(c, "Softplus", v, "func(dst, src []T)")
		f.doc(
			f.Name+" sets dst[i] = log(1 + e^x) for x = src[i], computed as max(x, 0) + "+
				"log1p(e^-|x|) in float64 and rounded once, within 1 ULP of the correctly "+
				"rounded result of",
			"\tfor i, x := range src {\n\t\tdst[i] = T(math.Max(float64(x), 0) + math.Log1p(math.Exp(-math.Abs(float64(x)))))\n\t}",
			"Softplus(+Inf) = +Inf, Softplus(-Inf) = +0, NaN stays NaN; the results of very "+
				"negative x (e^x, down through the subnormals) keep their relative accuracy. It "+
				"requires "+f.isa.Requires+logRequires(f)+". "+f.mapContract(wideUnroll),
		)
		l := f.newLogCore(tab)
		var zero, tailX reg.VecPhysical
		if f.avx512() {
			zero, tailX = Z(28), Z(29)
		} else {
			zero, tailX = f.V(8), f.V(12)
		}
		f.regs(
			"DI  address of the next dst element",
			"SI  address of the next src element",
			"CX  elements left",
			"AX, BX  scratch (tail mask)",
			f.wideRegs("a = -|x| (then r), n, e^a (then u, ln u, log1p), w, and two of the ln core's"),
			zero.Asm()+"  0.0",
			tailX.Asm()+"  the tail's float32 vector",
			l.regs(),
			f.tailRegs(),
		)
		f.base("dst", dstPtr)
		f.base("src", srcPtr)
		f.length("src", count)
		l.load()
		if f.avx512() {
			f.VXORPD(zero, zero, zero)
		} else {
			f.VXORPD(f.half(zero), f.half(zero), f.half(zero))
		}
		sign := f64bits(math.Copysign(0, -1))
		f.wideUnary(6, tailX, func(f *fn, x reg.VecPhysical, s []reg.VecPhysical) reg.VecPhysical {
			e, l := f.newExp64(tab), f.newLogCore(tab)
			a, n, p, w, cc, ll := s[0], s[1], s[2], s[3], s[4], s[5]
			one := c64(tab, "1.0", 1)
			if f.avx512() {
				f.VORPD_BCST(tab.bcast64("the sign bit", sign), x, a)
				f.VMAXPD_BCST(c64(tab, "-110, the clamp of -|x|", softplusLo), a, a)
			} else {
				f.VORPD(tab.bcast64("the sign bit", sign), x, a)
				f.VMAXPD(c64(tab, "-110, the clamp of -|x|", softplusLo), a, a)
			}
			e.exp(a, n, p) // p = e
			if f.avx512() {
				f.VADDPD_BCST(one, p, w)
				f.VSUBPD_BCST(one, w, a) // u - 1
			} else {
				f.VADDPD(one, p, w)
				f.VSUBPD(one, w, a)
			}
			f.VSUBPD(a, p, p) // w = e - (u - 1)
			l.log(logVec{X: w, T: a, K: n, C: cc, L: ll})
			f.VADDPD(p, w, w)    // log1p(e)
			f.VMAXPD(x, zero, a) // max(x, 0), x where x is NaN
			f.VADDPD(a, w, x)
			return x
		})
	}
	tab.emit(c)
}
