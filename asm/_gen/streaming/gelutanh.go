package main

import (
	"math"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("gelutanh", genGELUTanh) }

// The float64 constants of GELUTanh (kernels/activation_ref.go): 2√(2/π) and 0.044715·2√(2/π).
const (
	geluTanhA = 0x1.9884533d43651p+00
	geluTanhB = 0x1.2444f2a4d8b4bp-04
)

// split32 returns v as a float32 pair hi + lo (lo within 2^-48 relative of v - hi).
func split32(v float64) (hi, lo float32) {
	hi = float32(v)
	return hi, float32(v - float64(hi))
}

// geluTanhX is GELUTanh's clamp of x for the argument: |x| <= 16 keeps x² and v finite; below
// -16 the result is -0 (it rounds to -0 below -10.77) and above 16 it is x.
const geluTanhX = 16

// geluCmpNLTUQ is the VCMPPS predicate "not less than, unordered": x >= y or either is NaN.
const geluCmpNLTUQ = 0x05

// ternXorNotBAndC is the VPTERNLOGD truth table of A ^ (^B & C), A the destination.
const ternXorNotBAndC = 0xd2

// genGELUTanh emits GELUTanh, dst[i] = 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))), float32.
//
// Method: GELUTanh(x) = x·σ(v) with v = 2√(2/π)(x + 0.044715x³) = x·(A + B·x²), computed as
// SiLU computes x·σ(x) (silu.go), with e = e^-|v|. The result for negative x is about x·e^v,
// whose relative error is the absolute error of v, and |v| reaches 100 where the result is still
// a normal number: v is therefore carried as a pair of float32, vh + vl, within about 2^-40
// relative: x² = sh + sl exactly (FMA), B·x² = ph + pl (FMA, with the low parts of B and x²),
// A + ph = qh + err (TwoSum), ql = pl + err + Al, then vh = x·qh and vl = (x·qh - vh) + x·ql (FMA).
// The reduction of the core takes -|vh|, and the low part, with its sign, is added to r.
// x is clamped to [-16, 16] for the argument and to -16 for the product.
func genGELUTanh(c *build.Context) {
	tab := newConsts("gelutanh32c")
	for _, v := range variants[:2] {
		f := newFn(c, "GELUTanh", v, "func(dst, src []T)")
		f.doc(
			f.Name+" sets dst[i] = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) for x = src[i], "+
				"the tanh approximation of GELU, within 2 ULP of the correctly rounded result of "+
				"that formula (0.044715 and √(2/π) taken as exact), which is",
			"\tfor i, x := range src {\n\t\tv := 2 * math.Sqrt(2/math.Pi) * (float64(x) + 0.044715*float64(x)*float64(x)*float64(x))\n\t\tdst[i] = T(float64(x) / (1 + math.Exp(-v)))\n\t}",
			"computed without its rounding errors. GELUTanh(+Inf) = +Inf, GELUTanh(-Inf) = -0, "+
				"±0 stay ±0, NaN stays NaN, and results of negative inputs that round to zero "+
				"(below -10.77) are -0. It requires "+f.isa.Requires+siluRequires(f)+". "+
				f.mapContract(geluTanhUnroll(f)),
		)
		geluTanh(f, tab)
	}
	tab.emit(c)
}

func geluTanhUnroll(f *fn) int {
	if f.avx512() {
		return 3
	}
	return 2
}

// geluTanh emits the body of GELUTanhF32AVX512 (three vectors per iteration, five registers
// each, Z15 x in the tail, Z16 a shared temporary) or GELUTanhF32AVX2 (two vectors, six registers
// each, Y12 and Y15 shared temporaries, Y14 x in the tail).
func geluTanh(f *fn, tab *consts) {
	e := f.newExp32(tab)
	avx512 := f.avx512()
	if avx512 {
		f.regs(
			"DI  address of the next dst element",
			"SI  address of the next src element",
			"CX  elements left",
			"AX, BX  scratch (tail mask)",
			"Z0-Z14  three vectors in flight, five registers each: X, T, K, P, R (the argument "+
				"pair, then as in SiLU)",
			"Z15  x in the tail",
			"Z16  temporary",
			"Z20  the VFIXUPIMMPS table",
			"Z21  the sign bit",
			"Z22  -120",
			e.regs(),
			"K2-K4  the lanes where x is negative",
			f.tailRegs(),
		)
	} else {
		f.regs(
			"DI  address of the next dst element",
			"SI  address of the next src element",
			"CX  elements left",
			"AX, BX  scratch (tail mask)",
			"Y0-Y11  two vectors in flight, six registers each: X, T, K, P, R, S (the argument "+
				"pair, then as in SiLU's loop of one vector)",
			"Y12, Y15  temporaries",
			"Y14  x in the tail",
			e.regs(),
			f.tailRegs(),
		)
	}
	f.base("dst", dstPtr)
	f.base("src", srcPtr)
	f.length("src", count)
	e.load()

	ah, al := split32(geluTanhA)
	bh, bl := split32(geluTanhB)
	cAh := tab.f32("A = 2√(2/π), high part", ah)
	cAl := tab.f32("A, low part", al)
	cBh := tab.f32("B = 0.044715·A, high part", bh)
	cBl := tab.f32("B, low part", bl)
	cLoX := tab.f32("-16, the clamp of x", -geluTanhX)
	cHiX := tab.f32("16", geluTanhX)
	cSign := tab.bcast32("the sign bit", 0x80000000)
	cLo := tab.f32("-120, the clamp of -|v|", sigmoidLo)
	cInf := tab.f32("+Inf", float32(math.Inf(1)))

	// Arithmetic with a constant: AVX-512 broadcasts it from memory, AVX2 loads the vector.
	pick := func(z, y func(...Op)) func(...Op) {
		if avx512 {
			return z
		}
		return y
	}
	mulC, addC, subC := pick(f.VMULPS_BCST, f.VMULPS), pick(f.VADDPS_BCST, f.VADDPS), pick(f.VSUBPS_BCST, f.VSUBPS)
	fmsub231C, fmadd231C := pick(f.VFMSUB231PS_BCST, f.VFMSUB231PS), pick(f.VFMADD231PS_BCST, f.VFMADD231PS)
	maxC, minC := pick(f.VMAXPS_BCST, f.VMAXPS), pick(f.VMINPS_BCST, f.VMINPS)

	type vregs struct {
		expVec
		S reg.VecPhysical
	}
	vec := func(j int) vregs {
		if avx512 {
			return vregs{expVec{X: Z(5 * j), T: Z(5*j + 1), K: Z(5*j + 2), P: Z(5*j + 3), R: Z(5*j + 4)}, Z(16)}
		}
		return vregs{expVec{X: f.V(6 * j), T: f.V(6*j + 1), K: f.V(6*j + 2), P: f.V(6*j + 3), R: f.V(6*j + 4)}, f.V(6*j + 5)}
	}
	tmp := f.V(12) // AVX2
	var sign, lo, fixup reg.VecPhysical
	if avx512 {
		sign, lo, fixup = Z(21), Z(22), Z(20)
		f.VBROADCASTSS(cSign, sign)
		f.VBROADCASTSS(cLo, lo)
		f.VBROADCASTSS(tab.bcast32("GELUTanh's VFIXUPIMMPS table: NaN gives QNaN(x), ±0 x, -Inf -0, +Inf +Inf, the rest the result", siluFixup), fixup)
	}

	// arg: X = x clamped to [-16, 16], then P = vh and K = vl (T, R, S scratch).
	arg := func(j int, x Op) {
		v := vec(j)
		f.VMOVUPS(x, v.X)
		if avx512 {
			f.VPMOVD2M(v.X, kreg[j])
		}
		maxC(cLoX, v.X, v.X) // NaN may be lost here: NaN is restored at the end
		minC(cHiX, v.X, v.X)
		f.VMULPS(v.X, v.X, v.T) // sh
		f.VMOVAPS(v.T, v.K)
		f.VFMSUB231PS(v.X, v.X, v.K) // sl = x·x - sh
		mulC(cBh, v.T, v.P)          // ph
		f.VMOVAPS(v.P, v.R)
		fmsub231C(cBh, v.T, v.R) // Bh·sh - ph
		fmadd231C(cBh, v.K, v.R) // + Bh·sl
		fmadd231C(cBl, v.T, v.R) // + Bl·sh: pl
		addC(cAh, v.P, v.T)      // qh = Ah + ph
		subC(cAh, v.T, v.K)      // bb = qh - Ah
		f.VSUBPS(v.K, v.T, v.S)  // qh - bb
		subC(cAh, v.S, v.S)      // (qh - bb) - Ah
		f.VSUBPS(v.K, v.P, v.K)  // ph - bb
		f.VSUBPS(v.S, v.K, v.K)  // err = (ph - bb) - ((qh - bb) - Ah)
		f.VADDPS(v.K, v.R, v.R)  // pl + err
		addC(cAl, v.R, v.R)      // ql
		f.VMULPS(v.T, v.X, v.P)  // vh = x·qh
		f.VMOVAPS(v.P, v.K)
		f.VFMSUB231PS(v.T, v.X, v.K) // x·qh - vh
		f.VFMADD231PS(v.R, v.X, v.K) // vl = (x·qh - vh) + x·ql
	}
	// red: X = -|vh| clamped to -120, its low part added after the reduction (X = r).
	red := func(j int) {
		v := vec(j)
		f.VMOVAPS(v.K, v.R) // vl
		if avx512 {
			f.VPTERNLOGD(U8(ternXorNotBAndC), sign, v.P, v.R) // -vl where vh >= 0
			f.VPORD(sign, v.P, v.X)
			f.VMAXPS(v.X, lo, v.X) // NaN kept
		} else {
			f.VANDNPS(cSign, v.P, tmp) // the sign bit where vh >= 0
			f.VXORPS(tmp, v.R, v.R)    // -vl there
			f.VORPS(cSign, v.P, v.X)
			f.VMOVUPS(cLo, tmp)
			f.VMAXPS(v.X, tmp, v.X) // NaN kept
		}
		e.red(v.expVec)
		f.VADDPS(v.R, v.X, v.X) // r + the low part
	}

	if avx512 {
		f.mapStages(3, []stage{
			func(j, n int, x Op) { arg(j, x) },
			func(j, n int, x Op) { red(j) },
			func(j, n int, x Op) { e.poly(vec(j).expVec) },
			func(j, n int, x Op) {
				v := vec(j)
				e.unscaled(v.expVec)       // X = M
				f.VSCALEFPS(v.K, v.X, v.T) // e
				f.VADDPS(exp32RegOne, v.T, v.R)
				f.VRCP14PS(v.R, v.P)
			},
			func(j, n int, x Op) {
				v := vec(j)
				f.VBLENDMPS(v.X, exp32RegOne, kreg[j], v.R) // num: M where x < 0, else 1
				f.VMULPS(v.R, v.P, v.X)                     // y0
				f.VSUBPS(v.X, v.R, v.R)                     // num - y0, exact
				f.VFNMADD231PS(v.T, v.X, v.R)               // - y0·e: the residual
				f.VMULPS(v.P, v.R, v.R)                     // r·residual
				f.VMOVUPS(x, v.T)
				f.VMAXPS_BCST(cLoX, v.T, v.T)       // c = max(x, -16)
				f.VMULPS(v.T, v.R, v.R)             // c·r·residual
				f.VFMADD213PS(v.R, v.T, v.X)        // c·y0 + c·r·residual
				f.VSCALEFPS(v.K, v.X, kreg[j], v.X) // ·2^n where x < 0
				if _, ok := x.(reg.VecPhysical); !ok {
					f.VMOVUPS(x, v.T)
					x = v.T
				}
				f.VFIXUPIMMPS(U8(0), fixup, x, v.X) // ±Inf, ±0, NaN
			},
		}, func(j int) reg.VecPhysical { return vec(j).X }, Z(15))
		return
	}

	// AVX2: as SiLU's loop of one vector (2^n as two normal factors where x < 0).
	f.mapStages(2, []stage{
		func(j, n int, x Op) { arg(j, x) },
		func(j, n int, x Op) { red(j) },
		func(j, n int, x Op) {
			v := vec(j)
			e.poly(v.expVec)        // X = M
			e.halves(v.T, v.K)      // K·T = 2^n
			f.VMULPS(v.K, v.X, v.P) // exact
			f.VMULPS(v.T, v.P, v.P) // e
			f.VMOVUPS(e.one(), v.R)
			f.VADDPS(v.R, v.P, v.S) // d = 1+e
			f.VMOVUPS(x, tmp)
			f.VBLENDVPS(tmp, v.X, v.R, v.X) // num: M where x < 0, else 1
			f.VBLENDVPS(tmp, v.K, v.R, v.K) // the factors: 1 where x >= 0
			f.VBLENDVPS(tmp, v.T, v.R, v.T)
		},
		func(j, n int, x Op) {
			v := vec(j)
			f.VRCPPS(v.S, v.R)
			f.VDIVPS(v.S, v.X, v.S)       // y0 = num/d
			f.VSUBPS(v.S, v.X, v.X)       // num - y0, exact
			f.VFNMADD231PS(v.S, v.P, v.X) // - y0·e
			f.VMULPS(v.R, v.X, v.X)       // r·residual
			f.VMOVUPS(x, v.P)
			f.VMOVUPS(cLoX, tmp)
			f.VMAXPS(v.P, tmp, v.P)      // c = max(x, -16), NaN kept
			f.VMULPS(v.P, v.X, v.X)      // c·r·residual
			f.VFMADD213PS(v.X, v.P, v.S) // c·y0 + c·r·residual
			f.VMULPS(v.K, v.S, v.S)      // exact
			f.VMULPS(v.T, v.S, v.T)      // one rounding
			// x where it is +Inf (Inf·0 above) or NaN (lost in the clamps).
			f.VMOVUPS(x, v.P)
			f.VCMPPS(U8(geluCmpNLTUQ), cInf, v.P, v.R) // !(x < +Inf): +Inf or NaN
			f.VBLENDVPS(v.R, v.P, v.T, v.T)
		},
	}, func(j int) reg.VecPhysical { return vec(j).T }, f.V(14))
}
