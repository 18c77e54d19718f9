package main

import (
	"math"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("gelugrad", genGELUGrad) }

// Bounds of GELUGrad's float32 kernels (see genGELUGrad).
const (
	ggradLo   = -20 // the lower clamp of x: below, |f'(x)| < 2^-278 and dy·f' rounds to ∓0
	ggradHi   = 10  // the upper clamp: above, f'(x) is 1 in float64 (and the pure-Go path takes dy)
	ggradBig  = -15 // below, erfcx(|x|/√2) from its asymptotic series (erfcx's fit ends at 10.7)
	ggradZero = -60 // below, the pure-Go path takes dy·-0 (NaN for an infinite dy)
)

// ggradAsym are the coefficients of 0.5·erfcx(z)·|c| in u = 1/c², z = |c|/√2, times -1/√(2π):
// the asymptotic series erfcx(z) = (1/(z√π))·(1 - 1/(2z²) + 3/(4z⁴) - 15/(8z⁶) + 105/(16z⁸) ...)
// is, in u, (√2/(|c|√π))·(1 - u + 3u² - 15u³ + 105u⁴ ...); its next term, 945u⁵, is below 2^-28
// relative for |c| >= 15.
var ggradAsym = func() []float64 {
	k := -1 / math.Sqrt(2*math.Pi)
	return []float64{k, -k, 3 * k, -15 * k, 105 * k}
}()

// genGELUGrad emits GELUGrad, dx[i] = dy[i]·(Φ(x) + x·φ(x)), float32, evaluated in float64 lanes.
// With c = x clamped to [-20, 10] (NaN kept), E = e^(-c²/2) (exp64; c² is exact) and
// H = 0.5·erfcx(|c|/√2):
//
//	f'(x) = E·(c/√(2π) + H)       for x <= 0 (sign bit set): Φ(c) = E·H, φ(c) = E/√(2π)
//	f'(x) = 1 + E·(c/√(2π) - H)   for x >= 0: Φ(c) = 1 - E·H
//
// H from erfcx's fit (erfcx.go, coefficients halved; one VDIVPD for its variable s) for
// c >= -15, and as -w·(1 - u + 3u² - 15u³ + 105u⁴)/√(2π), w = 1/c, u = w², below (the same
// VDIVPD takes 1/c there). Every step is relative-accurate to about 2^-31, so the float64 dy·f'
// is within 2^-30 of |dy|·(Φ + |x|φ), and the float32 result within 1 ULP of the correctly
// rounded one except next to the zero of f' at x = -0.7518, where Φ and x·φ cancel. E is set
// to 0 where x < -60 (-Inf included), so that f' is -0 there: dx = dy·-0, as the pure-Go path
// takes it (NaN for an infinite dy; between -60 and -20 an infinite dy gives ∓Inf). The sum of
// the terms is added to -0 where the sign bit of x is set (1 elsewhere), which keeps that -0.
func genGELUGrad(c *build.Context) {
	tab := newConsts("gelugrad32c")
	for _, v := range variants[:2] {
		f := newFn(c, "GELUGrad", v, "func(dx, dy, x []T)")
		f.doc(
			f.Name+" sets dx[i] = dy[i]·(Φ(x) + x·φ(x)) for x = x[i], the gradient through the "+
				"exact GELU (Φ the standard normal distribution function, φ its density), "+
				"computed in float64 and rounded once: within 1 ULP of the correctly rounded "+
				"result of",
			"\tfor i := range dx {\n\t\tv := float64(x[i])\n\t\td := 0.5*math.Erfc(-v/math.Sqrt2) + v*math.Exp(-v*v/2)/math.Sqrt(2*math.Pi)\n\t\tdx[i] = T(float64(dy[i]) * d)\n\t}",
			"except next to the zero of the derivative at x = -0.7518, where the error is "+
				"within 1 ULP of |dy|·(Φ(x) + |x|·φ(x)) instead. dx = dy for x >= 10 (+Inf "+
				"included); below -20, where every finite dy·f' rounds to ∓0, f' is held at "+
				"f'(-20), so that an infinite dy gives ∓Inf, and dx = dy·-0 below -60 (-Inf "+
				"included); NaN in x or dy gives NaN. It requires "+f.isa.Requires+
				logRequires(f)+". "+f.gradContract(wideGradUnroll, "x"),
		)
		var lo, hi, one, extra, tailX, tailDy reg.VecPhysical
		if f.avx512() {
			lo, hi, one, tailX, tailDy = Z(28), Z(29), Z(30), Z(31), Z(27)
		} else {
			hi, extra, tailX, tailDy = f.V(8), f.V(9), f.V(12), f.V(11)
		}
		lines := append(gradRegs("x"),
			f.wideGradRegs(5, "c (then c/√(2π)), -c²/2 (then r, H), n (then the "+
				"numerator, u, scratch), E, z (then s or 1/c)"),
		)
		if f.avx512() {
			lines = append(lines, "Z28  -20", "Z29  10", "Z30  1.0",
				"K2-K5  the lanes where x < -15")
		} else {
			lines = append(lines, "Y8  10", "Y9  the asymptotic series")
		}
		lines = append(lines, tailX.Asm()+", "+tailDy.Asm()+"  x and dy of the tail (float32)")
		f.regs(append(lines, f.tailRegs())...)
		f.gradArgs("x")
		f.VBROADCASTSD(c64(tab, "10, the upper clamp", ggradHi), hi)
		if f.avx512() {
			f.VBROADCASTSD(c64(tab, "-20, the lower clamp", ggradLo), lo)
			f.VBROADCASTSD(c64(tab, "1.0", 1), one)
		}
		sign := tab.bcast64("the sign bit", f64bits(math.Copysign(0, -1)))
		abs := tab.bcast64("every bit but the sign", 1<<63-1)
		isq := c64(tab, "1/√2", 1/math.Sqrt2)
		pc, qc, kc := c64(tab, "erfcx's P", erfcxP), c64(tab, "erfcx's Q", erfcxQ), c64(tab, "erfcx's K", erfcxK)
		coef := func(k int) Mem { return c64(tab, "erfcx's coefficients, halved", erfcxCoef[k]/2) }
		asym := func(k int) Mem {
			return c64(tab, "the asymptotic series of 0.5·erfcx in u = 1/c², times -1/√(2π)", ggradAsym[k])
		}
		deg := len(erfcxCoef) - 1
		ic := c64(tab, "1/√(2π)", 1/math.Sqrt(2*math.Pi))
		m15 := c64(tab, "15: x + 15 < 0 where x < -15", -ggradBig)
		m60 := c64(tab, "60: x + 60 < 0 where x < -60", -ggradZero)
		oneM := c64(tab, "1.0", 1)
		loM := c64(tab, "-20, the lower clamp", ggradLo)
		negZero := tab.bcast64("-0.0", f64bits(math.Copysign(0, -1)))
		k := 0
		f.wideGrad(5, tailX, tailDy, func(g *fn, x, dy reg.VecPhysical, s []reg.VecPhysical) reg.VecPhysical {
			e := g.newExp64(tab)
			cc, a, n, p, z := s[0], s[1], s[2], s[3], s[4]
			if g.avx512() {
				km := kreg[k%4]
				k++
				g.VMAXPD(x, lo, cc) // NaN kept: x is the operand returned
				g.VMINPD(cc, hi, cc)
				g.VMULPD(cc, cc, a)
				g.VMULPD_BCST(c64(tab, "-0.5", -0.5), a, a)
				e.exp(a, n, p) // E
				g.VADDPD_BCST(m60, x, n)
				g.VPSRAQ(U8(63), n, n)
				g.VPANDNQ(p, n, p) // E = 0 where x < -60
				g.VANDPD_BCST(abs, cc, z)
				g.VMULPD_BCST(isq, z, z) // z = |c|/√2
				g.VCMPPD_BCST(U8(cmpLTOQ64), c64(tab, "-15", ggradBig), x, km)
				g.VBROADCASTSD(pc, n)
				g.VFMADD213PD_BCST(qc, z, n) // P·z + Q
				g.VADDPD_BCST(kc, z, z)      // z + K
				g.VMOVAPD(one, km, n)        // 1/c below -15
				g.VMOVAPD(cc, km, z)
				g.VDIVPD(z, n, z) // s, or 1/c
				g.VBROADCASTSD(coef(deg), a)
				for i := deg - 1; i >= 0; i-- {
					g.VFMADD213PD_BCST(coef(i), z, a)
				}
				g.VMULPD(z, z, n) // u = 1/c²
				g.VBROADCASTSD(asym(len(ggradAsym)-1), x)
				for i := len(ggradAsym) - 2; i >= 0; i-- {
					g.VFMADD213PD_BCST(asym(i), n, x)
				}
				g.VMULPD(z, x, km, a)                     // H = w·series below -15
				g.VMULPD_BCST(ic, cc, cc)                 // c/√(2π)
				g.VPTERNLOGQ_BCST(U8(0xd2), sign, cc, a)  // H ^ (~c & sign): -H where x >= 0
				g.VADDPD(a, cc, a)                        // c/√(2π) ± H
				g.VMULPD(p, a, a)                         // ·E
				g.VPSRAQ(U8(63), cc, n)                   // all ones where the sign bit is set
				g.VPTERNLOGQ_BCST(U8(0xac), sign, one, n) // -0 there, else 1
				g.VADDPD(n, a, a)                         // f'
				g.VMULPD(dy, a, a)
				return a
			}
			g.VMOVUPD(loM, cc)
			g.VMAXPD(x, cc, cc)
			g.VMINPD(cc, hi, cc)
			g.VMULPD(cc, cc, a)
			g.VMULPD(c64(tab, "-0.5", -0.5), a, a)
			e.exp(a, n, p)
			g.VADDPD(m60, x, n)
			g.VXORPD(z, z, z)
			g.VBLENDVPD(n, z, p, p) // E = 0 where x < -60
			g.VADDPD(m15, x, x)     // the sign bit: x < -15
			g.VANDPD(abs, cc, z)
			g.VMULPD(isq, z, z)
			g.VMOVUPD(pc, n)
			g.VFMADD213PD(qc, z, n)
			g.VADDPD(kc, z, z)
			g.VBLENDVPD(x, oneM, n, n)
			g.VBLENDVPD(x, cc, z, z)
			g.VDIVPD(z, n, z)
			g.VMOVUPD(coef(deg), a)
			for i := deg - 1; i >= 0; i-- {
				g.VFMADD213PD(coef(i), z, a)
			}
			g.VMULPD(z, z, n)
			g.VMOVUPD(asym(len(ggradAsym)-1), extra)
			for i := len(ggradAsym) - 2; i >= 0; i-- {
				g.VFMADD213PD(asym(i), n, extra)
			}
			g.VMULPD(z, extra, extra)
			g.VBLENDVPD(x, extra, a, a)
			g.VMULPD(ic, cc, cc)
			g.VANDNPD(sign, cc, n) // the sign bit where c's is clear
			g.VXORPD(n, a, a)
			g.VADDPD(a, cc, a)
			g.VMULPD(p, a, a)
			g.VMOVUPD(oneM, n)
			g.VBLENDVPD(cc, negZero, n, n)
			g.VADDPD(n, a, a)
			g.VMULPD(dy, a, a)
			return a
		})
	}
	tab.emit(c)
	genGELUGrad64(c)
}
