package main

import (
	"math"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("silu", genSiLU) }

// sigmoidLo is the lower clamp of the exp-based sigmoid kernels (SiLU, GELUTanh): below
// x·e^x's last nonzero float32 (x = -108.66) and far enough above -2^17 that 2^n, n >= -174, is
// the product of two normal numbers (AVX2) and VSCALEFPS works exactly (AVX-512).
const sigmoidLo = -120

// The VFIXUPIMMPS responses (4 bits per class of the input) and the classes.
const (
	fixKeep   = 0x0 // the destination: the computed result
	fixSrc    = 0x1 // the input itself
	fixQNaN   = 0x2 // the input as a quiet NaN
	fixNegInf = 0x4
	fixPosInf = 0x5
	fixNegZ   = 0x7
	fixPosZ   = 0x8

	fixClassQNaN   = 0
	fixClassSNaN   = 1
	fixClassZero   = 2
	fixClassOne    = 3
	fixClassNegInf = 4
	fixClassPosInf = 5
	fixClassNeg    = 6
	fixClassPos    = 7
)

// fixupTable returns the VFIXUPIMMPS table word of responses resp[class].
func fixupTable(resp map[int]uint32) uint32 {
	var w uint32
	for class, r := range resp {
		w |= r << (4 * class)
	}
	return w
}

// siluFixup: NaN -> QNaN(x), ±0 -> x, -Inf -> -0, +Inf -> +Inf, the rest the computed value.
var siluFixup = fixupTable(map[int]uint32{fixClassQNaN: fixQNaN, fixClassSNaN: fixQNaN,
	fixClassZero: fixSrc, fixClassNegInf: fixNegZ, fixClassPosInf: fixPosInf})

// genSiLU emits SiLU, dst[i] = x·σ(x) = x/(1+e^-x), float32 (the float64 versions come from
// siLU64 in its own file once written).
//
// Method. With c = max(x, -120) (below, the result rounds to -0; NaN stays NaN), a = -|c| and
// e = e^a = M·2^n (M the core's unscaled result, in [0.98, 1.96]), σ(|c|) = 1/(1+e) and
// σ(-|c|) = e/(1+e). The quotient q = num/(1+e), num = 1 for x >= 0 and M for x < 0, is
// taken to about 2^-28 relative against the exact 1+e, as in the sigmoid kernels: with y0 an
// approximation of q, num - y0 is exact (y0 is within a factor 2 of num) and one FMA takes
// y0·e off it, so that q = y0 + r·((num - y0) - y0·e), r ≈ 1/(1+e), leaves only its rounding.
// Then SiLU = c·q, scaled by 2^n where x < 0: the product is formed before the scaling, so that
// a subnormal result (x < -87.3) is rounded once on its coarse grid rather than twice. The
// error is q's rounding, the product's and, for subnormal results, the scaling's: about 1 ULP.
//
// AVX-512 computes the approximation y0 = num·r with r from VRCP14PS and scales with
// VSCALEFPS under the mask of the negative lanes. AVX2 divides (y0 = num/(1+e) rounded, r from
// VRCPPS); where every |x| of the three vectors of an iteration is at most 87 nothing is
// subnormal, num = e and the scaling of e goes into its exponent field; otherwise, and in the
// loop of one vector and the tail, 2^n is applied as two normal factors (halves).
func genSiLU(c *build.Context) {
	tab := newConsts("silu32c")
	for _, v := range variants[:2] {
		f := newFn(c, "SiLU", v, "func(dst, src []T)")
		f.doc(
			f.Name+" sets dst[i] = x·σ(x) = x/(1+e^-x) for x = src[i], the sigmoid-weighted "+
				"linear unit (swish), within 2 ULP of the correctly rounded result of",
			"\tfor i, x := range src {\n\t\tdst[i] = T(float64(x) / (1 + math.Exp(-float64(x))))\n\t}",
			"SiLU(+Inf) = +Inf, SiLU(-Inf) = -0, ±0 stay ±0, NaN stays NaN, and results of "+
				"negative inputs that round to zero (below -108.66) are -0. It requires "+
				f.isa.Requires+siluRequires(f)+". "+f.mapContract(siluUnroll(f)),
		)
		if f.avx512() {
			siluAVX512(f, tab)
		} else {
			siluAVX2(f, tab)
		}
	}
	tab.emit(c)
}

func siluRequires(f *fn) string {
	if f.avx512() {
		return " and DQ"
	}
	return " and FMA"
}

func siluUnroll(f *fn) int {
	if f.avx512() {
		return 4
	}
	return 3
}

// siluAVX512 is SiLUF32AVX512: four vectors per iteration, five registers each (x in X, then
// the stages' values; T, K, P, R as in the core), K2-K5 the lanes where x is negative.
func siluAVX512(f *fn, tab *consts) {
	e := f.newExp32(tab)
	f.regs(
		"DI  address of the next dst element",
		"SI  address of the next src element",
		"CX  elements left",
		"AX, BX  scratch (tail mask)",
		"Z0-Z19  four vectors in flight, five registers each: -|c| (then r, M, the "+
			"numerator, the quotient, the result); t, then e, then c; k/16; the polynomial, "+
			"then 1/(1+e); R[j], then 1+e, then the residual",
		"Z19  x in the tail",
		"Z20  the VFIXUPIMMPS table",
		"Z21  the sign bit",
		"Z22  -120",
		e.regs(),
		"K2-K5  the lanes where x is negative",
		f.tailRegs(),
	)
	f.base("dst", dstPtr)
	f.base("src", srcPtr)
	f.length("src", count)
	e.load()
	sign, lo, one, fixup := Z(21), Z(22), exp32RegOne, Z(20)
	f.VBROADCASTSS(tab.bcast32("SiLU's VFIXUPIMMPS table: NaN gives QNaN(x), ±0 x, -Inf -0, +Inf +Inf, the rest the result", siluFixup), fixup)
	f.VBROADCASTSS(tab.bcast32("the sign bit", 0x80000000), sign)
	f.VBROADCASTSS(tab.f32("-120, the clamp", sigmoidLo), lo)
	vec := func(j int) expVec {
		return expVec{X: Z(5 * j), T: Z(5*j + 1), K: Z(5*j + 2), P: Z(5*j + 3), R: Z(5*j + 4)}
	}
	f.mapStages(4, []stage{
		func(j, n int, x Op) {
			v := vec(j)
			f.VMOVUPS(x, v.X)
			f.VPMOVD2M(v.X, kreg[j])
			f.VPORD(sign, v.X, v.X)
			f.VMAXPS(v.X, lo, v.X) // -|x| >= -120; NaN kept
			e.red(v)
		},
		func(j, n int, x Op) { e.poly(vec(j)) },
		func(j, n int, x Op) {
			v := vec(j)
			e.unscaled(v)              // X = M
			f.VSCALEFPS(v.K, v.X, v.T) // e
			f.VADDPS(one, v.T, v.R)    // d = 1+e
			f.VRCP14PS(v.R, v.P)       // r
		},
		func(j, n int, x Op) {
			v := vec(j)
			f.VBLENDMPS(v.X, one, kreg[j], v.R) // num: M where x < 0, else 1
			f.VMULPS(v.R, v.P, v.X)             // y0 = num·r
			f.VSUBPS(v.X, v.R, v.R)             // num - y0, exact
			f.VFNMADD231PS(v.T, v.X, v.R)       // - y0·e: the residual
			f.VMULPS(v.P, v.R, v.R)             // r·residual
			f.VMAXPS(x, lo, v.T)                // c = max(x, -120)
			f.VMULPS(v.T, v.R, v.R)             // c·r·residual
			f.VFMADD213PS(v.R, v.T, v.X)        // c·y0 + c·r·residual, one rounding
			f.VSCALEFPS(v.K, v.X, kreg[j], v.X) // ·2^n where x < 0
			if _, ok := x.(reg.VecPhysical); !ok {
				f.VMOVUPS(x, v.T)
				x = v.T
			}
			f.VFIXUPIMMPS(U8(0), fixup, x, v.X) // ±Inf, ±0, NaN
		},
	}, func(j int) reg.VecPhysical { return Z(5 * j) }, Z(19))
}

// siluAVX2 is SiLUF32AVX2: three vectors per iteration, four registers each (X, T, K, P of the
// core), Y12 the range check; the loop of one vector and the tail use Y12, Y14 and Y15 too.
func siluAVX2(f *fn, tab *consts) {
	e := f.newExp32(tab)
	f.regs(
		"DI  address of the next dst element",
		"SI  address of the next src element",
		"CX  elements left",
		"AX, BX  scratch (tail mask)",
		"Y0-Y11  three vectors in flight, four registers each: -|x|, then r, then e (fast) "+
			"or M, then the numerator; t, then x, then the numerator (fast) or 2^(n-n/2), then "+
			"the residual; k, then 1+e, then the quotient and the result; the polynomial, then "+
			"1/(1+e) or e",
		"Y12  range check; x (one vector)",
		"Y14, Y15  1.0, 1+e, 1/(1+e), -120 and the quotient (one vector)",
		"Y11  x in the tail",
		e.regs(),
		f.tailRegs(),
	)
	f.base("dst", dstPtr)
	f.base("src", srcPtr)
	f.length("src", count)
	signBit := tab.bcast32("the sign bit", 0x80000000)
	one := e.one()
	fastNeg := tab.bcast32("the bits of -87.0: as int32, those of -|x| exceed them where |x| > 87 or NaN", math.Float32bits(-87))
	lo := tab.f32("-120, the clamp", sigmoidLo)
	inf := tab.f32("+Inf", float32(math.Inf(1)))
	vec := func(j int) expVec { return expVec{X: f.V(4 * j), T: f.V(4*j + 1), K: f.V(4*j + 2), P: f.V(4*j + 3)} }
	check := f.V(12)
	const unroll = 3

	// slow computes vector j from x completely: the clamp, the unscaled exponential, and 2^n as
	// two normal factors where x < 0. The result is in T.
	slow := func(j int, x Op) {
		v := vec(j)
		s1, s2 := f.V(14), f.V(15)
		f.VMOVUPS(x, v.X)
		f.VORPS(signBit, v.X, v.X)
		f.VMOVUPS(lo, check)
		f.VMAXPS(v.X, check, v.X) // -|x| >= -120; NaN kept
		e.red(v)
		e.poly(v)               // X = M
		e.halves(v.T, v.K)      // K·T = 2^n
		f.VMULPS(v.K, v.X, v.P) // exact: M·2^floor(n/2) is normal
		f.VMULPS(v.T, v.P, v.P) // e
		f.VMOVUPS(one, s1)
		f.VADDPS(s1, v.P, s2) // d = 1+e
		f.VMOVUPS(x, check)
		f.VBLENDVPS(check, v.X, s1, v.X) // num: M where x < 0, else 1
		f.VBLENDVPS(check, v.K, s1, v.K) // the factors: 1 where x >= 0
		f.VBLENDVPS(check, v.T, s1, v.T)
		f.VRCPPS(s2, s1)
		f.VDIVPS(s2, v.X, s2)        // y0 = num/d
		f.VSUBPS(s2, v.X, v.X)       // num - y0, exact
		f.VFNMADD231PS(s2, v.P, v.X) // - y0·e
		f.VMULPS(s1, v.X, v.X)       // r·residual
		f.VMOVUPS(lo, s1)
		f.VMAXPS(check, s1, check)    // c = max(x, -120), NaN kept
		f.VMULPS(check, v.X, v.X)     // c·r·residual
		f.VFMADD213PS(v.X, check, s2) // c·y0 + c·r·residual, one rounding
		f.VMULPS(v.K, s2, s2)         // exact
		f.VMULPS(v.T, s2, v.T)        // one rounding
		// x = +Inf gives Inf·0 above: +Inf where x is.
		f.VMOVUPS(inf, s1)
		f.VCMPPS(U8(0), x, s1, s1) // EQ_OQ
		f.VBLENDVPS(s1, inf, v.T, v.T)
	}
	f.mapStages(unroll, []stage{
		func(j, n int, x Op) {
			if n == 1 {
				slow(j, x)
				return
			}
			v := vec(j)
			f.VMOVUPS(x, v.X)
			f.VORPS(signBit, v.X, v.X)
			if j == n-1 {
				// Every -|x| >= -87 (as int32 bits, NaN and -Inf above -87's), or the slow path.
				f.VPMAXSD(vec(1).X, vec(0).X, check)
				f.VPMAXSD(vec(2).X, check, check)
				f.VPCMPGTD(fastNeg, check, check)
				f.VPTEST(check, check)
				f.JNZ(LabelRef("slow"))
			}
		},
		func(j, n int, x Op) {
			if n > 1 {
				e.red(vec(j))
			}
		},
		func(j, n int, x Op) {
			if n > 1 {
				e.poly(vec(j))
			}
		},
		func(j, n int, x Op) {
			if n > 1 {
				v := vec(j)
				e.scale2(v.X, v.T, v.K, scaleFast) // e, normal
				f.VMOVUPS(x, v.T)
				f.VMOVUPS(one, v.P)
				f.VBLENDVPS(v.T, v.X, v.P, v.T) // num: e where x < 0, else 1
				f.VADDPS(v.P, v.X, v.K)         // d = 1+e
				f.VRCPPS(v.K, v.P)
				f.VDIVPS(v.K, v.T, v.K) // y0 = num/d
			}
		},
		func(j, n int, x Op) {
			if n > 1 {
				v := vec(j)
				f.VSUBPS(v.K, v.T, v.T)       // num - y0
				f.VFNMADD231PS(v.K, v.X, v.T) // - y0·e: the residual
				f.VMULPS(v.P, v.T, v.T)       // r·residual
				f.VMULPS(x, v.T, v.T)         // x·r·residual
				f.VFMADD231PS(x, v.K, v.T)    // x·y0 + x·r·residual, one rounding
			}
		},
		func(j, n int, x Op) {
			if n > 1 && j == 0 {
				f.Label("store")
			}
		},
	}, func(j int) reg.VecPhysical { return vec(j).T }, f.V(11))

	f.Comment("Some |x| of the three vectors is above 87, infinite or NaN: each as in the loop of one vector.")
	f.Label("slow")
	for j := 0; j < unroll; j++ {
		slow(j, f.at(srcPtr, j))
	}
	f.JMP(LabelRef("store"))
}
