package nn

import (
	"fmt"
	"math"
)

// NumericalGradient returns the central-difference estimate of the gradient of f with respect
// to each element of x: (f(x + h*e_i) - f(x - h*e_i)) / (2h). f reads x; each element is restored
// after it is probed.
//
// In float32 the step must not be tiny: f is computed with a relative rounding error near 1e-7,
// and that error is divided by 2h, while the truncation error of the central difference grows as
// h^2. h = 1e-2 for inputs and weights of order 1 balances the two (errors near 1e-5 relative to
// the largest values involved), where the float64 habit h = 1e-4 would leave only three digits.
func NumericalGradient(f func() float64, x []float32, h float32) []float64 {
	g := make([]float64, len(x))
	for i, v := range x {
		x[i] = v + h
		up := f()
		x[i] = v - h
		down := f()
		x[i] = v
		// The perturbed values are rounded to float32; divide by the step actually taken.
		g[i] = (up - down) / (float64(v+h) - float64(v-h))
	}
	return g
}

// GradCheckResult compares backpropagation with the numerical gradient for one tensor.
type GradCheckResult struct {
	Name string // the parameter's name, or "input"
	// MaxRelErr is the largest |backprop - numerical| / max(|backprop|, |numerical|, Floor) over
	// the tensor's elements; MaxAbsErr the largest |backprop - numerical|.
	MaxRelErr, MaxAbsErr float64
	Worst                int // index of the element with MaxRelErr
}

// GradCheckFloor is the denominator floor of GradCheckResult.MaxRelErr: gradients smaller than
// this are compared absolutely, since their numerical estimates carry an absolute error (rounding
// over 2h) that does not shrink with them.
const GradCheckFloor = 1e-2

// GradCheck compares the gradients that backpropagation gives for every parameter of the model and
// for its input x with central differences (NumericalGradient with step h) of the mean loss of
// the model in training mode on (x, y). Dropout masks are frozen at those of the first pass so
// that the function is deterministic; BatchNorm's running statistics move on every pass. It
// returns one result per parameter, then one for the input.
func GradCheck(m *Sequential, loss Loss, x *Matrix, y Target, h float32) []GradCheckResult {
	m.checkInput("GradCheck")
	out := m.Forward(x, true)
	loss.Forward(out, y)
	dx := m.Backward(loss.Backward()).Clone()
	freeze(m, true)
	defer freeze(m, false)
	f := func() float64 { return loss.Forward(m.Forward(x, true), y) }
	var res []GradCheckResult
	for _, p := range m.Params() {
		ana := p.Grad.Clone()
		num := NumericalGradient(f, p.Value.Data, h)
		res = append(res, compareGrad(p.Name, ana.Data, num))
	}
	num := NumericalGradient(f, x.Data, h)
	return append(res, compareGrad("input", dx.Data, num))
}

// compareGrad measures the distance between a backprop and a numerical gradient.
func compareGrad(name string, ana []float32, num []float64) GradCheckResult {
	if len(ana) != len(num) {
		panic(fmt.Sprintf("nn.GradCheck: %s: %d backprop values, %d numerical", name, len(ana), len(num)))
	}
	r := GradCheckResult{Name: name}
	for i, a := range ana {
		d := math.Abs(float64(a) - num[i])
		rel := d / math.Max(math.Max(math.Abs(float64(a)), math.Abs(num[i])), GradCheckFloor)
		if d != d {
			rel = math.Inf(1)
		}
		r.MaxAbsErr = math.Max(r.MaxAbsErr, d)
		if rel > r.MaxRelErr || rel != rel {
			r.MaxRelErr, r.Worst = rel, i
		}
	}
	return r
}

// String formats the result.
func (r GradCheckResult) String() string {
	return fmt.Sprintf("%s: max relative error %.3g (element %d), max absolute error %.3g", r.Name, r.MaxRelErr, r.Worst, r.MaxAbsErr)
}

// freeze makes every Dropout of m reuse its last mask (or draw new ones again).
func freeze(m *Sequential, on bool) {
	for _, l := range m.Layers {
		if d, ok := l.(*Dropout); ok {
			d.frozen = on
		}
	}
}
