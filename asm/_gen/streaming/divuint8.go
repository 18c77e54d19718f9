package main

import (
	"fmt"

	"github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"
)

func init() { register("divuint8", genDivUint8) }

// divUint8Unroll is the number of pieces per iteration of DivUint8's main loop.
const divUint8Unroll = 4

// genDivUint8 emits DivUint8: dst[i] = T(src[i]) / d, correctly rounded: bytes (pixels, say)
// turned into floats.
//
// Every variant works on pieces of VecBytes/8 bytes, widened and converted to float64, exactly:
// AVX-512 to int64 lanes (VPMOVZXBQ) then VCVTQQ2PD (AVX-512DQ), one uop each on Intel where
// VCVTDQ2PD zmm takes two (4.0 -> 4.6 Gelem/s at 784 bytes on a Xeon, model 167), AVX2 to int32
// lanes (VPMOVZXBD) then VCVTDQ2PD. The float64 variants divide by d (VDIVPD). The
// float32 ones multiply by r = 1/float64(d) and round to float32 (VCVTPD2PS), which gives the
// correctly rounded float32 b/d: the product is within 2^-52 relative of b/d (two float64
// roundings), and b/d is never within 2^-49 relative of a rounding boundary of float32 (the
// midpoint m between two neighbours). For m = M·2^e (M < 2^25) and d = D·2^g (D < 2^24),
// b - d·m is a multiple of 2^(e+g) (or an integer when e+g >= 0), so it is 0 or at least
// 1/(D·M) > 2^-49 of b; and it is not 0, as M is odd and at least 2^24 (above float32's
// subnormals) while b's odd part is at most 255, and in the subnormal range b = d·m would need
// d >= 2^150. d = ±0, ±Inf and NaN give r = ±Inf, ±0 and NaN, and with them b/d's ±Inf (NaN for
// b = 0), ±0 and NaN.
func genDivUint8(c *build.Context) {
	for _, v := range variants {
		f := newFn(c, "DivUint8", v, "func(dst []T, src []uint8, d T)")
		piece := f.VecBytes / 8
		requires := f.isa.Requires
		if f.avx512() {
			requires = "AVX-512F and AVX-512DQ"
		}
		method := "converts each piece of " + itoa(piece) + " bytes to float64 and multiplies it by " +
			"1/float64(d), which rounds to the correctly rounded quotient (the proof is in " +
			"asm/_gen/streaming/divuint8.go)"
		if f.f64() {
			method = "converts each piece of " + itoa(piece) + " bytes to float64 and divides it by d"
		}
		f.doc(
			f.Name+" sets dst[i] = "+f.Go+"(src[i]) / d, correctly rounded. It computes",
			"\tfor i, b := range src {\n\t\tdst[i] = T(b) / d\n\t}",
			"It requires "+requires+". It "+method+". len(dst) must be at least len(src). "+
				"Any length and alignment: it works through "+itoa(divUint8Unroll*piece)+
				" elements per iteration, then "+itoa(piece)+", then the last len(src)%"+
				itoa(piece)+" one at a time, so it never reads or writes outside the slices.",
		)
		// wide is a register of piece float64 lanes, narrow one of piece int32 (and float32) lanes.
		wide, narrow := f.V, f.Y
		if !f.avx512() {
			narrow = f.X
		}
		f.regs(
			"DI  address of the next dst element",
			"SI  address of the next src byte",
			"CX  elements left",
			"AX  the byte of the scalar tail",
			f.vr(15, -1)+"  1/float64(d) (float32) or d (float64) in every float64 lane",
			f.vr(0, divUint8Unroll-1)+"  pieces in flight",
		)
		f.base("dst", dstPtr)
		f.base("src", srcPtr)
		f.length("src", count)
		dm := f.addr(f.Param("d"))
		k := f.X(15)
		if f.f64() {
			f.VMOVSD(dm, k)
		} else {
			f.VCVTSS2SD(dm, k, k)
			f.MOVQ(U64(0x3ff0000000000000), reg.RAX) // 1.0
			f.VMOVQ(reg.RAX, f.X(0))
			f.VDIVSD(k, f.X(0), k)
		}
		f.VBROADCASTSD(k, wide(15))

		// one converts piece j: src bytes at SI+j·piece to dst at DI+j·piece·Size.
		load := func(j int) {
			if f.avx512() { // one uop each where VCVTDQ2PD zmm is two
				f.VPMOVZXBQ(Mem{Base: srcPtr, Disp: j * piece}, wide(j))
				f.VCVTQQ2PD(wide(j), wide(j))
				return
			}
			f.VPMOVZXBD(Mem{Base: srcPtr, Disp: j * piece}, narrow(j))
			f.VCVTDQ2PD(narrow(j), wide(j))
		}
		finish := func(j int) {
			out := Mem{Base: dstPtr, Disp: j * piece * f.Size}
			if f.f64() {
				f.VDIVPD(wide(15), wide(j), wide(j))
				f.VMOVUPD(wide(j), out)
				return
			}
			f.VMULPD(wide(15), wide(j), wide(j))
			if f.avx512() {
				f.VCVTPD2PS(wide(j), narrow(j))
			} else {
				f.VCVTPD2PSY(wide(j), narrow(j))
			}
			f.VMOVUPS(narrow(j), out)
		}
		step := func(n int) {
			for j := 0; j < n; j++ {
				load(j)
			}
			for j := 0; j < n; j++ {
				finish(j)
			}
			f.ADDQ(imm(n*piece), srcPtr)
			f.ADDQ(imm(n*piece*f.Size), dstPtr)
			f.SUBQ(imm(n*piece), count)
		}
		f.CMPQ(count, imm(divUint8Unroll*piece))
		f.JB(LabelRef("one"))
		f.Label("loop")
		step(divUint8Unroll)
		f.CMPQ(count, imm(divUint8Unroll*piece))
		f.JAE(LabelRef("loop"))
		f.Label("one")
		f.CMPQ(count, imm(piece))
		f.JB(LabelRef("tail"))
		step(1)
		f.JMP(LabelRef("one"))

		f.Comment(fmt.Sprintf("The last len%%%d elements, one at a time with the same arithmetic.", piece))
		f.Label("tail")
		f.TESTQ(count, count)
		f.JZ(LabelRef("done"))
		f.MOVBLZX(Mem{Base: srcPtr}, reg.EAX)
		f.VCVTSI2SDL(reg.EAX, f.X(0), f.X(0))
		if f.f64() {
			f.VDIVSD(k, f.X(0), f.X(0))
			f.VMOVSD(f.X(0), Mem{Base: dstPtr})
		} else {
			f.VMULSD(k, f.X(0), f.X(0))
			f.VCVTSD2SS(f.X(0), f.X(0), f.X(0))
			f.VMOVSS(f.X(0), Mem{Base: dstPtr})
		}
		f.INCQ(srcPtr)
		f.ADDQ(imm(f.Size), dstPtr)
		f.DECQ(count)
		f.JMP(LabelRef("tail"))
		f.Label("done")
		f.ret()
	}
}
