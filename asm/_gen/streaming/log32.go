package main

import (
	"math"

	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// Log's float32 method (AVX-512), every input in float32 lanes. For x positive and finite
// (subnormals included: VGETMANTPS and VGETEXPPS normalize them):
//
//	m = VGETMANTPS(x) in [3/4, 3/2), E = VGETEXPPS(x) = floor(log2 x), so x = 2^(E+s)·m with
//	    s = 1 where m < 1, else 0
//	j = bits 19-22 of m: its top four mantissa bits, 0-7 for m in [1, 3/2) and 8-15 for m in
//	    [3/4, 1), sixteen intervals of m
//	c = 1 for j = 0 and j = 15 (m in [1, 17/16) and [31/32, 1)), the middle of the interval
//	    otherwise; IC = 1/c rounded to float32; LC = s·ln2 - ln(IC) as LCHI + LCLO (for j = 15
//	    exactly LN2HI + LN2LO, the pair E·ln2 is formed from): the tables logTab32
//	P = m·IC rounded, PE = m·IC - P (one FMA, exact), R = P - 1 (exact), R in [-1/32, 1/16)
//	H = E·LN2HI + LCHI, exact: LN2HI has 9 significant bits, so E·LN2HI is a multiple of 2^-9
//	    below 2^7, and LCHI is rounded to a multiple of 2^-16 (logGrid), so H is a multiple of
//	    2^-16 below 2^8, 24 bits
//	ln x = H + (R + (R²·Q(R) + (E·LN2LO + LCLO + PE·(1 - R))))
//
// Q is log1pQ32 (R + R²·Q(R) within 2^-28 relative of log1p(R) on [-1/32, 1/16]), and
// PE·(1 - R) is log1p(R + PE) - log1p(R) to within PE·R². On j = 0 and 15, IC = 1, PE = 0 and R =
// m - 1 exactly, and H and the low terms cancel to 0 where x is within [31/32, 17/16) (E = 0, or
// E = -1 with LCHI + LCLO = LN2HI + LN2LO), so that ln x near 1 keeps its relative accuracy; the
// result rounds twice, at R + (...) and at H + that, where R's part is at most about a quarter
// of the sum unless H is 0: within 1 ULP. VFIXUPIMMPS gives the special values: ±0 -> -Inf,
// +Inf -> +Inf, a negative x (-Inf included) the default NaN, a NaN its quiet self, 1 -> +0.

// logGrid is the spacing LCHI is rounded to in Log's tables: E·LN2HI + LCHI is then exact.
const logGrid = 0x1p-16

// log1pQ32 are the float32 coefficients of Q(R) = c2 + c3·R + c4·R² + c5·R³, fitted so that
// R + R²·Q(R) is within 2^-28 relative of log1p(R) on [-1/32, 1/16] (Log and Softplus).
var log1pQ32 = [4]uint32{0xbf000000, 0x3eaaac22, 0xbe800800, 0x3e40fbbc}

// logLn2Hi32 is ln2 to 9 significant bits (the e^x core's ln2hi): E·logLn2Hi32 is exact.
var logLn2Hi32 = math.Float32frombits(exp32NLn2Hi &^ 0x80000000)

// logLn2Lo32 is ln2 - logLn2Hi32 rounded to float32.
var logLn2Lo32 = float32(math.Ln2 - float64(logLn2Hi32))

// logTab32 returns the three VPERMPS tables of Log's method: IC[j], LCHI[j], LCLO[j].
func logTab32() (ic, lchi, lclo []uint32) {
	ic, lchi, lclo = lnTab32(16, logGrid, func(j int) (c, s float64) {
		c = 1 + (float64(j)+0.5)/16
		if j >= 8 {
			c, s = c/2, math.Ln2
		}
		if j == 0 || j == 15 {
			c = 1
		}
		return c, s
	})
	lchi[15], lclo[15] = math.Float32bits(logLn2Hi32), math.Float32bits(logLn2Lo32)
	return ic, lchi, lclo
}

// lnTab32 returns the tables of n rows of a reduction by 1/c (Log's and Softplus's): IC[j] = 1/c
// rounded to float32 and LCHI[j] + LCLO[j] = s - ln(IC[j]) as two float32, with c and s from
// row(j); LCHI is rounded to a multiple of grid where grid is not 0 (Log's 2^-16, so that
// E·LN2HI + LCHI is exact), else to float32. The float64 ln of a float32 is far more accurate than
// the pair needs, and s - ln(1) is +0.
func lnTab32(n int, grid float64, row func(j int) (c, s float64)) (ic, lchi, lclo []uint32) {
	for j := 0; j < n; j++ {
		c, s := row(j)
		inv := float32(1 / c)
		lc := s - math.Log(float64(inv))
		hi := float32(lc)
		if grid != 0 {
			hi = float32(math.RoundToEven(lc/grid) * grid)
		}
		ic = append(ic, math.Float32bits(inv))
		lchi = append(lchi, math.Float32bits(hi))
		lclo = append(lclo, math.Float32bits(float32(lc-float64(hi))))
	}
	return ic, lchi, lclo
}

// lnTabMem adds the three tables of lnTab32 to tab and returns their addresses: IC, LCHI and
// LCLO of the kernel named by who.
func lnTabMem(tab *consts, who string, ic, lchi, lclo []uint32) (icM, hiM, loM Mem) {
	return tab.vec32(who+": IC[j] = 1/c rounded", ic...),
		tab.vec32(who+": LCHI[j], s - ln(IC[j]) rounded", lchi...),
		tab.vec32(who+": LCLO[j], s - ln(IC[j]) - LCHI[j] rounded", lclo...)
}

// lnReduce emits the reduction by 1/c of Log's and Softplus's methods: P = m·IC rounded into r,
// the residual PE = m·IC - P (exact, one FMA) into m, then R = P - 1 (exact: P is near 1) into r;
// one is 1.0 in every lane (a register, or a memory operand on AVX2).
func lnReduce(f *fn, m, ic, r reg.VecPhysical, one Op) {
	f.VMULPS(ic, m, r)
	f.VFMSUB213PS(r, ic, m)
	f.VSUBPS(one, r, r)
}

// log1pQ512 emits, on AVX-512, R² into r2 and Q(R) (log1pQ32) into q for R in r.
func log1pQ512(f *fn, tab *consts, r, r2, q reg.VecPhysical) {
	c := func(k int) Mem { return tab.bcast32("log1p's Q: coefficient c"+itoa(k+2), log1pQ32[k]) }
	f.VMULPS(r, r, r2)
	f.VBROADCASTSS(c(3), q)
	for k := 2; k >= 0; k-- {
		f.VFMADD213PS_BCST(c(k), r, q)
	}
}

// logUnroll32 is the number of vectors per iteration of LogF32AVX512's main loop.
const logUnroll32 = 3

// log32 emits the AVX-512 body of LogF32AVX512: three vectors per iteration, seven registers
// each, each stage of the method emitted for every vector before the next.
func log32(f *fn, tab *consts) {
	type lgVec struct{ A, B, C, D, E, F, G reg.VecPhysical }
	vec := func(j int) lgVec {
		return lgVec{Z(7 * j), Z(7*j + 1), Z(7*j + 2), Z(7*j + 3), Z(7*j + 4), Z(7*j + 5), Z(7*j + 6)}
	}
	tailX, fixup, icReg, hiReg, loReg, one := Z(21), Z(22), Z(23), Z(24), Z(25), Z(26)
	f.regs(
		"DI  address of the next dst element",
		"SI  address of the next src element",
		"CX  elements left",
		"AX, BX  scratch (tail mask)",
		"Z0-Z20  three vectors in flight, seven registers each: P (then R, then x); m (then PE, "+
			"PE·(1 - R)); E (then R²); the table index (then Q, the result); IC (then LCHI, LCLO, "+
			"the low terms); E·LN2HI; H",
		"Z21  x in the tail",
		"Z22  the VFIXUPIMMPS table",
		"Z23-Z25  the tables IC, LCHI, LCLO",
		"Z26  1.0",
		f.tailRegs(),
	)
	f.base("dst", dstPtr)
	f.base("src", srcPtr)
	f.length("src", count)
	ic, lchi, lclo := logTab32()
	icM, hiM, loM := lnTabMem(tab, "Log", ic, lchi, lclo)
	f.VMOVUPS(icM, icReg)
	f.VMOVUPS(hiM, hiReg)
	f.VMOVUPS(loM, loReg)
	f.VBROADCASTSS(tab.bcast32("Log's VFIXUPIMMPS table: NaN gives QNaN(x), ±0 -Inf, 1 +0, -Inf and negatives the default NaN, +Inf +Inf", logFixup), fixup)
	f.VBROADCASTSS(tab.f32("1.0", 1), one)
	ln2hi := tab.f32("LN2HI, ln2 to 9 bits", logLn2Hi32)
	ln2lo := tab.f32("LN2LO = ln2 - LN2HI rounded", logLn2Lo32)
	f.mapStages(logUnroll32, []stage{
		func(j, _ int, x Op) {
			v := vec(j)
			f.VGETMANTPS(U8(0b0011), x, v.B) // m in [3/4, 3/2)
			f.VGETEXPPS(x, v.C)              // E
			f.VPSRLD(U8(19), v.B, v.D)       // j in the low four bits
			f.VPERMPS(icReg, v.D, v.E)       // IC
		},
		func(j, _ int, _ Op) {
			v := vec(j)
			lnReduce(f, v.B, v.E, v.A, one) // A = R, B = PE
			f.VMULPS_BCST(ln2hi, v.C, v.F)  // A = E·LN2HI, exact
			f.VPERMPS(hiReg, v.D, v.E)      // LCHI
		},
		func(j, _ int, _ Op) {
			v := vec(j)
			f.VADDPS(v.E, v.F, v.G)             // H = E·LN2HI + LCHI, exact
			f.VPERMPS(loReg, v.D, v.E)          // LCLO
			f.VFMADD231PS_BCST(ln2lo, v.C, v.E) // E·LN2LO + LCLO
			f.VFNMADD231PS(v.A, v.B, v.B)       // PE·(1 - R)
			f.VADDPS(v.B, v.E, v.E)             // the low terms
		},
		func(j, _ int, x Op) {
			v := vec(j)
			log1pQ512(f, tab, v.A, v.C, v.D)
			f.VFMADD213PS(v.E, v.C, v.D) // R²·Q + the low terms
			f.VADDPS(v.A, v.D, v.D)      // + R
			f.VADDPS(v.G, v.D, v.D)      // + H
			if _, ok := x.(reg.VecPhysical); !ok {
				f.VMOVUPS(x, v.A)
				x = v.A
			}
			f.VFIXUPIMMPS(U8(0), fixup, x, v.D) // ±0, ±Inf, negatives, NaN, 1
		},
	}, func(j int) reg.VecPhysical { return vec(j).D }, tailX)
}

// Log's float32 method on AVX2, without VGETMANTPS, VGETEXPPS and VFIXUPIMMPS, on the bits of x
// (a subnormal x first scaled by 2^23, then 23 taken from the exponent field of the result, which
// the integer arithmetic below carries below zero), with OFF the bits of 23/32:
//
//	k = (x - OFF) >> 23 (arithmetic), m = x - (k << 23): x = 2^k·m, m in [23/32, 23/16)
//	j = (x - OFF + 2^22) >> 20 = (m + 2^19) >> 20 (VPERMPS reads the low three bits): the nearest
//	    eighth of m - 1 (of 2m - 1 for m < 1), eight rows centred on c = 1 + j/8 (j = 0-3) and
//	    (1 + j/8)/2 (j = 4-7); row 0 holds m in [31/32, 17/16) with c = 1, so that m = 1 is inside
//	    a row, not at its edge
//	IC = 1/c rounded to float32, LC = -ln(IC) as LCHI (a multiple of 2^-16) + LCLO: logTab8
//
// and from there as on AVX-512, with k in place of E and R in [-1/18, 1/16): P, PE and R = P - 1;
// H = k·LN2HI + LCHI, exact; ln x = H + (R + (R²·Q(R) + (k·LN2LO + LCLO + PE·(1 - R)))), Q of
// degree 4 (log1pQ8). For x in [31/32, 17/16), k = 0 and row 0 make H and the low terms 0 and
// R = x - 1 exactly. Compares and blends give the special values: a NaN, a negative x (-Inf
// included) and ±0 first all ones (a NaN), then ±0 -Inf and +Inf +Inf.

// logOff8 is the bits of 23/32, where the AVX2 method's range of m starts.
const logOff8 = 0x3f380000

// logTab8 returns the three VPERMPS tables of Log's AVX2 method: IC[j], LCHI[j], LCLO[j].
func logTab8() (ic, lchi, lclo []uint32) {
	return lnTab32(8, logGrid, func(j int) (c, s float64) {
		c = 1 + float64(j)/8
		if j >= 4 {
			c /= 2
		}
		return c, 0
	})
}

// log32AVX2 emits the body of LogF32AVX2: two vectors per iteration, six registers each, every
// constant and table a memory operand.
func log32AVX2(f *fn, tab *consts) {
	type lgVec struct{ A, B, C, D, E, F reg.VecPhysical }
	vec := func(j int) lgVec {
		b := 6 * j
		return lgVec{f.V(b), f.V(b + 1), f.V(b + 2), f.V(b + 3), f.V(b + 4), f.V(b + 5)}
	}
	tailX, inf, zero := f.V(12), f.V(14), f.V(15)
	f.regs(
		"DI  address of the next dst element",
		"SI  address of the next src element",
		"CX  elements left",
		"AX, BX  scratch (tail mask)",
		"Y0-Y11  two vectors in flight, six registers each: x (then k·LN2HI, H); x scaled (then "+
			"the bits it is taken for, m, PE, PE·(1 - R), R²); the subnormal mask (then IC, LCHI, "+
			"LCLO, the low terms); x - OFF (then j, Q's upper half, the fix-up masks); k (then Q, "+
			"the result); k << 23 (then R)",
		"Y12  x in the tail",
		"Y14  +Inf",
		"Y15  0.0",
		f.tailRegs(),
	)
	f.base("dst", dstPtr)
	f.base("src", srcPtr)
	f.length("src", count)
	ic, lchi, lclo := logTab8()
	icTab, hiTab, loTab := lnTabMem(tab, "Log (AVX2)", ic, lchi, lclo)
	one := tab.f32("1.0", 1)
	f.VBROADCASTSS(tab.f32("+Inf", float32(math.Inf(1))), inf)
	f.VXORPS(zero, zero, zero)
	f.mapStages(logUnroll, []stage{
		func(j, _ int, x Op) {
			v := vec(j)
			f.VMOVUPS(x, v.A)
			f.VCMPPS(U8(cmpLTOQ), tab.f32("2^-126, the smallest normal float32", 0x1p-126), v.A, v.C)
			f.VMULPS(tab.f32("2^23", 0x1p23), v.A, v.B)
			f.VPSUBD(tab.bcast32("23 << 23", 23<<23), v.B, v.B)
			f.VBLENDVPS(v.C, v.B, v.A, v.B) // x's bits, or x·2^23's less 23 << 23 where x < 2^-126
			f.VPSUBD(tab.bcast32("OFF, the bits of 23/32", logOff8), v.B, v.D)
			f.VPSRAD(U8(23), v.D, v.E) // k
			f.VPAND(tab.bcast32("0xff800000, the exponent field and the sign", 0xff800000), v.D, v.F)
			f.VPADDD(tab.bcast32("2^22: (x - OFF + 2^22) >> 20 is j", 0x400000), v.D, v.D)
			f.VPSRLD(U8(20), v.D, v.D) // j in the low three bits
			f.VPSUBD(v.F, v.B, v.B)    // m in [23/32, 23/16)
			f.VCVTDQ2PS(v.E, v.E)
		},
		func(j, _ int, _ Op) {
			v := vec(j)
			f.VPERMPS(icTab, v.D, v.C) // IC
			lnReduce(f, v.B, v.C, v.F, one)
		},
		func(j, _ int, _ Op) {
			v := vec(j)
			f.VMULPS(tab.f32("LN2HI, ln2 to 9 bits", logLn2Hi32), v.E, v.A) // k·LN2HI
			f.VPERMPS(hiTab, v.D, v.C)                                      // LCHI
			f.VADDPS(v.C, v.A, v.A)                                         // H, exact
			f.VPERMPS(loTab, v.D, v.C)                                      // LCLO
			f.VFMADD231PS(tab.f32("LN2LO = ln2 - LN2HI rounded", logLn2Lo32), v.E, v.C)
			f.VFNMADD231PS(v.F, v.B, v.B) // PE·(1 - R)
			f.VADDPS(v.B, v.C, v.C)       // the low terms
		},
		func(j, _ int, x Op) {
			v := vec(j)
			log1pQ8AVX2(f, tab, v.F, v.B, v.E, v.D)
			f.VFMADD213PS(v.C, v.B, v.E) // R²·Q + the low terms
			f.VADDPS(v.F, v.E, v.E)      // + R
			f.VADDPS(v.A, v.E, v.E)      // + H
			f.VCMPPS(U8(geluCmpNLTUQ), x, zero, v.D)
			f.VORPS(v.D, v.E, v.E) // all ones (NaN) where !(0 < x)
			f.VCMPPS(U8(cmpEQOQ), x, zero, v.D)
			f.VBLENDVPS(v.D, tab.f32("-Inf", float32(math.Inf(-1))), v.E, v.E) // -Inf where x = ±0
			f.VCMPPS(U8(cmpEQOQ), x, inf, v.D)
			f.VBLENDVPS(v.D, inf, v.E, v.E) // +Inf where x = +Inf
		},
	}, func(j int) reg.VecPhysical { return vec(j).E }, tailX)
}
