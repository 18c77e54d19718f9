package main

import (
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// Softplus's float32 method, every input in float32 lanes (AVX-512 as below; AVX2 with 8 rows in
// the tables and a longer polynomial, softplus32AVX2):
//
//	Softplus(x) = max(x, 0) + log1p(e),  e = e^-|x| in [0, 1]
//
// e comes from the float32 e^x core (expcore.go, within about 0.51 ULP; the argument clamped at
// -104, below which e^x rounds to 0), scaled by VSCALEFPS, which rounds a subnormal e once. Then,
// with u = 1 + e rounded and its error w = e - (u - 1) (exact: e <= 1 <= u), u in [1, 2]:
//
//	j = the top four mantissa bits of u (of 2 - 2^-23 for u = 2: VPMINUD clamps the bits)
//	c = 1 for j = 0, 1 + (j + 1/2)/16 otherwise; IC = 1/c rounded to float32, LC = -ln(IC)
//	    (LCHI + LCLO, two float32): the tables softplusTab32, read by VPERMPS
//	P = u·IC rounded, PE = u·IC - P (one FMA, exact), R = P - 1 (exact: P is near 1), so that
//	    (1 + e)·IC - 1 = R + PE + w·IC exactly, with R in [-1/34, 1/16) (0 <= R for j = 0)
//	log1p(e) = LC + log1p(R + lo),  lo = PE + w·IC (w·IC rounded, below 2^-47)
//	         ≈ LCHI + (R + (R²·Q(R) + (lo·(1 - R) + LCLO)))
//
// Q is the polynomial of degree 3 of log32.go (log1pQ32: R + R²·Q(R) within 2^-28 relative of
// log1p(R) on [-1/32, 1/16] with its float32 coefficients); lo·(1 - R) is lo/(1 + R)
// to within lo·R². For j = 0, IC = 1, LC = 0 and R = u - 1, so R + lo = e exactly: a tiny e (and
// Softplus of a very negative x, which is e itself, down through the subnormals) keeps its
// relative accuracy. The result rounds at R + (...), at LCHI + that (for j > 0, where R's part is
// below half the sum) and at the final max(x, 0) + log1p(e); with e's own error, scaled by
// log1p's sensitivity e/((1+e)·log1p(e)) <= 1, that stays within 2 ULP (the sweep measures it).
// Special values: NaN stays NaN (VMAXPS returns x), ±Inf clamp to e = 0, so Softplus(+Inf) = +Inf
// and Softplus(-Inf) = +0; no result is -0.

// softplusTab32 returns the three VPERMPS tables of the method with n rows (16 on AVX-512, 8 on
// AVX2): IC[j], LCHI[j], LCLO[j], c = 1 for j = 0 and 1 + (j + 1/2)/n otherwise.
func softplusTab32(n int) (ic, lchi, lclo []uint32) {
	return lnTab32(n, 0, func(j int) (c, s float64) {
		if j == 0 {
			return 1, 0
		}
		return 1 + (float64(j)+0.5)/float64(n), 0
	})
}

// log1pQ8 are the float32 coefficients of the AVX2 methods' Q(R) = c2 + c3·R + ... + c6·R⁴,
// fitted so that R + R²·Q(R) is within 2^-28 relative of log1p(R) on [-1/18, 1/8], the range of R
// of Softplus's 8 rows (Log's 8 rows keep R in [-1/18, 1/16)).
var log1pQ8 = [5]uint32{0xbefffffd, 0x3eaaaafd, 0xbe800d12, 0x3e4c4cda, 0xbe11638d}

// log1pQ8AVX2 emits, on AVX2, R² into r2 and Q(R) (log1pQ8, memory operands) into q for R in r.
// With a spare register t it evaluates Q as (c2 + c3·R) + R²·((c4 + c5·R) + c6·R²), two FMAs
// deep instead of four.
func log1pQ8AVX2(f *fn, tab *consts, r, r2, q, t reg.VecPhysical) {
	c := func(k int) Mem { return tab.bcast32("log1p's Q (AVX2): coefficient c"+itoa(k+2), log1pQ8[k]) }
	f.VMULPS(r, r, r2)
	if t == nil {
		f.VMOVUPS(c(4), q)
		for k := 3; k >= 0; k-- {
			f.VFMADD213PS(c(k), r, q)
		}
		return
	}
	f.VMOVUPS(c(1), q)
	f.VFMADD213PS(c(0), r, q) // c2 + c3·R
	f.VMOVUPS(c(3), t)
	f.VFMADD213PS(c(2), r, t)  // c4 + c5·R
	f.VFMADD231PS(c(4), r2, t) // + c6·R²
	f.VFMADD231PS(t, r2, q)
}

// softplusU emits u = 1 + e rounded into u and its rounding error w = e - (u - 1) (exact: e <= 1
// <= u) into w, for e in e; one is 1.0.
func softplusU(f *fn, e, u, w reg.VecPhysical, one Op) {
	f.VADDPS(one, e, u)
	f.VSUBPS(one, u, w) // u - 1, exact
	f.VSUBPS(w, e, w)
}

// softplusLow emits the reduction and the small terms of Softplus's log1p(e): with u = 1 + e, the
// rounding error w of u and the table index idx, and ic = IC, it leaves R in r, PE in u and
// lo·(1 - R) + LCLO in w (LCLO, read from loTab, in ic); one is 1.0.
func softplusLow(f *fn, u, ic, r, w, idx reg.VecPhysical, loTab, one Op) {
	lnReduce(f, u, ic, r, one)
	f.VMULPS(ic, w, w)        // w·IC
	f.VADDPS(u, w, w)         // lo = PE + w·IC
	f.VPERMPS(loTab, idx, ic) // LCLO
	f.VFNMADD231PS(w, r, w)   // lo·(1 - R)
	f.VADDPS(ic, w, w)        // + LCLO
}

// softplusSum emits the end of Softplus: with Q(R) in q, R² in r2, R in r and the small terms in
// low, it leaves max(x, 0) + LCHI + (R + (R²·Q + low)) in q (LCHI, read from hiTab, in tmp; max(x,
// 0) in r2; x where x is NaN).
func softplusSum(f *fn, q, r2, r, low, idx, tmp reg.VecPhysical, hiTab, x, zero Op) {
	f.VFMADD213PS(low, r2, q)  // R²·Q + (lo·(1 - R) + LCLO)
	f.VADDPS(r, q, q)          // + R
	f.VPERMPS(hiTab, idx, tmp) // LCHI
	f.VADDPS(tmp, q, q)        // log1p(e)
	f.VMAXPS(x, zero, r2)      // max(x, 0), x where x is NaN
	f.VADDPS(r2, q, q)
}

// softplusConsts are the addresses in tab of the sign bit (for -|x|) and of the clamp of u's bits
// (0x3fffffff, 2 - 2^-23: u = 2 takes the last row).
func softplusConsts(tab *consts) (sign, clampU Mem) {
	return tab.bcast32("the sign bit", 0x80000000),
		tab.bcast32("0x3fffffff: the bits of 2 - 2^-23, the largest u whose top mantissa bits are the table index", 0x3fffffff)
}

// softplusUnroll32 is the number of vectors per iteration of SoftplusF32AVX512's main loop.
const softplusUnroll32 = 3

// softplus32 emits the AVX-512 body of SoftplusF32AVX512: three vectors per iteration, six
// registers each, each stage of the method emitted for every vector before the next.
func softplus32(f *fn, tab *consts) {
	e := f.newExp32(tab)
	type spVec struct {
		expVec
		S reg.VecPhysical
	}
	vec := func(j int) spVec {
		return spVec{expVec{X: Z(6 * j), T: Z(6*j + 1), K: Z(6*j + 2), P: Z(6*j + 3), R: Z(6*j + 4)}, Z(6*j + 5)}
	}
	tailX, zero, icReg, hiReg, loReg := Z(18), Z(19), Z(20), Z(21), Z(22)
	f.regs(
		"DI  address of the next dst element",
		"SI  address of the next src element",
		"CX  elements left",
		"AX, BX  scratch (tail mask)",
		"Z0-Z17  three vectors in flight, six registers each: -|x| (then r, the unscaled e, u, "+
			"PE, Q, the result); t (then e, P, R); k/16 (then w, lo); the exp polynomial (then "+
			"the table index); R[j] (then IC, LCLO, LCHI); R² (then max(x, 0))",
		"Z18  x in the tail",
		"Z19  0.0",
		"Z20-Z22  the tables IC, LCHI, LCLO",
		e.regs(),
		f.tailRegs(),
	)
	f.base("dst", dstPtr)
	f.base("src", srcPtr)
	f.length("src", count)
	e.load()
	ic, lchi, lclo := softplusTab32(16)
	icM, hiM, loM := lnTabMem(tab, "Softplus", ic, lchi, lclo)
	f.VMOVUPS(icM, icReg)
	f.VMOVUPS(hiM, hiReg)
	f.VMOVUPS(loM, loReg)
	f.VXORPS(zero, zero, zero)
	one := exp32RegOne
	sign, clampU := softplusConsts(tab)
	f.mapStages(softplusUnroll32, []stage{
		func(j, _ int, x Op) {
			v := vec(j)
			f.VMOVUPS(x, v.X)
			f.VPORD_BCST(sign, v.X, v.X)        // -|x|
			f.VMAXPS_BCST(e.nbound(), v.X, v.X) // >= -104 (NaN becomes -104: the result is max(NaN, 0) = NaN)
			e.red(v.expVec)
		},
		func(j, _ int, _ Op) { e.poly(vec(j).expVec) },
		func(j, _ int, _ Op) {
			v := vec(j)
			e.unscaled(v.expVec)
			f.VSCALEFPS(v.K, v.X, v.T) // e
			softplusU(f, v.T, v.X, v.K, one)
			f.VPMINUD_BCST(clampU, v.X, v.P)
			f.VPSRLD(U8(19), v.P, v.P) // j in the low four bits
			f.VPERMPS(icReg, v.P, v.R) // IC
		},
		func(j, _ int, _ Op) {
			v := vec(j)
			softplusLow(f, v.X, v.R, v.T, v.K, v.P, loReg, one)
		},
		func(j, _ int, x Op) {
			v := vec(j)
			log1pQ512(f, tab, v.T, v.S, v.X)
			softplusSum(f, v.X, v.S, v.T, v.K, v.P, v.R, hiReg, x, zero)
		},
	}, func(j int) reg.VecPhysical { return vec(j).X }, tailX)
}

// softplusUnroll2 is the number of vectors per iteration of SoftplusF32AVX2's main loop.
const softplusUnroll2 = 2

// softplus32AVX2 emits the body of SoftplusF32AVX2: softplus32's method with the AVX2 e^x core
// (8-entry table, e scaled in two steps so that a subnormal e rounds once), 8 rows in the tables
// (R in [-1/18, 1/8)) and Q of degree 4 (log1pQ8); every constant and table is a memory
// operand. Two vectors per iteration, six registers each.
func softplus32AVX2(f *fn, tab *consts) {
	e := f.newExp32(tab)
	type spVec struct {
		expVec
		R, S reg.VecPhysical
	}
	vec := func(j int) spVec {
		b := 6 * j
		return spVec{expVec{X: f.V(b), T: f.V(b + 1), K: f.V(b + 2), P: f.V(b + 3)}, f.V(b + 4), f.V(b + 5)}
	}
	tailX, zero := f.V(12), f.V(14)
	f.regs(
		"DI  address of the next dst element",
		"SI  address of the next src element",
		"CX  elements left",
		"AX, BX  scratch (tail mask)",
		"Y0-Y11  two vectors in flight, six registers each: -|x| (then r, e, IC, LCLO, Q, "+
			"the result); t (then P, R); k (then w, lo); the exp polynomial (then the table "+
			"index); u (then PE, LCHI); R² (then max(x, 0))",
		"Y12  x in the tail",
		"Y14  0.0",
		e.regs(),
		f.tailRegs(),
	)
	f.base("dst", dstPtr)
	f.base("src", srcPtr)
	f.length("src", count)
	ic, lchi, lclo := softplusTab32(8)
	icTab, hiTab, loTab := lnTabMem(tab, "Softplus (AVX2)", ic, lchi, lclo)
	f.VXORPS(zero, zero, zero)
	one := e.one()
	sign, clampU := softplusConsts(tab)
	f.mapStages(softplusUnroll2, []stage{
		func(j, _ int, x Op) {
			v := vec(j)
			f.VMOVUPS(x, v.X)
			f.VORPS(sign, v.X, v.X)        // -|x|
			f.VMAXPS(e.nbound(), v.X, v.X) // >= -104 (NaN becomes -104: the result is max(NaN, 0) = NaN)
			e.red(v.expVec)
		},
		func(j, _ int, _ Op) { e.poly(vec(j).expVec) },
		func(j, _ int, _ Op) {
			v := vec(j)
			e.scale2(v.X, v.T, v.K, scaleSlow) // e
			softplusU(f, v.X, v.R, v.K, one)
			f.VPMINUD(clampU, v.R, v.P)
			f.VPSRLD(U8(20), v.P, v.P) // j in the low three bits
			f.VPERMPS(icTab, v.P, v.X) // IC
		},
		func(j, _ int, _ Op) {
			v := vec(j)
			softplusLow(f, v.R, v.X, v.T, v.K, v.P, loTab, one)
		},
		func(j, _ int, x Op) {
			v := vec(j)
			log1pQ8AVX2(f, tab, v.T, v.S, v.X, nil)
			softplusSum(f, v.X, v.S, v.T, v.K, v.P, v.R, hiTab, x, zero)
		},
	}, func(j int) reg.VecPhysical { return vec(j).X }, tailX)
}
