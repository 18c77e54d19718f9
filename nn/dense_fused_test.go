package nn

import (
	"fmt"
	"math"
	"testing"

	"github.com/lanesimd/lanes/kernels"
)

// activations returns a new layer of every activation kind that takes part in the Dense fusion
// or runs after a Dense without it.
func activations() []func() Layer {
	return []func() Layer{
		func() Layer { return NewReLU() },
		func() Layer { return NewSigmoid() },
		func() Layer { return NewTanh() },
		func() Layer { return NewGELU() },
		func() Layer { return NewGELUTanh() },
		func() Layer { return NewSiLU() },
		func() Layer { return NewSoftplus() },
		func() Layer { return NewLeakyReLU(0.1) },
		func() Layer { return NewELU(0.8) },
	}
}

// closeTo fails unless got and want agree within the rounding of a float32 product of k terms of
// magnitude about 1 (relative to the values, absolute near 0).
func closeTo(t *testing.T, what string, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i, v := range want {
		if d := math.Abs(float64(got[i]) - float64(v)); !(d <= 2e-5*max(1, math.Abs(float64(v)))) {
			t.Fatalf("%s: element %d is %g, unfused %g (difference %g)", what, i, got[i], v, d)
		}
	}
}

// fusedModel is Dense(37, 45), the activation, Dense(45, 6), optionally with the activation last.
func fusedModel(act Layer, last bool) *Sequential {
	rng := NewRand(21)
	d := NewDense(37, 45, XavierNormal, rng)
	for j := range d.B.Value.Data {
		d.B.Value.Data[j] = 0.1 * float32(j%9-4)
	}
	if last {
		return NewSequential(d, act)
	}
	return NewSequential(d, act, NewDense(45, 6, XavierNormal, rng))
}

// TestDenseActFusedMatchesUnfused: a Dense followed by each activation gives the same outputs,
// input gradient and parameter gradients in training (Forward, Backward), and the same
// predictions, with the fusions on as with them off, within the rounding of the products. It
// also checks which pairs fused: the Dense layer's own output is left without values exactly
// when its activation ran in its product.
func TestDenseActFusedMatchesUnfused(t *testing.T) {
	defer func() { fuseLayers = true }()
	for _, mk := range activations() {
		for _, last := range []bool{false, true} {
			for _, rows := range []int{1, 5, 130} {
				name := fmt.Sprintf("%s/last=%v/rows=%d", mk().Name(), last, rows)
				run := func(fuse bool) (y, pred, dx []float32, grads [][]float32, fusedTrain bool) {
					fuseLayers = fuse
					m := fusedModel(mk(), last)
					x := randMatrix(NewRand(uint64(rows)), rows, 37, -2, 2)
					out := m.Forward(x, true)
					y = out.Clone().Data
					fusedTrain = len(m.Layers[0].(*Dense).y.m.Data) == 0
					dout := randMatrix(NewRand(9), out.Rows, out.Cols, -1, 1)
					dx = m.Backward(dout).Clone().Data
					for _, p := range m.Params() {
						grads = append(grads, p.Grad.Clone().Data)
					}
					return y, m.Predict(x).Data, dx, grads, fusedTrain
				}
				y0, p0, dx0, g0, f0 := run(false)
				y1, p1, dx1, g1, f1 := run(true)
				_, _, fromOutput, ok := linearActOf(mk())
				if f0 || f1 != (ok && fromOutput) {
					t.Fatalf("%s: fused in training with the fusions off: %v, on: %v; want false, %v", name, f0, f1, ok && fromOutput)
				}
				closeTo(t, name+": Forward", y1, y0)
				closeTo(t, name+": Predict", p1, p0)
				closeTo(t, name+": Predict against Forward", p1, y0)
				closeTo(t, name+": dx", dx1, dx0)
				for i := range g0 {
					closeTo(t, fmt.Sprintf("%s: gradient %d", name, i), g1[i], g0[i])
				}
			}
		}
	}
}

// TestDenseActFusedValues pins the fused products against a float64 evaluation of
// act(x*W + b), so that an activation applied wrongly in both paths is caught too.
func TestDenseActFusedValues(t *testing.T) {
	f64 := map[string]func(float64) float64{
		"ReLU":    func(v float64) float64 { return math.Max(v, 0) },
		"Sigmoid": func(v float64) float64 { return 1 / (1 + math.Exp(-v)) },
		"Tanh":    math.Tanh,
		"GELU":    func(v float64) float64 { return 0.5 * v * (1 + math.Erf(v/math.Sqrt2)) },
		"SiLU":    func(v float64) float64 { return v / (1 + math.Exp(-v)) },
	}
	for _, mk := range activations() {
		act := mk()
		f, ok := f64[act.Name()]
		if !ok {
			continue
		}
		m := fusedModel(act, true)
		d := m.Layers[0].(*Dense)
		x := randMatrix(NewRand(3), 9, 37, -2, 2)
		want := make([]float32, 9*45)
		for i := range 9 {
			for j := range 45 {
				s := float64(d.B.Value.Data[j])
				for k := range 37 {
					s += float64(x.At(i, k)) * float64(d.W.Value.At(k, j))
				}
				want[i*45+j] = float32(f(s))
			}
		}
		closeTo(t, act.Name()+": Forward", m.Forward(x, true).Data, want)
		closeTo(t, act.Name()+": Predict", m.Predict(x).Data, want)
	}
}

// TestDenseActPlan: which layers fuse, in training and in inference.
func TestDenseActPlan(t *testing.T) {
	rng := NewRand(1)
	dense := func() *Dense { return NewDense(4, 4, nil, rng) }
	type embedded struct{ ReLU } // a type of its own: never fused
	cases := []struct {
		layers []Layer
		train  int // fusedAt(layers, 0)
		steps  int // inference steps
	}{
		{[]Layer{dense(), NewReLU()}, fuseDenseAct, 1},
		{[]Layer{dense(), NewSigmoid(), dense()}, fuseDenseAct, 2},
		{[]Layer{dense(), NewTanh(), dense(), NewTanh()}, fuseDenseAct, 2},
		{[]Layer{dense(), NewGELU()}, fuseDenseAct, 1}, // the product keeps the input (LinearPre)
		{[]Layer{dense(), NewSiLU()}, fuseDenseAct, 1}, // likewise
		{[]Layer{dense(), NewGELUTanh()}, fuseNone, 2}, // not an activation of kernels.Linear
		{[]Layer{dense(), NewSoftplus()}, fuseNone, 2},
		{[]Layer{dense(), NewLeakyReLU(0.1)}, fuseNone, 2},
		{[]Layer{dense(), NewELU(1)}, fuseNone, 2},
		{[]Layer{dense(), NewSoftmax()}, fuseNone, 2},
		{[]Layer{dense(), NewDropout(0.5, nil), NewReLU()}, fuseNone, 1}, // Dropout is skipped in inference
		{[]Layer{dense(), NewIdentity(), NewIdentity(), NewTanh(), dense()}, fuseNone, 2},
		{[]Layer{dense(), &embedded{}}, fuseNone, 2},
		{[]Layer{dense(), NewBatchNorm(4, 0.9, 1e-5), NewReLU()}, fuseNone, 3},
		{[]Layer{dense()}, fuseNone, 1},
		{[]Layer{NewReLU(), dense()}, fuseNone, 2},
	}
	for _, c := range cases {
		m := NewSequential(c.layers...)
		if got := fusedAt(m.Layers, 0); got != c.train {
			t.Errorf("%s: fusedAt(0) = %d, want %d", m, got, c.train)
		}
		run, widths, ok := m.plan(4)
		if !ok || len(run) != c.steps || len(widths) != c.steps+1 || widths[c.steps] != 4 {
			t.Errorf("%s: inference plan of %d steps (widths %v, ok %v), want %d", m, len(run), widths, ok, c.steps)
		}
	}
	// A ReLU between a Dense and a MaxPool2D goes with the pooling (a Dense's output is C x 1 x 1).
	m, err := Build(Shape{1, 4, 4}, NewFlatten(), NewDense(16, 16, nil, rng), NewReLU(), NewMaxPool2D(1, 1))
	if err != nil {
		t.Fatal(err)
	}
	if got, got2 := fusedAt(m.Layers, 1), fusedAt(m.Layers, 2); got != fuseNone || got2 != fuseReLUPool {
		t.Fatalf("%s: fusedAt(1) = %d, fusedAt(2) = %d, want %d, %d", m, got, got2, fuseNone, fuseReLUPool)
	}
	x := randMatrix(rng, 3, 16, -1, 1)
	y := m.Forward(x, true).Clone()
	closeTo(t, "Dense, ReLU, MaxPool2D: Predict against Forward", m.Predict(x).Data, y.Data)
	m.Backward(randMatrix(rng, y.Rows, y.Cols, -1, 1))
}

// TestDenseActInferPanics: a fused step names both layers and the shapes when misused.
func TestDenseActInferPanics(t *testing.T) {
	d := NewDense(3, 4, nil, nil)
	f := &denseAct{Dense: d, act: kernels.ActReLU, next: NewReLU()}
	mustPanic(t, func() { f.Infer(NewMatrix(2, 4), NewMatrix(2, 5)) }, "Dense(3, 4) -> ReLU", "Infer", "want 3 columns")
	mustPanic(t, func() { f.Infer(NewMatrix(2, 3), NewMatrix(2, 3)) }, "Dense(3, 4) -> ReLU", "y is 2x3", "want 2x4")
	m := NewSequential(d, NewReLU())
	mustPanic(t, func() { m.Forward(NewMatrix(2, 5), true) }, "Dense(3, 4).Forward", "want 3 columns")
}

// TestDenseActBackwardBeforeForward: the fused pair's Backward panics like the layers' own when
// no Forward ran, and checks the shape of dout against the fused output.
func TestDenseActBackwardBeforeForward(t *testing.T) {
	m := NewSequential(NewDense(3, 4, nil, nil), NewReLU())
	mustPanic(t, func() { m.Backward(NewMatrix(2, 4)) }, "ReLU.Backward", "before Forward")
	m.Forward(NewMatrix(2, 3), true)
	mustPanic(t, func() { m.Backward(NewMatrix(3, 4)) }, "ReLU.Backward", "dout is 3x4", "2x4")
	if dx := m.Backward(NewMatrix(2, 4)); dx.Rows != 2 || dx.Cols != 3 {
		t.Fatalf("dx is %s, want 2x3", dx.Shape())
	}
}

// TestDenseActGradCheck runs the exported GradCheck over models whose Dense layers are fused with
// their activations (in training: ReLU, Sigmoid, Tanh; GELU and SiLU after the Dense's product),
// on every ISA path this machine supports.
func TestDenseActGradCheck(t *testing.T) {
	prev := kernels.ISA()
	defer kernels.SetISA(prev)
	for _, isa := range kernels.SupportedISAs() {
		if err := kernels.SetISA(isa); err != nil {
			t.Fatal(err)
		}
		rng := NewRand(12)
		m := NewSequential(
			NewDense(5, 7, XavierNormal, rng), NewSigmoid(),
			NewDense(7, 6, XavierNormal, rng), NewGELU(),
			NewDense(6, 6, XavierNormal, rng), NewTanh(),
			NewDense(6, 5, XavierNormal, rng), NewSiLU(),
			NewDense(5, 4, XavierNormal, rng),
		)
		x := randMatrix(rng, 4, 5, -1, 1)
		gradCheckModel(t, isa, m, x, []int{0, 3, 1, 2})
		// ReLU: a batch of one whose pre-activations the biases keep at least 0.2 away from the
		// kink, so that no probe of the central difference crosses it.
		d := NewDense(5, 8, XavierNormal, rng)
		x = randMatrix(rng, 1, 5, -1, 1)
		z := d.Forward(x, true).Clone()
		for j, v := range z.Data {
			if math.Abs(float64(v)) < 0.2 {
				d.B.Value.Data[j] += float32(math.Copysign(0.2, float64(v)))
			}
		}
		m = NewSequential(d, NewReLU(), NewDense(8, 3, XavierNormal, rng))
		gradCheckModel(t, isa+" ReLU", m, x, []int{2})
	}
}

func gradCheckModel(t *testing.T, what string, m *Sequential, x *Matrix, labels []int) {
	t.Helper()
	res := GradCheck(m, NewSoftmaxCrossEntropy(), x, Labels(labels), gradStep)
	if len(res) != len(m.Params())+1 {
		t.Fatalf("%s: %d results for %d parameters and the input", what, len(res), len(m.Params()))
	}
	for _, r := range res {
		t.Logf("%s: %s", what, r)
		if !(r.MaxRelErr <= gradCheckTol) {
			t.Errorf("%s: %s exceeds %g", what, r, gradCheckTol)
		}
	}
}

// TestDenseActStepNoAllocs: a training step through every fused pair and every new activation
// allocates nothing after the first.
func TestDenseActStepNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts do not hold under the race detector")
	}
	x, y := blobs(64, 1)
	rng := NewRand(1)
	m := NewSequential(
		NewDense(2, 12, HeNormal, rng), NewReLU(), NewDense(12, 12, HeNormal, rng), NewSigmoid(),
		NewDense(12, 12, HeNormal, rng), NewTanh(), NewDense(12, 12, HeNormal, rng), NewGELU(),
		NewDense(12, 12, HeNormal, rng), NewGELUTanh(), NewSiLU(), NewSoftplus(), NewDense(12, 3, HeNormal, rng),
	)
	tr := NewTrainer(m, NewSoftmaxCrossEntropy(), NewAdam(1e-3))
	xb, yb := x.Slice(0, 32), Labels(y[:32])
	if a := allocsPerRun(20, func() { tr.Step(xb, yb) }); a != 0 {
		t.Errorf("%v allocations per step", a)
	}
}
