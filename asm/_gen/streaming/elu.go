package main

import (
	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("elu", genELU) }

// cmpNLEUQ is the VCMPPS predicate "not less than or equal, unordered": x > y or either is NaN.
const cmpNLEUQ = 0x06

// eluLo is ELU's clamp: below -30, e^x - 1 rounds to -1 in float32 (e^-30 < 2^-43), and from
// -30 on 2^n is a normal number (n >= -44), so that AVX2 scales it through its exponent field.
const eluLo = -30

// ternAOrBAndC is the VPTERNLOGD truth table of A | (B & C), A the destination.
const ternAOrBAndC = 0xf8

// genELU emits ELU, dst[i] = x for x = src[i] > 0 (and NaN), alpha·(e^x - 1) elsewhere, float32.
//
// Method (e^x - 1 without cancellation). With xe = max(min(x, 0), -30) reduced as by the core,
// xe = (k/N)·ln2 + r, 2^(k/N) = 2^n·T[j]·(1 + R[j]):
//
//	p = r/2 + r^2/6 + r^3/24          r + r·p is e^r - 1 within 2^-29 relative
//	w = r·p + R[j]                    small (below 2^-8): its rounding does not matter
//	s = 2^n·T[j]                      exact (VSCALEFPS; AVX2: n added to the exponent)
//	q = s·r + s·w                     one FMA: s·(e^r - 1 + R[j]), |q| <= 0.022·s
//	c0 + c0l = s - 1                  exactly (c0 rounded, c0l its error: Fast2Sum)
//	e^x - 1 = c0 + (c0l + q)          (R[j]·(e^r - 1), below 2^-30, is dropped)
//
// For k = 0 (|x| < ln2/(2N)) s = 1, c0 = 0 and the result is q = r + r·p, rounded once. For
// -N <= k < 0, s is in [1/2, 1), c0 is exact and q is at most about as large as the result: q's
// rounding and the result's. Below, the result is at least 1/2 in magnitude and q is below
// 0.011: the errors of q and c0l + q are negligible, and the last sum rounds almost exactly (so
// that it rounds to -1 where e^x - 1 does). Error: about 1 ULP at most. The sign of a zero
// result is set from x (r + r·p gives +0 for r = -0); then the product with alpha rounds once
// more: within 2 ULP of alpha·(e^x - 1) correctly rounded (1.4 ULP measured). The lanes where
// x > 0 or NaN take x itself, which keeps NaN payloads and ±Inf.
func genELU(c *build.Context) {
	tab := newConsts("elu32c")
	for _, v := range variants[:2] {
		f := newFn(c, "ELU", v, "func(alpha T, dst, src []T)")
		f.doc(
			f.Name+" sets dst[i] = src[i] where it is above 0 and alpha·(e^x - 1) for the other "+
				"x = src[i], the exponential linear unit, within 2 ULP of the correctly rounded "+
				"result of",
			"\tfor i, x := range src {\n\t\tif !(x > 0) {\n\t\t\tx = T(float64(alpha) * math.Expm1(float64(x)))\n\t\t}\n\t\tdst[i] = x\n\t}",
			"NaN stays NaN, +Inf +Inf, -Inf gives -alpha (as does every x below -17.33), and "+
				"-0 gives alpha·-0. It requires "+f.isa.Requires+siluRequires(f)+". "+
				f.mapContract(eluUnroll(f)),
		)
		if f.avx512() {
			eluAVX512(f, tab)
		} else {
			eluAVX2(f, tab)
		}
	}
	tab.emit(c)
}

func eluUnroll(f *fn) int {
	if f.avx512() {
		return 4
	}
	return 3
}

// eluAVX512 is ELUF32AVX512: four vectors per iteration, five registers each.
func eluAVX512(f *fn, tab *consts) {
	e := f.newExp32(tab)
	f.regs(
		"DI  address of the next dst element",
		"SI  address of the next src element",
		"CX  elements left",
		"AX, BX  scratch (tail mask)",
		"Z0-Z19  four vectors in flight, five registers each: xe, then r; t, then s - 1 and "+
			"the result; k/16; the polynomial, then u + R[j], then x; R[j], then s",
		"Z20  x in the tail",
		"Z22  alpha",
		e.regs(),
		"K2-K5  the lanes where x > 0 or NaN",
		f.tailRegs(),
	)
	f.base("dst", dstPtr)
	f.base("src", srcPtr)
	f.length("src", count)
	e.load()
	alpha := Z(22)
	f.VBROADCASTSS(f.addr(f.Param("alpha")), alpha)
	zero := tab.f32("0", 0)
	lo := tab.f32("-30, the clamp", eluLo)
	sign := tab.bcast32("the sign bit", 0x80000000)
	vec := func(j int) expVec {
		return expVec{X: Z(5 * j), T: Z(5*j + 1), K: Z(5*j + 2), P: Z(5*j + 3), R: Z(5*j + 4)}
	}
	f.mapStages(4, []stage{
		func(j, n int, x Op) {
			v := vec(j)
			f.VMOVUPS(x, v.X)
			f.VCMPPS_BCST(U8(cmpNLEUQ), zero, v.X, kreg[j]) // x > 0 or NaN
			f.VMINPS_BCST(zero, v.X, v.X)
			f.VMAXPS_BCST(lo, v.X, v.X) // xe
			e.red(v)
		},
		func(j, n int, x Op) {
			v := vec(j)
			// Taylor to degree 4, as on AVX2: D2 and D3 of the core approximate e^r within
			// 2^-29 of 1, not e^r - 1 within 2^-29 of r.
			f.VBROADCASTSS(tab.bcast32("1/24", exp32C4), v.P)
			f.VFMADD213PS_BCST(tab.bcast32("1/6", exp32C3), v.X, v.P)
			f.VFMADD213PS_BCST(tab.bcast32("1/2", exp32C2), v.X, v.P)
			f.VMULPS(v.X, v.P, v.P)          // p = r/2 + r^2/6 + r^3/24
			f.VPERMPS(exp32RegRho, v.T, v.R) // R[j]
			f.VFMADD213PS(v.R, v.X, v.P)     // w = r·p + R[j]
		},
		func(j, n int, x Op) {
			v := vec(j)
			f.VPERMPS(exp32RegThi, v.T, v.R)
			f.VSCALEFPS(v.K, v.R, v.R)      // s = 2^n·T[j]
			f.VMULPS(v.R, v.P, v.P)         // s·w
			f.VFMADD231PS(v.X, v.R, v.P)    // q = s·r + s·w
			f.VSUBPS(exp32RegOne, v.R, v.T) // c0 = s - 1 rounded
			f.VADDPS(exp32RegOne, v.T, v.K) // c0 + 1, exact
			f.VSUBPS(v.K, v.R, v.K)         // c0l = s - 1 - c0, exact
			f.VADDPS(v.P, v.K, v.K)         // c0l + q
			f.VADDPS(v.K, v.T, v.T)         // c0 + (c0l + q)
		},
		func(j, n int, x Op) {
			v := vec(j)
			f.VMOVUPS(x, v.P)
			f.VPTERNLOGD_BCST(U8(ternAOrBAndC), sign, v.P, v.T) // the sign of a zero from x
			f.VMULPS(alpha, v.T, v.T)
			f.VMOVAPS(v.P, kreg[j], v.T) // x where x > 0 or NaN
		},
	}, func(j int) reg.VecPhysical { return vec(j).T }, Z(20))
}

// eluAVX2 is ELUF32AVX2: three vectors per iteration, four registers each.
func eluAVX2(f *fn, tab *consts) {
	e := f.newExp32(tab)
	f.regs(
		"DI  address of the next dst element",
		"SI  address of the next src element",
		"CX  elements left",
		"AX, BX  scratch (tail mask)",
		"Y0-Y11  three vectors in flight, four registers each: xe, then r, then s; t, then "+
			"2^n, then s - 1 and the result; k/8, then R[j], then x; the polynomial, then u + "+
			"R[j], then the sign of x and the lanes where x > 0 or NaN",
		"Y14  x in the tail",
		"Y15  alpha",
		e.regs(),
		f.tailRegs(),
	)
	f.base("dst", dstPtr)
	f.base("src", srcPtr)
	f.length("src", count)
	alpha := f.V(15)
	f.VBROADCASTSS(f.addr(f.Param("alpha")), alpha)
	zero := tab.f32("0", 0)
	lo := tab.f32("-30, the clamp", eluLo)
	sign := tab.bcast32("the sign bit", 0x80000000)
	vec := func(j int) expVec { return expVec{X: f.V(4 * j), T: f.V(4*j + 1), K: f.V(4*j + 2), P: f.V(4*j + 3)} }
	f.mapStages(3, []stage{
		func(j, n int, x Op) {
			v := vec(j)
			f.VMOVUPS(x, v.X)
			f.VMINPS(zero, v.X, v.X)
			f.VMAXPS(lo, v.X, v.X) // xe
			e.red(v)
		},
		func(j, n int, x Op) {
			v := vec(j)
			f.VMOVUPS(tab.bcast32("1/24", exp32C4), v.P)
			f.VFMADD213PS(tab.bcast32("1/6", exp32C3), v.X, v.P)
			f.VFMADD213PS(tab.bcast32("1/2", exp32C2), v.X, v.P)
			f.VMULPS(v.X, v.P, v.P) // p = r/2 + r^2/6 + r^3/24
			f.VPERMPS(tab.vec32("RHO8: 2^(j/8) = THI8[j]*(1+RHO8[j])", every2(exp32RHO16)...), v.T, v.K)
			f.VFMADD213PS(v.K, v.X, v.P) // w = r·p + R[j]
			f.VPERMPS(tab.vec32("THI8: 2^(j/8) rounded to float32", every2(exp32THI16)...), v.T, v.K)
			e.scale2(v.K, v.T, nil, scaleFast) // s = 2^n·T[j], normal
		},
		func(j, n int, x Op) {
			v := vec(j)
			tmp := f.V(12)
			f.VMULPS(v.K, v.P, v.P)      // s·w
			f.VFMADD231PS(v.X, v.K, v.P) // q = s·r + s·w
			f.VSUBPS(e.one(), v.K, v.T)  // c0 = s - 1 rounded
			f.VADDPS(e.one(), v.T, tmp)  // c0 + 1, exact
			f.VSUBPS(tmp, v.K, tmp)      // c0l = s - 1 - c0, exact
			f.VADDPS(v.P, tmp, tmp)      // c0l + q
			f.VADDPS(tmp, v.T, v.T)      // c0 + (c0l + q)
			f.VMOVUPS(x, v.X)
			f.VANDPS(sign, v.X, v.P)
			f.VORPS(v.P, v.T, v.T) // the sign of a zero from x
			f.VMULPS(alpha, v.T, v.T)
			f.VCMPPS(U8(cmpNLEUQ), zero, v.X, v.P) // x > 0 or NaN
			f.VBLENDVPS(v.P, v.X, v.T, v.T)
		},
	}, func(j int) reg.VecPhysical { return vec(j).T }, f.V(14))
}
