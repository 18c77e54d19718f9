package nn

import (
	"fmt"

	"github.com/lanesimd/lanes/kernels"
)

// The activation layers work element by element (Softmax row by row) and have no parameters.
// Each forward pass is one lanes kernel (kernels.Sigmoid, kernels.GELU, ...), and so is each
// backward pass (kernels.SigmoidGrad, kernels.GELUGrad, ...; ReLU's is a branch-free mask of its
// output). activation_smooth.go has GELU, SiLU and Softplus. As for every layer, Infer, Name and
// Params are safe for concurrent use; Forward and Backward are not (see Layer).

// elementwise holds what every activation keeps between Forward and Backward.
type elementwise struct {
	x     *Matrix // input of the last Forward
	y, dx buffer
	// pre stands for the input when a Dense layer computed this activation in its product
	// (Sequential's fused Dense and activation): the shape of the input without its values, which
	// were never written. Only the activations whose Backward reads their output are run so.
	pre Matrix
}

func (e *elementwise) forward(x *Matrix) (y *Matrix) {
	e.x = x
	return e.y.resize(x.Rows, x.Cols)
}

// fusedOutput prepares the state of a Forward whose output the caller writes (a fused Dense):
// it returns the output buffer, rows x cols, and records an input of that shape without values.
func (e *elementwise) fusedOutput(rows, cols int) *Matrix {
	e.pre = Matrix{Rows: rows, Cols: cols}
	e.x = &e.pre
	return e.y.resize(rows, cols)
}

func (e *elementwise) backward(l Layer, dout *Matrix) (dx *Matrix) {
	checkDout(l, dout, &e.y.m, e.x != nil)
	return e.dx.resize(dout.Rows, dout.Cols)
}

// grad returns the slices of a backward kernel call for the last Forward: dx (the layer's
// buffer), dout and the saved input or output v, all of the same length.
func (e *elementwise) grad(l Layer, dout, saved *Matrix) (dx *Matrix, dxs, d, v []float32) {
	dx = e.backward(l, dout)
	n := len(e.y.m.Data)
	return dx, dx.Data[:n], dout.Data[:n], saved.Data[:n]
}

// Params implements Layer: activations have none.
func (*elementwise) Params() []*Param { return nil }

// OutCols implements Inferer: element-wise layers keep the width.
func (*elementwise) OutCols(inCols int) int { return inCols }

// Identity passes its input through: y = x, dx = dout (the same matrices, not copies).
type Identity struct{ ran bool }

// NewIdentity returns an Identity layer.
func NewIdentity() *Identity { return &Identity{} }

// Name implements Layer.
func (*Identity) Name() string { return "Identity" }

// Params implements Layer.
func (*Identity) Params() []*Param { return nil }

// Forward implements Layer.
func (l *Identity) Forward(x *Matrix, training bool) *Matrix { l.ran = true; return x }

// OutCols implements Inferer.
func (*Identity) OutCols(inCols int) int { return inCols }

// Infer implements Inferer: y = x (copied; Sequential skips the layer instead).
func (l *Identity) Infer(y, x *Matrix) {
	checkSameShape(l, "Infer", y, x)
	copy(y.Data, x.Data)
}

func (*Identity) evalIdentity() {}

// Backward implements Layer.
func (l *Identity) Backward(dout *Matrix) *Matrix {
	if !l.ran {
		panic("nn.Identity.Backward: called before Forward")
	}
	return dout
}

// Step is the Heaviside step of the perceptron: y = 1 if x > 0, else 0 (kernels.Step). It is
// forward only: its derivative is zero wherever it exists, so no gradient can train through it,
// and Backward panics rather than silently return zeros.
type Step struct{ elementwise }

// NewStep returns a Step layer.
func NewStep() *Step { return &Step{} }

// Name implements Layer.
func (*Step) Name() string { return "Step" }

// Forward implements Layer.
func (l *Step) Forward(x *Matrix, training bool) *Matrix {
	y := l.forward(x)
	l.Infer(y, x)
	return y
}

// Infer implements Inferer.
func (l *Step) Infer(y, x *Matrix) {
	checkSameShape(l, "Infer", y, x)
	kernels.Step(y.Data, x.Data)
}

// Backward panics: the step function has no useful gradient (see Step).
func (l *Step) Backward(dout *Matrix) *Matrix {
	panic("nn.Step.Backward: the step function has zero gradient wherever it is defined; use it for inference only (Sigmoid or ReLU train)")
}

// Sigmoid is y = 1/(1+e^-x) (kernels.Sigmoid); dx = dout*y*(1-y) (kernels.SigmoidGrad, from the
// saved output).
type Sigmoid struct{ elementwise }

// NewSigmoid returns a Sigmoid layer.
func NewSigmoid() *Sigmoid { return &Sigmoid{} }

// Name implements Layer.
func (*Sigmoid) Name() string { return "Sigmoid" }

// Forward implements Layer.
func (l *Sigmoid) Forward(x *Matrix, training bool) *Matrix {
	y := l.forward(x)
	l.Infer(y, x)
	return y
}

// Infer implements Inferer.
func (l *Sigmoid) Infer(y, x *Matrix) {
	checkSameShape(l, "Infer", y, x)
	kernels.Sigmoid(y.Data, x.Data)
}

// Backward implements Layer.
func (l *Sigmoid) Backward(dout *Matrix) *Matrix {
	dx, o, d, y := l.grad(l, dout, &l.y.m)
	kernels.SigmoidGrad(o, d, y)
	return dx
}

// Tanh is y = tanh(x) (kernels.Tanh); dx = dout*(1-y^2) (kernels.TanhGrad, from the saved
// output).
type Tanh struct{ elementwise }

// NewTanh returns a Tanh layer.
func NewTanh() *Tanh { return &Tanh{} }

// Name implements Layer.
func (*Tanh) Name() string { return "Tanh" }

// Forward implements Layer.
func (l *Tanh) Forward(x *Matrix, training bool) *Matrix {
	y := l.forward(x)
	l.Infer(y, x)
	return y
}

// Infer implements Inferer.
func (l *Tanh) Infer(y, x *Matrix) {
	checkSameShape(l, "Infer", y, x)
	kernels.Tanh(y.Data, x.Data)
}

// Backward implements Layer.
func (l *Tanh) Backward(dout *Matrix) *Matrix {
	dx, o, d, y := l.grad(l, dout, &l.y.m)
	kernels.TanhGrad(o, d, y)
	return dx
}

// ReLU is y = max(x, 0) (kernels.ReLU); dx = dout where x > 0, else 0.
type ReLU struct{ elementwise }

// NewReLU returns a ReLU layer.
func NewReLU() *ReLU { return &ReLU{} }

// Name implements Layer.
func (*ReLU) Name() string { return "ReLU" }

// Forward implements Layer.
func (l *ReLU) Forward(x *Matrix, training bool) *Matrix {
	y := l.forward(x)
	l.Infer(y, x)
	return y
}

// Infer implements Inferer.
func (l *ReLU) Infer(y, x *Matrix) {
	checkSameShape(l, "Infer", y, x)
	kernels.ReLU(y.Data, x.Data)
}

// Backward implements Layer.
func (l *ReLU) Backward(dout *Matrix) *Matrix {
	dx := l.backward(l, dout)
	kernels.ReLUGrad(dx.Data, dout.Data, l.y.m.Data) // y > 0 exactly where x > 0
	return dx
}

// LeakyReLU is y = x for x > 0, alpha*x otherwise (kernels.LeakyReLU, PyTorch's LeakyReLU with
// negative_slope = alpha); dx = dout where x > 0, alpha*dout otherwise, at 0 included
// (kernels.LeakyReLUGrad, from the saved input).
type LeakyReLU struct {
	elementwise
	Alpha float32
}

// NewLeakyReLU returns a LeakyReLU layer with slope alpha below 0 (0.01 is usual).
func NewLeakyReLU(alpha float32) *LeakyReLU { return &LeakyReLU{Alpha: alpha} }

// Name implements Layer.
func (l *LeakyReLU) Name() string { return fmt.Sprintf("LeakyReLU(%g)", l.Alpha) }

// Forward implements Layer.
func (l *LeakyReLU) Forward(x *Matrix, training bool) *Matrix {
	y := l.forward(x)
	l.Infer(y, x)
	return y
}

// Infer implements Inferer.
func (l *LeakyReLU) Infer(y, x *Matrix) {
	checkSameShape(l, "Infer", y, x)
	n := x.Rows * x.Cols
	kernels.LeakyReLU(l.Alpha, y.Data[:n], x.Data[:n])
}

// Backward implements Layer.
func (l *LeakyReLU) Backward(dout *Matrix) *Matrix {
	dx, o, d, x := l.grad(l, dout, l.x)
	kernels.LeakyReLUGrad(l.Alpha, o, d, x)
	return dx
}

// ELU is y = x for x > 0, alpha*(e^x - 1) otherwise (kernels.ELU, PyTorch's ELU); dx = dout for
// x > 0, dout*alpha*e^x otherwise, alpha at 0 (kernels.ELUGrad, from the saved input, so that it
// holds for any alpha).
type ELU struct {
	elementwise
	Alpha float32
}

// NewELU returns an ELU layer (alpha = 1 is usual).
func NewELU(alpha float32) *ELU { return &ELU{Alpha: alpha} }

// Name implements Layer.
func (l *ELU) Name() string { return fmt.Sprintf("ELU(%g)", l.Alpha) }

// Forward implements Layer.
func (l *ELU) Forward(x *Matrix, training bool) *Matrix {
	y := l.forward(x)
	l.Infer(y, x)
	return y
}

// Infer implements Inferer.
func (l *ELU) Infer(y, x *Matrix) {
	checkSameShape(l, "Infer", y, x)
	n := x.Rows * x.Cols
	kernels.ELU(l.Alpha, y.Data[:n], x.Data[:n])
}

// Backward implements Layer.
func (l *ELU) Backward(dout *Matrix) *Matrix {
	dx, o, d, x := l.grad(l, dout, l.x)
	kernels.ELUGrad(l.Alpha, o, d, x)
	return dx
}

// Softmax turns each row into probabilities: y = e^x / sum(e^x) over the row (kernels.Softmax,
// stable). Backward: dx = y*(dout - sum(dout*y)) per row. For classification prefer a linear
// last layer with SoftmaxCrossEntropy, which is fused, stabler and cheaper.
type Softmax struct{ elementwise }

// NewSoftmax returns a Softmax layer.
func NewSoftmax() *Softmax { return &Softmax{} }

// Name implements Layer.
func (*Softmax) Name() string { return "Softmax" }

// Forward implements Layer.
func (l *Softmax) Forward(x *Matrix, training bool) *Matrix {
	y := l.forward(x)
	l.Infer(y, x)
	return y
}

// Infer implements Inferer.
func (l *Softmax) Infer(y, x *Matrix) {
	checkSameShape(l, "Infer", y, x)
	if len(x.Data) > 0 {
		kernels.Softmax(y.Data, x.Data, x.Cols)
	}
}

// Backward implements Layer.
func (l *Softmax) Backward(dout *Matrix) *Matrix {
	dx := l.backward(l, dout)
	c := dout.Cols
	for i := 0; i < dout.Rows; i++ {
		y := l.y.m.Data[i*c : (i+1)*c]
		d := dout.Data[i*c : (i+1)*c]
		s := kernels.Dot(d, y)
		o := dx.Data[i*c : (i+1)*c]
		for j, v := range y {
			o[j] = v * (d[j] - s)
		}
	}
	return dx
}
