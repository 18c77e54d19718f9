package main

import (
	"math"
	"testing"
)

// TestGELUGradTable64 checks ggrad64Tab8 and ggrad64Tab4: each piece's polynomial, evaluated by
// Horner with fused multiply-adds as the kernels do, within 2^-52 relative of
// g(s) = G(c)·(c + K)/K, c = K·s/(1 - s), G(c) = erfcx(c/√2)/2 (erfcxBig, gelu64_test.go), over
// its interval of u (widened by 2^-20, for the rounding of u), for c up to 60: the last piece of
// each table (the kernels pick piece min(round(P·s), P-1)) on to s(60).
func TestGELUGradTable64(t *testing.T) {
	isq2 := newF().Quo(bigF(1), newF().Sqrt(bigF(2)))
	for _, isa := range []*fn{{isa: avx512}, {isa: avx2}} {
		p := ggrad64Pieces(isa)
		smax := ggrad64Max / (ggrad64Max + p.K)
		if len(p.tab) != int(p.P) { // the kernels pick piece min(round(P·s), P-1)
			t.Errorf("%s: %d pieces, want P = %v", isa.isa.Name, len(p.tab), p.P)
		}
		for n, row := range p.tab {
			lo, hi := -0.5-0x1p-20, 0.5+0x1p-20
			if n == 0 {
				lo = 0
			}
			if n == len(p.tab)-1 {
				hi = smax*p.P - float64(n) + 0x1p-20
			}
			worst := 0.0
			const steps = 256
			for k := 0; k <= steps; k++ {
				u := lo + (hi-lo)*float64(k)/steps
				v := math.Float64frombits(row[len(row)-1])
				for j := len(row) - 2; j >= 0; j-- {
					v = math.FMA(v, u, math.Float64frombits(row[j]))
				}
				s := newF().Quo(newF().Add(bigF(float64(n)), bigF(u)), bigF(p.P))
				c := newF().Quo(newF().Mul(bigF(p.K), s), newF().Sub(bigF(1), s))
				g := erfcxBig(newF().Mul(c, isq2))
				g.Mul(g, bigF(0.5))
				want := g.Mul(g, newF().Quo(newF().Add(c, bigF(p.K)), bigF(p.K)))
				rel := newF().Quo(newF().Sub(bigF(v), want), want)
				r, _ := rel.Float64()
				worst = math.Max(worst, math.Abs(r))
			}
			if worst > 0x1p-52 {
				t.Errorf("%s piece %d: worst relative error %.3g, above 2^-52", isa.isa.Name, n, worst)
			}
			t.Logf("%s piece %d: worst relative error 2^%.2f", isa.isa.Name, n, math.Log2(worst))
		}
	}
}

// TestGELUGradConst64 checks ggrad64K1 + ggrad64K2 against 1/√(2π) from gelu64SqrtPi.
func TestGELUGradConst64(t *testing.T) {
	want := newF().Quo(bigF(1), newF().Mul(gelu64SqrtPi, newF().Sqrt(bigF(2))))
	got := newF().Add(bigF(math.Float64frombits(ggrad64K1)), bigF(math.Float64frombits(ggrad64K2)))
	rel, _ := newF().Quo(newF().Sub(got, want), want).Float64()
	if hi, _ := want.Float64(); hi != math.Float64frombits(ggrad64K1) || math.Abs(rel) > 0x1p-104 {
		t.Errorf("1/√(2π) = %v + %v, relative error %g", math.Float64frombits(ggrad64K1), math.Float64frombits(ggrad64K2), rel)
	}
}
