package main

import (
	"math"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("gelu", genGELU) }

// geluClamp bounds |x| in GELU's computation of h below: beyond ±15, h is below 1e-49 and the
// result rounds to x (x > 0) or -0 (x < 0) in float32 all the same; ±Inf stay finite inside.
const geluClamp = 15

// cmpGTOQ is the VCMPPS/VCMPPD predicate "greater than, ordered, quiet".
const cmpGTOQ = 0x1e

// genGELU emits GELU, dst[i] = x·Φ(x) = 0.5·x·erfc(-x/√2), float32, evaluated in float64 lanes.
// With c = x clamped to [-15, 15] (NaN kept) and z = |c|/√2:
//
//	E = e^(-c²/2)          c² is exact in float64; exp64 (about 2^-32 relative)
//	h = 0.5·c·E·erfcx(z)   = 0.5·c·erfc(|c|/√2), erfcx from erfcx.go (2^-34 relative), its
//	                       coefficients halved
//	GELU(x) = h for x <= 0 (and NaN), x - h for x > 0 (Φ(x) = 1 - erfc(x/√2)/2, and h <= x/2:
//	                       no cancellation)
//
// Every step is relative-accurate, so the float64 value is within about 2^-31 relative and the
// float32 result within 1 ULP of the correctly rounded one, down through the subnormal results
// of x in [-14.36, -13.2]. GELU(+Inf) = +Inf, GELU(-Inf) = -0, ±0 stay ±0.
func genGELU(c *build.Context) {
	tab := newConsts("gelu32c")
	for _, v := range variants[:2] {
		f := newFn(c, "GELU", v, "func(dst, src []T)")
		if f.avx512() {
			f.doc(
				f.Name+" sets dst[i] = x·Φ(x) = 0.5·x·erfc(-x/√2) for x = src[i], the exact "+
					"Gaussian error linear unit, in float32 arithmetic (gelu32.go), within 2 ULP "+
					"of the correctly rounded result of",
				"\tfor i, x := range src {\n\t\tdst[i] = T(0.5 * float64(x) * math.Erfc(-float64(x)/math.Sqrt2))\n\t}",
				"GELU(+Inf) = +Inf, GELU(-Inf) = -0, ±0 stay ±0, NaN stays NaN, and the results of "+
					"negative inputs keep their relative accuracy down through the subnormals (they "+
					"round to -0 below -14.36). It requires "+f.isa.Requires+" and DQ. "+
					f.mapContract(geluUnroll32),
			)
			gelu32(f, tab)
			continue
		}
		f.doc(
			f.Name+" sets dst[i] = x·Φ(x) = 0.5·x·erfc(-x/√2) for x = src[i], the exact "+
				"Gaussian error linear unit, computed in float64 and rounded once, within 1 ULP "+
				"of the correctly rounded result of",
			"\tfor i, x := range src {\n\t\tdst[i] = T(0.5 * float64(x) * math.Erfc(-float64(x)/math.Sqrt2))\n\t}",
			"GELU(+Inf) = +Inf, GELU(-Inf) = -0, ±0 stay ±0, NaN stays NaN, and the results of "+
				"negative inputs keep their relative accuracy down through the subnormals (they "+
				"round to -0 below -14.36). It requires "+f.isa.Requires+logRequires(f)+". "+
				f.mapContract(wideUnroll),
		)
		var lo, hi, tailX reg.VecPhysical
		if f.avx512() {
			lo, hi, tailX = Z(28), Z(29), Z(30)
		} else {
			lo, hi, tailX = f.V(8), f.V(9), f.V(12)
		}
		regs := []string{
			"DI  address of the next dst element",
			"SI  address of the next src element",
			"CX  elements left",
			"AX, BX  scratch (tail mask)",
			f.wideRegs("c (then h, the result), -c²/2 (then r, erfcx), n (then the numerator of s), E, z (then s)"),
			lo.Asm() + ", " + hi.Asm() + "  -15 and 15",
			tailX.Asm() + "  the tail's float32 vector",
		}
		if f.avx512() {
			regs = append(regs, "K2-K5  the lanes where x > 0")
		}
		f.regs(append(regs, f.tailRegs())...)
		f.base("dst", dstPtr)
		f.base("src", srcPtr)
		f.length("src", count)
		if f.avx512() {
			f.VBROADCASTSD(c64(tab, "-15", -geluClamp), lo)
			f.VBROADCASTSD(c64(tab, "15", geluClamp), hi)
		} else {
			f.VBROADCASTSD(c64(tab, "-15", -geluClamp), lo)
			f.VBROADCASTSD(c64(tab, "15", geluClamp), hi)
		}
		coef := func(k int) Mem { return c64(tab, "erfcx's coefficients, halved", erfcxCoef[k]/2) }
		deg := len(erfcxCoef) - 1
		half := 0
		f.wideUnary(5, tailX, func(f *fn, x reg.VecPhysical, s []reg.VecPhysical) reg.VecPhysical {
			e := f.newExp64(tab)
			cc, a, n, p, z := s[0], s[1], s[2], s[3], s[4]
			k := kreg[half%4]
			half++
			f.VMAXPD(x, lo, cc) // NaN kept: x is the operand returned
			f.VMINPD(cc, hi, cc)
			f.VMULPD(cc, cc, a)
			if f.avx512() {
				f.VMULPD_BCST(c64(tab, "-0.5", -0.5), a, a)
			} else {
				f.VMULPD(c64(tab, "-0.5", -0.5), a, a)
			}
			e.exp(a, n, p) // E
			abs := tab.bcast64("every bit but the sign", 1<<63-1)
			isq := c64(tab, "1/√2", 1/math.Sqrt2)
			pc, qc, kc := c64(tab, "erfcx's P", erfcxP), c64(tab, "erfcx's Q", erfcxQ), c64(tab, "erfcx's K", erfcxK)
			if f.avx512() {
				f.VANDPD_BCST(abs, cc, z)
				f.VMULPD_BCST(isq, z, z)
				f.VBROADCASTSD(pc, n)
				f.VFMADD213PD_BCST(qc, z, n)
				f.VADDPD_BCST(kc, z, z)
				f.VDIVPD(z, n, z) // s
				f.VBROADCASTSD(coef(deg), a)
				for i := deg - 1; i >= 0; i-- {
					f.VFMADD213PD_BCST(coef(i), z, a)
				}
				f.VMULPD(p, cc, cc)
				f.VMULPD(a, cc, cc) // h
				f.VCMPPD_BCST(U8(cmpGTOQ), c64(tab, "0.0", 0), x, k)
				f.VSUBPD(cc, x, k, cc) // x - h where x > 0
				return cc
			}
			f.VANDPD(abs, cc, z)
			f.VMULPD(isq, z, z)
			f.VMOVUPD(pc, n)
			f.VFMADD213PD(qc, z, n)
			f.VADDPD(kc, z, z)
			f.VDIVPD(z, n, z)
			f.VMOVUPD(coef(deg), a)
			for i := deg - 1; i >= 0; i-- {
				f.VFMADD213PD(coef(i), z, a)
			}
			f.VMULPD(p, cc, cc)
			f.VMULPD(a, cc, cc)
			f.VSUBPD(cc, x, n)
			f.VCMPPD(U8(cmpGTOQ), c64(tab, "0.0", 0), x, a)
			f.VBLENDVPD(a, n, cc, cc)
			return cc
		})
	}
	tab.emit(c)
	genGELU64(c)
}
