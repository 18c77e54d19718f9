package nn

import (
	"fmt"
	"strings"
)

// Sequential is a model made of layers applied in order.
type Sequential struct {
	Layers []Layer
	params []*Param
}

// NewSequential returns a model of the given layers.
func NewSequential(layers ...Layer) *Sequential {
	m := &Sequential{}
	for _, l := range layers {
		m.Add(l)
	}
	return m
}

// Add appends a layer.
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
// layer (see Layer).
func (m *Sequential) Forward(x *Matrix, training bool) *Matrix {
	for _, l := range m.Layers {
		x = l.Forward(x, training)
	}
	return x
}

// Predict is Forward in evaluation mode.
func (m *Sequential) Predict(x *Matrix) *Matrix { return m.Forward(x, false) }

// Backward propagates dL/dy of the last Forward back through every layer, setting the gradients
// of every parameter, and returns dL/dx.
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
