package nn

import (
	"math"
	"testing"
)

// TestActivationValues pins each activation layer's Forward, Infer and Backward against float64
// evaluations of the function and its derivative, at points that include the kinks and both
// tails; the kernels' own accuracy tests are far finer, this checks that each layer calls the
// right one with the right arguments.
func TestActivationValues(t *testing.T) {
	phi := func(v float64) float64 { return 0.5 * math.Erfc(-v/math.Sqrt2) }
	sig := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	const c = 0.7978845608028654 // sqrt(2/pi)
	// 0.5*(1 + tanh(u)) = sigmoid(2u), which does not cancel for very negative x.
	u := func(v float64) float64 { return c * (v + 0.044715*v*v*v) }
	geluTanh := func(v float64) float64 { return v * sig(2*u(v)) }
	// df takes x, or for Sigmoid and Tanh (fromY) their float32 output, from which their
	// backward passes work (the rounding of y limits what they can give near the tails).
	cases := []struct {
		l     Layer
		f, df func(float64) float64
		fromY bool
	}{
		{NewGELU(), func(v float64) float64 { return v * phi(v) },
			func(v float64) float64 { return phi(v) + v*math.Exp(-v*v/2)/math.Sqrt(2*math.Pi) }, false},
		{NewGELUTanh(), geluTanh, func(v float64) float64 {
			du := c * (1 + 3*0.044715*v*v)
			return sig(2*u(v)) * (1 + v*sig(-2*u(v))*2*du)
		}, false},
		{NewSiLU(), func(v float64) float64 { return v * sig(v) },
			func(v float64) float64 { return sig(v) * (1 + v*(1-sig(v))) }, false},
		{NewSoftplus(), func(v float64) float64 { return math.Max(v, 0) + math.Log1p(math.Exp(-math.Abs(v))) }, sig, false},
		{NewLeakyReLU(0.2), func(v float64) float64 { return map[bool]float64{true: v, false: 0.2 * v}[v > 0] },
			func(v float64) float64 { return map[bool]float64{true: 1, false: 0.2}[v > 0] }, false},
		{NewELU(0.7), func(v float64) float64 { return map[bool]float64{true: v, false: 0.7 * math.Expm1(v)}[v > 0] },
			func(v float64) float64 { return map[bool]float64{true: 1, false: 0.7 * math.Exp(v)}[v > 0] }, false},
		{NewReLU(), func(v float64) float64 { return math.Max(v, 0) },
			func(v float64) float64 { return map[bool]float64{true: 1, false: 0}[v > 0] }, false},
		{NewSigmoid(), sig, func(y float64) float64 { return y * (1 - y) }, true},
		{NewTanh(), math.Tanh, func(y float64) float64 { return (1 - y) * (1 + y) }, true},
	}
	xs := []float32{-30, -9, -3, -1.5, -0.75, -0.1, float32(math.Copysign(0, -1)), 0, 1e-3, 0.3, 1, 2.5, 8, 25}
	x := FromSlice(1, len(xs), xs)
	dout := NewMatrix(1, len(xs))
	for i := range dout.Data {
		dout.Data[i] = 1 - 0.1*float32(i)
	}
	for _, c := range cases {
		inf := c.l.(Inferer)
		y := c.l.Forward(x, true).Clone()
		yi := NewMatrix(1, len(xs))
		inf.Infer(yi, x)
		dx := c.l.Backward(dout)
		for i, v := range xs {
			want := c.f(float64(v))
			tol := 4e-7*math.Abs(want) + 1e-37
			if d := math.Abs(float64(y.Data[i]) - want); !(d <= tol) {
				t.Errorf("%s(%g) = %g, want %g", c.l.Name(), v, y.Data[i], want)
			}
			if yi.Data[i] != y.Data[i] {
				t.Errorf("%s.Infer(%g) = %g, Forward gives %g", c.l.Name(), v, yi.Data[i], y.Data[i])
			}
			at := float64(v)
			if c.fromY {
				at = float64(y.Data[i])
			}
			want = float64(dout.Data[i]) * c.df(at)
			if d := math.Abs(float64(dx.Data[i]) - want); !(d <= 1e-6*math.Abs(want)+1e-30) {
				t.Errorf("%s: dx at %g (dout %g) = %g, want %g", c.l.Name(), v, dout.Data[i], dx.Data[i], want)
			}
		}
		mustPanic(t, func() { inf.Infer(NewMatrix(2, len(xs)), x) }, c.l.Name()+".Infer", "y is 2x14", "x is 1x14")
		mustPanic(t, func() { c.l.Backward(NewMatrix(2, 2)) }, c.l.Name()+".Backward", "dout is 2x2", "1x14")
	}
	for _, l := range []Layer{NewGELU(), NewSiLU(), NewSoftplus(), NewLeakyReLU(0.1), NewELU(1)} {
		mustPanic(t, func() { l.Backward(NewMatrix(1, 1)) }, l.Name()+".Backward", "before Forward")
	}
}

// TestGELUNames: the two forms of GELU have their own names (and file kinds).
func TestGELUNames(t *testing.T) {
	if a, b := NewGELU().Name(), NewGELUTanh().Name(); a != "GELU" || b != "GELU(tanh)" {
		t.Fatalf("names %q and %q", a, b)
	}
}
