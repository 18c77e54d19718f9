package main

import (
	"fmt"
	"math"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("sigmoidgrad", genSigmoidGrad) }

// Registers of the backward kernels dx[i] = dy[i]·g(v[i]): DI dx (dstPtr), SI dy (srcPtr), DX
// the saved v (y or x), CX the elements left (count).
var gradVPtr = reg.RDX

// gradRegs are the register map lines of the pointers of a backward kernel, v naming its saved
// slice (y or x).
func gradRegs(v string) []string {
	return []string{
		"DI  address of the next dx element",
		"SI  address of the next dy element",
		"DX  address of the next " + v + " element",
		"CX  elements left",
		"AX, BX  scratch (tail mask)",
	}
}

// gradArgs loads the pointers and the length of a backward kernel func(dx, dy, v []T).
func (f *fn) gradArgs(v string) {
	f.base("dx", dstPtr)
	f.base("dy", srcPtr)
	f.base(v, gradVPtr)
	f.length("dx", count)
}

// gradContract is the end of the doc comment of a backward kernel over dx, dy and v that works
// through unroll vectors per iteration.
func (f *fn) gradContract(unroll int, v string) string {
	return fmt.Sprintf("dy and %s must be at least as long as dx; dx may be dy or %s (exactly, not "+
		"a shifted overlap). Any length and alignment: it works through %d elements per "+
		"iteration, then %d, and does the last len(dx)%%%d with %s loads and a %s store, so it "+
		"never reads or writes outside the slices.", v, v, unroll*f.Lanes, f.Lanes, f.Lanes,
		f.Mask, f.Mask)
}

// yGradBig is the float32 threshold of SigmoidGrad and TanhGrad (see genYGrad): -2^63. Where the
// fused p = y - y² or 1 - y² is not above it (|y| at least about 2^31.5), or is NaN, the kernels
// take the product in the other order.
const yGradBig = -0x1p63

// yGrad describes SigmoidGrad or TanhGrad for genYGrad.
type yGrad struct {
	name string
	// loop64 is the Go loop of the float64 kernels, which they equal bit for bit; loop32 is the
	// float64 formula the float32 kernels are within 1 ULP of.
	loop64, loop32 string
	// what is the first sentence's account of dx, after "sets dx[i] = ".
	what string
	// method32 describes the float32 method.
	method32 string
	// sigmoid: p = y - y² (and y·(1-y)); else p = 1 - y² (and (1-y)(1+y)).
	sigmoid bool
}

// genSigmoidGrad emits SigmoidGrad, dx[i] = dy[i]·y[i]·(1 - y[i]), from Sigmoid's saved output.
func genSigmoidGrad(c *build.Context) {
	genYGrad(c, yGrad{
		name:   "SigmoidGrad",
		loop64: "\tfor i := range dx {\n\t\tdx[i] = dy[i] * (y[i] * (1 - y[i]))\n\t}",
		loop32: "\tfor i := range dx {\n\t\tdx[i] = float32(float64(dy[i]) * (float64(y[i]) * (1 - float64(y[i]))))\n\t}",
		what:   "dy[i]·y[i]·(1 - y[i]), the gradient through Sigmoid from its saved output y",
		method32: "It computes p = y - y² with one rounding (a fused multiply-add, which does " +
			"not cancel for y near 1) and dx = dy·p; where |y| is at least about 2^31.5 " +
			"(p ≤ -2^63, outside Sigmoid's range, where y² would overflow first) or p is NaN " +
			"(y = +Inf or NaN), dx = (dy·y)·(1 - y) instead, so that dx overflows only where " +
			"the float64 result does and ±Inf, ±0 and NaN come out as in the loop.",
		sigmoid: true,
	})
}

// genYGrad emits the four variants of SigmoidGrad or TanhGrad.
//
// float64: the loop's operations in its order, bit for bit.
//
// float32: p = fl(y - y²) or fl(1 - y²) by one FMA (correctly rounded: no cancellation near
// y = 1 or |y| = 1), dx = fl(dy·p): two roundings, so less than 1.5 ULP from dy·y·(1-y) exact
// and within 1 ULP (2 across a power of two) of it correctly rounded, as is the float64 formula
// rounded once. Where
// |y| >= about 2^31.5 (out of the functions' range) p would overflow before dy·p does, so there
// the lanes take t = dy·y (normal, as |dy·y| >= 2^-149·2^31) times u = 1 - y or -y, which
// overflows exactly where the true product does; p <= -2^63 or NaN selects those lanes (y = +Inf
// gives NaN for y - y², -Inf·... in the loop: the other order gives the loop's ±Inf or NaN).
func genYGrad(c *build.Context, g yGrad) {
	tab := newConsts(map[bool]string{true: "sigmoidgrad32c", false: "tanhgrad32c"}[g.sigmoid])
	for _, v := range variants {
		f := newFn(c, g.name, v, "func(dx, dy, y []T)")
		isa := f.isa.Requires
		if !f.avx512() && !f.f64() {
			isa = "AVX2 and FMA3"
		}
		if f.f64() {
			f.doc(
				f.Name+" sets dx[i] = "+g.what+". It computes, bit for bit,",
				g.loop64,
				"NaN and ±Inf propagate as in the loop. It requires "+isa+". "+f.gradContract(mapUnroll, "y"),
			)
		} else {
			f.doc(
				f.Name+" sets dx[i] = "+g.what+", within 2 ULP (1 ULP on every input "+
					"measured) of the correctly rounded result of",
				g.loop32,
				g.method32+" It requires "+isa+". "+f.gradContract(yGradUnroll(f), "y"),
			)
		}
		if f.f64() {
			yGrad64(f, g)
		} else {
			yGrad32(f, g, tab)
		}
	}
	tab.emit(c)
}

// yGradUnroll is the number of vectors per iteration of the float32 kernels.
func yGradUnroll(f *fn) int {
	if f.avx512() {
		return 4
	}
	return 3
}

// yGrad64 is the float64 kernel: four vectors per iteration, Z0-Z3/Y0-Y3 the results, Z4-Z7 the
// second factors.
func yGrad64(f *fn, g yGrad) {
	one := f.V(15)
	f.regs(append(gradRegs("y"),
		f.vr(15, -1)+"  1.0",
		f.vr(0, 3)+"  1 - y, then the products",
		f.vr(4, 7)+"  1 + y (TanhGrad)",
		f.vr(8, 9)+"  dy and y in the tail",
		f.tailRegs(),
	)...)
	f.gradArgs("y")
	f.broadcastBits(math.Float64bits(1), 15)
	y, dy := gradVPtr, srcPtr
	body := func(a, b reg.VecPhysical, yop, dyop Op) {
		f.VSUBPD(yop, one, a) // 1 - y
		if g.sigmoid {
			f.VMULPD(yop, a, a) // y·(1-y)
		} else {
			f.VADDPD(yop, one, b) // 1 + y
			f.VMULPD(b, a, a)     // (1-y)·(1+y)
		}
		f.VMULPD(dyop, a, a) // dy·(...)
	}
	f.loop(loop{
		Unroll: mapUnroll,
		Ptrs:   []reg.Register{dy, y, dstPtr},
		Body: []func(j, n int){
			func(j, n int) { body(f.V(j), f.V(4+j), f.at(y, j), f.at(dy, j)) },
			func(j, n int) { f.MOVU(f.V(j), f.at(dstPtr, j)) },
		},
		TailNote: "masked-off lanes are neither read nor written",
		Tail: func() {
			f.maskedLoad(f.at(dy, 0), f.V(8))
			f.maskedLoad(f.at(y, 0), f.V(9))
			body(f.V(0), f.V(4), f.V(9), f.V(8))
			f.maskedStore(f.V(0), f.at(dstPtr, 0))
		},
		End: "done",
	})
	f.ret()
}

// yGrad32 is the float32 kernel (see genYGrad). AVX-512: four vectors per iteration, three
// registers each (y then 1-y or -y; p then the result; dy·y) and a mask register. AVX2: three
// vectors, four registers each (the fourth the mask).
func yGrad32(f *fn, g yGrad, tab *consts) {
	unroll := yGradUnroll(f)
	var one, big, sign, tailDy reg.VecPhysical
	var vecs func(j int) (y, p, t, m reg.VecPhysical)
	if f.avx512() {
		one, big, sign, tailDy = Z(16), Z(17), Z(18), Z(19)
		vecs = func(j int) (y, p, t, m reg.VecPhysical) { return Z(3 * j), Z(3*j + 1), Z(3*j + 2), nil }
	} else {
		one, big, sign, tailDy = f.V(12), f.V(14), f.V(15), f.V(4)
		vecs = func(j int) (y, p, t, m reg.VecPhysical) { return f.V(4 * j), f.V(4*j + 1), f.V(4*j + 2), f.V(4*j + 3) }
	}
	lines := gradRegs("y")
	if f.avx512() {
		lines = append(lines,
			"Z0-Z11  four vectors in flight, three registers each: y, then 1-y or -y; p, then dx; dy·y",
			"Z16  1.0", "Z17  -2^63", "Z18  the sign bit (TanhGrad)", "Z19  dy in the tail",
			"K2-K5  the lanes of the other order (p <= -2^63 or NaN)")
	} else {
		lines = append(lines,
			"Y0-Y11  three vectors in flight, four registers each: y, then 1-y or -y; p, then "+
				"dx; dy·y; all ones in the lanes of the other order (p <= -2^63 or NaN)",
			"Y12  1.0", "Y14  -2^63", "Y15  the sign bit (TanhGrad)", "Y4  dy in the tail")
	}
	f.regs(append(lines, f.tailRegs())...)
	f.gradArgs("y")
	f.VBROADCASTSS(tab.f32("1.0", 1), one)
	f.VBROADCASTSS(tab.f32("-2^63, below which p = y - y² or 1 - y² means |y| >= 2^31.5", yGradBig), big)
	if !g.sigmoid {
		f.VBROADCASTSS(tab.bcast32("the sign bit", 0x80000000), sign)
	}
	dyPtr, yPtr := srcPtr, gradVPtr
	// Stage 1: y, p and the mask; stage 2: dy·p and the other order; stage 3: the select.
	s1 := func(j int, yop Op) {
		y, p, _, m := vecs(j)
		if yop != Op(y) {
			f.VMOVUPS(yop, y)
		}
		if g.sigmoid {
			f.VMOVAPS(y, p)
			f.VFNMADD213PS(y, y, p) // p = y - y·y, one rounding
		} else {
			f.VMOVAPS(one, p)
			f.VFNMADD231PS(y, y, p) // p = 1 - y·y, one rounding
		}
		if f.avx512() {
			f.VCMPPS(U8(cmpNGTUQ), big, p, kreg[j]) // p <= -2^63 or NaN
		} else {
			f.VCMPPS(U8(cmpNGTUQ), big, p, m)
		}
	}
	s2 := func(j int, dyop Op) {
		y, p, t, _ := vecs(j)
		f.VMULPS(dyop, p, p) // dy·p
		f.VMULPS(dyop, y, t) // dy·y
		if g.sigmoid {
			f.VSUBPS(y, one, y) // 1 - y
		} else {
			f.VXORPS(sign, y, y) // -y
		}
	}
	s3 := func(j int) {
		y, p, t, m := vecs(j)
		if f.avx512() {
			f.VMULPS(y, t, kreg[j], p) // (dy·y)·(1-y) or ·(-y) in the lanes of the mask
			return
		}
		f.VMULPS(y, t, t)
		f.VBLENDVPS(m, t, p, p)
	}
	f.loop(loop{
		Unroll: unroll,
		Ptrs:   []reg.Register{dyPtr, yPtr, dstPtr},
		Body: []func(j, n int){
			func(j, n int) { s1(j, f.at(yPtr, j)) },
			func(j, n int) { s2(j, f.at(dyPtr, j)) },
			func(j, n int) { s3(j) },
			func(j, n int) {
				_, p, _, _ := vecs(j)
				f.MOVU(p, f.at(dstPtr, j))
			},
		},
		TailNote: "masked-off lanes are neither read nor written",
		Tail: func() {
			y, p, _, _ := vecs(0)
			f.maskedLoad(f.at(dyPtr, 0), tailDy)
			f.maskedLoad(f.at(yPtr, 0), y)
			s1(0, y)
			s2(0, tailDy)
			s3(0)
			f.maskedStore(p, f.at(dstPtr, 0))
		},
		End: "done",
	})
	f.ret()
}
