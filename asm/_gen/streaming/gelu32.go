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
// R̃ is a polynomial of degree 5 per interval of a: the interval index is the bits of a + 1
// shifted right by 20 (three mantissa bits: 32 intervals, 1/8 wide on [0, 1), 1/4 on [1, 3),
// 1/2 on [3, 7), 1 on [7, 15)), and VPERMI2PS takes each coefficient from a 32-entry table (the
// low 16 entries in a register, the high 16 a memory operand). The polynomial is in tt = a - C,
// C an expansion point near the middle of the interval (0 on [0, 1/8)) with few bits, so that tt
// is exact, and chosen where R̃(C) is a float32 to within 2^-31 relative: the constant term is
// then exact, and the evaluation rounds about once (its last FMA), within 2^-28 relative of R̃.
// The tables are geluTab32.
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
	negZero, maxA, cReg, thi, rho := Z(21), Z(22), Z(23), Z(31), Z(30)
	coefReg := func(k int) reg.VecPhysical { return Z(29 - k) } // c5..c0 in Z24..Z29
	f.regs(
		"DI  address of the next dst element",
		"SI  address of the next src element",
		"CX  elements left",
		"AX, BX  scratch (tail mask)",
		"Z0-Z20  three vectors in flight, seven registers each: a (then R̃, then the result), "+
			"the table index, tt, ρ (then the coefficients), t (then T[j]), K, w (then h); the "+
			"tail's x in Z20",
		"Z21  -0.0",
		"Z22  14.5, the clamp of |x|",
		"Z23  the low half of the table of expansion points C",
		"Z24-Z29  the low halves of the tables of c5..c0",
		"Z30, Z31  RHO16 and THI16 (the exp core's 2^(j/16) tables)",
		f.tailRegs(),
	)
	f.base("dst", dstPtr)
	f.base("src", srcPtr)
	f.length("src", count)

	column := func(k int) (lo, hi Mem) {
		var w []uint32
		for i := 0; i < 32; i++ {
			w = append(w, geluTab32[i][k])
		}
		note := "GELU: table column " + itoa(k) + " (0: the expansion points C, k > 0: c(k-1))"
		return tab.vec32(note+", entries 0-15", w[:16]...), tab.vec32(note+", entries 16-31", w[16:]...)
	}
	cLo, cHi := column(0)
	var coefHi [6]Mem
	f.VMOVUPS(cLo, cReg)
	for k := 0; k < 6; k++ {
		lo, hi := column(k + 1)
		coefHi[k] = hi
		f.VMOVUPS(lo, coefReg(k))
	}
	f.VMOVUPS(tab.vec32("RHO16: 2^(j/16) = THI16[j]*(1+RHO16[j])", exp32RHO16...), rho)
	f.VMOVUPS(tab.vec32("THI16: 2^(j/16) rounded to float32", exp32THI16...), thi)
	f.VBROADCASTSS(tab.bcast32("-0.0", 0x80000000), negZero)
	f.VBROADCASTSS(tab.f32("14.5, the clamp of |x|", geluMax32), maxA)

	ln2hi := math.Float32frombits(exp32NLn2Hi &^ 0x80000000)
	ln2lo := -math.Float32frombits(exp32NLn2Lo) // ln2 - ln2hi, negative
	cOne := tab.f32("1.0", 1)
	cHalfLog2e := tab.f32("-log2e/2", -math.Float32frombits(exp32Log2e)/2)
	cMagic := tab.bcast32("1.5*2^19", exp32Magic16)
	c2ln2hi := tab.f32("2ln2hi", 2*ln2hi)
	c2ln2lo := tab.f32("2ln2lo = 2(ln2 - ln2hi)", 2*ln2lo)
	cD3 := tab.f32("-D3/8", -math.Float32frombits(exp32D3)/8)
	cD2 := tab.f32("D2/4", math.Float32frombits(exp32D2)/4)
	cHalf := tab.f32("-0.5", -0.5)

	perm2 := func(idx, dst, lo reg.VecPhysical, hi Mem) {
		f.VMOVAPS(idx, dst)
		f.VPERMI2PS(hi, lo, dst)
	}
	// horner is one step of R̃'s Horner scheme: A = A·tt + c(k).
	horner := func(k int) stage {
		return func(j, _ int, _ Op) {
			v := vec(j)
			perm2(v.B, v.D, coefReg(k), coefHi[k])
			f.VFMADD213PS(v.D, v.C, v.A)
		}
	}
	stages := []stage{
		func(j, _ int, x Op) {
			v := vec(j)
			f.VRANGEPS(U8(0b1010), x, maxA, v.A) // min(|x|, 14.5) with the sign cleared
			f.VADDPS_BCST(cOne, v.A, v.B)
			f.VPSRLD(U8(20), v.B, v.B) // the table index, in the low 5 bits
			f.VMULPS_BCST(cHalfLog2e, v.A, v.D)
			f.VBROADCASTSS(cMagic, v.E)
			f.VFMADD231PS(v.A, v.D, v.E) // t = 1.5*2^19 - a²·log2e/2
			perm2(v.B, v.C, cReg, cHi)
			f.VSUBPS(v.C, v.A, v.C) // tt = a - C, exact
		},
		func(j, _ int, _ Op) {
			v := vec(j)
			f.VSUBPS_BCST(cMagic, v.E, v.F)       // K
			f.VMULPS_BCST(c2ln2hi, v.F, v.D)      // K·2ln2hi, exact
			f.VFMADD231PS(v.A, v.A, v.D)          // a² + K·2ln2hi
			f.VFMADD231PS_BCST(c2ln2lo, v.F, v.D) // ρ
		},
		func(j, _ int, _ Op) {
			v := vec(j)
			f.VBROADCASTSS(cD3, v.G)
			f.VFMADD213PS_BCST(cD2, v.D, v.G)
			f.VFMADD213PS_BCST(cHalf, v.D, v.G)
			f.VPERMPS(rho, v.E, v.A)
			f.VFMADD213PS(v.A, v.D, v.G) // w
			f.VPERMPS(thi, v.E, v.E)     // T[j]
			perm2(v.B, v.A, coefReg(5), coefHi[5])
		},
		horner(4), horner(3), horner(2), horner(1), horner(0), // A = R̃
		func(j, _ int, _ Op) {
			v := vec(j)
			f.VMULPS(v.E, v.G, v.G)      // V = T·w
			f.VMULPS(v.A, v.G, v.G)      // X = R̃·V
			f.VFMADD231PS(v.A, v.E, v.G) // R̃·T + X
			f.VSCALEFPS(v.F, v.G, v.G)   // h
		},
		func(j, _ int, x Op) {
			v := vec(j)
			f.VMAXPS(x, negZero, v.A) // x, -0 for x < 0 (x for ±0 and NaN)
			f.VSUBPS(v.G, v.A, v.A)
		},
	}
	f.mapStages(geluUnroll32, stages, func(j int) reg.VecPhysical { return vec(j).A }, Z(20))
}
