package main

import (
	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("elu64", genELU64) }

// eluLo64 is the float64 ELU's clamp: below -40 (from -37.43 on, in fact) e^x - 1 rounds to -1,
// and 2^n, n >= -58, is a normal number.
const eluLo64 = -40.0

// genELU64 emits ELUF64AVX512 and ELUF64AVX2, dst[i] = x for x = src[i] > 0 (and NaN),
// alpha·(e^x - 1) elsewhere.
//
// Method (e^x - 1 without cancellation). With xe = max(min(x, 0), -40) = n·ln2 + r reduced by
// the core (expcore64.go) and s = e^r - 1 its polynomial, e^xe - 1 = (S - 1) + S·s for S = 2^n
// (exact: VSCALEFPD of 1.0; AVX2 the bits (n+1023)<<52):
//
//	c0 = S - 1 rounded, c0l = S - (c0 + 1)   exactly (Fast2Sum; c0l = 0 unless n < -53)
//	q  = S·s                                 exact
//	e^x - 1 = c0 + (c0l + q)
//
// For n = 0 (|x| <= ln2/2) this is s itself, within about 0.51 ULP. For n = -1, c0 = -1/2 and
// |q| <= 0.21 against a result of at least 0.29: q's rounding is below half an ULP of the
// result, and the last sum rounds once; for n <= -2 q is smaller still against the result.
// Error: about 1 ULP; the product with alpha rounds once more. The sign of a zero result is
// taken from x (r + r·p gives +0 for x = -0), and the lanes where x > 0 or NaN take x itself,
// which keeps NaN payloads and +Inf.
func genELU64(c *build.Context) {
	tab := newConsts("elu64c")
	for _, v := range variants[2:] {
		f := newFn(c, "ELU", v, "func(alpha T, dst, src []T)")
		f.doc(
			f.Name+" sets dst[i] = src[i] where it is above 0 and alpha·(e^x - 1) for the other "+
				"x = src[i], the exponential linear unit, within 2 ULP of the correctly rounded "+
				"alpha·(e^x - 1) (what this loop computes to within math.Expm1's error):",
			"\tfor i, x := range src {\n\t\tif !(x > 0) {\n\t\t\tx = alpha * math.Expm1(x)\n\t\t}\n\t\tdst[i] = x\n\t}",
			"NaN stays NaN, +Inf +Inf, -Inf gives -alpha (as does every x below -37.43), and "+
				"-0 gives alpha·-0. It requires "+f.isa.Requires+siluRequires(f)+". "+
				f.mapContract(elu64Unroll(f)),
		)
		e := f.newF64Exp(tab)
		zero := e.c("0", 0)
		lo := e.c("-40, the clamp", f64bits(eluLo64))
		sign := e.c("the sign bit", 1<<63)
		if f.avx512() {
			elu64AVX512(f, e, zero, lo, sign)
		} else {
			elu64AVX2(f, e, zero, lo, sign)
		}
	}
	tab.emit(c)
}

func elu64Unroll(f *fn) int {
	if f.avx512() {
		return 4
	}
	return 2
}

// elu64Vec are the five registers of one vector.
type elu64Vec struct{ A, B, C, D, E reg.VecPhysical }

func elu64AVX512(f *fn, e *f64Exp, zero, lo, sign Mem) {
	f.regs(
		"DI  address of the next dst element",
		"SI  address of the next src element",
		"CX  elements left",
		"AX, BX  scratch (tail mask)",
		"Z0-Z19  four vectors in flight, five registers each: xe, then r, then c0l + q, then "+
			"x; t, then S = 2^n; n; s, then q; c0, then the result",
		"Z20  alpha",
		"Z21  1.0",
		"Z22  x in the tail",
		"K2-K5  the lanes where x > 0 or NaN",
		f.tailRegs(),
	)
	f.base("dst", dstPtr)
	f.base("src", srcPtr)
	f.length("src", count)
	alpha, one := Z(20), Z(21)
	f.VBROADCASTSD(f.addr(f.Param("alpha")), alpha)
	f.VBROADCASTSD(e.one(), one)
	vec := func(j int) elu64Vec { return elu64Vec{Z(5 * j), Z(5*j + 1), Z(5*j + 2), Z(5*j + 3), Z(5*j + 4)} }
	f.mapStages(4, []stage{
		func(j, n int, x Op) {
			v := vec(j)
			f.VMOVUPD(x, v.A)
			f.VCMPPD_BCST(U8(cmpNLEUQ), zero, v.A, kreg[j]) // x > 0 or NaN
			f.VMINPD_BCST(zero, v.A, v.A)
			f.VMAXPD_BCST(lo, v.A, v.A) // xe
			e.red(v.A, v.B, v.C, nil)
		},
		func(j, n int, x Op) {
			v := vec(j)
			e.poly(v.A, v.D) // s
		},
		func(j, n int, x Op) {
			v := vec(j)
			e.scalef(v.C, one, nil, v.B) // S = 2^n
			f.VSUBPD(one, v.B, v.E)      // c0 = S - 1 rounded
			f.VADDPD(one, v.E, v.A)      // c0 + 1, exact
			f.VSUBPD(v.A, v.B, v.A)      // c0l = S - (c0 + 1), exact
			f.VMULPD(v.B, v.D, v.D)      // q = S·s, exact
			f.VADDPD(v.D, v.A, v.A)      // c0l + q
			f.VADDPD(v.A, v.E, v.E)      // c0 + (c0l + q)
		},
		func(j, n int, x Op) {
			v := vec(j)
			f.VMOVUPD(x, v.A)
			f.VPTERNLOGQ_BCST(U8(ternAOrBAndC), sign, v.A, v.E) // the sign of a zero from x
			f.VMULPD(alpha, v.E, v.E)
			f.VMOVAPD(v.A, kreg[j], v.E) // x where x > 0 or NaN
		},
	}, func(j int) reg.VecPhysical { return vec(j).E }, Z(22))
}

func elu64AVX2(f *fn, e *f64Exp, zero, lo, sign Mem) {
	f.regs(
		"DI  address of the next dst element",
		"SI  address of the next src element",
		"CX  elements left",
		"AX, BX  scratch (tail mask)",
		"Y0-Y9  two vectors in flight, five registers each: xe, then r, then c0l + q, then "+
			"x; t, then S = 2^n; n, then the sign of x and the lanes where x > 0 or NaN; s, "+
			"then q; c0, then the result",
		"Y12  x in the tail",
		"Y14  1.0",
		"Y15  alpha",
		f.tailRegs(),
	)
	f.base("dst", dstPtr)
	f.base("src", srcPtr)
	f.length("src", count)
	alpha, one := f.V(15), f.V(14)
	f.VBROADCASTSD(f.addr(f.Param("alpha")), alpha)
	f.VMOVUPD(e.one(), one)
	vec := func(j int) elu64Vec {
		return elu64Vec{f.V(5 * j), f.V(5*j + 1), f.V(5*j + 2), f.V(5*j + 3), f.V(5*j + 4)}
	}
	f.mapStages(2, []stage{
		func(j, n int, x Op) {
			v := vec(j)
			f.VMOVUPD(x, v.A)
			f.VMINPD(zero, v.A, v.A)
			f.VMAXPD(lo, v.A, v.A) // xe
			e.red(v.A, v.B, v.C, nil)
		},
		func(j, n int, x Op) {
			v := vec(j)
			e.poly(v.A, v.D) // s
		},
		func(j, n int, x Op) {
			v := vec(j)
			e.pow2(v.B)             // S = 2^n, normal
			f.VSUBPD(one, v.B, v.E) // c0 = S - 1 rounded
			f.VADDPD(one, v.E, v.A) // c0 + 1, exact
			f.VSUBPD(v.A, v.B, v.A) // c0l = S - (c0 + 1), exact
			f.VMULPD(v.B, v.D, v.D) // q = S·s, exact
			f.VADDPD(v.D, v.A, v.A) // c0l + q
			f.VADDPD(v.A, v.E, v.E) // c0 + (c0l + q)
		},
		func(j, n int, x Op) {
			v := vec(j)
			f.VMOVUPD(x, v.A)
			f.VANDPD(sign, v.A, v.C)
			f.VORPD(v.C, v.E, v.E) // the sign of a zero from x
			f.VMULPD(alpha, v.E, v.E)
			f.VCMPPD(U8(cmpNLEUQ), zero, v.A, v.C) // x > 0 or NaN
			f.VBLENDVPD(v.C, v.A, v.E, v.E)
		},
	}, func(j int) reg.VecPhysical { return vec(j).E }, f.V(12))
}
