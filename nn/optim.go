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
//
// The optimizers of this package update element by element, and split the elements over up to
// GOMAXPROCS goroutines: SGD, Momentum, Nesterov and AdaGrad from optimGrain elements (all
// parameters together) on, each goroutine taking a contiguous stretch of the parameters laid end
// to end; Adam and RMSProp within each parameter of at least 64K elements (kernels.AdamUpdate).
// The split changes no result, only the time (a step streams every parameter, its gradient and
// its state through memory once).
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

// decay adds Lambda*W to elements [lo, hi) of the gradient of p when p is decayed.
func (w WeightDecay) decay(p *Param, lo, hi int) {
	if w.Lambda != 0 && p.Decay {
		kernels.Axpy(w.Lambda, p.Value.Data[lo:hi], p.Grad.Data[lo:hi])
	}
}

// optimGrain is the number of parameter elements from which an optimizer's step is split over
// goroutines, and about the fewest each goroutine gets (a variable for the tests).
var optimGrain = 1 << 15

// rangeUpdater is an optimizer's update of elements [lo, hi) of parameter i (its weight decay
// included), which must touch nothing outside them.
type rangeUpdater interface {
	updateRange(i int, p *Param, lo, hi int)
}

// paramSplit runs a rangeUpdater over all elements of the parameters, split over goroutines (see
// Optimizer); an optimizer makes it on its first Step, so that later steps allocate nothing.
type paramSplit struct {
	job    rangeJob
	params []*Param
	u      rangeUpdater
	n      int // elements of all parameters
}

// splitUnit is the number of elements the parts are multiples of (a 64-byte cache line of
// float32), so that two goroutines rarely write the same line.
const splitUnit = 16

// eachRange runs u over every element of params: in one pass on the calling goroutine below
// optimGrain elements, else in parts at once with *s (made on the first such call).
func eachRange(s **paramSplit, params []*Param, u rangeUpdater) {
	n := 0
	for _, p := range params {
		n += len(p.Value.Data)
	}
	units := (n + splitUnit - 1) / splitUnit
	parts := parallelParts(units, optimGrain/splitUnit)
	if parts <= 1 {
		for i, p := range params {
			updateChunks(u, i, p, 0, len(p.Value.Data))
		}
		return
	}
	if *s == nil {
		*s = new(paramSplit)
	}
	ps := *s
	ps.params, ps.u, ps.n = params, u, n
	parallelRange(&ps.job, units, parts, ps)
	ps.params, ps.u = nil, nil
}

// optimChunk is the number of elements an update handles at a time: an optimizer that makes
// several passes (weight decay, then its update of one to three kernel calls) reads its
// parameter, gradient and state from L1 after the first.
const optimChunk = 2048

// updateChunks runs u over elements [lo, hi) of parameter i in pieces of optimChunk.
func updateChunks(u rangeUpdater, i int, p *Param, lo, hi int) {
	for a := lo; a < hi; a += optimChunk {
		u.updateRange(i, p, a, min(a+optimChunk, hi))
	}
}

// run updates the elements [from, to) units of the parameters laid end to end.
func (s *paramSplit) run(_, from, to int) {
	lo, hi := from*splitUnit, min(to*splitUnit, s.n)
	off := 0
	for i, p := range s.params {
		l := len(p.Value.Data)
		if a, b := max(lo-off, 0), min(hi-off, l); a < b {
			updateChunks(s.u, i, p, a, b)
		}
		off += l
		if off >= hi {
			return
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
	split *paramSplit
}

// NewSGD returns SGD with learning rate lr (0: DefaultLR).
func NewSGD(lr float32) *SGD { return &SGD{LR: orDefault(lr, DefaultLR)} }

// Name implements Optimizer.
func (o *SGD) Name() string { return fmt.Sprintf("SGD(lr %g)", o.LR) }

// Step implements Optimizer.
func (o *SGD) Step(params []*Param) { eachRange(&o.split, params, o) }

func (o *SGD) updateRange(_ int, p *Param, lo, hi int) {
	o.decay(p, lo, hi)
	kernels.Axpy(-o.LR, p.Grad.Data[lo:hi], p.Value.Data[lo:hi])
}

// Momentum is gradient descent with momentum: v = Momentum*v - LR*g; W += v.
type Momentum struct {
	LR, Momentum float32
	WeightDecay
	v     [][]float32
	split *paramSplit
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
	state(&o.v, params, 1, "Momentum")
	eachRange(&o.split, params, o)
}

func (o *Momentum) updateRange(i int, p *Param, lo, hi int) {
	o.decay(p, lo, hi)
	v, g, w := o.v[i][lo:hi], p.Grad.Data[lo:hi], p.Value.Data[lo:hi]
	kernels.Scale(o.Momentum, v, v)
	kernels.Axpy(-o.LR, g, v)
	kernels.Axpy(1, v, w)
}

// Nesterov is Nesterov's accelerated gradient in the form Keras and PyTorch use:
// v = Momentum*v - LR*g; W += Momentum*v - LR*g.
type Nesterov struct {
	LR, Momentum float32
	WeightDecay
	v     [][]float32
	split *paramSplit
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
	state(&o.v, params, 1, "Nesterov")
	eachRange(&o.split, params, o)
}

func (o *Nesterov) updateRange(i int, p *Param, lo, hi int) {
	o.decay(p, lo, hi)
	v, g, w := o.v[i][lo:hi], p.Grad.Data[lo:hi], p.Value.Data[lo:hi]
	kernels.Scale(o.Momentum, v, v)
	kernels.Axpy(-o.LR, g, v)
	kernels.Axpy(o.Momentum, v, w)
	kernels.Axpy(-o.LR, g, w)
}

// AdaGrad scales each step by the accumulated squared gradients: h += g^2;
// W -= LR*g/(sqrt(h) + Eps).
type AdaGrad struct {
	LR, Eps float32
	WeightDecay
	h     [][]float32
	split *paramSplit
}

// NewAdaGrad returns AdaGrad with learning rate lr (0: DefaultLR) and Eps 1e-7.
func NewAdaGrad(lr float32) *AdaGrad { return &AdaGrad{LR: orDefault(lr, DefaultLR), Eps: 1e-7} }

// Name implements Optimizer.
func (o *AdaGrad) Name() string { return fmt.Sprintf("AdaGrad(lr %g)", o.LR) }

// Step implements Optimizer.
func (o *AdaGrad) Step(params []*Param) {
	state(&o.h, params, 1, "AdaGrad")
	eachRange(&o.split, params, o)
}

func (o *AdaGrad) updateRange(i int, p *Param, lo, hi int) {
	o.decay(p, lo, hi)
	w, g, h := p.Value.Data[lo:hi], p.Grad.Data[lo:hi], o.h[i][lo:hi]
	g, h = g[:len(w)], h[:len(w)]
	for j, gj := range g {
		hj := h[j] + gj*gj
		h[j] = hj
		w[j] -= o.LR * gj / (sqrt32(hj) + o.Eps)
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
	s := state(&o.h, params, 2, "RMSProp")
	for i, p := range params {
		o.decay(p, 0, len(p.Value.Data))
		kernels.AdamUpdate(p.Value.Data, p.Grad.Data, s[2*i], s[2*i+1], 0, o.Decay, o.LR, o.Eps) // splits large parameters itself
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
	s := state(&o.state, params, 2, "Adam")
	o.t++
	c1 := 1 - math.Pow(float64(o.Beta1), float64(o.t))
	c2 := math.Sqrt(1 - math.Pow(float64(o.Beta2), float64(o.t)))
	// LR*mhat/(sqrt(vhat)+Eps) = lrT*m/(sqrt(v)+epsT) with lrT = LR*c2/c1, epsT = Eps*c2.
	lrT, epsT := float32(float64(o.LR)*c2/c1), float32(float64(o.Eps)*c2)
	for i, p := range params {
		o.decay(p, 0, len(p.Value.Data))
		kernels.AdamUpdate(p.Value.Data, p.Grad.Data, s[2*i], s[2*i+1], o.Beta1, o.Beta2, lrT, epsT) // splits large parameters itself
	}
}

func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }

func orDefault(v, d float32) float32 {
	if v == 0 {
		return d
	}
	return v
}
