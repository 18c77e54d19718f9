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

// Add appends a layer. Not safe for concurrent use.
func (m *Sequential) Add(l Layer) {
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
func (m *Sequential) Forward(x *Matrix, training bool) *Matrix {
	for _, l := range m.Layers {
		x = l.Forward(x, training)
	}
	return x
}

// Backward propagates dL/dy of the last Forward back through every layer, setting the gradients
// of every parameter, and returns dL/dx. Not safe for concurrent use (see Sequential).
func (m *Sequential) Backward(dout *Matrix) *Matrix { return m.backward(dout, true) }

// backward is Backward; with needDx false the first layer may skip computing dL/dx (a Dense first
// layer then saves a third of its backward work) and the result is nil.
func (m *Sequential) backward(dout *Matrix, needDx bool) *Matrix {
	for i := len(m.Layers) - 1; i >= 0; i-- {
		if i == 0 && !needDx {
			if d, ok := m.Layers[0].(*Dense); ok {
				return d.backward(dout, false)
			}
		}
		dout = m.Layers[i].Backward(dout)
	}
	return dout
}

// checkInput panics if the model is empty.
func (m *Sequential) checkInput(fn string) {
	if len(m.Layers) == 0 {
		panic(fmt.Sprintf("nn.Sequential.%s: the model has no layers", fn))
	}
}
