package main

import (
	"math"
	"math/big"
	"testing"
)

// gelu64Prec is the precision of the reference below: far beyond float64, and enough for the
// cancellation of its series (at most 15 bits).
const gelu64Prec = 200

func bigF(x float64) *big.Float { return new(big.Float).SetPrec(gelu64Prec).SetFloat64(x) }
func newF() *big.Float          { return new(big.Float).SetPrec(gelu64Prec) }

// gelu64SqrtPi is √π from Machin's formula for π.
var gelu64SqrtPi = func() *big.Float {
	atanInv := func(n float64) *big.Float {
		x := newF().Quo(bigF(1), bigF(n))
		x2 := newF().Mul(x, x)
		s, p := newF(), newF().Set(x)
		for k := 0; k < 120; k++ {
			t := newF().Quo(p, bigF(float64(2*k+1)))
			if k%2 == 0 {
				s.Add(s, t)
			} else {
				s.Sub(s, t)
			}
			p.Mul(p, x2)
		}
		return s
	}
	pi := newF().Mul(atanInv(5), bigF(16))
	pi.Sub(pi, newF().Mul(atanInv(239), bigF(4)))
	return newF().Sqrt(pi)
}()

// erfcxBig returns erfcx(z) = e^(z²)·erfc(z) for z >= 0: for z < 3, e^(z²) - (2/√π)·Σ 2ⁿ
// z^(2n+1)/(1·3···(2n+1)) (both series of positive terms); beyond, 1/(√π·t) with t the continued
// fraction z + (1/2)/(z + (2/2)/(z + ...)), evaluated backward from a depth that makes its error
// negligible.
func erfcxBig(z *big.Float) *big.Float {
	zf, _ := z.Float64()
	z2 := newF().Mul(z, z)
	if zf < 3 {
		e, t := bigF(1), bigF(1)
		for n := 1; n < 400; n++ {
			t.Mul(t, z2)
			t.Quo(t, bigF(float64(n)))
			e.Add(e, t)
			if t.Sign() == 0 || t.MantExp(nil) < e.MantExp(nil)-gelu64Prec-8 {
				break
			}
		}
		two := newF().Mul(z2, bigF(2))
		t, s := newF().Set(z), newF().Set(z)
		for n := 1; n < 400; n++ {
			t.Mul(t, two)
			t.Quo(t, bigF(float64(2*n+1)))
			s.Add(s, t)
			if t.Sign() == 0 || t.MantExp(nil) < s.MantExp(nil)-gelu64Prec-8 {
				break
			}
		}
		s.Mul(s, bigF(2))
		s.Quo(s, gelu64SqrtPi)
		return e.Sub(e, s)
	}
	t := newF().Set(z)
	for k := int(math.Ceil(100*100/(2*zf*zf))) + 50; k >= 1; k-- {
		t = newF().Add(z, newF().Quo(bigF(float64(k)/2), t))
	}
	return newF().Quo(bigF(1), newF().Mul(gelu64SqrtPi, t))
}

// TestGELUTable64 checks gelu64Tab8 and gelu64Tab4: each piece's polynomial, evaluated by Horner
// with fused multiply-adds as the kernels do, within 2^-52 relative of f(s) = G(c)·(c + K),
// c = K·s/(1 - s), G(c) = erfcx(c/√2)/2, over its interval of u (widened by 2^-20, for the
// rounding of u), for c up to 40.
func TestGELUTable64(t *testing.T) {
	isq2 := newF().Quo(bigF(1), newF().Sqrt(bigF(2)))
	for _, isa := range []*fn{{isa: avx512}, {isa: avx2}} {
		p := gelu64Pieces(isa)
		smax := gelu64Max / (gelu64Max + p.K)
		for n, row := range p.tab {
			lo, hi := -0.5-0x1p-20, 0.5+0x1p-20
			if n == 0 {
				lo = 0
			}
			hi = math.Min(hi, smax*p.P-float64(n)+0x1p-20)
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
				want := g.Mul(g, newF().Add(c, bigF(p.K)))
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
