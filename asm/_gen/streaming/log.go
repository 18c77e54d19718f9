package main

import (
	"math"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("log", genLog) }

// logFixup is the VFIXUPIMMPD table of Log: the result of each class of input, 4 bits per class
// (QNaN, SNaN, ±0, +1, -Inf, +Inf, negative, positive, from the low bits up): the input's NaN
// made quiet (2), -Inf (4), +0 (8), the default NaN (3), +Inf (5), the default NaN (3), and the
// computed value (0).
const logFixup = 0x03538422

// logUnroll is the number of vectors per iteration of LogF32AVX2's main loop.
const logUnroll = 2

// genLog emits Log, dst[i] = ln(src[i]), float32, in float32 lanes on AVX-512 and AVX2 (log32.go),
// then the float64 kernels (genLog64).
func genLog(c *build.Context) {
	tab := newConsts("log32c")
	for _, v := range variants[:2] {
		f := newFn(c, "Log", v, "func(dst, src []T)")
		sub, req, unroll := "are scaled by 2^23 first", " and FMA", logUnroll
		if f.avx512() {
			sub, req, unroll = "need no special case (VGETMANTPS and VGETEXPPS normalize them)", "", logUnroll32
		}
		f.doc(
			f.Name+" sets dst[i] = ln(src[i]), the natural logarithm, in float32 arithmetic "+
				"(log32.go), within 1 ULP of the correctly rounded result of",
			"\tfor i, x := range src {\n\t\tdst[i] = T(math.Log(float64(x)))\n\t}",
			"Log(±0) = -Inf, Log(+Inf) = +Inf, Log(1) = +0, a negative input or NaN gives NaN, "+
				"and subnormal inputs "+sub+". It requires "+f.isa.Requires+req+". "+f.mapContract(unroll),
		)
		if f.avx512() {
			log32(f, tab)
		} else {
			log32AVX2(f, tab)
		}
	}
	tab.emit(c)
	genLog64(c)
}

// genLog64 emits LogF64AVX512 and LogF64AVX2, dst[i] = ln(src[i]), with the float64 ln core
// (logcore64.go): subnormal inputs are scaled by 2^54 first, and the special inputs (0,
// negative, +Inf, NaN) fixed up afterwards as in the float32 kernels (logFix).
func genLog64(c *build.Context) {
	tab := newConsts("log64c")
	for _, v := range variants[2:] {
		f := newFn(c, "Log", v, "func(dst, src []T)")
		f.doc(
			f.Name+" sets dst[i] = ln(src[i]), the natural logarithm, within 1 ULP of the "+
				"correctly rounded result, as",
			"\tfor i, x := range src {\n\t\tdst[i] = math.Log(x)\n\t}",
			"(the method of math.Log, fdlibm's) but for subnormal inputs, which it takes exactly "+
				"(math.Log on amd64 does not). Log(±0) = -Inf, Log(+Inf) = +Inf, Log(1) = +0, "+
				"and a negative input or NaN gives NaN. It requires "+f.isa.Requires+
				logRequires(f)+". "+f.mapContract(f64SigUnroll(f)),
		)
		l := f.newLog64(tab)
		lines := []string{
			"DI  address of the next dst element",
			"SI  address of the next src element",
			"CX  elements left",
			"AX, BX  scratch (tail mask)",
		}
		var tailX reg.VecPhysical
		if f.avx512() {
			tailX = Z(24)
			lines = append(lines,
				"Z0-Z23  four vectors in flight, six registers each: x, then hfsq and the result; "+
					"k; f; s; z, then k·ln2lo, then x; R",
				"Z24  x in the tail",
				"K2-K5  the lanes where x < 2^-1022",
			)
		} else {
			tailX = f.V(12)
			lines = append(lines,
				"Y0-Y11  two vectors in flight, six registers each: x, then hfsq and the result; "+
					"k, then scratch; f; the lanes where x < 2^-1022, then s; x·2^54, then z, "+
					"then k·ln2lo, then x; R, then scratch",
				"Y12  x in the tail",
			)
		}
		f.regs(append(lines, f.tailRegs())...)
		f.base("dst", dstPtr)
		f.base("src", srcPtr)
		f.length("src", count)
		unroll := f64SigUnroll(f)
		vec := func(j int) [6]reg.VecPhysical {
			return [6]reg.VecPhysical{f.wv(6 * j), f.wv(6*j + 1), f.wv(6*j + 2), f.wv(6*j + 3), f.wv(6*j + 4), f.wv(6*j + 5)}
		}
		lv := func(j int) log64Vec {
			r := vec(j)
			return log64Vec{K: r[1], F: r[2], S: r[3], Z: r[4], R: r[5], H: r[0]}
		}
		f.mapStages(unroll, []stage{
			func(j, n int, x Op) {
				r := vec(j)
				f.VMOVUPD(x, r[0])
				l.reduce(r[0], lv(j), kreg[j])
			},
			func(j, n int, x Op) { l.quot(lv(j)) },
			func(j, n int, x Op) { l.poly(lv(j)) },
			func(j, n int, x Op) {
				r := vec(j)
				l.combine(lv(j), nil)
				f.VMOVUPD(x, r[4])
				logFix(f, tab, r[4], r[0], r[1])
			},
		}, func(j int) reg.VecPhysical { return vec(j)[0] }, tailX)
	}
	tab.emit(c)
}

func logRequires(f *fn) string {
	if f.avx512() {
		return " and DQ"
	}
	return " and FMA"
}

// logFix sets the lanes of y (ln x computed by the core) where x is not a positive finite
// number: -Inf for ±0, +Inf for +Inf, the default NaN for negative inputs and a quiet NaN for NaN.
// AVX-512: one VFIXUPIMMPD. AVX2: compares and blends, s scratch, x clobbered.
func logFix(f *fn, tab *consts, x, y, s reg.VecPhysical) {
	if f.avx512() {
		f.VFIXUPIMMPD_BCST(U8(0), tab.bcast64("Log's VFIXUPIMMPD table", logFixup), x, y)
		return
	}
	zero := c64(tab, "0.0", 0)
	inf := c64(tab, "+Inf", math.Inf(1))
	f.VCMPPD(U8(cmpNGTUQ), zero, x, s)
	f.VORPD(s, y, y) // NaN (all ones) where x <= 0 or NaN
	f.VCMPPD(U8(cmpEQOQ), zero, x, s)
	f.VBLENDVPD(s, c64(tab, "-Inf", math.Inf(-1)), y, y) // -Inf where x = ±0
	f.VCMPPD(U8(cmpEQOQ), inf, x, x)
	f.VBLENDVPD(x, inf, y, y) // +Inf where x = +Inf
}

// cmpEQOQ is the VCMPPS/VCMPPD predicate "equal, ordered, quiet".
const cmpEQOQ = 0x00

// wv is vector register i of the ISA, 0 <= i < 32 on AVX-512 (ZMM), 16 on AVX2 (YMM).
func (f *fn) wv(i int) reg.VecPhysical {
	if f.avx512() {
		return Z(i)
	}
	return ymm[i]
}

// wvIndex is the number of vector register r.
func (f *fn) wvIndex(r reg.VecPhysical) int {
	for i := range zmmAll {
		if zmmAll[i] == r || (i < 16 && ymm[i] == r) {
			return i
		}
	}
	panic("not a vector register: " + r.Asm())
}
