package nn

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestOptimizerSteps runs two steps of every optimizer on w = [1, -2] with gradients
// g1 = [0.5, 0.25] then g2 = [-0.5, 1] and compares w after each step with values computed by
// hand (in float64, from the update rules in optim.go):
//
//	Momentum lr 0.1, m 0.9: v1 = -0.1*g1 = [-0.05, -0.025], w1 = [0.95, -2.025];
//	  v2 = 0.9*v1 - 0.1*g2 = [0.005, -0.1225], w2 = [0.955, -2.1475].
//	Nesterov: w1 = w0 + 0.9*v1 - 0.1*g1 = [0.905, -2.0475]; w2 = w1 + 0.9*v2 - 0.1*g2 = [0.9595, -2.25775].
//	AdaGrad lr 0.1: h1 = g1^2, w1 = w0 - 0.1*g1/(|g1|+1e-7) = [0.90000002, -2.09999996];
//	  h2 = [0.5, 1.0625], w2 = w1 - 0.1*g2/sqrt(h2) = [0.97071069, -2.19701420].
//	RMSProp lr 0.1, decay 0.99: h1 = 0.01*g1^2, w1 = w0 - 0.1*g1/(0.1*|g1|) = [0.000002, -2.999996];
//	  h2 = 0.99*h1 + 0.01*g2^2, w2 = [0.70888220, -3.97042302].
//	Adam lr 0.1: the first step is lr*sign(g1): w1 = [0.9, -2.1]; then m2 = 0.9*0.1*g1 + 0.1*g2,
//	  v2 = 0.999*0.001*g1^2 + 0.001*g2^2, corrected by 1-0.9^2 and 1-0.999^2: w2 = [0.90526316, -2.18843764].
func TestOptimizerSteps(t *testing.T) {
	cases := []struct {
		opt    Optimizer
		w1, w2 [2]float64
	}{
		{NewSGD(0.1), [2]float64{0.95, -2.025}, [2]float64{1.0, -2.125}},
		{NewMomentum(0.1, 0.9), [2]float64{0.95, -2.025}, [2]float64{0.955, -2.1475}},
		{NewNesterov(0.1, 0.9), [2]float64{0.905, -2.0475}, [2]float64{0.9595, -2.25775}},
		{NewAdaGrad(0.1), [2]float64{0.90000002, -2.09999996}, [2]float64{0.97071069, -2.19701420}},
		{NewRMSProp(0.1, 0.99), [2]float64{0.000002, -2.999996}, [2]float64{0.70888220, -3.97042302}},
		{NewAdam(0.1), [2]float64{0.900000002, -2.099999996}, [2]float64{0.90526316, -2.18843764}},
	}
	for _, c := range cases {
		t.Run(c.opt.Name(), func(t *testing.T) {
			p := &Param{Name: "w", Value: FromSlice(1, 2, []float32{1, -2}), Grad: NewMatrix(1, 2)}
			for step, g := range [][]float32{{0.5, 0.25}, {-0.5, 1}} {
				copy(p.Grad.Data, g)
				c.opt.Step([]*Param{p})
				want := c.w1
				if step == 1 {
					want = c.w2
				}
				for i, v := range p.Value.Data {
					if d := math.Abs(float64(v) - want[i]); d > 1e-6*math.Max(1, math.Abs(want[i])) {
						t.Errorf("step %d: w[%d] = %.9g, want %.9g", step+1, i, v, want[i])
					}
				}
			}
		})
	}
}

// TestOptimizerSplitSameResults: every optimizer that splits its steps itself (Adam and RMSProp
// leave it to kernels.AdamUpdate, tested there), its steps split over 1 to 3 goroutines into
// parts that begin inside a parameter (a grain of 48 elements over parameters of 1000, 37, 5000
// and 3 elements, the first and third with weight decay), leaves the parameters bit-identical to
// the same steps in one pass (after three steps, each of which reads the state the last one left).
func TestOptimizerSplitSameResults(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	defer func(g int) { optimGrain = g }(optimGrain)
	sizes := []int{1000, 37, 5000, 3}
	makers := []func() Optimizer{
		func() Optimizer { o := NewSGD(0.1); o.Lambda = 0.01; return o },
		func() Optimizer { o := NewMomentum(0.1, 0.9); o.Lambda = 0.01; return o },
		func() Optimizer { o := NewNesterov(0.1, 0.9); o.Lambda = 0.01; return o },
		func() Optimizer { o := NewAdaGrad(0.1); o.Lambda = 0.01; return o },
	}
	run := func(mk func() Optimizer, procs, grain int) ([]*Param, Optimizer) {
		runtime.GOMAXPROCS(procs)
		optimGrain = grain
		rng := rand.New(rand.NewPCG(1, 2))
		var params []*Param
		for i, n := range sizes {
			p := &Param{Value: NewMatrix(1, n), Grad: NewMatrix(1, n), Decay: i%2 == 0}
			for j := range p.Value.Data {
				p.Value.Data[j] = float32(rng.NormFloat64())
			}
			params = append(params, p)
		}
		o := mk()
		for range 3 {
			for _, p := range params {
				for j := range p.Grad.Data {
					p.Grad.Data[j] = float32(rng.NormFloat64())
				}
			}
			o.Step(params)
		}
		return params, o
	}
	for _, mk := range makers {
		want, _ := run(mk, 1, 1<<30)
		for procs := 2; procs <= 3; procs++ {
			got, o := run(mk, procs, 48)
			if s := o.(interface{ splitState() *paramSplit }).splitState(); s == nil {
				t.Errorf("%s on %d goroutines: the steps were not split", o.Name(), procs)
			}
			for i := range want {
				for j, v := range want[i].Value.Data {
					if g := got[i].Value.Data[j]; math.Float32bits(g) != math.Float32bits(v) {
						t.Fatalf("%s on %d goroutines: parameter %d element %d = %g, want %g as in one pass", o.Name(), procs, i, j, g, v)
					}
				}
			}
			if !raceEnabled {
				if a := allocsPerRun(5, func() { o.Step(got) }); a != 0 {
					t.Errorf("%s on %d goroutines: %v allocations per split step", o.Name(), procs, a)
				}
			}
		}
	}
}

// TestWeightDecay: SGD lr 0.1 with lambda 0.1 on w = [1, -2], g = [0.5, 0.25] uses the gradient
// g + 0.1*w = [0.6, 0.05]: w = [0.94, -2.005]. A parameter without Decay (a bias) is not decayed.
func TestWeightDecay(t *testing.T) {
	o := NewSGD(0.1)
	o.Lambda = 0.1
	w := &Param{Name: "w", Value: FromSlice(1, 2, []float32{1, -2}), Grad: FromSlice(1, 2, []float32{0.5, 0.25}), Decay: true}
	b := &Param{Name: "b", Value: FromSlice(1, 2, []float32{1, -2}), Grad: FromSlice(1, 2, []float32{0.5, 0.25})}
	o.Step([]*Param{w, b})
	for i, want := range []float64{0.94, -2.005} {
		if d := math.Abs(float64(w.Value.Data[i]) - want); d > 1e-6 {
			t.Errorf("decayed w[%d] = %.9g, want %g", i, w.Value.Data[i], want)
		}
	}
	for i, want := range []float64{0.95, -2.025} {
		if d := math.Abs(float64(b.Value.Data[i]) - want); d > 1e-6 {
			t.Errorf("undecayed b[%d] = %.9g, want %g", i, b.Value.Data[i], want)
		}
	}
}

// TestOptimizerParamCountChange: a stateful optimizer given other parameters than before panics.
func TestOptimizerParamCountChange(t *testing.T) {
	o := NewAdam(0)
	p := &Param{Name: "w", Value: NewMatrix(1, 2), Grad: NewMatrix(1, 2)}
	o.Step([]*Param{p})
	mustPanic(t, func() { o.Step([]*Param{p, p}) }, "nn.Adam.Step", "2 parameters", "earlier with 1")
}

func TestOptimizerDefaults(t *testing.T) {
	if o := NewAdam(0); o.LR != 0.001 || o.Beta1 != 0.9 || o.Beta2 != 0.999 || o.Eps != 1e-8 {
		t.Errorf("Adam defaults %+v", *o)
	}
	if o := NewSGD(0); o.LR != 0.01 {
		t.Errorf("SGD default lr %g", o.LR)
	}
	if o := NewRMSProp(0, 0); o.LR != 0.01 || o.Decay != 0.99 {
		t.Errorf("RMSProp defaults %+v", *o)
	}
	if o := NewMomentum(0, 0); o.LR != 0.01 || o.Momentum != 0.9 {
		t.Errorf("Momentum defaults %+v", *o)
	}
}

// TestInitializers: each initializer's sample standard deviation is within 3% of its formula
// (200,000 draws), and the uniform ones stay within their bound.
func TestInitializers(t *testing.T) {
	const in, out = 400, 500
	cases := []struct {
		init    Initializer
		std     float64
		uniform bool
	}{
		{XavierNormal, math.Sqrt(2.0 / (in + out)), false},
		{XavierUniform, math.Sqrt(2.0 / (in + out)), true},
		{HeNormal, math.Sqrt(2.0 / in), false},
		{HeUniform, math.Sqrt(2.0 / in), true},
		{LeCunNormal, math.Sqrt(1.0 / in), false},
		{FixedStd(0.01), 0.01, false},
	}
	for _, c := range cases {
		w := make([]float32, in*out)
		c.init.Init(w, in, out, NewRand(1))
		var s, s2 float64
		for _, v := range w {
			s += float64(v)
			s2 += float64(v) * float64(v)
			if c.uniform && math.Abs(float64(v)) > c.std*math.Sqrt(3)*(1+1e-6) {
				t.Fatalf("%s: %g outside the uniform bound %g", c.init, v, c.std*math.Sqrt(3))
			}
		}
		n := float64(len(w))
		mean := s / n
		std := math.Sqrt(s2/n - mean*mean)
		if math.Abs(std/c.std-1) > 0.03 || math.Abs(mean) > 0.01*c.std {
			t.Errorf("%s: mean %.3g, std %.4g, want 0 and %.4g", c.init, mean, std, c.std)
		}
	}
}

// splitState returns the optimizer's split scratch, made by its first step split over goroutines.
func (o *SGD) splitState() *paramSplit      { return o.split }
func (o *Momentum) splitState() *paramSplit { return o.split }
func (o *Nesterov) splitState() *paramSplit { return o.split }
func (o *AdaGrad) splitState() *paramSplit  { return o.split }
