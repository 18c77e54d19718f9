package nn

import "github.com/lanesimd/lanes/kernels"

// The smooth activations of modern networks: GELU (exact and the tanh approximation), SiLU and
// Softplus. Each forward and each backward pass is one lanes kernel; the backward kernels take
// the saved input x, since these functions cannot be inverted from their output. As for every
// layer, Infer, Name and Params are safe for concurrent use; Forward and Backward are not (see
// Layer).

// GELU is the Gaussian error linear unit, PyTorch's nn.GELU: y = x*Phi(x) = 0.5*x*(1 +
// erf(x/sqrt(2))) (kernels.GELU, approximate='none'), or, with Tanh set, the tanh approximation
// 0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x^3))) (kernels.GELUTanh, approximate='tanh'). dx =
// dout*f'(x) (kernels.GELUGrad or kernels.GELUTanhGrad, from the saved input).
type GELU struct {
	elementwise
	// Tanh selects the tanh approximation. Model files record the two forms as the kinds GELU
	// and GELUTanh.
	Tanh bool
}

// NewGELU returns an exact GELU layer (PyTorch's nn.GELU()).
func NewGELU() *GELU { return &GELU{} }

// NewGELUTanh returns a GELU layer with the tanh approximation (PyTorch's
// nn.GELU(approximate='tanh')).
func NewGELUTanh() *GELU { return &GELU{Tanh: true} }

// Name implements Layer: "GELU" or "GELU(tanh)".
func (l *GELU) Name() string {
	if l.Tanh {
		return "GELU(tanh)"
	}
	return "GELU"
}

// Forward implements Layer.
func (l *GELU) Forward(x *Matrix, training bool) *Matrix {
	y := l.forward(x)
	l.Infer(y, x)
	return y
}

// Infer implements Inferer.
func (l *GELU) Infer(y, x *Matrix) {
	checkSameShape(l, "Infer", y, x)
	n := x.Rows * x.Cols
	if l.Tanh {
		kernels.GELUTanh(y.Data[:n], x.Data[:n])
	} else {
		kernels.GELU(y.Data[:n], x.Data[:n])
	}
}

// Backward implements Layer.
func (l *GELU) Backward(dout *Matrix) *Matrix {
	dx, o, d, x := l.grad(l, dout, l.x)
	if l.Tanh {
		kernels.GELUTanhGrad(o, d, x)
	} else {
		kernels.GELUGrad(o, d, x)
	}
	return dx
}

// SiLU is the sigmoid linear unit (also called swish), PyTorch's nn.SiLU: y = x*sigmoid(x)
// (kernels.SiLU); dx = dout*sigmoid(x)*(1 + x*(1 - sigmoid(x))) (kernels.SiLUGrad, from the
// saved input).
type SiLU struct{ elementwise }

// NewSiLU returns a SiLU layer.
func NewSiLU() *SiLU { return &SiLU{} }

// Name implements Layer.
func (*SiLU) Name() string { return "SiLU" }

// Forward implements Layer.
func (l *SiLU) Forward(x *Matrix, training bool) *Matrix {
	y := l.forward(x)
	l.Infer(y, x)
	return y
}

// Infer implements Inferer.
func (l *SiLU) Infer(y, x *Matrix) {
	checkSameShape(l, "Infer", y, x)
	n := x.Rows * x.Cols
	kernels.SiLU(y.Data[:n], x.Data[:n])
}

// Backward implements Layer.
func (l *SiLU) Backward(dout *Matrix) *Matrix {
	dx, o, d, x := l.grad(l, dout, l.x)
	kernels.SiLUGrad(o, d, x)
	return dx
}

// Softplus is y = log(1 + e^x), computed without overflow for large x (kernels.Softplus); dx =
// dout*sigmoid(x) (kernels.SoftplusGrad, from the saved input). It is PyTorch's nn.Softplus()
// with its defaults beta = 1 and threshold = 20, which agree with the exact function in float32
// (from x = 20 on, log(1 + e^x) rounds to x).
type Softplus struct{ elementwise }

// NewSoftplus returns a Softplus layer.
func NewSoftplus() *Softplus { return &Softplus{} }

// Name implements Layer.
func (*Softplus) Name() string { return "Softplus" }

// Forward implements Layer.
func (l *Softplus) Forward(x *Matrix, training bool) *Matrix {
	y := l.forward(x)
	l.Infer(y, x)
	return y
}

// Infer implements Inferer.
func (l *Softplus) Infer(y, x *Matrix) {
	checkSameShape(l, "Infer", y, x)
	n := x.Rows * x.Cols
	kernels.Softplus(y.Data[:n], x.Data[:n])
}

// Backward implements Layer.
func (l *Softplus) Backward(dout *Matrix) *Matrix {
	dx, o, d, x := l.grad(l, dout, l.x)
	kernels.SoftplusGrad(o, d, x)
	return dx
}
