package kernels

import "fmt"

// Activation names the activation function Linear applies to each element of its output.
type Activation int

// The activations of Linear. Each is the kernel of the same name applied element-wise, with its
// accuracy and special values (ActReLU is ReLU, ActGELU the exact GELU, ActSiLU is SiLU).
const (
	ActNone    Activation = iota // the identity: y = x·w + bias
	ActReLU                      // max(0, v), as ReLU
	ActSigmoid                   // 1/(1+e^-v), as Sigmoid
	ActTanh                      // tanh(v), as Tanh
	ActGELU                      // v·Φ(v), the exact GELU, as GELU
	ActSiLU                      // v·sigmoid(v), as SiLU
)

// String returns the activation's name in lower case ("none", "relu", "sigmoid", "tanh", "gelu",
// "silu"), or "Activation(n)" for a value that is none of the constants.
func (a Activation) String() string {
	switch a {
	case ActNone:
		return "none"
	case ActReLU:
		return "relu"
	case ActSigmoid:
		return "sigmoid"
	case ActTanh:
		return "tanh"
	case ActGELU:
		return "gelu"
	case ActSiLU:
		return "silu"
	}
	return fmt.Sprintf("Activation(%d)", int(a))
}

// activation returns o's kernel for act, nil for ActNone; it panics, naming fn, on an unknown act.
func (o *ops[T]) activation(fn string, act Activation) func(dst, src []T) {
	switch act {
	case ActNone:
		return nil
	case ActReLU:
		return o.relu
	case ActSigmoid:
		return o.sigmoid
	case ActTanh:
		return o.tanh
	case ActGELU:
		return o.gelu
	case ActSiLU:
		return o.silu
	}
	panic(fmt.Sprintf("kernels.%s: unknown activation %v", fn, act))
}

// Linear sets y = act(x·w + bias), the forward pass of a dense layer over a batch: x is m x k
// (m rows of k inputs), w is k x n (one column per output), bias has n elements, one per column
// of y, and y is m x n, all row-major and densely packed. The dimensions come in Gemm's order:
// m, n, k. bias may be nil (no bias); y must not overlap x, w or bias.
//
// The result is that of Gemm (beta = 0) followed by adding bias to each row and applying the
// activation kernel act names, with Gemm's rounding and the activation's accuracy. It takes one
// pass over y, not three: the bias and the activation are applied to each block of y as soon as
// its product is complete, while the block is in cache. A batch of one row (m = 1) or a single
// output (n = 1) streams w once without packing it (see Gemm).
//
// Wrong lengths, negative dimensions and an unknown act panic with a message naming Linear and
// the sizes.
func Linear[T Float](y, x, w, bias []T, m, n, k int, act Activation) {
	checkLinearArgs("Linear", m, n, k, len(x), len(w), len(y), bias)
	linear(y, nil, x, w, bias, m, n, k, act, "Linear")
}

// checkLinearArgs panics, naming fn and the sizes, unless the operands fit an m x n x k product and
// bias is nil or has n elements.
func checkLinearArgs[T Float](fn string, m, n, k, nx, nw, ny int, bias []T) {
	checkDense(fn, m, n, k, "x", nx, "w", nw, "y", ny)
	if bias != nil && len(bias) != n {
		panic(fmt.Sprintf("kernels.%s: len(bias) = %d, want n = %d (or a nil bias)", fn, len(bias), n))
	}
}

// linear computes c = x·w + bias and applies act to each block of c as soon as it is complete, in
// place when out is nil (Linear), else into out, laid out as c (LinearPre: c is z and out is y;
// with ActNone, out gets a copy). fn names the caller in the panic of an unknown act.
func linear[T Float](c, out, x, w, bias []T, m, n, k int, act Activation, fn string) {
	o := kern[T]()
	f := o.activation(fn, act)
	if f == nil && out != nil {
		f = func(dst, src []T) { copy(dst, src) }
	}
	if m == 0 || n == 0 {
		return
	}
	epi := gemmEpilogue[T]{bias: bias, act: f, axpy: o.axpy, out: out}
	gemmRoute(o, false, false, m, n, k, 1, x, max(k, 1), w, max(n, 1), 0, c, max(n, 1), epi)
}

// LinearPre is Linear that also keeps the pre-activation: z = x·w + bias and y = act(z), both
// m x n, in the same one pass over the output (each block of z is finished, then its activation
// written to y, while it is in cache). It is the training forward pass of a dense layer followed
// by an activation whose backward pass reads its input (GELUGrad, SiLUGrad read z), where Linear
// would lose z. With ActNone, y is a copy of z. y and z must not overlap each other, x, w or bias;
// otherwise the arguments, results and panics are Linear's (the messages name LinearPre).
func LinearPre[T Float](y, z, x, w, bias []T, m, n, k int, act Activation) {
	checkLinearArgs("LinearPre", m, n, k, len(x), len(w), len(y), bias)
	if len(z) != len(y) {
		panic(fmt.Sprintf("kernels.LinearPre: len(z) = %d, want len(y) = m*n = %d", len(z), len(y)))
	}
	linear(z, y, x, w, bias, m, n, k, act, "LinearPre")
}
