package nn

import (
	"fmt"
	"strings"
	"sync"
)

// Sequential is a model made of layers applied in order.
//
// Concurrency: the inference methods (Predict, PredictInto, Classify, ClassifyInto,
// PredictProba, PredictProbaInto, and the functions Evaluate and Accuracy) are safe for
// concurrent use on one model, from any number of goroutines, and return memory the caller owns;
// their scratch space comes from a pool, not from the layers. So are String, NumParams, Params
// and SaveFile/SaveWeights (they only read). Everything that changes the model is single-owner:
// Add, LoadWeights, Forward, Backward, and training through a Trainer or an Optimizer must not
// run at the same time as any other call on the model, inference included.
type Sequential struct {
	Layers []Layer
	params []*Param
	// The shapes of Build: the input, and the output of the last layer (outKnown false when a
	// layer does not report its width).
	in, out         Shape
	built, outKnown bool
	// mu serialises inference through layers that do not implement Inferer (they are run with
	// Forward, which uses their buffers).
	mu sync.Mutex
}

// NewSequential returns a model of the given layers.
func NewSequential(layers ...Layer) *Sequential {
	m := &Sequential{}
	for _, l := range layers {
		m.Add(l)
	}
	return m
}

// Add appends a layer. On a model that was built (Build), the layer is built for the output of
// the model so far, and Add panics with Build's error when it does not fit. Not safe for
// concurrent use.
func (m *Sequential) Add(l Layer) {
	if m.built {
		out, known, err := buildLayer(len(m.Layers), l, m.out, m.outKnown, m.Layers)
		if err != nil {
			panic("nn.Sequential.Add: " + err.Error())
		}
		m.out, m.outKnown = out, known
	}
	m.Layers = append(m.Layers, l)
	m.params = m.params[:0]
	for _, l := range m.Layers {
		m.params = append(m.params, l.Params()...)
	}
}

// Params returns every trainable parameter, layer by layer.
func (m *Sequential) Params() []*Param { return m.params }

// NumParams returns the number of trainable scalars.
func (m *Sequential) NumParams() int {
	n := 0
	for _, p := range m.params {
		n += len(p.Value.Data)
	}
	return n
}

// String lists the layers, e.g. "Dense(784, 50) -> ReLU -> Dense(50, 10)".
func (m *Sequential) String() string {
	names := make([]string, len(m.Layers))
	for i, l := range m.Layers {
		names[i] = l.Name()
	}
	return strings.Join(names, " -> ")
}

// Forward runs x through every layer and returns the last output, which belongs to the last
// layer (see Layer) and is overwritten by the next Forward. It is the training path and is not
// safe for concurrent use: to predict, use Predict, which is.
//
// A ReLU directly before a MaxPool2D, or directly after a Conv2D, is computed by that layer
// (fused): the pooling takes the maximum first and clamps it at 0 (the same values, with a
// quarter of the work for a 2x2 window), the convolution clamps each image while it is in cache.
// The ReLU layer itself then does not run. A Conv2D, ReLU, 2x2 MaxPool2D triple runs as one pass
// (see fused.go). The model's results are the same bit for bit.
//
// A Dense layer directly followed by a ReLU, Sigmoid or Tanh runs with it as one product
// (kernels.Linear) that adds the bias and applies the activation while each tile of the output is
// in cache (see dense_fused.go); the results equal those of the two layers apart within the
// rounding of a float32 matrix product. A ReLU between a Dense layer and a MaxPool2D goes with the
// pooling.
func (m *Sequential) Forward(x *Matrix, training bool) *Matrix {
	ls := m.Layers
	for i := 0; i < len(ls); i++ {
		switch fusedAt(ls, i) {
		case fuseDenseAct:
			x = ls[i].(*Dense).forwardAct(x, ls[i+1])
			i++
		case fuseConvReLUPool:
			x = ls[i].(*Conv2D).forwardPool(x, ls[i+2].(*MaxPool2D))
			i += 2
		case fuseReLUPool:
			x = ls[i+1].(*MaxPool2D).forward(x, true)
			i++
		case fuseConvReLU:
			x = ls[i].(*Conv2D).forward(x, true)
			i++
		default:
			x = ls[i].Forward(x, training)
		}
	}
	return x
}

// The fusions of Forward and backward: fusedAt reports whether layers i and i+1 run as one.
const (
	fuseNone = iota
	fuseReLUPool
	fuseConvReLU
	fuseConvReLUPool // layers i, i+1 and i+2
	fuseDenseAct     // a Dense layer and an activation of kernels.Linear
)

// fuseLayers turns the fusions on (tests turn them off to compare).
var fuseLayers = true

func fusedAt(ls []Layer, i int) int {
	if !fuseLayers || i < 0 || i+1 >= len(ls) {
		return fuseNone
	}
	switch ls[i].(type) {
	case *ReLU:
		if _, ok := ls[i+1].(*MaxPool2D); ok {
			return fuseReLUPool
		}
	case *Dense:
		if _, _, _, ok := linearActOf(ls[i+1]); !ok {
			return fuseNone
		}
		if _, relu := ls[i+1].(*ReLU); relu && i+2 < len(ls) {
			if _, pool := ls[i+2].(*MaxPool2D); pool {
				return fuseNone // the ReLU goes with the pooling
			}
		}
		return fuseDenseAct
	case *Conv2D:
		if _, ok := ls[i+1].(*ReLU); ok {
			if i+2 < len(ls) {
				if p, pool := ls[i+2].(*MaxPool2D); pool {
					if convPoolFits(ls[i].(*Conv2D), p) {
						return fuseConvReLUPool
					}
					return fuseNone // the ReLU goes with the pooling
				}
			}
			return fuseConvReLU
		}
	}
	return fuseNone
}

// Backward propagates dL/dy of the last Forward back through every layer, setting the gradients
// of every parameter, and returns dL/dx. Not safe for concurrent use (see Sequential).
func (m *Sequential) Backward(dout *Matrix) *Matrix { return m.backward(dout, true) }

// backward is Backward; with needDx false the first layer may skip computing dL/dx (a Dense or
// Conv2D first layer then saves the product that gives it) and the result is nil. It takes the
// layers that Forward fused as Forward did. A fused Dense and activation need nothing of their
// own: Forward left each layer with what its Backward reads.
func (m *Sequential) backward(dout *Matrix, needDx bool) *Matrix {
	ls := m.Layers
	for i := len(ls) - 1; i >= 0; i-- {
		first := i == 0
		if fusedAt(ls, i-2) == fuseConvReLUPool {
			c, p := ls[i-2].(*Conv2D), ls[i].(*MaxPool2D)
			if c.pool == p {
				dout = c.backwardPool(dout, p, needDx || i-2 > 0)
			} else { // the forward took the exact way (a NaN)
				dout = c.backward(p.backward(dout, true), needDx || i-2 > 0, false)
			}
			i -= 2
			continue
		}
		switch fusedAt(ls, i-1) {
		case fuseReLUPool:
			dout = ls[i].(*MaxPool2D).backward(dout, true)
			i--
			continue
		case fuseConvReLU:
			dout = ls[i-1].(*Conv2D).backward(dout, needDx || i-1 > 0, true)
			i--
			continue
		}
		if first && !needDx {
			switch l := ls[0].(type) {
			case *Dense:
				return l.backward(dout, false)
			case *Conv2D:
				return l.backward(dout, false, false)
			}
		}
		dout = ls[i].Backward(dout)
	}
	if !needDx {
		return nil
	}
	return dout
}

// checkInput panics if the model is empty.
func (m *Sequential) checkInput(fn string) {
	if len(m.Layers) == 0 {
		panic(fmt.Sprintf("nn.Sequential.%s: the model has no layers", fn))
	}
}
