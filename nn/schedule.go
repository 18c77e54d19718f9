package nn

import (
	"fmt"
	"math"
)

// A Schedule scales the learning rate epoch by epoch: with FitConfig.Schedule set, Fit sets the
// optimizer's learning rate to base*s(epoch, epochs) before each epoch, epoch counting from 1 to
// epochs, base being the rate the optimizer had when Fit was called (and has again when Fit
// returns). A factor must be finite and not negative. CosineDecay and StepDecay are the usual
// ones; any func of this type will do.
type Schedule func(epoch, epochs int) float64

// CosineDecay anneals the learning rate to zero along a half cosine over the run, one step per
// epoch: 0.5*(1 + cos(pi*(epoch-1)/epochs)), so 1 for the first epoch and about
// (pi/(2*epochs))^2 for the last (PyTorch's CosineAnnealingLR with T_max the epochs and eta_min
// 0, stepped after every epoch).
func CosineDecay(epoch, epochs int) float64 {
	if epochs <= 0 {
		return 1
	}
	return 0.5 * (1 + math.Cos(math.Pi*float64(epoch-1)/float64(epochs)))
}

// StepDecay returns the schedule gamma^floor((epoch-1)/every): the learning rate times gamma every
// every epochs (PyTorch's StepLR with step_size every). It panics unless every >= 1 and gamma is
// finite and not negative.
func StepDecay(every int, gamma float64) Schedule {
	if every < 1 || !(gamma >= 0) || math.IsInf(gamma, 1) {
		panic(fmt.Sprintf("nn.StepDecay: every %d, gamma %g: need every >= 1 and a finite gamma >= 0", every, gamma))
	}
	return func(epoch, _ int) float64 { return math.Pow(gamma, float64((epoch-1)/every)) }
}

// LearningRater is an Optimizer whose learning rate can be read and changed between steps, as a
// Schedule needs. Every optimizer of this package is one: LearningRate and SetLearningRate read
// and write its LR field.
type LearningRater interface {
	LearningRate() float32
	SetLearningRate(lr float32)
}

// LearningRate implements LearningRater.
func (o *SGD) LearningRate() float32 { return o.LR }

// SetLearningRate implements LearningRater.
func (o *SGD) SetLearningRate(lr float32) { o.LR = lr }

// LearningRate implements LearningRater.
func (o *Momentum) LearningRate() float32 { return o.LR }

// SetLearningRate implements LearningRater.
func (o *Momentum) SetLearningRate(lr float32) { o.LR = lr }

// LearningRate implements LearningRater.
func (o *Nesterov) LearningRate() float32 { return o.LR }

// SetLearningRate implements LearningRater.
func (o *Nesterov) SetLearningRate(lr float32) { o.LR = lr }

// LearningRate implements LearningRater.
func (o *AdaGrad) LearningRate() float32 { return o.LR }

// SetLearningRate implements LearningRater.
func (o *AdaGrad) SetLearningRate(lr float32) { o.LR = lr }

// LearningRate implements LearningRater.
func (o *RMSProp) LearningRate() float32 { return o.LR }

// SetLearningRate implements LearningRater.
func (o *RMSProp) SetLearningRate(lr float32) { o.LR = lr }

// LearningRate implements LearningRater.
func (o *Adam) LearningRate() float32 { return o.LR }

// SetLearningRate implements LearningRater.
func (o *Adam) SetLearningRate(lr float32) { o.LR = lr }

// scheduler applies a FitConfig's Schedule to a Trainer's optimizer during Fit.
type scheduler struct {
	s      Schedule
	opt    LearningRater
	base   float32
	epochs int
}

// newScheduler checks that opt can follow s and returns the scheduler; nil when s is nil.
func newScheduler(s Schedule, opt Optimizer, epochs int) *scheduler {
	if s == nil {
		return nil
	}
	lr, ok := opt.(LearningRater)
	if !ok {
		panic(fmt.Sprintf("nn.Trainer.Fit: FitConfig.Schedule needs an optimizer whose learning rate can be set (a LearningRater); %s (%T) is not one", opt.Name(), opt))
	}
	return &scheduler{s: s, opt: lr, base: lr.LearningRate(), epochs: epochs}
}

// start sets the learning rate of epoch ep.
func (s *scheduler) start(ep int) {
	f := s.s(ep, s.epochs)
	if !(f >= 0) || math.IsInf(f, 1) {
		panic(fmt.Sprintf("nn.Trainer.Fit: FitConfig.Schedule gave the factor %g for epoch %d of %d; it must be finite and not negative", f, ep, s.epochs))
	}
	s.opt.SetLearningRate(float32(float64(s.base) * f))
}

// restore sets the learning rate back to the one Fit was called with.
func (s *scheduler) restore() { s.opt.SetLearningRate(s.base) }
