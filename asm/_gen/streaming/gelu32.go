package main

import (
	"math"

	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// GELU's float32 method (AVX-512), every input in float32 lanes. With a = min(|x|, 14.5),
//
//	h = a·Q(a),  Q(a) = erfc(a/√2)/2 = e^(-a²/2)·R(a),  R(a) = erfcx(a/√2)/2
//	GELU(x) = max(x, -0) - h            (x <= 0: -h; x > 0: x - x·Q(x) = x·Φ(x))
//
// and h = R̃(a)·e^(-a²/2) with R̃(a) = a·R(a), so that no float32 product with a rounds.
//
// R̃ is a polynomial of degree 6 per interval of a: the interval index is the bits of a + 9/8
// shifted right by 21 (two mantissa bits of a + 9/8 in [9/8, 15.625): 16 intervals, [0, 1/8), then
// 1/4 wide up to 7/8, 1/2 up to 23/8, 1 up to 55/8, 2 up to 14.5), and VPERMPS takes each
// coefficient from a 16-entry table held in a register. The polynomial is in tt = a - C, C an
// expansion point near the middle of the interval (0 on [0, 1/8)) with few bits, so that tt is
// exact, and chosen where R̃(C) is a float32 to within 2^-31 relative: the constant term is then
// exact, and the evaluation rounds about once (its last FMA), within 2^-28 relative of R̃. The
// tables are geluTab32. (Degree 5 needs 32 intervals, and a 32-entry table takes VPERMI2PS, which
// costs more than VPERMPS, overwrites its index (one more copy per coefficient) and takes two
// registers.)
//
// e^(-a²/2) = 2^K·T[j]·e^(-ρ/2) is the exp32 core's reduction with the argument carried exactly:
// t = a·(a·(-log2e/2)) + 1.5·2^19 rounds -a²/(2 ln2) to K = k/16, j = k mod 16; then
// ρ = a² + 2K·ln2 = fma(a, a, K·2ln2hi) + K·2ln2lo (K·2ln2hi is exact, a² + K·2ln2hi is below
// 0.11 and rounds by 2^-27 at most), |ρ| <= 0.11, and e^(-ρ/2) = 1 + w with
// w = ρ·(-1/2 + ρ·(D2/4 - ρ·D3/8)) + RHO[j] (the core's polynomial in r = -ρ/2, and the
// correction of T[j] = 2^(j/16) rounded to float32).
//
// The product h = R̃·T·(1 + w)·2^K is rounded once: V = T·w and X = R̃·V are small (|w| < 0.03),
// and h = fma(R̃, T, X) holds R̃·T exactly; VSCALEFPS then applies 2^K (rounding again only
// where h is subnormal, on a grid that much coarser). The error of h is about one rounding of R̃
// and one of h: within 2 ULP of GELU, and GELU(x) for x > 0 rounds x - h once more, where h <= x/2.
// Special values: a NaN stays NaN (VRANGEPS, VMAXPS keep it); ±Inf and |x| > 14.5 take
// a = 14.5, where h < 2^-150: GELU(+Inf) = +Inf, GELU(-Inf) = -0; ±0 give h = +0, so ±0 stay.

// geluMax32 is the clamp of |x|: beyond it, h < 2^-150 (GELU rounds to -0 below -14.36).
const geluMax32 = 14.5

// geluDeg32 is the degree of the polynomials of geluTab32.
const geluDeg32 = 6

// geluColumn is the address of column k of geluTab32 in tab: the 16 expansion points C for k =
// 0, the coefficients c(k-1) otherwise.
func geluColumn(tab *consts, k int) Mem {
	var w []uint32
	for i := range geluTab32 {
		w = append(w, geluTab32[i][k])
	}
	return tab.vec32("GELU: table column "+itoa(k)+" (0: the expansion points C, k > 0: c(k-1))", w...)
}

// geluLn2 returns the e^x core's split of ln2: ln2hi (9 significant bits) and ln2lo = ln2 -
// ln2hi (negative), for the reduction ρ = a² + 2K·ln2.
func geluLn2() (hi, lo float32) {
	return math.Float32frombits(exp32NLn2Hi &^ 0x80000000), -math.Float32frombits(exp32NLn2Lo)
}

// geluProduct emits w = R̃·T + R̃·(T·w) for R̃ in r, T in t and w in w: V = T·w and X = R̃·V are
// small, and the FMA holds R̃·T exactly, so that the product rounds about once.
func geluProduct(f *fn, r, t, w reg.VecPhysical) {
	f.VMULPS(t, w, w)      // V = T·w
	f.VMULPS(r, w, w)      // X = R̃·V
	f.VFMADD231PS(r, t, w) // R̃·T + X
}

// geluVec names the seven registers of one vector of the float32 method.
type geluVec struct{ A, B, C, D, E, F, G reg.VecPhysical }

// geluUnroll32 is the number of vectors per iteration of GELUF32AVX512's main loop.
const geluUnroll32 = 3

// gelu32 emits the AVX-512 body of GELUF32AVX512: three vectors per iteration, each stage of the
// method emitted for every vector before the next.
func gelu32(f *fn, tab *consts) {
	vec := func(j int) geluVec {
		return geluVec{Z(7 * j), Z(7*j + 1), Z(7*j + 2), Z(7*j + 3), Z(7*j + 4), Z(7*j + 5), Z(7*j + 6)}
	}
	negZero, cReg, rho, thi := Z(21), Z(22), Z(30), Z(31)
	coefReg := func(k int) reg.VecPhysical { return Z(23 + k) } // c0..c6 in Z23..Z29
	f.regs(
		"DI  address of the next dst element",
		"SI  address of the next src element",
		"CX  elements left",
		"AX, BX  scratch (tail mask)",
		"Z0-Z20  three vectors in flight, seven registers each: x, then a (then RHO[j], then R̃, "+
			"then the result), the table index, tt, t (then T[j]), ρ (then the coefficients), K, w "+
			"(then h); the tail's x in Z7",
		"Z21  -0.0",
		"Z22  the table of expansion points C",
		"Z23-Z29  the tables of c0..c6",
		"Z30, Z31  RHO16 and THI16 (the exp core's 2^(j/16) tables)",
		f.tailRegs(),
	)
	f.base("dst", dstPtr)
	f.base("src", srcPtr)
	f.length("src", count)

	column := func(k int) Mem { return geluColumn(tab, k) }
	f.VMOVUPS(column(0), cReg)
	for k := 0; k <= geluDeg32; k++ {
		f.VMOVUPS(column(k+1), coefReg(k))
	}
	f.VMOVUPS(tab.vec32("RHO16: 2^(j/16) = THI16[j]*(1+RHO16[j])", exp32RHO16...), rho)
	f.VMOVUPS(tab.vec32("THI16: 2^(j/16) rounded to float32", exp32THI16...), thi)
	f.VBROADCASTSS(tab.bcast32("-0.0", 0x80000000), negZero)

	ln2hi, ln2lo := geluLn2()
	cMaxA := tab.f32("14.5, the clamp of |x|", geluMax32)
	cOff := tab.f32("9/8, the offset of the table index", 1.125)
	cHalfLog2e := tab.f32("-log2e/2", -math.Float32frombits(exp32Log2e)/2)
	cMagic := tab.bcast32("1.5*2^19", exp32Magic16)
	c2ln2hi := tab.f32("2ln2hi", 2*ln2hi)
	c2ln2lo := tab.f32("2ln2lo = 2(ln2 - ln2hi)", 2*ln2lo)
	cD3 := tab.f32("-D3/8", -math.Float32frombits(exp32D3)/8)
	cD2 := tab.f32("D2/4", math.Float32frombits(exp32D2)/4)
	cHalf := tab.f32("-0.5", -0.5)

	// horner is one step of R̃'s Horner scheme: A = A·tt + c(k).
	horner := func(k int) stage {
		return func(j, _ int, _ Op) {
			v := vec(j)
			f.VPERMPS(coefReg(k), v.B, v.E)
			f.VFMADD213PS(v.E, v.C, v.A)
		}
	}
	stages := []stage{
		func(j, _ int, x Op) {
			v := vec(j)
			f.VMOVUPS(x, v.A)
			f.VRANGEPS_BCST(U8(0b1010), cMaxA, v.A, v.A) // min(|x|, 14.5) with the sign cleared
			f.VADDPS_BCST(cOff, v.A, v.B)
			f.VPSRLD(U8(21), v.B, v.B) // the table index, in the low 4 bits
			f.VMULPS_BCST(cHalfLog2e, v.A, v.D)
			f.VFMADD213PS_BCST(cMagic, v.A, v.D) // t = 1.5*2^19 - a²·log2e/2
			f.VPERMPS(cReg, v.B, v.C)
			f.VSUBPS(v.C, v.A, v.C) // tt = a - C, exact
		},
		func(j, _ int, _ Op) {
			v := vec(j)
			f.VSUBPS_BCST(cMagic, v.D, v.F)       // K
			f.VMULPS_BCST(c2ln2hi, v.F, v.E)      // K·2ln2hi, exact
			f.VFMADD231PS(v.A, v.A, v.E)          // a² + K·2ln2hi
			f.VFMADD231PS_BCST(c2ln2lo, v.F, v.E) // ρ
		},
		func(j, _ int, _ Op) {
			v := vec(j)
			f.VBROADCASTSS(cD3, v.G)
			f.VFMADD213PS_BCST(cD2, v.E, v.G)
			f.VFMADD213PS_BCST(cHalf, v.E, v.G)
			f.VPERMPS(rho, v.D, v.A)
			f.VFMADD213PS(v.A, v.E, v.G) // w
			f.VPERMPS(thi, v.D, v.D)     // T[j]
			f.VPERMPS(coefReg(geluDeg32), v.B, v.A)
		},
	}
	for k := geluDeg32 - 1; k >= 0; k-- {
		stages = append(stages, horner(k)) // A = R̃
	}
	stages = append(stages,
		func(j, _ int, _ Op) {
			v := vec(j)
			geluProduct(f, v.A, v.D, v.G)
			f.VSCALEFPS(v.F, v.G, v.G) // h
		},
		func(j, _ int, x Op) {
			v := vec(j)
			f.VMAXPS(x, negZero, v.A) // x, -0 for x < 0 (x for ±0 and NaN)
			f.VSUBPS(v.G, v.A, v.A)
		},
	)
	f.mapStages(geluUnroll32, stages, func(j int) reg.VecPhysical { return vec(j).A }, vec(1).A)
}
