package nn

import (
	"math"
	"slices"
	"testing"
)

// TestCosineDecay checks the schedule's ends, its middle and that it falls every epoch.
func TestCosineDecay(t *testing.T) {
	for _, epochs := range []int{1, 2, 7, 8, 100} {
		if f := CosineDecay(1, epochs); f != 1 {
			t.Errorf("CosineDecay(1, %d) = %g, want 1", epochs, f)
		}
		prev := math.Inf(1)
		for ep := 1; ep <= epochs; ep++ {
			f := CosineDecay(ep, epochs)
			want := (1 + math.Cos(math.Pi*float64(ep-1)/float64(epochs))) / 2
			if math.Abs(f-want) > 1e-15 || !(f > 0) || !(f < prev) {
				t.Errorf("CosineDecay(%d, %d) = %g, want %g, in (0, %g)", ep, epochs, f, want, prev)
			}
			prev = f
		}
		if epochs%2 == 0 {
			if f := CosineDecay(epochs/2+1, epochs); math.Abs(f-0.5) > 1e-15 {
				t.Errorf("CosineDecay(%d, %d) = %g, want 0.5", epochs/2+1, epochs, f)
			}
		}
	}
}

// TestStepDecay checks StepDecay's factors and its panics.
func TestStepDecay(t *testing.T) {
	s := StepDecay(2, 0.5)
	var got []float64
	for ep := 1; ep <= 6; ep++ {
		got = append(got, s(ep, 6))
	}
	if want := []float64{1, 1, 0.5, 0.5, 0.25, 0.25}; !slices.Equal(got, want) {
		t.Errorf("StepDecay(2, 0.5) over 6 epochs = %v, want %v", got, want)
	}
	mustPanic(t, func() { StepDecay(0, 0.5) }, "nn.StepDecay", "every 0")
	mustPanic(t, func() { StepDecay(1, -0.5) }, "nn.StepDecay", "gamma -0.5")
	mustPanic(t, func() { StepDecay(1, math.NaN()) }, "nn.StepDecay", "gamma NaN")
	mustPanic(t, func() { StepDecay(1, math.Inf(1)) }, "nn.StepDecay", "gamma +Inf")
}

// TestFitSchedule checks that Fit sets every optimizer's learning rate to base*factor before each
// epoch (the rate OnEpoch reports), that the optimizer steps with it (a factor of 0 leaves the
// weights as they were), and that the rate is back to base when Fit returns; in epochs and in
// sampled iterations.
func TestFitSchedule(t *testing.T) {
	x, y := blobs(200, 1)
	opts := []func() Optimizer{
		func() Optimizer { return NewSGD(0.1) }, func() Optimizer { return NewMomentum(0.05, 0.9) },
		func() Optimizer { return NewNesterov(0.05, 0.9) }, func() Optimizer { return NewAdaGrad(0.1) },
		func() Optimizer { return NewRMSProp(0.01, 0.99) }, func() Optimizer { return NewAdam(0.01) },
	}
	for _, newOpt := range opts {
		t.Run(newOpt().Name(), func(t *testing.T) {
			for _, cfg := range []FitConfig{{BatchSize: 50, Epochs: 5, Seed: 2}, {BatchSize: 50, Iterations: 18, Seed: 2}} {
				opt := newOpt()
				base := opt.(LearningRater).LearningRate()
				m := smallNet(3, NewReLU())
				var lrs []float32
				cfg.Schedule = StepDecay(2, 0.1)
				cfg.OnEpoch = func(e EpochInfo) { lrs = append(lrs, e.LearningRate) }
				NewTrainer(m, NewSoftmaxCrossEntropy(), opt).Fit(x, Labels(y), cfg)
				want := []float32{base, base, float32(float64(base) * 0.1), float32(float64(base) * 0.1), float32(float64(base) * 0.01)}
				if !slices.Equal(lrs, want) {
					t.Errorf("iterations %d: learning rates %v, want %v", cfg.Iterations, lrs, want)
				}
				if got := opt.(LearningRater).LearningRate(); got != base {
					t.Errorf("iterations %d: learning rate %g after Fit, want %g", cfg.Iterations, got, base)
				}
			}
			// A factor of 0 from the second epoch on: the weights after 3 epochs are those after 1
			// (but for Momentum and Nesterov, whose velocity holds earlier rates and keeps moving).
			weights := func(epochs int, s Schedule) []float32 {
				m := smallNet(3, NewReLU())
				NewTrainer(m, NewSoftmaxCrossEntropy(), newOpt()).Fit(x, Labels(y), FitConfig{BatchSize: 50, Epochs: epochs, Seed: 2, Schedule: s})
				var w []float32
				for _, p := range m.Params() {
					w = append(w, p.Value.Data...)
				}
				return w
			}
			one, frozen, moved := weights(1, nil), weights(3, StepDecay(1, 0)), weights(3, StepDecay(1, 1))
			switch newOpt().(type) {
			case *Momentum, *Nesterov:
				if slices.Equal(frozen, moved) {
					t.Errorf("factors of 0 and 1 after the first epoch gave the same weights")
				}
			default:
				if !slices.Equal(frozen, one) {
					t.Errorf("a factor of 0 after the first epoch changed the weights")
				}
			}
			if slices.Equal(moved, one) {
				t.Errorf("a factor of 1 left the weights of the first epoch")
			}
		})
	}
}

// fixedStep is an Optimizer without a settable learning rate.
type fixedStep struct{}

func (fixedStep) Step([]*Param) {}
func (fixedStep) Name() string  { return "fixedStep" }

// TestFitSchedulePanics checks the panics of a schedule Fit cannot follow.
func TestFitSchedulePanics(t *testing.T) {
	x, y := blobs(100, 1)
	fit := func(opt Optimizer, s Schedule) func() {
		return func() {
			NewTrainer(smallNet(3, NewReLU()), NewSoftmaxCrossEntropy(), opt).Fit(x, Labels(y), FitConfig{Epochs: 3, Schedule: s})
		}
	}
	mustPanic(t, fit(fixedStep{}, CosineDecay), "nn.Trainer.Fit", "LearningRater", "fixedStep")
	opt := NewAdam(0.01)
	mustPanic(t, fit(opt, func(ep, _ int) float64 { return 2 - float64(ep) }), "nn.Trainer.Fit", "factor -1 for epoch 3 of 3")
	if got := opt.LearningRate(); got != 0.01 {
		t.Errorf("learning rate %g after Fit panicked, want it restored to 0.01", got)
	}
	mustPanic(t, fit(NewSGD(0.1), func(int, int) float64 { return math.NaN() }), "nn.Trainer.Fit", "factor NaN for epoch 1")
	mustPanic(t, fit(NewSGD(0.1), func(int, int) float64 { return math.Inf(1) }), "nn.Trainer.Fit", "factor +Inf")
}
