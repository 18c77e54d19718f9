package main

import (
	"math"

	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

// GELU's float32 method on AVX2 is gelu32's (the same tables, the same evaluation order, so the
// same results but for the scaling), with what AVX2 lacks built from other instructions:
//
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

// gelu32AVX2 emits the body of GELUF32AVX2: one vector per iteration (ten registers).
func gelu32AVX2(f *fn, tab *consts) {
	A, B, C, D, E, F, G, H, M, N := f.V(0), f.V(1), f.V(2), f.V(3), f.V(4), f.V(5), f.V(6), f.V(7), f.V(8), f.V(9)
	tailX, negZero := f.V(12), f.V(14)
	f.regs(
		"DI  address of the next dst element",
		"SI  address of the next src element",
		"CX  elements left",
		"AX, BX  scratch (tail mask)",
		"Y0  a (then RHO[j], R̃, the result)",
		"Y1  the table index i",
		"Y2  C (then tt)",
		"Y3  t (then n, 2^(n + 64))",
		"Y4, Y5  scratch (the other half of a lookup, K, the coefficients)",
		"Y6  ρ (then T[j])",
		"Y7  w (then h)",
		"Y8  i << 28, which half of the table",
		"Y9  j << 28",
		"Y12  x in the tail",
		"Y14  -0.0",
		f.tailRegs(),
	)
	f.base("dst", dstPtr)
	f.base("src", srcPtr)
	f.length("src", count)
	column := func(k int) Mem {
		var w []uint32
		for i := range geluTab32 {
			w = append(w, geluTab32[i][k])
		}
		return tab.vec32("GELU: table column "+itoa(k)+" (0: the expansion points C, k > 0: c(k-1))", w...)
	}
	rhoTab := tab.vec32("RHO16: 2^(j/16) = THI16[j]*(1+RHO16[j])", exp32RHO16...)
	thiTab := tab.vec32("THI16: 2^(j/16) rounded to float32", exp32THI16...)
	f.VBROADCASTSS(tab.bcast32("-0.0", 0x80000000), negZero)

	ln2hi := math.Float32frombits(exp32NLn2Hi &^ 0x80000000)
	ln2lo := -math.Float32frombits(exp32NLn2Lo)
	magic := tab.bcast32("1.5*2^19", exp32Magic16)
	stages := []stage{
		func(_, _ int, x Op) {
			f.VMOVUPS(x, A)
			f.VANDPS(tab.bcast32("every bit but the sign", exp32Abs), A, A)
			f.VMINPS(tab.f32("14.5, the clamp of |x|", geluMax32), A, A) // a = min(|x|, 14.5)
			f.VADDPS(tab.f32("9/8, the offset of the table index", 1.125), A, B)
			f.VPSRLD(U8(21), B, B) // i in the low 4 bits
			f.VPSLLD(U8(28), B, M)
			f.VMULPS(tab.f32("-log2e/2", -math.Float32frombits(exp32Log2e)/2), A, D)
			f.VFMADD213PS(magic, A, D) // t = 1.5*2^19 - a²·log2e/2
			lookup16(f, column(0), B, M, C, E)
			f.VSUBPS(C, A, C) // tt = a - C, exact
		},
		func(_, _ int, _ Op) {
			f.VSUBPS(magic, D, F)                                            // K
			f.VMULPS(tab.f32("2ln2hi", 2*ln2hi), F, G)                       // K·2ln2hi, exact
			f.VFMADD231PS(A, A, G)                                           // a² + K·2ln2hi
			f.VFMADD231PS(tab.f32("2ln2lo = 2(ln2 - ln2hi)", 2*ln2lo), F, G) // ρ
			f.VMOVUPS(tab.f32("-D3/8", -math.Float32frombits(exp32D3)/8), H)
			f.VFMADD213PS(tab.f32("D2/4", math.Float32frombits(exp32D2)/4), G, H)
			f.VFMADD213PS(tab.f32("-0.5", -0.5), G, H)
			f.VPSLLD(U8(28), D, N)
			lookup16(f, rhoTab, D, N, A, E)
			f.VFMADD213PS(A, G, H) // w
			lookup16(f, thiTab, D, N, G, E)
			lookup16(f, column(geluDeg32+1), B, M, A, E)
		},
	}
	for k := geluDeg32 - 1; k >= 0; k-- {
		stages = append(stages, func(_, _ int, _ Op) {
			lookup16(f, column(k+1), B, M, F, E)
			f.VFMADD213PS(F, C, A) // A = A·tt + c(k)
		})
	}
	stages = append(stages,
		func(_, _ int, _ Op) {
			f.VMULPS(G, H, H)      // V = T·w
			f.VMULPS(A, H, H)      // X = R̃·V
			f.VFMADD231PS(A, G, H) // R̃·T + X
			f.VPSUBD(magic, D, D)
			f.VPSRAD(U8(4), D, D) // n = floor(K)
			f.VPADDD(tab.bcast32("int32 127 + 64", 127+64), D, D)
			f.VPSLLD(U8(23), D, D)                    // 2^(n + 64)
			f.VMULPS(D, H, H)                         // exact
			f.VMULPS(tab.f32("2^-64", 0x1p-64), H, H) // h, rounded where it is subnormal
		},
		func(_, _ int, x Op) {
			f.VMAXPS(x, negZero, A) // x, -0 for x < 0 (x for ±0 and NaN)
			f.VSUBPS(H, A, A)
		},
	)
	f.mapStages(1, stages, func(int) reg.VecPhysical { return A }, tailX)
}
