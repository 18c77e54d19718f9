package main

import (
	"math"

	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// GELU's float32 method on AVX2 is gelu32's (the same table of R̃, the same evaluation order),
// with e^(-a²/2) reduced by eighths of ln2 instead of sixteenths and what AVX2 lacks built from
// other instructions:
//
//   - t rounds -a²/(2 ln2) to K = k/8 (the magic 1.5·2^20), so that T[j] = 2^(j/8) and RHO[j] are
//     the AVX2 e^x core's 8-entry tables, one VPERMPS each; |ρ| <= ln2/8 and e^(-ρ/2) = 1 + w with
//     w = ρ·(-1/2 + ρ·(1/8 + ρ·(-1/48 + ρ/384))) + RHO[j], the core's degree-4 Taylor polynomial
//     in r = -ρ/2 (its truncation error is below 2^-29 relative);
//   - a 16-entry table lookup is two VPERMPS, one per half of the table (each reads the index's
//     low three bits), and a VBLENDVPS on the index's bit 3, shifted into the sign bit once per
//     index (lookup16);
//   - a = min(|x|, 14.5) is VANDPS and VMINPS (a NaN x takes a = 14.5; max(x, -0) keeps the NaN);
//   - h·2^n, n = floor(K) in [-152, 0], is h·2^(n + 64), exact (a normal power of two, and a
//     normal product: h is small only where a is, and then n is 0 or -1), then ·2^-64, which
//     rounds once, where h is subnormal, as VSCALEFPS does.

// lookup16 emits dst = TABLE[idx & 15] for a 16-entry float32 table at tab (the low half at tab,
// the high half 32 bytes on), with sel holding idx << 28 (bit 3 in the sign bit); tmp is scratch.
func lookup16(f *fn, tab Mem, idx, sel, dst, tmp reg.VecPhysical) {
	f.VPERMPS(tab, idx, dst)
	f.VPERMPS(tab.Offset(32), idx, tmp)
	f.VBLENDVPS(sel, tmp, dst, dst)
}

// geluUnroll2 is the number of vectors per iteration of GELUF32AVX2's main loop.
const geluUnroll2 = 2

// gelu32AVX2 emits the body of GELUF32AVX2: two vectors per iteration, seven registers each, and
// two scratch registers they share (each use of those is over before the next stage begins);
// every constant and table is a memory operand.
func gelu32AVX2(f *fn, tab *consts) {
	type gVec struct{ A, B, C, D, G, H, M reg.VecPhysical }
	vec := func(j int) gVec {
		b := 7 * j
		return gVec{f.V(b), f.V(b + 1), f.V(b + 2), f.V(b + 3), f.V(b + 4), f.V(b + 5), f.V(b + 6)}
	}
	E, F := f.V(14), f.V(15)
	f.regs(
		"DI  address of the next dst element",
		"SI  address of the next src element",
		"CX  elements left",
		"AX, BX  scratch (tail mask)",
		"Y0-Y13  two vectors in flight, seven registers each: a (then RHO[j], R̃, the result); "+
			"the table index i; C (then tt); t (then n, 2^(n + 64)); ρ (then T[j]); w (then h); "+
			"i << 28, which half of the table. The tail's x is Y7, its mask Y13 (VMASKMOV): the "+
			"tail takes the first vector's registers only",
		"Y14, Y15  scratch (the other half of a lookup; K, a coefficient; -0.0)",
	)
	f.base("dst", dstPtr)
	f.base("src", srcPtr)
	f.length("src", count)
	column := func(k int) Mem { return geluColumn(tab, k) }
	rhoTab := tab.vec32("RHO8: 2^(j/8) = THI8[j]*(1+RHO8[j])", every2(exp32RHO16)...)
	thiTab := tab.vec32("THI8: 2^(j/8) rounded to float32", every2(exp32THI16)...)
	ln2hi, ln2lo := geluLn2()
	magic := tab.bcast32("1.5*2^20", exp32Magic8)
	stages := []stage{
		func(j, _ int, x Op) {
			v := vec(j)
			f.VMOVUPS(x, v.A)
			f.VANDPS(tab.bcast32("every bit but the sign", exp32Abs), v.A, v.A)
			f.VMINPS(tab.f32("14.5, the clamp of |x|", geluMax32), v.A, v.A) // a = min(|x|, 14.5)
			f.VADDPS(tab.f32("9/8, the offset of the table index", 1.125), v.A, v.B)
			f.VPSRLD(U8(21), v.B, v.B) // i in the low 4 bits
			f.VPSLLD(U8(28), v.B, v.M)
			f.VMULPS(tab.f32("-log2e/2", -math.Float32frombits(exp32Log2e)/2), v.A, v.D)
			f.VFMADD213PS(magic, v.A, v.D) // t = 1.5*2^20 - a²·log2e/2
			lookup16(f, column(0), v.B, v.M, v.C, E)
			f.VSUBPS(v.C, v.A, v.C) // tt = a - C, exact
		},
		func(j, _ int, _ Op) {
			v := vec(j)
			f.VSUBPS(magic, v.D, F)                                            // K
			f.VMULPS(tab.f32("2ln2hi", 2*ln2hi), F, v.G)                       // K·2ln2hi, exact
			f.VFMADD231PS(v.A, v.A, v.G)                                       // a² + K·2ln2hi
			f.VFMADD231PS(tab.f32("2ln2lo = 2(ln2 - ln2hi)", 2*ln2lo), F, v.G) // ρ
			f.VMOVUPS(tab.f32("1/384", 1.0/384), v.H)
			f.VFMADD213PS(tab.f32("-1/48", -1.0/48), v.G, v.H)
			f.VFMADD213PS(tab.f32("1/8", 1.0/8), v.G, v.H)
			f.VFMADD213PS(tab.f32("-0.5", -0.5), v.G, v.H)
		},
		func(j, _ int, _ Op) {
			v := vec(j)
			f.VPERMPS(rhoTab, v.D, v.A)
			f.VFMADD213PS(v.A, v.G, v.H) // w
			f.VPERMPS(thiTab, v.D, v.G)
			lookup16(f, column(geluDeg32+1), v.B, v.M, v.A, E)
		},
	}
	for k := geluDeg32 - 1; k >= 0; k-- {
		stages = append(stages, func(j, _ int, _ Op) {
			v := vec(j)
			lookup16(f, column(k+1), v.B, v.M, F, E)
			f.VFMADD213PS(F, v.C, v.A) // A = A·tt + c(k)
		})
	}
	stages = append(stages,
		func(j, _ int, _ Op) {
			v := vec(j)
			geluProduct(f, v.A, v.G, v.H)
			f.VPSUBD(magic, v.D, v.D)
			f.VPSRAD(U8(3), v.D, v.D) // n = floor(K)
			f.VPADDD(tab.bcast32("int32 127 + 64", 127+64), v.D, v.D)
			f.VPSLLD(U8(23), v.D, v.D)                    // 2^(n + 64)
			f.VMULPS(v.D, v.H, v.H)                       // exact
			f.VMULPS(tab.f32("2^-64", 0x1p-64), v.H, v.H) // h, rounded where it is subnormal
		},
		func(j, _ int, x Op) {
			v := vec(j)
			f.VMOVUPS(tab.bcast32("-0.0", 0x80000000), E)
			f.VMAXPS(x, E, v.A) // x, -0 for x < 0 (x for ±0 and NaN)
			f.VSUBPS(v.H, v.A, v.A)
		},
	)
	f.mapStages(geluUnroll2, stages, func(j int) reg.VecPhysical { return vec(j).A }, vec(1).A)
}
