package main

import (
	"math"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// GELU's float64 method (GELUF64AVX512, GELUF64AVX2). With c = min(|x|, 40) (beyond, the
// result is x or -0 all the same; a NaN takes 40, and x carries it),
//
//	h = c·Q(c),  Q(c) = erfc(c/√2)/2 = e^(-c²/2)·G(c),  G(c) = erfcx(c/√2)/2
//	GELU(x) = x - h for x > 0 (x·Φ(x) = x - x·Q(x), h <= x/2: no cancellation), else -h
//
// every factor relative-accurate, so that the tiny results of very negative x keep their
// accuracy down through the subnormals.
//
// c·G(c) from a piecewise polynomial (gelutab64.go) in the variable s = c/(c + K), which maps
// [0, ∞) onto [0, 1) and takes G's 1/c decay: c·G(c) = s·f(s), f(s) = G(c)·(c + K) bounded
// and smooth. The pieces are centred on s = n/P, n = round(P·s), the polynomial in
// u = P·s - n, its coefficients picked per lane from a table of P (VPERMPD, P = 8; AVX2
// VPERMPS on pairs of dwords, P = 4). s itself is carried as s0 + sl:
//
//	dh = c + K, dl = c - (dh - K)     c + K exactly (dh - K is exact: K is an integer)
//	s0 = c/dh                         rounded (VDIVPD)
//	e = (c - s0·dh) - s0·dl           the residual of the quotient (the first part exact)
//	sl = e/(c + K) = e·(1 - s0)/K     1/(c + K) = (1 - s)/K
//	n = round(P·s0), u = P·s0 - n + P·sl
//	m = f·s0 + f·sl                   c·G(c), one rounding
//
// so that the rounding of the quotient costs nothing. e^(-c²/2) = (M + Ml)·2^k from the exp
// core (expcore64.go) with -c²/2 carried as a double-double (c² = ch + cl by FMA), M = 1 + s
// rounded and Ml its rounding error, and h = (m·M + m·Ml)·2^k, one rounding before the
// scaling (VSCALEFPD; AVX2 two normal halves, the second product rounding once). The error:
// f within about 0.7 ULP (the fit and its evaluation, gelutab64.go), m, e^r (0.51 ULP), h, and
// x - h: within 3 ULP of the correctly rounded GELU(x). Special values: ±0 give h = 0, and the
// result takes the sign of x (h | (x & sign) where x <= 0); x > 0 and NaN take x - h, so that
// +Inf and NaN stay; -Inf gives -0. Where |x| < 2^-60 the result is x/2 rounded (x·Φ(x) =
// x/2·(1 + 0.8x) there), which also rounds the subnormal halves as the reference does (to even).

// gelu64Max is the clamp of c = |x|: beyond it h is below 2^-1154 (GELU(x) rounds to -0 below
// -38.58, and to x above 9).
const gelu64Max = 40

// gelu64Magic is 1.5·2^52: P·s0 + gelu64Magic rounds P·s0 to the integer n, in the low bits.
const gelu64Magic = 0x1.8p52

// gelu64Piece are the parameters of one ISA's pieces: P, K, the table.
type gelu64Piece struct {
	P, K float64
	tab  [][]uint64
}

func gelu64Pieces(f *fn) gelu64Piece {
	var t [][]uint64
	if f.avx512() {
		for i := range gelu64Tab8 {
			t = append(t, gelu64Tab8[i][:])
		}
		return gelu64Piece{P: 8, K: 4, tab: t}
	}
	for i := range gelu64Tab4 {
		t = append(t, gelu64Tab4[i][:])
	}
	return gelu64Piece{P: 4, K: 6, tab: t}
}

// coef is the address of the table of coefficient j: its value in every piece.
func (p gelu64Piece) coef(tab *consts, j int) Mem {
	var vs []float64
	for _, row := range p.tab {
		vs = append(vs, math.Float64frombits(row[j]))
	}
	return table64(tab, "GELU: the coefficient of u^j of every piece", vs)
}

// genGELU64 emits GELUF64AVX512 and GELUF64AVX2 (see the method above).
func genGELU64(c *build.Context) {
	tab := newConsts("gelu64c")
	for _, v := range variants[2:] {
		f := newFn(c, "GELU", v, "func(dst, src []T)")
		f.doc(
			f.Name+" sets dst[i] = x·Φ(x) = 0.5·x·erfc(-x/√2) for x = src[i], the exact "+
				"Gaussian error linear unit, within 3 ULP of the correctly rounded value that the loop",
			"\tfor i, x := range src {\n\t\tdst[i] = 0.5 * x * math.Erfc(-x/math.Sqrt2)\n\t}",
			"approximates (the loop itself loses the accuracy of its tiny results, -x/√2 "+
				"rounded). GELU(+Inf) = +Inf, GELU(-Inf) = -0, ±0 stay ±0, NaN stays NaN, and "+
				"the results of negative inputs keep their relative accuracy down through the "+
				"subnormals (they round to -0 below -38.58). It requires "+f.isa.Requires+
				logRequires(f)+". "+f.mapContract(f64SigUnroll(f)),
		)
		p := gelu64Pieces(f)
		e := f.newF64Exp(tab)
		abs := e.c("every bit but the sign", 1<<63-1)
		sign := e.c("the sign bit", 1<<63)
		cmax := e.c("40, the clamp of |x|", f64bits(gelu64Max))
		kc := e.c("K", f64bits(p.K))
		pc := e.c("P, the number of pieces", f64bits(p.P))
		pk := e.c("P/K", f64bits(p.P/p.K))
		ik := e.c("1/K", f64bits(1/p.K))
		magic := e.c("1.5*2^52", f64bits(gelu64Magic))
		mhalf := e.c("-0.5", f64bits(-0.5))
		zero := e.c("0", 0)
		tiny := e.c("2^-60: below, GELU(x) is x/2 rounded", f64bits(0x1p-60))
		half := e.c("0.5", f64bits(0.5))
		deg := len(p.tab[0]) - 1
		pick := func(plain, bcast func(...Op)) func(...Op) {
			if f.avx512() {
				return bcast
			}
			return plain
		}
		andc, minc := pick(f.VANDPD, f.VPANDQ_BCST), pick(f.VMINPD, f.VMINPD_BCST)
		addc, subc, mulc := pick(f.VADDPD, f.VADDPD_BCST), pick(f.VSUBPD, f.VSUBPD_BCST), pick(f.VMULPD, f.VMULPD_BCST)
		fma231c, fms231c := pick(f.VFMADD231PD, f.VFMADD231PD_BCST), pick(f.VFMSUB231PD, f.VFMSUB231PD_BCST)
		var one, tailX reg.VecPhysical
		var unroll, nreg int
		lines := []string{
			"DI  address of the next dst element",
			"SI  address of the next src element",
			"CX  elements left",
			"AX, BX  scratch (tail mask)",
		}
		if f.avx512() {
			unroll, nreg, one, tailX = 4, 7, Z(28), Z(29)
			lines = append(lines,
				"Z0-Z27  four vectors in flight, seven registers each: c, then e, then f·sl, "+
					"then c again, then M; c + K, then u, then -c²/2 and r; c - (c + K - K), then "+
					"the table index, then cl, then the exponent's polynomial; s0, then t; "+
					"f, then m; a coefficient, then k; Ml, then h and the result",
				"Z28  1.0",
				"Z29  x in the tail",
				"K2-K5  the lanes where x > 0 or NaN",
			)
		} else {
			unroll, nreg, one, tailX = 2, 6, f.V(14), f.V(12)
			lines = append(lines,
				"Y0-Y11  two vectors in flight, six registers each: c, then e, then f·sl, then c "+
					"again, then M, then x; c + K, then u, then -c²/2 and r, then Ml, then h and "+
					"the result; c - (c + K - K), then the table index, then cl, then the "+
					"exponent's polynomial, then 2^floor(k/2), then the lanes where x > 0 or NaN; "+
					"s0, then t and 2^(k-floor(k/2)), then x - h; f, then m; a coefficient",
				"Y12  x in the tail",
				"Y14  1.0",
			)
		}
		f.regs(append(lines, f.tailRegs())...)
		f.base("dst", dstPtr)
		f.base("src", srcPtr)
		f.length("src", count)
		if f.avx512() {
			f.VBROADCASTSD(e.one(), one)
		} else {
			f.VMOVUPD(e.one(), one)
		}
		vec := func(j int) []reg.VecPhysical {
			var r []reg.VecPhysical
			for i := 0; i < nreg; i++ {
				r = append(r, f.wv(nreg*j+i))
			}
			return r
		}
		// absClamp sets dst = c = min(|x|, 40), 40 where x is NaN.
		absClamp := func(x Op, dst reg.VecPhysical) {
			f.VMOVUPD(x, dst)
			andc(abs, dst, dst)
			minc(cmax, dst, dst)
		}
		f.mapStages(unroll, []stage{
			func(j int, n int, x Op) { // s0, sl, u and the table index
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
				subc(magic, cc, b)       // n
				fms231c(pc, d, b)        // P·s0 - n, exact
				fma231c(pk, a, b)        // u = P·s0 - n + P·sl
				if !f.avx512() {
					f.VPSHUFD(U8(0xa0), cc, cc) // the VPERMPS index of piece n: (2n, 2n+1)
					f.VPSLLD(U8(1), cc, cc)
					f.VPOR(e.c("1 in the high dword of each qword", 1<<32), cc, cc)
				}
			},
			func(j int, n int, x Op) { // f(s), Horner in u
				r := vec(j)
				b, cc, acc, tmp := r[1], r[2], r[4], r[5]
				perm := func(k int, dst reg.VecPhysical) {
					if f.avx512() {
						f.VPERMPD(p.coef(tab, k), cc, dst)
					} else {
						f.VPERMPS(p.coef(tab, k), cc, dst)
					}
				}
				perm(deg, acc)
				for k := deg - 1; k >= 0; k-- {
					perm(k, tmp)
					f.VFMADD213PD(tmp, b, acc) // acc·u + c_k
				}
			},
			func(j int, n int, x Op) { // m = f·s0 + f·sl
				r := vec(j)
				a, d, acc := r[0], r[3], r[4]
				f.VMULPD(acc, a, a)
				mulc(ik, a, a)           // f·sl
				f.VFMADD213PD(a, d, acc) // m
			},
			func(j int, n int, x Op) { // -c²/2 as a double-double, reduced
				r := vec(j)
				a, b, cc, d := r[0], r[1], r[2], r[3]
				t := d
				nn := r[5]
				absClamp(x, a)
				f.VMULPD(a, a, b) // ch
				f.VMOVAPD(b, cc)
				f.VFMSUB231PD(a, a, cc) // cl = c² - ch
				mulc(mhalf, b, b)
				mulc(mhalf, cc, cc)
				e.red(b, t, nn, cc) // r
			},
			func(j int, n int, x Op) { // M, Ml, h
				r := vec(j)
				a, b, cc, d, m := r[0], r[1], r[2], r[3], r[4]
				e.poly(b, cc)        // s = e^r - 1
				f.VADDPD(one, cc, a) // M = 1 + s
				if f.avx512() {
					nn, ml := r[5], r[6]
					f.VSUBPD(one, a, ml)
					f.VSUBPD(ml, cc, ml)      // Ml = s - (M - 1), exact
					f.VMULPD(m, ml, ml)       // m·Ml
					f.VFMADD231PD(m, a, ml)   // m·M + m·Ml
					e.scalef(nn, ml, nil, ml) // h
					f.VMOVUPD(x, a)
					f.VCMPPD_BCST(U8(cmpNLEUQ), zero, a, kreg[j])    // x > 0 or NaN
					f.VPTERNLOGQ_BCST(U8(ternAOrBAndC), sign, a, ml) // h | (x & sign)
					f.VSUBPD(ml, a, kreg[j], ml)                     // x - h where x > 0 or NaN
					f.VPANDQ_BCST(abs, a, nn)
					f.VCMPPD_BCST(U8(cmpLTOQ), tiny, nn, kreg[j]) // |x| < 2^-60
					f.VMULPD_BCST(half, a, kreg[j], ml)           // x/2 there
					return
				}
				f.VSUBPD(one, a, b)
				f.VSUBPD(b, cc, b)     // Ml
				e.halves(d, cc)        // 2^k = d·cc
				f.VMULPD(m, b, b)      // m·Ml
				f.VFMADD231PD(m, a, b) // m·M + m·Ml
				f.VMULPD(cc, b, b)     // ·2^floor(k/2), exact
				f.VMULPD(d, b, b)      // h, one rounding
				f.VMOVUPD(x, a)
				f.VCMPPD(U8(cmpNLEUQ), zero, a, cc) // x > 0 or NaN
				f.VANDPD(sign, a, d)
				f.VORPD(d, b, b)  // h | (x & sign)
				f.VSUBPD(b, a, d) // x - h
				f.VBLENDVPD(cc, d, b, b)
				f.VANDPD(abs, a, d)
				f.VCMPPD(U8(cmpLTOQ), tiny, d, cc) // |x| < 2^-60
				f.VMULPD(half, a, d)               // x/2 there
				f.VBLENDVPD(cc, d, b, b)
			},
		}, func(j int) reg.VecPhysical {
			if f.avx512() {
				return vec(j)[6]
			}
			return vec(j)[1]
		}, tailX)
	}
	tab.emit(c)
}
