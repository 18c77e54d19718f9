package main

import (
	"math"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// GELUGrad's float64 method (GELUGradF64AVX512, GELUGradF64AVX2), dx = dy·f'(x) with
// f'(x) = Φ(x) + x·φ(x). With c = min(|x|, 60), E = e^(-c²/2), G(c) = erfcx(c/√2)/2 (so that
// Φ(-c) = E·G and φ(c) = E/√(2π)) and D = c/√(2π) - G:
//
//	f'(x) = 1 + E·D    for x > 0 (and +0)
//	f'(x) = -E·D       for x < 0 (and -0; D(0) = -1/2 either way)
//
// D has its zero at c = 0.7518, where the two terms cancel; elsewhere G is at most about half of
// c/√(2π), and for x > 0, E·D is at most 0.17 and f' at least 1/2.
//
// G from the piecewise polynomial g(s) = G(c)/(1 - s) of gelugradtab64.go, s = c/(c + K), its
// pieces picked per lane as in GELU's forward kernel (gelu64.go): s = s0 + sl with s0 = c/(c+K)
// rounded and sl = e·(1 - s0)/K from the residual e of the quotient, u = P·s0 - n + P·sl, with
// n = round(P·s0) (at most 3 on AVX2, whose last piece reaches c = 60). Then
//
//	1 - s = w + (err - sl)       w = 1 - s0 rounded, err = (1 - w) - s0 exactly (Fast2Sum)
//	G = g·w + g·(err - sl)       one rounding
//	D = Dh + Dl                  Dh = ckh - G, Dl its error (TwoSum) + ckl, where
//	                             c/√(2π) = ckh + ckl (c·k1 rounded, its error by FMA, + c·k2;
//	                             k1 + k2 = 1/√(2π))
//
// E = (M + Ml)·2^n from the exp core (expcore64.go) with -c²/2 a double-double (c² = ch + cl by
// FMA), M = 1 + s rounded and Ml its rounding error; with Dh and Dl given the sign of x,
// q = Dh·M + (Dh·Ml + Dl·M), one rounding, and qs = q·2^n1 with n1 = max(n, -1000), exact (|q|
// is at least about 2^-60 where n > -1000, and at least 1/2 below). Then
//
//	x > 0:  dx = dy·(1 + qs)                     qs is E·D where it matters (n1 = n for c <= 37)
//	x < 0:  dx = (dy·2^-b)·qs·2^(n - n1 + b)     b = 6 where |dy| > 1, else 0: |q| < 2^6, so the
//	                                             product cannot overflow (it is normal for b = 6),
//	                                             and the scaling rounds once (VSCALEFPD; AVX2 two
//	                                             normal factors 2^floor(r/2)·2^(r-floor(r/2)))
//
// so that dy up to the largest float64 times an f' far below the subnormals (x down to -54)
// comes out right, rounded once where the product is normal (twice, within 1 ULP, where |dy| <= 1
// and the product itself is subnormal). Where x < -60, dx = dy·-0 (NaN for an infinite dy), and
// where x is NaN, dx = x: as the pure-Go path (kernels/grad_ref.go) takes them; x >= 10 gives
// dy·1 = dy (E·D < 2^-60). The error: g within 2^-52.4 relative, G within about 1.5 ULP, which
// D carries scaled by G/D (at most about 1 away from its zero, 0.05 at x = -4.6), E·(M + Ml)
// within 0.3 ULP, q and the product rounded: dy·f' measures within 2 ULP of the correctly
// rounded result away from the zero of f' (1 ULP for most x).

// Bounds of GELUGrad's float64 kernels.
const (
	ggrad64Max  = 60    // the clamp of c = |x|, and x < -60 takes dy·-0
	ggrad64N1   = -1000 // the lower bound of n1, so that q·2^n1 stays normal
	ggrad64Big  = 6     // the exponent moved into dy where |dy| > 1
	ggrad64Coef = "GELUGrad: the coefficient of u^j of every piece"
)

// ggrad64Pieces are the parameters of one ISA's pieces: P, K, the table (gelugradtab64.go).
func ggrad64Pieces(f *fn) gelu64Piece {
	var t [][]uint64
	if f.avx512() {
		for i := range ggrad64Tab8 {
			t = append(t, ggrad64Tab8[i][:])
		}
		return gelu64Piece{P: 8, K: 6, tab: t}
	}
	for i := range ggrad64Tab4 {
		t = append(t, ggrad64Tab4[i][:])
	}
	return gelu64Piece{P: 4, K: 6, tab: t}
}

// ggrad64Coef is the address of the table of coefficient j of p: its value in every piece.
func ggrad64CoefTab(tab *consts, p gelu64Piece, j int) Mem {
	var vs []float64
	for _, row := range p.tab {
		vs = append(vs, math.Float64frombits(row[j]))
	}
	return table64(tab, ggrad64Coef, vs)
}

// genGELUGrad64 emits GELUGradF64AVX512 and GELUGradF64AVX2 (see the method above).
func genGELUGrad64(c *build.Context) {
	tab := newConsts("gelugrad64c")
	for _, v := range variants[2:] {
		f := newFn(c, "GELUGrad", v, "func(dx, dy, x []T)")
		unroll := 4
		if !f.avx512() {
			unroll = 2
		}
		f.doc(
			f.Name+" sets dx[i] = dy[i]·(Φ(x) + x·φ(x)) for x = x[i], the gradient through the "+
				"exact GELU (Φ the standard normal distribution function, φ its density), "+
				"within 4 ULP of the correctly rounded value that the loop",
			"\tfor i := range dx {\n\t\tv := x[i]\n\t\td := 0.5*math.Erfc(-v/math.Sqrt2) + v*math.Exp(-v*v/2)/math.Sqrt(2*math.Pi)\n\t\tdx[i] = dy[i] * d\n\t}",
			"approximates (the loop itself loses the tiny derivatives of very negative x, "+
				"which underflow before dy multiplies them), except next to the zero of the "+
				"derivative at x = -0.7518, where the error is within 4 ULP of |dy|·(Φ(x) + "+
				"|x|·φ(x)) instead. dx = dy for x >= 10 (+Inf included); dy·f' is kept down "+
				"through the subnormals, for any dy up to the largest float64, to x = -60, "+
				"and dx = dy·-0 below -60 (-Inf included); NaN in x or dy gives NaN. It requires "+
				f.isa.Requires+logRequires(f)+". "+f.gradContract(unroll, "x"),
		)
		geluGrad64Body(f, tab, unroll)
	}
	tab.emit(c)
}

func geluGrad64Body(f *fn, tab *consts, unroll int) {
	p := ggrad64Pieces(f)
	e := f.newF64Exp(tab)
	abs := e.c("every bit but the sign", 1<<63-1)
	sign := e.c("the sign bit", 1<<63)
	cmax := e.c("60, the clamp of |x|", f64bits(ggrad64Max))
	kc := e.c("K", f64bits(p.K))
	pc := e.c("P, the number of pieces", f64bits(p.P))
	pk := e.c("P/K", f64bits(p.P/p.K))
	ik := e.c("1/K", f64bits(1/p.K))
	magic := e.c("1.5*2^52", f64bits(gelu64Magic))
	nmax := e.c("1.5*2^52 + P-1: the last piece", f64bits(gelu64Magic+p.P-1))
	mhalf := e.c("-0.5", f64bits(-0.5))
	k1c := e.c("1/√(2π), rounded", ggrad64K1)
	k2c := e.c("1/√(2π) less its rounded value", ggrad64K2)
	n1c := e.c("-1000, the lower bound of n1", f64bits(ggrad64N1))
	small := e.c("2^-6", f64bits(0x1p-6))
	six := e.c("6", f64bits(ggrad64Big))
	m60 := e.c("-60: below, dx = dy·-0", f64bits(-ggrad64Max))
	negZero := e.c("-0.0", 1<<63)
	deg := len(p.tab[0]) - 1
	clampN := p.P*ggrad64Max/(ggrad64Max+p.K) >= p.P-0.5
	pick := func(plain, bcast func(...Op)) func(...Op) {
		if f.avx512() {
			return bcast
		}
		return plain
	}
	andc, minc, maxc := pick(f.VANDPD, f.VPANDQ_BCST), pick(f.VMINPD, f.VMINPD_BCST), pick(f.VMAXPD, f.VMAXPD_BCST)
	addc, subc, mulc := pick(f.VADDPD, f.VADDPD_BCST), pick(f.VSUBPD, f.VSUBPD_BCST), pick(f.VMULPD, f.VMULPD_BCST)
	fma231c, fms231c := pick(f.VFMADD231PD, f.VFMADD231PD_BCST), pick(f.VFMSUB231PD, f.VFMSUB231PD_BCST)
	var one, tailX, tailDy reg.VecPhysical
	lines := gradRegs("x")
	what := " vectors in flight, six registers each: c, then e, then K·sl, then sl, then c " +
		"again, then M, then n1, then the result; c + K, then 1 - s0, then u, then w, then " +
		"ch and r, then 2^n1 (AVX2), then scratch; c - (c + K - K), then the table index, then " +
		"err - sl and G and D, then cl, then s, then dy·2^-b; s0, then t, then Ml and q and qs; " +
		"the polynomial g, then Ds; a coefficient, then n, then r = n - n1 (+ b)"
	if f.avx512() {
		one, tailX, tailDy = Z(24), Z(25), Z(26)
		lines = append(lines, "Z0-Z23  four"+what, "Z24  1.0", "Z25, Z26  x and dy in the tail",
			"K6  the lanes where |dy| > 1, then x < 0, x < -60, x is NaN")
	} else {
		one, tailX, tailDy = f.V(14), f.V(12), f.V(15)
		lines = append(lines, "Y0-Y11  two"+what, "Y14  1.0", "Y12, Y15  x and dy in the tail")
	}
	f.regs(append(lines, f.tailRegs())...)
	f.gradArgs("x")
	if f.avx512() {
		f.VBROADCASTSD(e.one(), one)
	} else {
		f.VMOVUPD(e.one(), one)
	}
	vec := func(j int) []reg.VecPhysical {
		var r []reg.VecPhysical
		for i := 0; i < 6; i++ {
			r = append(r, f.wv(6*j+i))
		}
		return r
	}
	// absClamp sets dst = c = min(|x|, 60) (60 where x is NaN: the result takes x there).
	absClamp := func(x Op, dst reg.VecPhysical) {
		f.VMOVUPD(x, dst)
		andc(abs, dst, dst)
		minc(cmax, dst, dst)
	}
	stages := []func(j int, x, dy Op){
		func(j int, x, dy Op) { // s0, sl, u and the table index
			r := vec(j)
			a, b, cc, d := r[0], r[1], r[2], r[3]
			absClamp(x, a)
			addc(kc, a, b)           // dh = c + K
			subc(kc, b, cc)          // dh - K, exact
			f.VSUBPD(cc, a, cc)      // dl = c - (dh - K)
			f.VDIVPD(b, a, d)        // s0
			f.VFNMADD231PD(d, b, a)  // c - s0·dh, exact
			f.VFNMADD231PD(d, cc, a) // e = (c - s0·dh) - s0·dl
			f.VSUBPD(d, one, b)      // 1 - s0
			f.VMULPD(b, a, a)        // K·sl = e·(1 - s0)
			mulc(pc, d, cc)          // P·s0, exact
			addc(magic, cc, cc)      // t: n = round(P·s0) in the low bits
			if clampN {
				minc(nmax, cc, cc) // n <= P-1
			}
			subc(magic, cc, b) // n
			fms231c(pc, d, b)  // P·s0 - n, exact
			fma231c(pk, a, b)  // u = P·s0 - n + P·sl
			if !f.avx512() {
				f.VPSHUFD(U8(0xa0), cc, cc) // the VPERMPS index of piece n: (2n, 2n+1)
				f.VPSLLD(U8(1), cc, cc)
				f.VPOR(e.c("1 in the high dword of each qword", 1<<32), cc, cc)
			}
		},
		func(j int, x, dy Op) { // g(s), Horner in u
			r := vec(j)
			b, cc, acc, tmp := r[1], r[2], r[4], r[5]
			perm := func(k int, dst reg.VecPhysical) {
				if f.avx512() {
					f.VPERMPD(ggrad64CoefTab(tab, p, k), cc, dst)
				} else {
					f.VPERMPS(ggrad64CoefTab(tab, p, k), cc, dst)
				}
			}
			perm(deg, acc)
			for k := deg - 1; k >= 0; k-- {
				perm(k, tmp)
				f.VFMADD213PD(tmp, b, acc) // acc·u + c_k
			}
		},
		func(j int, x, dy Op) { // G; D = Dh + Dl; their signs those of x
			r := vec(j)
			a, b, cc, d, g, t := r[0], r[1], r[2], r[3], r[4], r[5]
			f.VSUBPD(d, one, b)     // w = 1 - s0, rounded
			f.VSUBPD(b, one, cc)    // 1 - w, exact
			f.VSUBPD(d, cc, cc)     // err = (1 - w) - s0, exact
			mulc(ik, a, a)          // sl
			f.VSUBPD(a, cc, cc)     // err - sl
			f.VMULPD(g, cc, cc)     // g·(err - sl)
			f.VFMADD231PD(g, b, cc) // G = g·w + g·(err - sl)
			absClamp(x, a)          // c
			mulc(k1c, a, b)         // ckh = c·k1
			f.VMOVAPD(b, d)
			fms231c(k1c, a, d) // c·k1 - ckh, exact
			fma231c(k2c, a, d) // ckl: c/√(2π) = ckh + ckl
			f.VSUBPD(cc, b, a) // Dh = ckh - G
			f.VSUBPD(b, a, t)  // bb = Dh - ckh
			f.VSUBPD(t, a, g)  // Dh - bb
			f.VSUBPD(g, b, g)  // ckh - (Dh - bb)
			f.VADDPD(cc, t, t) // G + bb
			f.VSUBPD(t, g, g)  // the error of Dh (TwoSum)
			f.VADDPD(d, g, g)  // Dl
			f.VMOVUPD(x, b)    //
			andc(sign, b, b)   // the sign of x
			f.VXORPD(b, a, a)  // Dh, signed
			f.VXORPD(b, g, g)  // Dl, signed
		},
		func(j int, x, dy Op) { // -c²/2 as a double-double, reduced
			r := vec(j)
			b, cc, d, n := r[1], r[2], r[3], r[5]
			absClamp(x, d)
			f.VMULPD(d, d, b) // ch
			f.VMOVAPD(b, cc)
			f.VFMSUB231PD(d, d, cc) // cl = c² - ch
			mulc(mhalf, b, b)
			mulc(mhalf, cc, cc)
			e.red(b, d, n, cc) // r
		},
		func(j int, x, dy Op) { // M, Ml, q, qs and dx
			r := vec(j)
			a, b, cc, d, dl, n := r[0], r[1], r[2], r[3], r[4], r[5]
			e.poly(b, cc)        // s = e^r - 1
			f.VADDPD(one, cc, d) // M = 1 + s
			f.VSUBPD(one, d, b)
			f.VSUBPD(b, cc, b)      // Ml = s - (M - 1), exact
			f.VMULPD(a, b, b)       // Dh·Ml
			f.VFMADD231PD(dl, d, b) // + Dl·M
			f.VFMADD231PD(a, d, b)  // q = Dh·M + (Dh·Ml + Dl·M)
			maxc(n1c, n, a)         // n1 = max(n, -1000)
			if f.avx512() {
				k := reg.K6
				f.VSCALEFPD(a, b, b)      // qs = q·2^n1, exact
				f.VSUBPD(a, n, n)         // n - n1
				f.VADDPD(one, b, a)       // 1 + qs
				f.VMULPD(dy, a, a)        // dx where x > 0
				f.VMOVUPD(dy, cc)         //
				f.VPANDQ_BCST(abs, cc, d) // |dy|
				f.VCMPPD(U8(cmpGTOQ), one, d, k)
				f.VMULPD_BCST(small, cc, k, cc) // dy·2^-b
				f.VADDPD_BCST(six, n, k, n)     // r = n - n1 + b
				f.VMULPD(b, cc, cc)
				f.VSCALEFPD(n, cc, cc) // dx where x < 0
				f.VMOVUPD(x, d)
				f.VPMOVQ2M(d, k) // x < 0 (the sign bit)
				f.VMOVAPD(cc, k, a)
				f.VCMPPD_BCST(U8(cmpLTOQ), m60, d, k) // x < -60
				f.VMOVUPD(dy, cc)
				f.VMULPD_BCST(negZero, cc, k, a) // dy·-0
				f.VCMPPD(U8(cmpUNORDQ), d, d, k)
				f.VMOVAPD(d, k, a) // x where x is NaN
				return
			}
			f.VSUBPD(a, n, n)   // n - n1
			addc(magic, a, cc)  // n1 in the low bits
			e.pow2(cc)          // 2^n1
			f.VMULPD(cc, b, b)  // qs = q·2^n1, exact
			f.VADDPD(one, b, a) // 1 + qs
			f.VMULPD(dy, a, a)  // dx where x > 0
			f.VMOVUPD(dy, cc)   //
			andc(abs, cc, d)    // |dy|
			f.VCMPPD(U8(cmpGTOQ), one, d, d)
			mulc(small, cc, dl)        // dy·2^-6
			f.VBLENDVPD(d, dl, cc, cc) // dy·2^-b
			andc(six, d, d)
			f.VADDPD(d, n, n)   // r = n - n1 + b
			f.VMULPD(b, cc, cc) // dy·2^-b·qs
			addc(magic, n, n)   // r in the low bits
			e.halves(n, dl)     // 2^r = dl·n
			f.VMULPD(dl, cc, cc)
			f.VMULPD(n, cc, cc) // dx where x < 0
			f.VMOVUPD(x, d)
			f.VBLENDVPD(d, cc, a, a) // by the sign bit of x
			subc(m60, d, b)          //
			f.VMOVUPD(dy, cc)
			mulc(negZero, cc, cc)    // dy·-0
			f.VBLENDVPD(b, cc, a, a) // where x + 60 < 0 (x < -60)
			f.VCMPPD(U8(cmpUNORDQ), d, d, b)
			f.VBLENDVPD(b, d, a, a) // x where x is NaN
		},
	}
	y, dyPtr := gradVPtr, srcPtr
	var body []func(j, n int)
	for _, s := range stages {
		body = append(body, func(j, n int) { s(j, f.at(y, j), f.at(dyPtr, j)) })
	}
	body = append(body, func(j, n int) { f.MOVU(vec(j)[0], f.at(dstPtr, j)) })
	f.loop(loop{
		Unroll:   unroll,
		Ptrs:     []reg.Register{dyPtr, y, dstPtr},
		Body:     body,
		TailNote: "masked-off lanes are neither read nor written",
		Tail: func() {
			f.maskedLoad(f.at(dyPtr, 0), tailDy)
			f.maskedLoad(f.at(y, 0), tailX)
			for _, s := range stages {
				s(0, tailX, tailDy)
			}
			f.maskedStore(vec(0)[0], f.at(dstPtr, 0))
		},
		End: "done",
	})
	f.ret()
}

// ggrad64K1 + ggrad64K2 is 1/√(2π) to about 2^-106 of it: the float64 rounding of
// 0.39894228040143267793994605993438186847585863116493... and what that leaves (mpmath).
const (
	ggrad64K1 = 0x3fd9884533d43651
	ggrad64K2 = 0xbc7cbc0d30ebfd15
)
