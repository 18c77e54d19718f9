package nn

import (
	"fmt"
	"math"

	"github.com/lanesimd/lanes/kernels"
)

// Optimizer updates parameters from their gradients. Step is called once per training iteration
// with the model's parameters (always the same ones, in the same order); stateful optimizers
// allocate their state on the first call only. An optimizer is single-owner: Step changes the
// parameters and the optimizer's state, so it must not run while anything else uses the model.
type Optimizer interface {
	Step(params []*Param)
	Name() string
}

// The defaults of the constructors below are those of the classic curriculum and Keras:
// learning rates 0.01 (SGD, Momentum, Nesterov, AdaGrad, RMSProp) and 0.001 (Adam), momentum 0.9,
// RMSProp decay 0.99, Adam betas 0.9 and 0.999, epsilon 1e-7 (AdaGrad, RMSProp) and 1e-8 (Adam).
const (
	DefaultLR       = 0.01
	DefaultAdamLR   = 0.001
	DefaultMomentum = 0.9
)

// WeightDecay is L2 regularisation shared by every optimizer: a loss term Lambda/2*|W|^2 for the
// parameters with Decay set (Dense weights), that is Lambda*W added to their gradient before the
// update. Lambda 0 (the default) disables it.
type WeightDecay struct{ Lambda float32 }

// decay adds Lambda*W to the gradient of each decayed parameter.
func (w WeightDecay) decay(params []*Param) {
	if w.Lambda == 0 {
		return
	}
	for _, p := range params {
		if p.Decay {
			kernels.Axpy(w.Lambda, p.Value.Data, p.Grad.Data)
		}
	}
}

// state returns per-parameter state slices (n per parameter), allocated on the first call.
func state(s *[][]float32, params []*Param, n int, fn string) [][]float32 {
	if len(*s) == 0 {
		for _, p := range params {
			for range n {
				*s = append(*s, make([]float32, len(p.Value.Data)))
			}
		}
	}
	if len(*s) != n*len(params) {
		panic(fmt.Sprintf("nn.%s.Step: called with %d parameters, earlier with %d", fn, len(params), len(*s)/n))
	}
	return *s
}

// SGD is plain gradient descent: W -= LR*g.
type SGD struct {
	LR float32
	WeightDecay
}

// NewSGD returns SGD with learning rate lr (0: DefaultLR).
func NewSGD(lr float32) *SGD { return &SGD{LR: orDefault(lr, DefaultLR)} }

// Name implements Optimizer.
func (o *SGD) Name() string { return fmt.Sprintf("SGD(lr %g)", o.LR) }

// Step implements Optimizer.
func (o *SGD) Step(params []*Param) {
	o.decay(params)
	for _, p := range params {
		kernels.Axpy(-o.LR, p.Grad.Data, p.Value.Data)
	}
}

// Momentum is gradient descent with momentum: v = Momentum*v - LR*g; W += v.
type Momentum struct {
	LR, Momentum float32
	WeightDecay
	v [][]float32
}

// NewMomentum returns Momentum with learning rate lr and momentum mom (0: the defaults).
func NewMomentum(lr, mom float32) *Momentum {
	return &Momentum{LR: orDefault(lr, DefaultLR), Momentum: orDefault(mom, DefaultMomentum)}
}

// Name implements Optimizer.
func (o *Momentum) Name() string {
	return fmt.Sprintf("Momentum(lr %g, momentum %g)", o.LR, o.Momentum)
}

// Step implements Optimizer.
func (o *Momentum) Step(params []*Param) {
	o.decay(params)
	v := state(&o.v, params, 1, "Momentum")
	for i, p := range params {
		kernels.Scale(o.Momentum, v[i], v[i])
		kernels.Axpy(-o.LR, p.Grad.Data, v[i])
		kernels.Axpy(1, v[i], p.Value.Data)
	}
}

// Nesterov is Nesterov's accelerated gradient in the form Keras and PyTorch use:
// v = Momentum*v - LR*g; W += Momentum*v - LR*g.
type Nesterov struct {
	LR, Momentum float32
	WeightDecay
	v [][]float32
}

// NewNesterov returns Nesterov with learning rate lr and momentum mom (0: the defaults).
func NewNesterov(lr, mom float32) *Nesterov {
	return &Nesterov{LR: orDefault(lr, DefaultLR), Momentum: orDefault(mom, DefaultMomentum)}
}

// Name implements Optimizer.
func (o *Nesterov) Name() string {
	return fmt.Sprintf("Nesterov(lr %g, momentum %g)", o.LR, o.Momentum)
}

// Step implements Optimizer.
func (o *Nesterov) Step(params []*Param) {
	o.decay(params)
	v := state(&o.v, params, 1, "Nesterov")
	for i, p := range params {
		kernels.Scale(o.Momentum, v[i], v[i])
		kernels.Axpy(-o.LR, p.Grad.Data, v[i])
		kernels.Axpy(o.Momentum, v[i], p.Value.Data)
		kernels.Axpy(-o.LR, p.Grad.Data, p.Value.Data)
	}
}

// AdaGrad scales each step by the accumulated squared gradients: h += g^2;
// W -= LR*g/(sqrt(h) + Eps).
type AdaGrad struct {
	LR, Eps float32
	WeightDecay
	h [][]float32
}

// NewAdaGrad returns AdaGrad with learning rate lr (0: DefaultLR) and Eps 1e-7.
func NewAdaGrad(lr float32) *AdaGrad { return &AdaGrad{LR: orDefault(lr, DefaultLR), Eps: 1e-7} }

// Name implements Optimizer.
func (o *AdaGrad) Name() string { return fmt.Sprintf("AdaGrad(lr %g)", o.LR) }

// Step implements Optimizer.
func (o *AdaGrad) Step(params []*Param) {
	o.decay(params)
	h := state(&o.h, params, 1, "AdaGrad")
	for i, p := range params {
		w, g, hi := p.Value.Data, p.Grad.Data, h[i]
		g, hi = g[:len(w)], hi[:len(w)]
		for j, gj := range g {
			hj := hi[j] + gj*gj
			hi[j] = hj
			w[j] -= o.LR * gj / (sqrt32(hj) + o.Eps)
		}
	}
}

// RMSProp keeps a decaying average of squared gradients: h = Decay*h + (1-Decay)*g^2;
// W -= LR*g/(sqrt(h) + Eps).
type RMSProp struct {
	LR, Decay, Eps float32
	WeightDecay
	h [][]float32 // scratch and h of each parameter
}

// NewRMSProp returns RMSProp with learning rate lr and decay rate decay (0: 0.01 and 0.99), Eps
// 1e-7.
func NewRMSProp(lr, decay float32) *RMSProp {
	return &RMSProp{LR: orDefault(lr, DefaultLR), Decay: orDefault(decay, 0.99), Eps: 1e-7}
}

// Name implements Optimizer.
func (o *RMSProp) Name() string { return fmt.Sprintf("RMSProp(lr %g, decay %g)", o.LR, o.Decay) }

// Step implements Optimizer. RMSProp is Adam without the first moment, so the update is
// kernels.AdamUpdate with beta1 = 0, which makes its m equal to g (a scratch buffer here).
func (o *RMSProp) Step(params []*Param) {
	o.decay(params)
	s := state(&o.h, params, 2, "RMSProp")
	for i, p := range params {
		kernels.AdamUpdate(p.Value.Data, p.Grad.Data, s[2*i], s[2*i+1], 0, o.Decay, o.LR, o.Eps)
	}
}

// Adam (Kingma and Ba): m = Beta1*m + (1-Beta1)*g; v = Beta2*v + (1-Beta2)*g^2;
// W -= LR*mhat/(sqrt(vhat) + Eps) with the bias corrections mhat = m/(1-Beta1^t),
// vhat = v/(1-Beta2^t) at step t = 1, 2, ...
type Adam struct {
	LR, Beta1, Beta2, Eps float32
	WeightDecay
	t     int
	state [][]float32 // m and v of each parameter
}

// NewAdam returns Adam with learning rate lr (0: DefaultAdamLR), betas 0.9 and 0.999, Eps 1e-8.
func NewAdam(lr float32) *Adam {
	return &Adam{LR: orDefault(lr, DefaultAdamLR), Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
}

// Name implements Optimizer.
func (o *Adam) Name() string { return fmt.Sprintf("Adam(lr %g)", o.LR) }

// Step implements Optimizer.
func (o *Adam) Step(params []*Param) {
	o.decay(params)
	s := state(&o.state, params, 2, "Adam")
	o.t++
	c1 := 1 - math.Pow(float64(o.Beta1), float64(o.t))
	c2 := math.Sqrt(1 - math.Pow(float64(o.Beta2), float64(o.t)))
	// LR*mhat/(sqrt(vhat)+Eps) = lrT*m/(sqrt(v)+epsT) with lrT = LR*c2/c1, epsT = Eps*c2.
	lrT, epsT := float32(float64(o.LR)*c2/c1), float32(float64(o.Eps)*c2)
	for i, p := range params {
		kernels.AdamUpdate(p.Value.Data, p.Grad.Data, s[2*i], s[2*i+1], o.Beta1, o.Beta2, lrT, epsT)
	}
}

func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }

func orDefault(v, d float32) float32 {
	if v == 0 {
		return d
	}
	return v
}
