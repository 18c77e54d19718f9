package main

import "github.com/mmcloughlin/avo/build"

func init() { register("gelu", genGELU) }

// cmpGTOQ is the VCMPPS/VCMPPD predicate "greater than, ordered, quiet".
const cmpGTOQ = 0x1e

// genGELU emits GELU, dst[i] = x·Φ(x) = 0.5·x·erfc(-x/√2), float32 in float32 lanes on AVX-512
// (gelu32.go) and AVX2 (gelu32avx2.go), then the float64 kernels (genGELU64).
func genGELU(c *build.Context) {
	tab := newConsts("gelu32c")
	for _, v := range variants[:2] {
		f := newFn(c, "GELU", v, "func(dst, src []T)")
		files, req, unroll := "gelu32.go, gelu32avx2.go", " and FMA", geluUnroll2
		if f.avx512() {
			files, req, unroll = "gelu32.go", " and DQ", geluUnroll32
		}
		f.doc(
			f.Name+" sets dst[i] = x·Φ(x) = 0.5·x·erfc(-x/√2) for x = src[i], the exact "+
				"Gaussian error linear unit, in float32 arithmetic ("+files+"), within 2 ULP "+
				"of the correctly rounded result of",
			"\tfor i, x := range src {\n\t\tdst[i] = T(0.5 * float64(x) * math.Erfc(-float64(x)/math.Sqrt2))\n\t}",
			"GELU(+Inf) = +Inf, GELU(-Inf) = -0, ±0 stay ±0, NaN stays NaN, and the results of "+
				"negative inputs keep their relative accuracy down through the subnormals (they "+
				"round to -0 below -14.36). It requires "+f.isa.Requires+req+". "+
				f.mapContract(unroll),
		)
		if f.avx512() {
			gelu32(f, tab)
		} else {
			gelu32AVX2(f, tab)
		}
	}
	tab.emit(c)
	genGELU64(c)
}
