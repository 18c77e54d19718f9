package main

import (
	"math"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("silu64", genSiLU64) }

// genSiLU64 emits SiLUF64AVX512 and SiLUF64AVX2, dst[i] = x·σ(x) = x/(1+e^-x).
//
// Method. With c = max(x, -1100) (below, the result is -0), a = max(-|x|, -1100) and e^a =
// M·2^n from the core (expcore64.go, M = 1 + s unscaled), σ(|x|) = 1/(1+e) and σ(-|x|) =
// e/(1+e) for e = e^a: the result is c·num/(1+e)·2^m with num = 1, m = 0 where x >= 0 and
// num = M, m = n where x < 0, the product formed before the scaling so that a subnormal result
// (x < -708.4) is rounded once (f64XSigmoid).
func genSiLU64(c *build.Context) {
	tab := newConsts("silu64c")
	for _, v := range variants[2:] {
		f := newFn(c, "SiLU", v, "func(dst, src []T)")
		f.doc(
			f.Name+" sets dst[i] = x·σ(x) = x/(1+e^-x) for x = src[i], the sigmoid-weighted "+
				"linear unit (swish), within 2 ULP of the correctly rounded exact value of",
			"\tfor i, x := range src {\n\t\tdst[i] = x / (1 + math.Exp(-x))\n\t}",
			"(evaluated exactly: the loop as written in float64 loses the subnormal results "+
				"below x = -709.78, which this function keeps, rounded once). SiLU(+Inf) = "+
				"+Inf, SiLU(-Inf) = -0, ±0 stay ±0, NaN stays NaN, and results of negative "+
				"inputs that round to zero (below -751.76) are -0. It requires "+
				f.isa.Requires+siluRequires(f)+". "+f.mapContract(f64SigUnroll(f)),
		)
		e := f.newF64Exp(tab)
		sign := e.c("the sign bit", 1<<63)
		stage1 := func(v f64SigVec) {
			// a = max(-|x|, -1100) in A (a NaN x gives -1100: c carries the NaN), reduced.
			if f.avx512() {
				f.VPORQ_BCST(sign, v.A, v.A)
				f.VMAXPD_BCST(e.lo(), v.A, v.A)
			} else {
				f.VORPD(sign, v.A, v.A)
				f.VMAXPD(e.lo(), v.A, v.A)
			}
			e.red(v.A, v.B, v.C, nil)
		}
		if f.avx512() {
			fixup := Z(30)
			f64XSigmoid512(f, e, f64Sig512{
				Regs: []string{"Z30  the VFIXUPIMMPD table"},
				Load: func() {
					f.VBROADCASTSD(e.c("SiLU's VFIXUPIMMPD table: NaN gives QNaN(x), ±0 x, -Inf -0, +Inf +Inf, the rest the result", uint64(siluFixup)), fixup)
				},
				Arg: stage1,
				C: func(x, dst reg.VecPhysical) {
					f.VMAXPD_BCST(e.lo(), x, dst) // c (NaN: fixed below)
				},
				Fix: func(x, out reg.VecPhysical, k reg.OpmaskPhysical) {
					f.VFIXUPIMMPD(U8(0), fixup, x, out) // ±Inf, ±0, NaN
				},
			})
		} else {
			inf := e.c("+Inf", f64bits(math.Inf(1)))
			f64XSigmoid2(f, e, f64Sig2{
				Arg: stage1,
				C: func(x Op, dst reg.VecPhysical) {
					f.VMOVUPD(e.lo(), dst)
					f.VMAXPD(x, dst, dst) // c, NaN kept
				},
				Fix: func(x Op, out, tmp reg.VecPhysical) {
					// x = +Inf gives Inf·0 above: +Inf where x is.
					f.VMOVUPD(inf, tmp)
					f.VCMPPD(U8(0), x, tmp, tmp) // EQ_OQ
					f.VBLENDVPD(tmp, inf, out, out)
				},
			})
		}
	}
	tab.emit(c)
}

// f64SigVec are the registers of one vector of a float64 x·σ(v) kernel (SiLU, GELUTanh): seven
// with AVX-512, six with AVX2 (G unused). The kernel's first stage leaves r in A, t in B and n
// in C (f64Exp.red).
type f64SigVec struct{ A, B, C, D, E, F, G reg.VecPhysical }

// f64SigUnroll is the number of vectors per iteration of the float64 x·σ kernels.
func f64SigUnroll(f *fn) int {
	if f.avx512() {
		return 4
	}
	return 2
}

// f64Sig512 is what an AVX-512 x·σ(v) kernel adds to f64XSigmoid512.
type f64Sig512 struct {
	Regs []string // register map lines of the kernel's own constants (Z30, Z31)
	Load func()   // loads them
	// Arg is the first stage: a = -|v| (clamped to [-1100, 0], a low part added to r) reduced
	// by f64Exp.red into v.A, v.B, v.C, from x in v.A. It may use the other registers of v.
	Arg func(v f64SigVec)
	// C sets dst to the factor c (x clamped) from x in a register.
	C func(x, dst reg.VecPhysical)
	// Fix replaces the lanes of out that the computation does not give (NaN, ±Inf, ...), with x
	// in a register; k (the sign mask, free by then) is scratch.
	Fix func(x, out reg.VecPhysical, k reg.OpmaskPhysical)
}

// f64XSigmoid512 emits the body of an AVX-512 float64 kernel dst[i] = c·σ(v) for v of the sign
// of x (c and v functions of x = src[i]), four vectors per iteration: Z0-Z27 seven registers
// per vector, Z28 1.0, K2-K5 the lanes where x is negative.
//
// From a = -|v| (Arg), e^a = (1 + s)·2^n = (M + Ml)·2^n with M = 1 + s rounded and Ml = s -
// (M - 1) its error (exact), e = M·2^n (VSCALEFPD), and d + dl = 1 + e exactly (0 <= e <= 1).
// The quotient q = num/(1+e), num + numl = 1 where x >= 0 and M + Ml where x < 0, is y0 + ql
// with r ≈ 1/d (VRCP14PD and a Newton step, 28 bits), y0 = num·r and ql = r·(num - y0·d + numl
// - y0·dl): num - y0·d is exact (one FMA), and ql carries q's remaining 2^-28 to about 2^-56
// relative. Then c·q = c·y0 + c·ql rounds once (one FMA) and is scaled by 2^n where x < 0,
// which rounds once more only where the result is subnormal. The error is that of e^a, about
// 0.51 ULP of 1 + s (which 1/(1+e) damps where x >= 0), and the final rounding: about 1 ULP.
func f64XSigmoid512(f *fn, e *f64Exp, k f64Sig512) {
	f.regs(append(append([]string{
		"DI  address of the next dst element",
		"SI  address of the next src element",
		"CX  elements left",
		"AX, BX  scratch (tail mask)",
		"Z0-Z27  four vectors in flight, seven registers each: r, then M, then num, then the " +
			"residual and the result; t, then dl, then x; n; the polynomial, then Ml, then " +
			"numl; e, then 1/d; d, then c; scratch, then y0",
		"Z28  1.0",
		"Z29  x in the tail",
	}, k.Regs...),
		"K2-K5  the lanes where x is negative",
		f.tailRegs(),
	)...)
	f.base("dst", dstPtr)
	f.base("src", srcPtr)
	f.length("src", count)
	one := Z(28)
	f.VBROADCASTSD(e.one(), one)
	k.Load()
	vec := func(j int) f64SigVec {
		return f64SigVec{Z(7 * j), Z(7*j + 1), Z(7*j + 2), Z(7*j + 3), Z(7*j + 4), Z(7*j + 5), Z(7*j + 6)}
	}
	f.mapStages(4, []stage{
		func(j, n int, x Op) {
			v := vec(j)
			f.VMOVUPD(x, v.A)
			f.VPMOVQ2M(v.A, kreg[j])
			k.Arg(v)
		},
		func(j, n int, x Op) {
			v := vec(j)
			e.poly(v.A, v.D)
			f.VADDPD(one, v.D, v.A) // M = 1 + s rounded
			f.VSUBPD(one, v.A, v.B) // M - 1, exact
			f.VSUBPD(v.B, v.D, v.D) // Ml = s - (M - 1), exact
		},
		func(j, n int, x Op) {
			v := vec(j)
			e.scalef(v.C, v.A, nil, v.E) // e
			f.VADDPD(one, v.E, v.F)      // d = 1 + e
			f.VSUBPD(one, v.F, v.B)      // d - 1, exact
			f.VSUBPD(v.B, v.E, v.B)      // dl = e - (d - 1), exact
			f.VRCP14PD(v.F, v.E)         // r0
			f.VMOVAPD(one, v.G)
			f.VFNMADD231PD(v.F, v.E, v.G)       // 1 - d·r0
			f.VFMADD231PD(v.G, v.E, v.E)        // r = r0 + r0·(1 - d·r0)
			f.VBLENDMPD(v.A, one, kreg[j], v.A) // num: M where x < 0, else 1
			f.VMOVAPD_Z(v.D, kreg[j], v.D)      // numl: Ml where x < 0, else 0
		},
		func(j, n int, x Op) {
			v := vec(j)
			f.VMULPD(v.E, v.A, v.G)       // y0 = num·r
			f.VFNMADD231PD(v.G, v.F, v.A) // num - y0·d, exact
			f.VADDPD(v.D, v.A, v.A)       // + numl
			f.VFNMADD231PD(v.G, v.B, v.A) // - y0·dl: the residual
			f.VMULPD(v.E, v.A, v.A)       // ql
			f.VMOVUPD(x, v.B)
			k.C(v.B, v.F)
			f.VMULPD(v.F, v.A, v.A)          // c·ql
			f.VFMADD231PD(v.F, v.G, v.A)     // c·y0 + c·ql, one rounding
			e.scalef(v.C, v.A, kreg[j], v.A) // ·2^n where x < 0
			k.Fix(v.B, v.A, kreg[j])
		},
	}, func(j int) reg.VecPhysical { return vec(j).A }, Z(29))
}

// f64Sig2 is what an AVX2 x·σ(v) kernel adds to f64XSigmoid2.
type f64Sig2 struct {
	// Arg is the first stage, as f64Sig512's, with x in v.A.
	Arg func(v f64SigVec)
	// C sets dst to the factor c (x clamped) from x (memory or register).
	C func(x Op, dst reg.VecPhysical)
	// Fix replaces the lanes of out that the computation does not give, with x a memory
	// operand or register and tmp scratch.
	Fix func(x Op, out, tmp reg.VecPhysical)
}

// f64XSigmoid2 emits the body of an AVX2 float64 kernel dst[i] = c·σ(v) as f64XSigmoid512 does,
// two vectors per iteration: Y0-Y11 six registers per vector, Y12 x in the tail, Y14 scratch,
// Y15 1.0. The differences: 1/d is a division (VDIVPD), and 2^n is two normal halves
// 2^floor(n/2)·2^(n-floor(n/2)) (f64Exp.halves): M and Ml are multiplied by the first (exactly)
// before the quotient, and the result by the second where x < 0 (rounded once).
func f64XSigmoid2(f *fn, e *f64Exp, k f64Sig2) {
	f.regs(
		"DI  address of the next dst element",
		"SI  address of the next src element",
		"CX  elements left",
		"AX, BX  scratch (tail mask)",
		"Y0-Y11  two vectors in flight, six registers each: r, then M·2^floor(n/2), then "+
			"num, then the residual and the result; t, then 2^(n-floor(n/2)); n, then "+
			"2^floor(n/2), then dl; the polynomial, then Ml, then numl; e, then 1/d; d, then c",
		"Y12  x in the tail",
		"Y14  scratch: x, then y0",
		"Y15  1.0",
		f.tailRegs(),
	)
	f.base("dst", dstPtr)
	f.base("src", srcPtr)
	f.length("src", count)
	one, tmp := f.V(15), f.V(14)
	f.VMOVUPD(e.one(), one)
	vec := func(j int) f64SigVec {
		return f64SigVec{f.V(6 * j), f.V(6*j + 1), f.V(6*j + 2), f.V(6*j + 3), f.V(6*j + 4), f.V(6*j + 5), nil}
	}
	f.mapStages(2, []stage{
		func(j, n int, x Op) {
			v := vec(j)
			f.VMOVUPD(x, v.A)
			k.Arg(v)
		},
		func(j, n int, x Op) {
			v := vec(j)
			e.poly(v.A, v.D)
			f.VADDPD(one, v.D, v.A) // M = 1 + s rounded
			f.VSUBPD(one, v.A, v.E) // M - 1, exact
			f.VSUBPD(v.E, v.D, v.D) // Ml = s - (M - 1), exact
		},
		func(j, n int, x Op) {
			v := vec(j)
			e.halves(v.B, v.C)      // B·C = 2^n
			f.VMULPD(v.C, v.A, v.A) // M·2^floor(n/2), exact
			f.VMULPD(v.C, v.D, v.D) // Ml·2^floor(n/2), exact
			f.VMULPD(v.B, v.A, v.E) // e
			f.VADDPD(one, v.E, v.F) // d = 1 + e
			f.VSUBPD(one, v.F, v.C) // d - 1, exact
			f.VSUBPD(v.C, v.E, v.C) // dl = e - (d - 1), exact
			f.VMOVUPD(x, tmp)
			f.VXORPD(v.E, v.E, v.E)
			f.VBLENDVPD(tmp, v.A, one, v.A) // num: M·2^floor(n/2) where x < 0, else 1
			f.VBLENDVPD(tmp, v.D, v.E, v.D) // numl: 0 where x >= 0
			f.VBLENDVPD(tmp, v.B, one, v.B) // the second half: 1 where x >= 0
			f.VDIVPD(v.F, one, v.E)         // r = 1/d
		},
		func(j, n int, x Op) {
			v := vec(j)
			f.VMULPD(v.E, v.A, tmp)       // y0 = num·r
			f.VFNMADD231PD(tmp, v.F, v.A) // num - y0·d, exact
			f.VADDPD(v.D, v.A, v.A)       // + numl
			f.VFNMADD231PD(tmp, v.C, v.A) // - y0·dl: the residual
			f.VMULPD(v.E, v.A, v.A)       // ql
			k.C(x, v.F)
			f.VMULPD(v.F, v.A, v.A)      // c·ql
			f.VFMADD231PD(v.F, tmp, v.A) // c·y0 + c·ql, one rounding
			f.VMULPD(v.B, v.A, v.A)      // ·2^(n-floor(n/2)) where x < 0, one rounding
			k.Fix(x, v.A, v.C)
		},
	}, func(j int) reg.VecPhysical { return vec(j).A }, f.V(12))
}
