package main

import (
	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("elugrad", genELUGrad) }

const (
	// eluGradLo is the clamp of the argument of e^x: e^-400 < 2^-577, so that dy·alpha·e^x
	// rounds to ±0 in float32 below it even for the largest dy and alpha (2^128 each), and e^-400
	// is a normal float64 (exp64 scales through the exponent field).
	eluGradLo = -400
	// eluGradZero is where e^x is taken as 0, as in the reference: below it (-Inf included)
	// dx = dy·(alpha·0), which is NaN for an infinite dy.
	eluGradZero = -1500
	// eluGradGEOQ is the VCMPPD predicate "greater than or equal, ordered, quiet".
	eluGradGEOQ = 0x1d
	// eluGradUnroll is the number of float32 vectors per iteration of the main loop.
	eluGradUnroll = 2
)

// genELUGrad emits ELUGrad, float32: dx[i] = dy[i] where x[i] > 0 or is NaN, and
// dy·(alpha·e^x) where x <= 0, evaluated in float64 lanes and rounded once:
//
//	a = max(min(x, 0), -400)      every float32 x <= 0 that matters (see eluGradLo)
//	e = e^a                       exp64 (about 2^-32 relative), normal
//	e = 0 where x < -1500         the reference's cut-off, -Inf included
//	d = dy·(alpha·e)              two float64 roundings: no overflow, no subnormal
//
// then d is rounded to float32 (within 1 ULP of the correctly rounded result, subnormal results
// included: the float64 value keeps its relative accuracy), and the lanes where x > 0 or NaN take
// dy itself, a select in float32 (exact, NaN payloads kept).
func genELUGrad(c *build.Context) {
	tab, tab64 := newConsts("elugrad32c"), newConsts("elugrad64c")
	for _, v := range variants {
		f := newFn(c, "ELUGrad", v, "func(alpha T, dx, dy, x []T)")
		if f.f64() {
			eluGrad64(f, tab64)
			continue
		}
		f.doc(
			f.Name+" sets dx[i] = dy[i] where x[i] > 0 or x[i] is NaN and dy[i]·alpha·e^x[i] "+
				"where x[i] <= 0, the gradient through ELU (ELU'(0) = alpha), within 1 ULP of the "+
				"correctly rounded result of",
			"\tfor i := range dx {\n\t\tg := dy[i]\n\t\tif x[i] <= 0 {\n\t\t\tg = T(float64(g) * (float64(alpha) * math.Exp(float64(x[i]))))\n\t\t}\n\t\tdx[i] = g\n\t}",
			"It evaluates the product in float64 lanes from e^x accurate to about 2^-32 and "+
				"rounds it once; it differs from the loop only where dy is infinite and x is "+
				"below -745 (where math.Exp rounds to 0): e^x is taken as 0 only below -1500 "+
				"(and at -Inf), so dx is ±Inf down to -1500 and NaN below. Where x > 0 or NaN "+
				"it selects dy exactly. It requires "+f.isa.Requires+eluGradRequires(f)+". "+
				f.reluGradContract(eluGradUnroll),
		)
		eluGradKernel(f, tab)
	}
	tab.emit(c)
	tab64.emit(c)
}

func eluGradRequires(f *fn) string {
	if f.avx512() {
		return " and AVX-512DQ"
	}
	return " and FMA3"
}

// eluGradHalf names the registers of one float64 half of a float32 vector.
type eluGradHalf struct {
	A, D, N, P reg.VecPhysical // x, then a and r; dy; n; e^a, then the result
	M          reg.VecPhysical // AVX2: all ones where x >= -1500
	K          reg.OpmaskPhysical
}

// eluGradKernel emits the body of ELUGradF32AVX512 or ELUGradF32AVX2.
func eluGradKernel(f *fn, tab *consts) {
	var alpha, zero, sel, tailX, tailDy reg.VecPhysical
	var half func(j, h int) eluGradHalf
	if f.avx512() {
		alpha, zero, tailX, tailDy = Z(16), Z(17), Z(18), Z(19)
		half = func(j, h int) eluGradHalf {
			q := 2*j + h
			return eluGradHalf{A: Z(4 * q), D: Z(4*q + 1), N: Z(4*q + 2), P: Z(4*q + 3), K: kreg[2+q]}
		}
		f.regs(append(reluGradRegs(),
			"Z0-Z15  the float64 halves of two float32 vectors, four registers each: x, then "+
				"the argument of e^x and r; dy; n; e^x, then the result",
			"Z16  alpha as a float64", "Z17  zero",
			"Z18, Z19  x and dy in the tail",
			"K2, K3  the float32 lanes where x > 0 or NaN",
			"K4-K7  the float64 lanes where x >= -1500",
			f.tailRegs())...)
	} else {
		alpha, zero, sel, tailX, tailDy = f.V(10), f.V(14), f.V(15), f.V(11), f.V(12)
		half = func(_, h int) eluGradHalf {
			return eluGradHalf{A: f.V(5 * h), D: f.V(5*h + 1), N: f.V(5*h + 2), P: f.V(5*h + 3), M: f.V(5*h + 4)}
		}
		f.regs(append(reluGradRegs(),
			"Y0-Y9  the float64 halves of a float32 vector, five registers each: x, then the "+
				"argument of e^x and r; dy; n; e^x, then the result; all ones where x >= -1500",
			"Y10  alpha as a float64", "Y14  zero",
			"Y15  all ones in the float32 lanes where x > 0 or NaN",
			"Y11, Y12  x and dy in the tail",
			f.tailRegs())...)
	}
	f.reluGradArgs()
	f.VCVTSS2SD(f.addr(f.Param("alpha")), f.X(0), f.X(0))
	f.VBROADCASTSD(f.X(0), alpha)
	if f.avx512() {
		f.VPXORD(zero, zero, zero)
	} else {
		f.zero(14)
	}
	lo := c64(tab, "-400, the clamp of e^x's argument", eluGradLo)
	cut := c64(tab, "-1500, below which e^x is taken as 0", eluGradZero)

	// compute emits float64 half h of float32 vector j into g, from x and dy: memory operands
	// of the float32 vectors in the loops, registers in the tail.
	compute := func(g *fn, j, h int, x, dy Op) {
		r := half(j, h)
		eluGradWiden(g, x, h, r.A)
		eluGradWiden(g, dy, h, r.D)
		if g.avx512() {
			g.VCMPPD_BCST(U8(eluGradGEOQ), cut, r.A, r.K) // x >= -1500
			g.VMINPD(zero, r.A, r.A)
			g.VMAXPD_BCST(lo, r.A, r.A)
		} else {
			g.VCMPPD(U8(eluGradGEOQ), cut, r.A, r.M)
			g.VMINPD(zero, r.A, r.A)
			g.VMAXPD(lo, r.A, r.A)
		}
		g.newExp64(tab).exp(r.A, r.N, r.P) // e^a
		if g.avx512() {
			g.VMOVAPD_Z(r.P, r.K, r.P) // 0 below -1500
		} else {
			g.VANDPD(r.M, r.P, r.P)
		}
		g.VMULPD(alpha, r.P, r.P) // alpha·e
		g.VMULPD(r.D, r.P, r.P)   // dy·(alpha·e)
	}
	// finish rounds vector j to float32 into its result register and selects dy where x > 0
	// or NaN; it returns the result register.
	finish := func(j int, x, dy Op) reg.VecPhysical {
		lo, hi := half(j, 0), half(j, 1)
		out := lo.P
		f.narrowReg(wideVec{Lo: lo.P, Hi: hi.P}, out)
		if f.avx512() {
			f.VCMPPS(U8(reluGradNGEUQ), x, zero, kreg[j]) // !(0 >= x)
			f.VMOVUPS(dy, kreg[j], out)
		} else {
			f.VCMPPS(U8(reluGradNGEUQ), x, zero, sel)
			f.VBLENDVPS(sel, dy, out, out)
		}
		return out
	}
	f.eluGradWideLoop(eluGradUnroll, compute, finish, tailX, tailDy)
}

// eluGradWideLoop is the loop of a float32 backward kernel over dx, dy and x evaluated in
// float64 lanes: compute emits float64 half h of float32 vector j into g, from x and dy (memory
// operands of the float32 vectors in the loops, the registers tailX and tailDy in the tail);
// finish rounds vector j, selects what it selects and returns its register, which is stored.
// On AVX-512 the halves of a block are interleaved instruction by instruction (compute must
// give each its own registers); on AVX2, whose vectors share their registers, each vector is
// computed and finished before the next starts.
func (f *fn) eluGradWideLoop(unroll int, compute func(g *fn, j, h int, x, dy Op), finish func(j int, x, dy Op) reg.VecPhysical, tailX, tailDy reg.VecPhysical) {
	block := func(nv int, x, dy func(j int) Op, store func(j int, out reg.VecPhysical)) {
		if !f.avx512() {
			for j := 0; j < nv; j++ {
				compute(f, j, 0, x(j), dy(j))
				compute(f, j, 1, x(j), dy(j))
				store(j, finish(j, x(j), dy(j)))
			}
			return
		}
		var gens []func(g *fn)
		for j := 0; j < nv; j++ {
			for h := 0; h < 2; h++ {
				gens = append(gens, func(g *fn) { compute(g, j, h, x(j), dy(j)) })
			}
		}
		f.interleave(gens...)
		for j := 0; j < nv; j++ {
			store(j, finish(j, x(j), dy(j)))
		}
	}
	dyPtr, xPtr := srcPtr, reluGradXPtr
	f.loop(loop{
		Unroll: unroll,
		Ptrs:   []reg.Register{dyPtr, xPtr, dstPtr},
		Body: []func(j, n int){func(j, n int) {
			if j > 0 {
				return
			}
			block(n, func(j int) Op { return f.at(xPtr, j) }, func(j int) Op { return f.at(dyPtr, j) },
				func(j int, out reg.VecPhysical) { f.VMOVUPS(out, f.at(dstPtr, j)) })
		}},
		TailNote: "masked-off lanes are neither read nor written",
		Tail: func() {
			f.maskedLoad(f.at(xPtr, 0), tailX)
			f.maskedLoad(f.at(dyPtr, 0), tailDy)
			block(1, func(int) Op { return tailX }, func(int) Op { return tailDy },
				func(_ int, out reg.VecPhysical) { f.maskedStore(out, f.at(dstPtr, 0)) })
		},
		End: "done",
	})
	f.ret()
}

// eluGradWiden converts float64 half h of the float32 vector v (a memory operand or a
// register) into w.
func eluGradWiden(g *fn, v Op, h int, w reg.VecPhysical) {
	if m, ok := v.(Mem); ok {
		m.Disp += h * g.VecBytes / 2
		g.VCVTPS2PD(m, w)
		return
	}
	x := v.(reg.VecPhysical)
	if h == 0 {
		g.VCVTPS2PD(g.half(x), w)
		return
	}
	if g.avx512() {
		g.VEXTRACTF32X8(U8(1), x, g.half(w))
	} else {
		g.VEXTRACTF128(U8(1), x, g.half(w))
	}
	g.VCVTPS2PD(g.half(w), w)
}

const (
	// grad64Cut is where the float64 backward kernels take e^x (or e^-|v|) as 0, as the pure-Go
	// path does: below it (-Inf included) dx = dy·0 (times alpha for ELU), NaN for an infinite
	// dy. Above it the argument of e^x is not clamped: e^-1500 is 2^-2164, so that dy·f' can be
	// a normal number down to x = -1050 or so (dy up to 2^1024).
	grad64Cut = -1500
)

// grad64Requires is what the float64 backward kernels require besides the ISA's base extension.
func grad64Requires(f *fn) string {
	if f.avx512() {
		return ""
	}
	return " and FMA3"
}

// eluGrad64Unroll is the number of vectors per iteration of ELUGradF64's main loop.
func eluGrad64Unroll(f *fn) int {
	if f.avx512() {
		return 4
	}
	return 2
}

// eluGrad64 emits ELUGradF64AVX512 or ELUGradF64AVX2: dx[i] = dy[i] where x[i] > 0 or NaN,
// dy·alpha·e^x elsewhere.
//
// Method. With a = max(min(x, 0), -1500) = n·ln2 + r reduced by the core (expcore64.go),
// s = e^r - 1 its polynomial, M = 1 + s rounded and Ml = s - (M - 1) its error (exact):
//
//	ph + pl = alpha·M + alpha·Ml      alpha·M exact as a pair (FMA), alpha·Ml added to the low
//	                                  part: alpha·e^r to about 2^-100 relative
//	dx = dy·(ph + pl)·2^n             f64Exp.mulScaled: one rounding, and one more where dx is
//	                                  subnormal
//
// and dx = dy·(alpha·0) where x < -1500 (-Inf included), dy where x > 0 or NaN (a select). The
// error: e^r's, within about 0.45 ULP (the reduction and s each rounded once, M + Ml = 1 + s
// exactly), and the last rounding: within 1 ULP of the exact value, for |alpha| between 2^-500
// and 2^500 (ph·2^n1 stays normal).
func eluGrad64(f *fn, tab *consts) {
	f.doc(
		f.Name+" sets dx[i] = dy[i] where x[i] > 0 or x[i] is NaN and dy[i]·alpha·e^x[i] "+
			"where x[i] <= 0, the gradient through ELU (ELU'(0) = alpha), within 2 ULP of the "+
			"correctly rounded exact value of",
		"\tfor i := range dx {\n\t\tg := dy[i]\n\t\tif x[i] <= 0 {\n\t\t\tg *= alpha * math.Exp(x[i])\n\t\t}\n\t\tdx[i] = g\n\t}",
		"(evaluated exactly, for |alpha| between 2^-500 and 2^500: the loop as written rounds "+
			"e^x to a subnormal number or 0 below x = -708.4, where this function multiplies "+
			"dy in first and keeps every bit of a normal result). dx = dy·(alpha·0) below "+
			"x = -1500 (-Inf included; NaN for an infinite dy, as the pure-Go path), and dx "+
			"= dy exactly where x > 0 or NaN. It requires "+f.isa.Requires+grad64Requires(f)+
			". "+f.reluGradContract(eluGrad64Unroll(f)),
	)
	e := f.newF64Exp(tab)
	one := e.one()
	zero := e.c("0", 0)
	lo := e.c("-1500, the clamp of x and the cut", f64bits(grad64Cut))
	unroll := eluGrad64Unroll(f)
	vec := func(j int) elu64Vec {
		return elu64Vec{f.vreg(5 * j), f.vreg(5*j + 1), f.vreg(5*j + 2), f.vreg(5*j + 3), f.vreg(5*j + 4)}
	}
	var alpha, az, tailX, tailDy, oneR reg.VecPhysical
	if f.avx512() {
		alpha, oneR, az, tailX, tailDy = Z(20), Z(21), Z(22), Z(23), Z(24)
		f.regs(append(reluGradRegs(),
			"Z0-Z19  four vectors in flight, five registers each: a, then r, M - 1, ph, x; "+
				"t; n, then n2; s, then Ml, then n1 and dy clamped; M, then pl and the result",
			"Z20  alpha", "Z21  1.0", "Z22  alpha·0",
			"Z23, Z24  x and dy in the tail",
			"K6, K7  the lanes where x < -1500, where x > 0 or NaN; K7 first the lanes where dy = ±0",
			f.tailRegs())...)
	} else {
		alpha, oneR, az, tailX, tailDy = f.V(15), f.V(14), f.V(12), f.V(10), f.V(11)
		f.regs(append(reluGradRegs(),
			"Y0-Y9  two vectors in flight, five registers each: a, then r, M - 1, ph, x; t "+
				"(n in its low doublewords), then n2 and its halves; n, then the lanes where "+
				"x < -1500 and where x > 0 or NaN; s, then Ml, then n1, the factors of the "+
				"scaling, dy clamped and dy·(alpha·0); M, then pl and the result",
			"Y10, Y11  x and dy in the tail", "Y12  alpha·0", "Y14  1.0", "Y15  alpha",
			f.tailRegs())...)
	}
	f.reluGradArgs()
	f.VBROADCASTSD(f.addr(f.Param("alpha")), alpha)
	if f.avx512() {
		f.VBROADCASTSD(one, oneR)
	} else {
		f.VMOVUPD(one, oneR)
	}
	if f.avx512() {
		f.VPXORQ(az, az, az)
	} else {
		f.VXORPD(az, az, az)
	}
	f.VMULPD(alpha, az, az) // alpha·0
	f.gradStages(unroll, []gradStage{
		func(j, _ int, dy, x Op) {
			v := vec(j)
			f.VMOVUPD(x, v.A)
			if f.avx512() {
				f.VMINPD_BCST(zero, v.A, v.A)
				f.VMAXPD_BCST(lo, v.A, v.A) // a
			} else {
				f.VMINPD(zero, v.A, v.A)
				f.VMAXPD(lo, v.A, v.A)
			}
			e.red(v.A, v.B, v.C, nil)
		},
		func(j, _ int, dy, x Op) {
			v := vec(j)
			e.poly(v.A, v.D)         // s
			f.VADDPD(oneR, v.D, v.E) // M = 1 + s rounded
			f.VSUBPD(oneR, v.E, v.A) // M - 1, exact
			f.VSUBPD(v.A, v.D, v.D)  // Ml = s - (M - 1), exact
		},
		func(j, _ int, dy, x Op) {
			v := vec(j)
			f.VMULPD(alpha, v.E, v.A)      // ph = alpha·M rounded
			f.VFMSUB213PD(v.A, alpha, v.E) // alpha·M - ph, exact
			f.VFMADD231PD(alpha, v.D, v.E) // pl = + alpha·Ml
			n := v.C
			if !f.avx512() {
				n = v.B // the bits of t
			}
			e.mulScaled(dy, n, v.A, v.E, v.D) // dy·(ph + pl)·2^n
		},
		func(j, _ int, dy, x Op) {
			v := vec(j)
			f.VMOVUPD(x, v.A)
			if f.avx512() {
				f.VCMPPD_BCST(U8(cmpLTOQ), lo, v.A, reg.K6) // x < -1500
				f.VMULPD(dy, az, reg.K6, v.E)
				f.VCMPPD_BCST(U8(cmpNLEUQ), zero, v.A, reg.K7) // x > 0 or NaN
				f.VMOVUPD(dy, reg.K7, v.E)
				return
			}
			f.VCMPPD(U8(cmpLTOQ), lo, v.A, v.C)
			f.VMULPD(dy, az, v.D)
			f.VBLENDVPD(v.C, v.D, v.E, v.E)
			f.VCMPPD(U8(cmpNLEUQ), zero, v.A, v.C)
			f.VBLENDVPD(v.C, dy, v.E, v.E)
		},
	}, func(j int) reg.VecPhysical { return vec(j).E }, tailDy, tailX)
}

// gradStage is one stage of a backward kernel over dx, dy and x (gradStages): it emits vector j
// of n from the operands dy and x (memory operands in the loops, registers in the tail).
type gradStage func(j, n int, dy, x Op)

// gradStages emits the body of a backward kernel dx[i] = op(dy[i], x[i]) in stages, with dx in
// DI, dy in SI, x in DX and len(dx) in CX: unroll vectors per iteration of the main loop, each
// stage emitted for every vector before the next stage, then each vector's result out(j)
// stored; then one vector at a time; the last len%lanes elements with masked loads into tailDy
// and tailX (the other lanes zero), the stages for vector 0 and a masked store.
func (f *fn) gradStages(unroll int, stages []gradStage, out func(j int) reg.VecPhysical, tailDy, tailX reg.VecPhysical) {
	dy, x := srcPtr, reluGradXPtr
	var body []func(j, n int)
	for _, s := range stages {
		body = append(body, func(j, n int) { s(j, n, f.at(dy, j), f.at(x, j)) })
	}
	body = append(body, func(j, n int) { f.MOVU(out(j), f.at(dstPtr, j)) })
	f.loop(loop{
		Unroll:   unroll,
		Ptrs:     []reg.Register{dy, x, dstPtr},
		Body:     body,
		TailNote: "masked-off lanes are neither read nor written",
		Tail: func() {
			f.maskedLoad(f.at(x, 0), tailX)
			f.maskedLoad(f.at(dy, 0), tailDy)
			for _, s := range stages {
				s(0, 1, tailDy, tailX)
			}
			f.maskedStore(out(0), f.at(dstPtr, 0))
		},
		End: "done",
	})
	f.ret()
}

// vreg is vector register i at the width of the ISA: Zi (0 to 31) or Yi (0 to 15).
func (f *fn) vreg(i int) reg.VecPhysical {
	if f.avx512() {
		return Z(i)
	}
	return ymm[i]
}
