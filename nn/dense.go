package nn

import (
	"fmt"
	"math/rand/v2"

	"github.com/lanesimd/lanes/kernels"
)

// Dense is a fully connected (affine) layer: y = x*W + b, with W of shape in x out and b of shape
// 1 x out. Forward is one product with the bias added in its epilogue (kernels.Linear), Backward
// two products (kernels.Gemm). Followed by a ReLU, Sigmoid, Tanh, GELU or SiLU in a Sequential,
// the activation is applied in the same product (see dense_fused.go). Infer is safe for
// concurrent use; Forward and Backward are not (see Layer).
type Dense struct {
	In, Out int
	W, B    *Param

	x     *Matrix // input of the last Forward
	y, dx buffer
	ones  []float32 // sumRows' vector of ones
}

// NewDense returns an in x out dense layer with weights drawn by init from rng and zero bias.
// A nil init means HeNormal; a nil rng means a generator seeded with 0.
func NewDense(in, out int, init Initializer, rng *rand.Rand) *Dense {
	if in <= 0 || out <= 0 {
		panic(fmt.Sprintf("nn.NewDense: sizes in = %d, out = %d must be positive", in, out))
	}
	if init == nil {
		init = HeNormal
	}
	if rng == nil {
		rng = NewRand(0)
	}
	d := &Dense{In: in, Out: out}
	name := d.Name()
	d.W = newParam(name+".W", in, out, true)
	d.B = newParam(name+".b", 1, out, false)
	init.Init(d.W.Value.Data, in, out, rng)
	return d
}

// Name implements Layer.
func (d *Dense) Name() string { return fmt.Sprintf("Dense(%d, %d)", d.In, d.Out) }

// Params implements Layer: W then b.
func (d *Dense) Params() []*Param { return []*Param{d.W, d.B} }

// Forward implements Layer: y = x*W + b. x must have In columns.
func (d *Dense) Forward(x *Matrix, training bool) *Matrix {
	checkCols(d, "Forward", x, d.In)
	y := d.y.resize(x.Rows, d.Out)
	d.product(y, x, kernels.ActNone)
	d.x = x
	return y
}

// OutCols implements Inferer: Out. It panics unless inCols is In.
func (d *Dense) OutCols(inCols int) int {
	if inCols != d.In {
		panic(fmt.Sprintf("nn.%s: input of %d columns, want %d", d.Name(), inCols, d.In))
	}
	return d.Out
}

// Infer implements Inferer: y = x*W + b, x with In columns, y x.Rows x Out.
func (d *Dense) Infer(y, x *Matrix) {
	checkInfer(d, y, x, d.In, d.Out)
	d.product(y, x, kernels.ActNone)
}

// Backward implements Layer: dW = x^T*dout, db = the column sums of dout, dx = dout*W^T.
func (d *Dense) Backward(dout *Matrix) *Matrix {
	return d.backward(dout, true)
}

// backward is Backward; with needDx false it returns nil instead of computing dx.
func (d *Dense) backward(dout *Matrix, needDx bool) *Matrix {
	checkDout(d, dout, &d.y.m, d.x != nil)
	gemm(true, false, d.x, dout, 0, d.W.Grad)
	sumRows(d.B.Grad.Data, dout, &d.ones)
	if !needDx {
		return nil
	}
	dx := d.dx.resize(dout.Rows, d.In)
	gemm(false, true, dout, d.W.Value, 0, dx)
	return dx
}
