package kernels

import (
	"math"
	"math/big"
	"testing"
)

// High-precision references for the tests of the activations and their gradients: π, e^x, ln x
// and erfc in bigPrec-bit arithmetic (math/big), good to well over 150 bits, so that rounding
// them to float64 or float32 gives the correctly rounded result. They are slow (tens to hundreds
// of microseconds), so the tests call them on samples, and the float32 sweep only where its
// float64 reference lies too near a rounding midpoint.

const bigPrec = 192

func newBig() *big.Float             { return new(big.Float).SetPrec(bigPrec) }
func bigOf(x float64) *big.Float     { return newBig().SetFloat64(x) }
func bigInt(n int64) *big.Float      { return newBig().SetInt64(n) }
func bigF64(x *big.Float) float64    { f, _ := x.Float64(); return f }
func bigF32(x *big.Float) float32    { f, _ := x.Float32(); return f }
func bigNeg(x *big.Float) *big.Float { return newBig().Neg(x) }

// piBig is π by Machin's formula, 16 atan(1/5) - 4 atan(1/239).
var piBig = func() *big.Float {
	atanInv := func(n int64) *big.Float {
		x := newBig().Quo(bigInt(1), bigInt(n))
		x2 := newBig().Mul(x, x)
		s, p := newBig(), newBig().Set(x)
		for k := int64(0); k < 200; k++ {
			term := newBig().Quo(p, bigInt(2*k+1))
			if k%2 == 0 {
				s.Add(s, term)
			} else {
				s.Sub(s, term)
			}
			p.Mul(p, x2)
		}
		return s
	}
	pi := newBig().Mul(atanInv(5), bigInt(16))
	return pi.Sub(pi, newBig().Mul(atanInv(239), bigInt(4)))
}()

var (
	sqrtPiBig     = newBig().Sqrt(piBig)
	invSqrt2Big   = newBig().Quo(bigInt(1), newBig().Sqrt(bigInt(2)))
	invSqrt2PiBig = newBig().Quo(bigInt(1), newBig().Sqrt(newBig().Mul(bigInt(2), piBig)))
	// geluTanhABig and geluTanhBBig: 2u = x·(A + B·x²), A = 2√(2/π), B = 0.044715·A.
	geluTanhABig = newBig().Mul(bigInt(2), newBig().Sqrt(newBig().Quo(bigInt(2), piBig)))
	geluTanhBBig = func() *big.Float {
		k, _ := newBig().SetString("0.044715")
		return k.Mul(k, geluTanhABig)
	}()
)

// expBigF returns e^x: e^x = 2^k e^r, r = x - k ln2, and the Taylor series of e^r. Beyond
// |x| = 10^7 it returns 2^-131072 or 2^131072 instead (both far outside float64).
func expBigF(x *big.Float) *big.Float {
	if x.IsInf() || math.Abs(bigF64(x)) > 1e7 {
		if x.Sign() < 0 {
			return tinyBig(x)
		}
		return newBig().SetMantExp(bigInt(1), 1<<17) // far above any float
	}
	k := math.Round(bigF64(x) / math.Ln2)
	r := newBig().Sub(x, newBig().Mul(ln2Big, bigOf(k)))
	sum, term := bigInt(1), bigInt(1)
	for n := int64(1); n < 200; n++ {
		term.Mul(term, r)
		term.Quo(term, bigInt(n))
		sum.Add(sum, term)
		if term.Sign() == 0 || term.MantExp(nil) < sum.MantExp(nil)-bigPrec-8 {
			break
		}
	}
	return sum.SetMantExp(sum, int(k))
}

// tinyBig returns 2^(x·log2(e)) for x < -1e7, clamped at 2^-131072: positive and far below any
// float, where e^x itself would take long (and additions to numbers of such different
// exponents longer still).
func tinyBig(x *big.Float) *big.Float {
	e := math.Max(bigF64(x)*math.Log2E, -(1 << 17))
	return newBig().SetMantExp(bigInt(1), int(e))
}

// logBig returns ln v for v > 0: v = m 2^e with m in [1/√2, √2), and
// ln m = 2 atanh((m-1)/(m+1)) by its series.
func logBig(v *big.Float) *big.Float {
	m := newBig()
	e := v.MantExp(m)
	m.SetPrec(bigPrec)
	if m.Cmp(bigOf(math.Sqrt2/2)) < 0 {
		m.SetMantExp(m, 1)
		e--
	}
	t := newBig().Quo(newBig().Sub(m, bigInt(1)), newBig().Add(m, bigInt(1)))
	t2 := newBig().Mul(t, t)
	sum, p := newBig().Set(t), newBig().Set(t)
	for k := int64(3); t.Sign() != 0 && k < 1000; k += 2 {
		p.Mul(p, t2)
		term := newBig().Quo(p, bigInt(k))
		sum.Add(sum, term)
		if term.Sign() == 0 || term.MantExp(nil) < sum.MantExp(nil)-bigPrec-8 {
			break
		}
	}
	sum.Mul(sum, bigInt(2))
	return sum.Add(sum, newBig().Mul(ln2Big, bigInt(int64(e))))
}

// erfcBig returns erfc(z): 2 - erfc(-z) for z < 0; 1 - erf(z) for z < 2, with
// erf(z) = (2/√π) e^(-z²) Σ 2ⁿ z^(2n+1)/(1·3···(2n+1)), a series of positive terms, at 24 extra
// bits for the cancellation (erfc(2) > 2^-8); for z >= 2 the continued fraction
// erfc(z) = e^(-z²)/√π · 1/(z + (1/2)/(z + (2/2)/(z + (3/2)/(z + ...)))), evaluated backward
// from a depth that makes its error below 2^-185 (measured: the error falls like e^(-2z√(2n))).
func erfcBig(z *big.Float) *big.Float {
	if z.Sign() < 0 {
		return newBig().Sub(bigInt(2), erfcBig(bigNeg(z)))
	}
	zf := bigF64(z)
	if zf > 1e5 {
		return tinyBig(newBig().Neg(newBig().Mul(z, z)))
	}
	z2 := newBig().Mul(z, z)
	ez2 := expBigF(bigNeg(z2))
	if zf < 2 {
		const prec = bigPrec + 24
		nb := func() *big.Float { return new(big.Float).SetPrec(prec) }
		two := nb().Mul(z2, nb().SetInt64(2))
		term := nb().Set(z)
		sum := nb().Set(z)
		for n := int64(1); n < 400; n++ {
			term.Mul(term, two)
			term.Quo(term, nb().SetInt64(2*n+1))
			sum.Add(sum, term)
			if term.Sign() == 0 || term.MantExp(nil) < sum.MantExp(nil)-prec-8 {
				break
			}
		}
		erf := nb().Mul(sum, ez2)
		erf.Mul(erf, nb().Quo(nb().SetInt64(2), sqrtPiBig))
		return newBig().Sub(bigInt(1), erf)
	}
	n := int(math.Max(50, math.Ceil(75*75/(2*zf*zf))))
	t := newBig().Set(z)
	for k := n; k >= 1; k-- {
		t = newBig().Add(z, newBig().Quo(bigOf(float64(k)/2), t))
	}
	r := newBig().Quo(ez2, t)
	return r.Quo(r, sqrtPiBig)
}

// sigmoidBig returns σ(v) = 1/(1 + e^-v) and σ(-v) = e^-v/(1 + e^-v), the second without
// subtracting from 1.
func sigmoidBig(v *big.Float) (s, sm *big.Float) {
	e := expBigF(bigNeg(v))
	d := newBig().Add(bigInt(1), e)
	return newBig().Quo(bigInt(1), d), newBig().Quo(e, d)
}

// geluTanhArgBig is v = 2√(2/π)(x + 0.044715x³) = x·(A + B·x²).
func geluTanhArgBig(x *big.Float) *big.Float {
	q := newBig().Mul(x, x)
	q.Mul(q, geluTanhBBig)
	q.Add(q, geluTanhABig)
	return q.Mul(q, x)
}

// The exact functions (bigPrec bits) of the activations, at a float64 x.
//
// For |x| < 2^-64, GELU(x) = x/2 + x²/√(2π) - x⁴/(6√(2π)) + ...: the first two terms are within
// x³/3 < 2^-192 relative of it, and cost two products where erfc's series costs dozens (the
// float32 sweep needs the exact value of every odd subnormal: x/2 is a float32 midpoint).
func geluBig(x float64) *big.Float {
	if math.Abs(x) < 0x1p-64 {
		return geluBigTiny(x)
	}
	return geluBigErfc(x)
}

// geluBigTiny is x/2 + x²/√(2π) (and -0 at -0).
func geluBigTiny(x float64) *big.Float {
	b := bigOf(x)
	if x == 0 {
		return b
	}
	s := newBig().Mul(b, b)
	s.Mul(s, invSqrt2PiBig)
	return s.Add(s, b.Quo(b, bigInt(2)))
}

// geluBigErfc is x·erfc(-x/√2)/2.
func geluBigErfc(x float64) *big.Float {
	e := erfcBig(newBig().Mul(bigOf(-x), invSqrt2Big))
	e.Mul(e, bigOf(x))
	return e.Quo(e, bigInt(2))
}

func geluTanhBig(x float64) *big.Float {
	s, _ := sigmoidBig(geluTanhArgBig(bigOf(x)))
	return s.Mul(s, bigOf(x))
}

func siluBig(x float64) *big.Float {
	s, _ := sigmoidBig(bigOf(x))
	return s.Mul(s, bigOf(x))
}

// log1pBig is ln(1 + u) for u >= 0: the series u - u²/2 + u³/3 - ... below 2^-16, where
// forming 1 + u would round u away, and logBig(1 + u) above.
func log1pBig(u *big.Float) *big.Float {
	if u.Cmp(bigOf(0x1p-16)) >= 0 {
		return logBig(newBig().Add(bigInt(1), u))
	}
	sum, p := newBig().Set(u), newBig().Set(u)
	for k := int64(2); u.Sign() != 0 && k < 100; k++ {
		p.Mul(p, u)
		term := newBig().Quo(p, bigInt(k))
		if k%2 == 0 {
			sum.Sub(sum, term)
		} else {
			sum.Add(sum, term)
		}
		if term.MantExp(nil) < sum.MantExp(nil)-bigPrec-8 {
			break
		}
	}
	return sum
}

// expm1Big is e^x - 1: the Taylor series x + x²/2 + ... for |x| < 2^-10, where e^x - 1 would
// cancel, and expBigF(x) - 1 (at most 10 bits lost) otherwise.
func expm1Big(x *big.Float) *big.Float {
	if math.Abs(bigF64(x)) >= 0x1p-10 {
		e := expBigF(x)
		return e.Sub(e, bigInt(1))
	}
	sum, term := newBig().Set(x), newBig().Set(x)
	for n := int64(2); x.Sign() != 0 && n < 100; n++ {
		term.Mul(term, x)
		term.Quo(term, bigInt(n))
		sum.Add(sum, term)
		if term.Sign() == 0 || term.MantExp(nil) < sum.MantExp(nil)-bigPrec-8 {
			break
		}
	}
	return sum
}

// tanhBig is tanh x = -m/(2 + m) for m = e^(-2|x|) - 1 (expm1Big, without cancellation for
// small |x|), with the sign of x; ±0 stay ±0.
func tanhBig(x float64) *big.Float {
	if x == 0 {
		return bigOf(x)
	}
	m := expm1Big(bigOf(-2 * math.Abs(x)))
	t := newBig().Quo(bigNeg(m), newBig().Add(bigInt(2), m))
	if x < 0 {
		t.Neg(t)
	}
	return t
}

// softplusBig is log(1 + e^x) = max(x, 0) + log1p(e^-|x|).
func softplusBig(x float64) *big.Float {
	r := log1pBig(expBigF(bigOf(-math.Abs(x))))
	return r.Add(r, bigOf(math.Max(x, 0)))
}

func eluBig(alpha, x float64) *big.Float {
	if x > 0 {
		return bigOf(x)
	}
	e := expm1Big(bigOf(x))
	return e.Mul(e, bigOf(alpha))
}

// The exact derivatives (without dy).
func geluGradBig(x float64) *big.Float {
	if x < -1e4 { // x·φ(x)·(1 - S/x²): negative, and far below any float
		return newBig().Neg(tinyBig(bigOf(-x * x / 2)))
	}
	bx := bigOf(x)
	phi := newBig().Mul(bx, bx)
	phi = expBigF(phi.Quo(phi, bigInt(-2)))
	phi.Mul(phi, invSqrt2PiBig)
	cdf := erfcBig(newBig().Mul(bigNeg(bx), invSqrt2Big))
	cdf.Quo(cdf, bigInt(2))
	return cdf.Add(cdf, phi.Mul(phi, bx))
}

// xSigmoidGradBig is σ(v)(1 + x·σ(-v)·v') for the derivative dv = v'.
func xSigmoidGradBig(x, v, dv *big.Float) *big.Float {
	s, sm := sigmoidBig(v)
	k := newBig().Mul(x, sm)
	k.Mul(k, dv)
	k.Add(k, bigInt(1))
	return k.Mul(k, s)
}

func geluTanhGradBig(x float64) *big.Float {
	bx := bigOf(x)
	dv := newBig().Mul(bx, bx)
	dv.Mul(dv, geluTanhBBig)
	dv.Mul(dv, bigInt(3))
	dv.Add(dv, geluTanhABig)
	return xSigmoidGradBig(bx, geluTanhArgBig(bx), dv)
}

func siluGradBig(x float64) *big.Float { return xSigmoidGradBig(bigOf(x), bigOf(x), bigInt(1)) }

func softplusGradBig(x float64) *big.Float { s, _ := sigmoidBig(bigOf(x)); return s }

// TestBigReferences checks the big references against each other and against math: erfc's series
// and continued fraction agree where both apply; e^(ln v) = v; the float64 constants of
// activation_ref.go are the big constants rounded (their high and low parts summing to them);
// math.Erfc, math.Exp and math.Log agree to a few ULP.
func TestBigReferences(t *testing.T) {
	// erfc at z = 2.5 by the series at 48 extra bits, against the continued fraction.
	z := bigOf(2.5)
	series := func() *big.Float {
		const prec = bigPrec + 48
		z2 := new(big.Float).SetPrec(prec).Mul(z, z)
		two := new(big.Float).SetPrec(prec).Mul(z2, big.NewFloat(2))
		term, sum := new(big.Float).SetPrec(prec).Set(z), new(big.Float).SetPrec(prec).Set(z)
		for n := int64(1); n < 400; n++ {
			term.Mul(term, two)
			term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(2*n+1))
			sum.Add(sum, term)
		}
		sum.Mul(sum, expBigF(bigNeg(z2)))
		sum.Mul(sum, newBig().Quo(bigInt(2), sqrtPiBig))
		return newBig().Sub(bigInt(1), sum)
	}()
	if d := relDiff(series, erfcBig(z)); d > 0x1p-170 {
		t.Errorf("erfc(2.5): series and continued fraction differ by %g relative", d)
	}
	// GELU's short form below 2^-64 against erfc's series.
	for _, x := range []float64{0x1p-64, -0x1p-64, 1e-25, -3e-30, 0x1p-149, -0x1p-140} {
		if d := relDiff(geluBigTiny(x), geluBigErfc(x)); d > 0x1p-170 {
			t.Errorf("GELU(%g): x/2 + x²/√(2π) and the erfc form differ by %g relative", x, d)
		}
	}
	for _, x := range []float64{0, negZero} {
		if g := geluBigTiny(x); g.Sign() != 0 || g.Signbit() != math.Signbit(x) {
			t.Errorf("GELU(%g) = %v, want %g", x, g, x)
		}
	}
	for _, v := range []float64{1e-300, 0.3, 1, 1.4, 2, 1e10, 7e300} {
		if d := relDiff(expBigF(logBig(bigOf(v))), bigOf(v)); d > 0x1p-170 {
			t.Errorf("e^(ln %v) differs from it by %g relative", v, d)
		}
	}
	for _, c := range []struct {
		name   string
		hi, lo float64
		want   *big.Float
	}{
		{"1/√2", invSqrt2Hi, invSqrt2Lo, invSqrt2Big},
		{"2/√π", twoOverSqrtPi, 0, newBig().Quo(bigInt(2), sqrtPiBig)},
		{"1/√π", invSqrtPi, 0, newBig().Quo(bigInt(1), sqrtPiBig)},
		{"1/√(2π)", invSqrt2Pi, invSqrt2PiLo, invSqrt2PiBig},
		{"2√(2/π)", geluTanhAHi, geluTanhALo, geluTanhABig},
		{"0.044715·2√(2/π)", geluTanhBHi, geluTanhBLo, geluTanhBBig},
	} {
		got := newBig().Add(bigOf(c.hi), bigOf(c.lo))
		tol := 0x1p-100
		if c.lo == 0 {
			tol = 0x1p-53 // rounded to nearest: within half an ULP
		}
		if d := relDiff(got, c.want); d > tol {
			t.Errorf("constant %s: %v + %v differs from the exact value by %g relative", c.name, c.hi, c.lo, d)
		}
	}
	// The tables of expacc.go and erfc.go.
	for j, e := range exp2DD {
		want := expBigF(newBig().Mul(ln2Big, newBig().Quo(bigInt(int64(j)), bigInt(64))))
		if d := relDiff(newBig().Add(bigOf(e[0]), bigOf(e[1])), want); d > 0x1p-98 {
			t.Errorf("exp2DD[%d] differs from 2^(%d/64) by %g relative", j, j, d)
		}
	}
	for i, a := range erfcAnchors {
		z0 := float64(i+13) / 16
		if d := relDiff(newBig().Add(bigOf(a[0]), bigOf(a[1])), erfcBig(bigOf(z0))); d > 0x1p-100 {
			t.Errorf("erfcAnchors[%d] differs from erfc(%v) by %g relative", i, z0, d)
		}
		b := newBig().Quo(expBigF(bigOf(-z0*z0)), sqrtPiBig)
		if d := ulp(erfcAnchorB[i], bigF64(b.Mul(b, bigInt(2)))); d > 1 {
			t.Errorf("erfcAnchorB[%d] is %d ULP from (2/√π)e^(-%v²)", i, d, z0)
		}
	}
	r := newInput(5)
	for i := 0; i < 300; i++ {
		x := r.uniform(-6, 27)
		if d := ulp(bigF64(erfcBig(bigOf(x))), math.Erfc(x)); d > 4 {
			t.Errorf("erfc(%v): big %v, math.Erfc %v (%d ULP)", x, bigF64(erfcBig(bigOf(x))), math.Erfc(x), d)
		}
		y := r.uniform(-700, 700)
		if d := ulp(bigF64(expBigF(bigOf(y))), math.Exp(y)); d > 2 {
			t.Errorf("exp(%v): big and math.Exp %d ULP apart", y, d)
		}
		if v := math.Exp(y); ulp(bigF64(logBig(bigOf(v))), math.Log(v)) > 1 {
			t.Errorf("log(%v): big and math.Log differ", v)
		}
	}
}

// TestExpAcc checks expAcc (expacc.go) within 1 ULP of e^(h+l) over its whole range, subnormal
// results included, with low parts l, and its limits.
func TestExpAcc(t *testing.T) {
	n := 1 << 14
	if testing.Short() {
		n = 1 << 11
	}
	r := newInput(8)
	var off int
	for i := 0; i < n; i++ {
		h := r.uniform(-745.2, 709.78)
		l := 0.0
		if i%2 == 1 {
			l = r.uniform(-1, 1) * 0x1p-45 * math.Abs(h)
		}
		want := bigF64(expBigF(newBig().Add(bigOf(h), bigOf(l))))
		got := expAcc(h, l)
		d := ulp(got, want)
		if d > 1 {
			t.Fatalf("expAcc(%v, %v) = %v, exact %v (%d ULP)", h, l, got, want, d)
		}
		if d == 1 {
			off++
		}
	}
	t.Logf("expAcc: %d of %d results not correctly rounded, none more than 1 ULP off", off, n)
	for _, c := range []struct{ h, want float64 }{
		{math.Inf(-1), 0}, {-746, 0}, {math.Inf(1), math.Inf(1)}, {710, math.Inf(1)}, {0, 1},
		{709.782712893384, 1.7976931348622732e+308}, {-745.1332191019411, 5e-324},
	} {
		if got := expAcc(c.h, 0); ulp(got, c.want) > 1 || (c.want == 0 || math.IsInf(c.want, 0)) && got != c.want {
			t.Errorf("expAcc(%v) = %v, want %v", c.h, got, c.want)
		}
	}
	if got := expAcc(math.NaN(), 0); got == got {
		t.Errorf("expAcc(NaN) = %v", got)
	}
}

// relDiff is |a - b| / |b|.
func relDiff(a, b *big.Float) float64 {
	d := newBig().Sub(a, b)
	d.Quo(d, b)
	return math.Abs(bigF64(d))
}
