package nn

import (
	"testing"

	"github.com/lanesimd/lanes/kernels"
)

// Tolerances of the gradient checks. The layers compute in float32 (relative rounding about
// 6e-8 per operation, a few ULP through exp and the sums of a product), the checked objective is
// summed in float64, and the central difference uses h = 1e-2: its rounding error is about
// 1e-7*|L|*sqrt(n)/(2h) ~ 1e-5 for the sizes here and its truncation error h^2/6*|f”'| ~ 2e-5 for
// third derivatives of order 1. Gradients below GradCheckFloor (1e-2) are compared absolutely.
// So a correct backward pass shows errors near 1e-4 (the largest seen here is 8e-4, on the weights
// of a Dense layer feeding BatchNorm), and gradCheckTol = 5e-3 leaves a margin of six, while a real
// mistake (a missing term or factor, a transposed index) gives errors of order 1e-1 to 1, as
// TestGradCheckCatchesWrongBackward shows.
const (
	gradStep     = 1e-2
	gradCheckTol = 5e-3
)

// checkLayer compares l's Backward (dx and every parameter gradient) with central differences of
// the scalar L = sum(w * Forward(x)), for fixed random weights w, so that dL/dy = w.
func checkLayer(t *testing.T, l Layer, x *Matrix, training bool) {
	t.Helper()
	rng := NewRand(7)
	y := l.Forward(x, training)
	w := randMatrix(rng, y.Rows, y.Cols, -1, 1)
	dx := l.Backward(w).Clone()
	grads := make([]*Matrix, len(l.Params()))
	for i, p := range l.Params() {
		grads[i] = p.Grad.Clone()
	}
	if d, ok := l.(*Dropout); ok {
		d.frozen = true
		defer func() { d.frozen = false }()
	}
	f := func() float64 {
		y := l.Forward(x, training)
		var s float64
		for i, v := range y.Data {
			s += float64(v) * float64(w.Data[i])
		}
		return s
	}
	check := func(name string, ana *Matrix, x []float32) {
		t.Helper()
		r := compareGrad(name, ana.Data, NumericalGradient(f, x, gradStep))
		t.Logf("%s %s", l.Name(), r)
		if !(r.MaxRelErr <= gradCheckTol) {
			t.Errorf("%s: %s exceeds %g", l.Name(), r, gradCheckTol)
		}
	}
	for i, p := range l.Params() {
		check(p.Name, grads[i], p.Value.Data)
	}
	check("input", dx, x.Data)
}

func TestGradCheckLayers(t *testing.T) {
	rng := NewRand(1)
	x := func(rows, cols int) *Matrix { return randMatrix(rng, rows, cols, -2, 2) }
	kinked := func(rows, cols int) *Matrix { m := x(rows, cols); awayFromZero(m, 0.05); return m }
	cases := []struct {
		l        Layer
		x        *Matrix
		training bool
	}{
		{NewDense(7, 5, XavierNormal, NewRand(2)), x(4, 7), true},
		{NewIdentity(), x(3, 6), true},
		{NewSigmoid(), x(5, 8), true},
		{NewTanh(), x(5, 8), true},
		{NewReLU(), kinked(5, 8), true},
		{NewLeakyReLU(0.1), kinked(5, 8), true},
		{NewELU(1), kinked(5, 8), true},
		{NewELU(0.5), kinked(5, 8), true},
		{NewGELU(), x(5, 8), true},
		{NewGELUTanh(), x(5, 8), true},
		{NewSiLU(), x(5, 8), true},
		{NewSoftplus(), x(5, 8), true},
		{NewSoftplus(), randMatrix(NewRand(17), 3, 8, -8, 8), true}, // far into both tails
		{NewSoftmax(), x(4, 6), true},
		{NewMaxout(3), x(4, 9), true},
		{NewDropout(0.3, NewRand(3)), x(6, 10), true},
		{NewDropout(0.3, NewRand(3)), x(6, 10), false},
		{NewBatchNorm(5, 0.9, 1e-5), x(8, 5), true},
		{NewBatchNorm(5, 0.9, 1e-5), x(8, 5), false},
	}
	for _, c := range cases {
		name := c.l.Name()
		if !c.training {
			name += "/eval"
		}
		t.Run(name, func(t *testing.T) {
			if bn, ok := c.l.(*BatchNorm); ok {
				// Non-trivial scale and shift, and running statistics for the evaluation case.
				for j := range bn.Features {
					bn.Gamma.Value.Data[j] = 0.5 + 0.3*float32(j)
					bn.Beta.Value.Data[j] = 0.1 * float32(j)
					bn.RunningMean.Data[j] = 0.2 * float32(j)
					bn.RunningVar.Data[j] = 0.5 + float32(j)
				}
				if c.training {
					bn.Momentum = 1 // keep the running statistics still while probing
				}
			}
			checkLayer(t, c.l, c.x, c.training)
		})
	}
}

// TestMaxoutRoutesToLargest pins Maxout's forward values and where its gradient goes.
func TestMaxoutRoutesToLargest(t *testing.T) {
	l := NewMaxout(2)
	y := l.Forward(FromSlice(1, 4, []float32{1, 3, -2, -5}), true)
	if y.Data[0] != 3 || y.Data[1] != -2 {
		t.Fatalf("Maxout(2) of [1 3 -2 -5] = %v, want [3 -2]", y.Data)
	}
	dx := l.Backward(FromSlice(1, 2, []float32{10, 20}))
	if want := []float32{0, 10, 20, 0}; !equal(dx.Data, want) {
		t.Fatalf("Maxout dx = %v, want %v", dx.Data, want)
	}
}

func equal(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestStepBackwardPanics(t *testing.T) {
	l := NewStep()
	y := l.Forward(FromSlice(1, 3, []float32{-1, 0, 2}), false)
	if !equal(y.Data, []float32{0, 0, 1}) {
		t.Fatalf("Step forward = %v", y.Data)
	}
	mustPanic(t, func() { l.Backward(y) }, "nn.Step.Backward", "zero gradient")
}

// TestGradCheckLosses checks every loss's Backward against central differences of its Forward.
func TestGradCheckLosses(t *testing.T) {
	rng := NewRand(4)
	labels := []int{2, 0, 4, 1}
	oneHot := NewMatrix(4, 5)
	for i, l := range labels {
		oneHot.Set(i, l, 1)
	}
	probs := NewSoftmax().Forward(randMatrix(rng, 4, 5, -1, 1), false).Clone() // none tiny
	cases := []struct {
		loss Loss
		p    *Matrix
		t    Target
	}{
		{NewMSE(), randMatrix(rng, 4, 5, -1, 1), Values(randMatrix(rng, 4, 5, -1, 1))},
		{NewMSE(), randMatrix(rng, 4, 5, -1, 1), Labels(labels)},
		{NewSumSquares(), randMatrix(rng, 4, 5, -1, 1), Values(randMatrix(rng, 4, 5, -1, 1))},
		{NewCrossEntropy(), probs.Clone(), Labels(labels)},
		{NewCrossEntropy(), probs.Clone(), Values(oneHot)},
		{NewSoftmaxCrossEntropy(), randMatrix(rng, 4, 5, -3, 3), Labels(labels)},
		{NewSoftmaxCrossEntropy(), randMatrix(rng, 4, 5, -3, 3), Values(oneHot)},
	}
	for _, c := range cases {
		kind := "labels"
		if c.t.Values != nil {
			kind = "values"
		}
		t.Run(c.loss.Name()+"/"+kind, func(t *testing.T) {
			c.loss.Forward(c.p, c.t)
			ana := c.loss.Backward().Clone()
			// CrossEntropy's log is steep at probabilities near 0.1: a smaller step keeps its
			// truncation error small, and its float32 rounding is small since it sums in float64.
			h := float32(gradStep)
			if _, ok := c.loss.(*CrossEntropy); ok {
				h = 1e-3
			}
			num := NumericalGradient(func() float64 { return c.loss.Forward(c.p, c.t) }, c.p.Data, h)
			r := compareGrad("p", ana.Data, num)
			t.Log(r)
			if !(r.MaxRelErr <= gradCheckTol) {
				t.Errorf("%s exceeds %g", r, gradCheckTol)
			}
		})
	}
}

// TestGradCheckModel runs the exported GradCheck over a model with every trainable layer kind, on
// every ISA path of the kernels this machine supports.
func TestGradCheckModel(t *testing.T) {
	prev := kernels.ISA()
	defer kernels.SetISA(prev)
	for _, isa := range kernels.SupportedISAs() {
		if err := kernels.SetISA(isa); err != nil {
			t.Fatal(err)
		}
		t.Run(isa, testGradCheckModel)
	}
}

func testGradCheckModel(t *testing.T) {
	rng := NewRand(5)
	m := NewSequential(
		NewDense(6, 8, XavierNormal, rng), NewBatchNorm(8, 0.9, 1e-5), NewTanh(),
		NewDense(8, 6, XavierNormal, rng), NewSigmoid(), NewDropout(0.25, rng),
		NewDense(6, 4, XavierNormal, rng),
	)
	x := randMatrix(rng, 5, 6, -1, 1)
	res := GradCheck(m, NewSoftmaxCrossEntropy(), x, Labels([]int{0, 3, 1, 2, 3}), gradStep)
	if len(res) != len(m.Params())+1 {
		t.Fatalf("%d results for %d parameters and the input", len(res), len(m.Params()))
	}
	for _, r := range res {
		t.Log(r)
		if !(r.MaxRelErr <= gradCheckTol) {
			t.Errorf("%s exceeds %g", r, gradCheckTol)
		}
	}
}

// wrongSigmoid is a Sigmoid whose Backward forgets the factor (1-y).
type wrongSigmoid struct{ Sigmoid }

func (l *wrongSigmoid) Backward(dout *Matrix) *Matrix {
	dx := l.backward(l, dout)
	for i, v := range l.y.m.Data {
		dx.Data[i] = dout.Data[i] * v
	}
	return dx
}

// TestGradCheckCatchesWrongBackward: the check fails a backward pass with a missing factor, far
// above the tolerance.
func TestGradCheckCatchesWrongBackward(t *testing.T) {
	rng := NewRand(6)
	m := NewSequential(NewDense(3, 5, XavierNormal, rng), &wrongSigmoid{}, NewDense(5, 2, XavierNormal, rng))
	x := randMatrix(rng, 4, 3, -1, 1)
	worst := 0.0
	for _, r := range GradCheck(m, NewSoftmaxCrossEntropy(), x, Labels([]int{0, 1, 1, 0}), gradStep) {
		worst = max(worst, r.MaxRelErr)
	}
	if worst < 20*gradCheckTol {
		t.Fatalf("a backward pass missing a factor gives a largest relative error of only %.3g", worst)
	}
	t.Logf("largest relative error with the wrong backward: %.3g", worst)
}
