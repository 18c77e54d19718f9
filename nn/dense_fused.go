package nn

import "github.com/lanesimd/lanes/kernels"

// A Dense layer and the activation after it run as one product whose epilogue adds the bias and
// applies the activation to each tile of the output while it is in cache (kernels.Linear), instead
// of a product, then a pass over the output for the bias, then one for the activation.
//
// Inference (Predict and the rest) fuses a Dense with the next layer that runs (Dropout and
// Identity are skipped in evaluation mode) when that is a ReLU, Sigmoid, Tanh, exact GELU or SiLU.
// Training (Sequential.Forward) fuses a Dense with any of those directly after it. A ReLU, Sigmoid
// or Tanh backpropagates from its output, which the fused product writes (kernels.Linear); a GELU
// or SiLU needs its input, the product before the activation, so the product keeps it too
// (kernels.LinearPre) as the Dense layer's output, which the activation's Backward reads. A Dense
// alone is the same product without an activation.

// linearActOf returns the activation of kernels.Linear that equals the layer l (ok false when
// there is none), its state, and whether its Backward reads only its output (then the training
// pass fuses it too). Only the layer types themselves qualify: a type that embeds one may change
// what it computes.
func linearActOf(l Layer) (e *elementwise, act kernels.Activation, fromOutput, ok bool) {
	switch l := l.(type) {
	case *ReLU:
		return &l.elementwise, kernels.ActReLU, true, true
	case *Sigmoid:
		return &l.elementwise, kernels.ActSigmoid, true, true
	case *Tanh:
		return &l.elementwise, kernels.ActTanh, true, true
	case *SiLU:
		return &l.elementwise, kernels.ActSiLU, false, true
	case *GELU:
		if !l.Tanh {
			return &l.elementwise, kernels.ActGELU, false, true
		}
	}
	return nil, kernels.ActNone, false, false
}

// product sets y = act(x*W + b) for x with In columns and y x.Rows x Out, in one pass over y
// (kernels.Linear).
func (d *Dense) product(y, x *Matrix, act kernels.Activation) {
	kernels.Linear(y.Data[:x.Rows*d.Out], x.Data[:x.Rows*d.In], d.W.Value.Data, d.B.Value.Data, x.Rows, d.Out, d.In, act)
}

// forwardAct is Forward of the Dense layer and of the activation a after it as one product
// (linearActOf(a) must be ok). It leaves both layers as their own Forward calls would, except,
// for an activation that backpropagates from its output, that the Dense layer's output, which is
// never written, has its shape without values, and so has the activation's input: their Backward
// passes read neither.
func (d *Dense) forwardAct(x *Matrix, a Layer) *Matrix {
	checkCols(d, "Forward", x, d.In)
	e, act, fromOutput, _ := linearActOf(a)
	d.x = x
	if !fromOutput {
		z := d.y.resize(x.Rows, d.Out)
		y := e.forward(z)
		kernels.LinearPre(y.Data[:x.Rows*d.Out], z.Data[:x.Rows*d.Out], x.Data[:x.Rows*d.In], d.W.Value.Data, d.B.Value.Data, x.Rows, d.Out, d.In, act)
		return y
	}
	y := e.fusedOutput(x.Rows, d.Out)
	d.product(y, x, act)
	d.y.m = Matrix{Rows: x.Rows, Cols: d.Out, Data: d.y.m.Data[:0]}
	return y
}

// denseAct is the inference step of a Dense layer and the activation after it, as one product.
type denseAct struct {
	*Dense
	act  kernels.Activation
	next Layer
}

// Name names both layers, for the panics of Infer.
func (f *denseAct) Name() string { return f.Dense.Name() + " -> " + f.next.Name() }

// Infer implements Inferer: y = act(x*W + b). Safe for concurrent use, as Dense.Infer.
func (f *denseAct) Infer(y, x *Matrix) {
	checkInfer(f, y, x, f.In, f.Out)
	f.product(y, x, f.act)
}
