package main

import (
	"math"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("softplusgrad", genSoftplusGrad) }

// This file also holds the loop of the float32 backward kernels that evaluate in float64 lanes
// (SoftplusGrad, GELUGrad): dx[i] = dy[i]·f'(x[i]) with both inputs widened, f' and the product
// computed per float64 half, and the product rounded once to float32.

// wideGradOp computes one float64 half of dx from x and dy (both float64 halves of the inputs,
// in registers) with the scratch registers s, emitting into g (f or a scratch copy of it), and
// returns the register of the result (x, dy or one of s). It may write x, dy and s.
type wideGradOp func(g *fn, x, dy reg.VecPhysical, s []reg.VecPhysical) reg.VecPhysical

// wideGradUnroll is the number of float32 vectors per iteration of wideGrad's main loop.
const wideGradUnroll = 2

// wideGradRegs is the register map line of wideGrad's registers (n scratch registers per half).
func (f *fn) wideGradRegs(n int, what string) string {
	if f.avx512() {
		return "Z0-Z3  the float64 halves of x of two float32 vectors, then results; Z4-Z27  six " +
			"registers per half: dy, then the scratch registers: " + what
	}
	return "Y0, Y1  the float64 halves of x of a float32 vector, then results; Y2-Y7  shared by " +
		"the halves: dy, then the scratch registers: " + what + "; Y14, Y15  the float64 " +
		"halves of dy in the tail"
}

// wideGrad emits the body of a float32 backward kernel evaluated in float64 lanes, with dx in
// DI, dy in SI, x in DX and len(dx) in CX. AVX-512: two float32 vectors per iteration of the
// main loop, their four float64 halves with registers of their own (x in wideX, dy and up to
// five scratch registers in wideScratch) and their instructions interleaved one by one. AVX2:
// the halves one after the other, x in Y0 and Y1, dy and the scratch registers in Y2-Y7. The
// last len%lanes elements: masked loads into tailX and tailDy (other lanes zero), a masked
// store.
func (f *fn) wideGrad(n int, tailX, tailDy reg.VecPhysical, op wideGradOp) {
	if n > 5 {
		panic(f.Name + ": wideGrad has five scratch registers per half")
	}
	dyPtr, xPtr := srcPtr, gradVPtr
	half := func(m Mem, h int) Mem {
		m.Disp += h * f.VecBytes / 2
		return m
	}
	scratch := func(j, h int) (reg.VecPhysical, []reg.VecPhysical) {
		s := f.wideScratch(j, h, n+1)
		return s[0], s[1:]
	}
	// ops computes the halves of vectors 0..nv-1, whose x and dy are loaded, and returns the
	// registers of the results.
	ops := func(nv int) []wideVec {
		outs := make([]wideVec, nv)
		var gens []func(g *fn)
		for j := 0; j < nv; j++ {
			for h := 0; h < 2; h++ {
				gens = append(gens, func(g *fn) {
					dy, s := scratch(j, h)
					r := op(g, f.wideX(j, h), dy, s)
					if h == 0 {
						outs[j].Lo = r
					} else {
						outs[j].Hi = r
					}
				})
			}
		}
		f.interleave(gens...)
		return outs
	}
	var body []func(j, n int)
	if f.avx512() {
		var outs []wideVec
		body = []func(j, n int){
			func(j, _ int) {
				f.widenMem(f.at(xPtr, j), wideVec{Lo: f.wideX(j, 0), Hi: f.wideX(j, 1)})
				d0, _ := scratch(j, 0)
				d1, _ := scratch(j, 1)
				f.widenMem(f.at(dyPtr, j), wideVec{Lo: d0, Hi: d1})
			},
			func(j, nv int) {
				if j == 0 {
					outs = ops(nv)
				}
			},
			func(j, _ int) { f.narrowStore(outs[j], f.at(dstPtr, j)) },
		}
	} else {
		// The halves share the scratch registers: one after the other.
		body = []func(j, n int){func(j, _ int) {
			f.widenMem(f.at(xPtr, j), wideVec{Lo: f.wideX(0, 0), Hi: f.wideX(0, 1)})
			var out wideVec
			for h := 0; h < 2; h++ {
				dy, s := scratch(0, h)
				f.VCVTPS2PD(half(f.at(dyPtr, j), h), dy)
				r := op(f, f.wideX(0, h), dy, s)
				if h == 0 && r != f.wideX(0, 0) {
					f.VMOVAPD(r, f.wideX(0, 0))
					r = f.wideX(0, 0)
				}
				if h == 0 {
					out.Lo = r
				} else {
					out.Hi = r
				}
			}
			f.narrowStore(out, f.at(dstPtr, j))
		}}
	}
	f.loop(loop{
		Unroll:   wideGradUnroll,
		Ptrs:     []reg.Register{dyPtr, xPtr, dstPtr},
		Body:     body,
		TailNote: "masked-off lanes are neither read nor written",
		Tail: func() {
			f.maskedLoad(f.at(xPtr, 0), tailX)
			f.maskedLoad(f.at(dyPtr, 0), tailDy)
			f.widenReg(tailX, wideVec{Lo: f.wideX(0, 0), Hi: f.wideX(0, 1)})
			var out wideVec
			if f.avx512() {
				d0, _ := scratch(0, 0)
				d1, _ := scratch(0, 1)
				f.widenReg(tailDy, wideVec{Lo: d0, Hi: d1})
				out = ops(1)[0]
			} else {
				dyw := wideVec{Lo: reg.Y14, Hi: reg.Y15}
				f.widenReg(tailDy, dyw)
				for h := 0; h < 2; h++ {
					_, s := scratch(0, h)
					d := dyw.Lo
					if h == 1 {
						d = dyw.Hi
					}
					r := op(f, f.wideX(0, h), d, s)
					if h == 0 && r != f.wideX(0, 0) {
						f.VMOVAPD(r, f.wideX(0, 0))
						r = f.wideX(0, 0)
					}
					if h == 0 {
						out.Lo = r
					} else {
						out.Hi = r
					}
				}
			}
			f.narrowReg(out, tailX)
			f.maskedStore(tailX, f.at(dstPtr, 0))
		},
		End: "done",
	})
	f.ret()
}

// Bounds of SoftplusGrad's float32 kernels. sgradLo clamps -|x| for e^-|x|: below, σ(x) < 2^-288
// and dy·σ(x) rounds to ±0 in float32 for every finite dy, while e^-200 stays a normal float64
// (exp64 wants its argument above -708). sgradZero: below it the pure-Go path (softplusGrad64)
// takes dy·0, which is NaN for an infinite dy; between the two an infinite dy gives ±Inf.
const (
	sgradLo   = -200
	sgradZero = -1500
)

// cmpLTOQ64 is the VCMPPD predicate "less than, ordered, quiet".
const cmpLTOQ64 = 0x11

// genSoftplusGrad emits SoftplusGrad, dx[i] = dy[i]·σ(x[i]), float32, evaluated in float64 lanes:
//
//	a = max(-|x|, -200)          NaN kept
//	e = e^a                      exp64 (about 2^-32 relative), a normal float64
//	σ(x) = num/(1 + e)           num = e where x < 0, 1 elsewhere (VDIVPD, correctly rounded)
//	dx = dy·σ(x)                 in float64, then rounded once to float32
//
// and dy·0 where x < -1500 (-Inf included), as the pure-Go path takes it. The float64 product is
// within about 2^-31 relative of dy·σ(x), so the float32 result is within 1 ULP of the correctly
// rounded one, subnormal results included (the float64 product is a normal number: one
// rounding). σ(+Inf) = 1 exactly, so dx = dy there.
func genSoftplusGrad(c *build.Context) {
	tab, tab64 := newConsts("softplusgrad32c"), newConsts("softplusgrad64c")
	for _, v := range variants {
		f := newFn(c, "SoftplusGrad", v, "func(dx, dy, x []T)")
		if f.f64() {
			xSigGrad64(f, tab64, softplusGrad64)
			continue
		}
		f.doc(
			f.Name+" sets dx[i] = dy[i]·σ(x[i]), the gradient through Softplus (σ the logistic "+
				"sigmoid), computed in float64 as dy·num/(1 + e^-|x|) (num = e^-|x| for x < 0, "+
				"else 1) and rounded once: within 1 ULP of the correctly rounded result of",
			"\tfor i := range dx {\n\t\tdx[i] = T(float64(dy[i]) / (1 + math.Exp(-float64(x[i]))))\n\t}",
			"dx = dy where σ(x) rounds to 1 (+Inf included); below x = -200, where every finite "+
				"dy·σ(x) rounds to ±0, e^-|x| is held at e^-200, so that an infinite dy gives "+
				"±Inf down to x = -1500 (the loop gives NaN below -709.8), and dx = dy·0 below "+
				"-1500 (-Inf included); NaN in x or dy gives NaN. It requires "+
				f.isa.Requires+logRequires(f)+". "+f.gradContract(wideGradUnroll, "x"),
		)
		var lo, zero, one, tailX, tailDy reg.VecPhysical
		if f.avx512() {
			lo, zero, one, tailX, tailDy = Z(28), Z(29), Z(30), Z(31), Z(27)
		} else {
			lo, zero, one, tailX, tailDy = f.V(8), f.V(9), f.V(10), f.V(12), f.V(11)
		}
		lines := append(gradRegs("x"),
			f.wideGradRegs(4, "-|x| (then r), n, e, 1+e (then the quotient)"),
			lo.Asm()+"  -200",
			zero.Asm()+"  0.0",
			one.Asm()+"  1.0",
			tailX.Asm()+", "+tailDy.Asm()+"  x and dy of the tail (float32)",
		)
		if f.avx512() {
			lines = append(lines, "K2-K5  the lanes where x < -1500")
		}
		f.regs(append(lines, f.tailRegs())...)
		f.gradArgs("x")
		f.VBROADCASTSD(c64(tab, "-200, the clamp of -|x|", sgradLo), lo)
		f.VBROADCASTSD(c64(tab, "1.0", 1), one)
		if f.avx512() {
			f.VXORPD(zero, zero, zero)
		} else {
			f.VXORPD(f.half(zero), f.half(zero), f.half(zero))
		}
		sign := tab.bcast64("the sign bit", f64bits(math.Copysign(0, -1)))
		below := c64(tab, "-1500: below it dx = dy·0", sgradZero)
		k := 0
		f.wideGrad(4, tailX, tailDy, func(g *fn, x, dy reg.VecPhysical, s []reg.VecPhysical) reg.VecPhysical {
			e := g.newExp64(tab)
			a, n, p, d := s[0], s[1], s[2], s[3]
			if g.avx512() {
				km := kreg[k%4]
				k++
				g.VORPD_BCST(sign, x, a)
				g.VMAXPD(a, lo, a) // NaN kept: a is the operand returned
				e.exp(a, n, p)     // e
				g.VADDPD(one, p, d)
				g.VPSRAQ(U8(63), x, a)                     // all ones where x's sign bit is set
				g.VPTERNLOGQ(U8(0xca), one, p, a)          // num = a ? e : 1
				g.VDIVPD(d, a, d)                          // σ(x)
				g.VCMPPD_BCST(U8(cmpLTOQ64), below, x, km) // x < -1500
				g.VMULPD(dy, d, d)                         // dy·σ(x)
				g.VMULPD(zero, dy, km, d)                  // dy·0 where x < -1500
				return d
			}
			g.VORPD(sign, x, a)
			g.VMAXPD(a, lo, a)
			e.exp(a, n, p)
			g.VADDPD(one, p, d)
			g.VBLENDVPD(x, p, one, a) // num: e where x's sign bit is set, else 1
			g.VDIVPD(d, a, d)
			g.VCMPPD(U8(cmpLTOQ64), below, x, a) // x < -1500
			g.VANDNPD(d, a, d)                   // σ = 0 there
			g.VMULPD(dy, d, d)
			return d
		})
	}
	tab.emit(c)
	tab64.emit(c)
}

// softplusGrad64 is SoftplusGradF64: dy·σ(x), the x·σ kernel's method (xSigGrad64) without
// the factor k.
var softplusGrad64 = sigGrad64{
	softplus: true,
	doc: []string{
		" sets dx[i] = dy[i]·σ(x[i]), the gradient through Softplus (σ the logistic sigmoid), " +
			"within 2 ULP of the correctly rounded exact value of",
		"\tfor i := range dx {\n\t\tdx[i] = dy[i] / (1 + math.Exp(-x[i]))\n\t}",
		"It computes σ(x) as e^-|x|/(1 + e^-|x|) for x < 0, as 1/(1 + e^-|x|) elsewhere, " +
			"and multiplies dy in before a subnormal factor is scaled, so that any finite dy " +
			"comes out right (the loop as written gives 0 below x = -709.78, where math.Exp(-x) " +
			"overflows). dx = dy where σ(x) rounds to 1 (+Inf included), dy·0 below " +
			"-1500 (-Inf included; NaN for an infinite dy, as the pure-Go path); NaN in x " +
			"gives NaN.",
	},
	cut:     grad64Cut,
	cutZero: 0,
}
