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

// logUnroll is the number of float32 vectors per iteration of Log's main loop.
const logUnroll = 2

// genLog emits Log, dst[i] = ln(src[i]), float32: on AVX-512 in float32 lanes (log32.go), on
// AVX2 in float64 lanes: each float32 vector is widened into two float64 vectors, the ln core
// (logcore.go) computes them, the special inputs (0, negative, +Inf, NaN) are fixed up, and the
// result is rounded once to float32.
func genLog(c *build.Context) {
	tab := newConsts("log32c")
	for _, v := range variants[:2] {
		f := newFn(c, "Log", v, "func(dst, src []T)")
		if f.avx512() {
			f.doc(
				f.Name+" sets dst[i] = ln(src[i]), the natural logarithm, in float32 arithmetic "+
					"(log32.go), within 1 ULP of the correctly rounded result of",
				"\tfor i, x := range src {\n\t\tdst[i] = T(math.Log(float64(x)))\n\t}",
				"Log(±0) = -Inf, Log(+Inf) = +Inf, Log(1) = +0, a negative input or NaN gives NaN, "+
					"and subnormal inputs need no special case (VGETMANTPS and VGETEXPPS normalize "+
					"them). It requires "+f.isa.Requires+". "+f.mapContract(logUnroll32),
			)
			log32(f, tab)
			continue
		}
		f.doc(
			f.Name+" sets dst[i] = ln(src[i]), the natural logarithm, within 1 ULP of the "+
				"correctly rounded result (it evaluates in float64 and rounds once) of",
			"\tfor i, x := range src {\n\t\tdst[i] = T(math.Log(float64(x)))\n\t}",
			"Log(±0) = -Inf, Log(+Inf) = +Inf, Log(1) = +0, a negative input or NaN gives NaN, "+
				"and subnormal inputs are exact as float64, so they need no special case. It "+
				"requires "+f.isa.Requires+logRequires(f)+". "+f.mapContract(logUnroll),
		)
		l := f.newLogCore(tab)
		vec := func(j int) (wideVec, [2]logVec) {
			var w wideVec
			var lv [2]logVec
			for h := 0; h < 2; h++ {
				b := 12*j + 6*h
				if !f.avx512() {
					b = 6 * h
				}
				lv[h] = logVec{X: f.wv(b), T: f.wv(b + 1), K: f.wv(b + 2), C: f.wv(b + 3), L: f.wv(b + 4)}
			}
			w.Lo, w.Hi = lv[0].X, lv[1].X
			return w, lv
		}
		copyReg := func(x reg.VecPhysical) reg.VecPhysical {
			for j := 0; j < logUnroll; j++ {
				_, lv := vec(j)
				for h := 0; h < 2; h++ {
					if lv[h].X == x {
						return f.wv(f.wvIndex(x) + 5)
					}
				}
			}
			panic("no copy register")
		}
		var tailX reg.VecPhysical
		if !f.avx512() {
			tailX = f.V(12)
			f.regs(
				"DI  address of the next dst element",
				"SI  address of the next src element",
				"CX  elements left",
				"AX, BX  scratch (tail mask)",
				"Y0-Y5, Y6-Y11  the two float64 halves of a vector: x then ln x; t, then z; k, then "+
					"r²; the index, then invc, then r; -ln(invc), then k·ln2 - ln(invc); a copy "+
					"of x, then the fix-up masks",
				"Y12  the tail's float32 vector",
				l.regs(),
				f.tailRegs(),
			)
		} else {
			tailX = f.wv(24)
			f.regs(
				"DI  address of the next dst element",
				"SI  address of the next src element",
				"CX  elements left",
				"AX, BX  scratch (tail mask)",
				"Z0-Z23  two float32 vectors in flight, four float64 halves, six registers each: "+
					"x then ln x; t, then z; k, then r²; the index, then invc, then r; -ln(invc), "+
					"then k·ln2 - ln(invc); a copy of x",
				"Z24  the tail's float32 vector",
				l.regs(),
				f.tailRegs(),
			)
		}
		f.base("dst", dstPtr)
		f.base("src", srcPtr)
		f.length("src", count)
		l.load()
		op := func(j int) func(w wideVec) {
			return func(w wideVec) {
				_, lv := vec(j)
				for _, v := range lv {
					cp := copyReg(v.X)
					f.VMOVAPD(v.X, cp)
					l.log(v)
					logFix(f, tab, cp, v.X, v.T)
				}
			}
		}
		f.loop(loop{
			Unroll: logUnroll,
			Ptrs:   []reg.Register{srcPtr, dstPtr},
			Body: []func(j, n int){
				func(j, n int) {
					w, _ := vec(j)
					f.widenMem(f.at(srcPtr, j), w)
					op(j)(w)
					f.narrowStore(w, f.at(dstPtr, j))
				},
			},
			TailNote: "masked-off lanes are neither read nor written",
			Tail: func() {
				w, _ := vec(0)
				f.maskedLoad(f.at(srcPtr, 0), tailX)
				f.widenReg(tailX, w)
				op(0)(w)
				f.narrowReg(w, tailX)
				f.maskedStore(tailX, f.at(dstPtr, 0))
			},
			End: "done",
		})
		f.ret()
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
