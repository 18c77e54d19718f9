package nn

import (
	"fmt"
	"math"

	"github.com/lanesimd/lanes/kernels"
)

// Target holds what a batch of predictions is compared with: either class labels (one per row,
// in [0, columns)) or target values of the predictions' shape (regression outputs, one-hot or
// soft class distributions). Exactly one of the two is set.
type Target struct {
	Labels []int
	Values *Matrix
}

// Labels returns a Target of class labels.
func Labels(l []int) Target { return Target{Labels: l} }

// Values returns a Target of target values.
func Values(v *Matrix) Target { return Target{Values: v} }

// rows returns the number of samples of t.
func (t Target) rows() int {
	if t.Values != nil {
		return t.Values.Rows
	}
	return len(t.Labels)
}

// value returns target element (i, j), a one-hot 0 or 1 for labels.
func (t Target) value(i, j int) float32 {
	if t.Values != nil {
		return t.Values.Data[i*t.Values.Cols+j]
	}
	if t.Labels[i] == j {
		return 1
	}
	return 0
}

// check panics, naming the function and the shapes, unless t fits predictions p.
func (t Target) check(fn string, p *Matrix) {
	switch {
	case t.Values != nil && t.Labels != nil:
		panic(fmt.Sprintf("nn.%s: target has both labels and values", fn))
	case t.Values != nil:
		if t.Values.Rows != p.Rows || t.Values.Cols != p.Cols {
			panic(fmt.Sprintf("nn.%s: predictions are %s, targets %s", fn, p.Shape(), t.Values.Shape()))
		}
	default:
		if len(t.Labels) != p.Rows {
			panic(fmt.Sprintf("nn.%s: predictions are %s, got %d labels", fn, p.Shape(), len(t.Labels)))
		}
		for i, l := range t.Labels {
			if l < 0 || l >= p.Cols {
				panic(fmt.Sprintf("nn.%s: label %d of row %d is outside [0, %d) for predictions %s", fn, l, i, p.Cols, p.Shape()))
			}
		}
	}
}

// Loss compares a batch of predictions with targets. Forward returns the loss, averaged over the
// batch as each loss documents, and keeps what Backward needs; Backward returns dLoss/dp for the
// last Forward in a matrix owned by the loss. A loss is single-owner: Forward and Backward must
// not run from two goroutines at once (Evaluate takes a private copy of the losses of this
// package, so passing one to concurrent Evaluate calls is safe).
type Loss interface {
	Forward(p *Matrix, t Target) float64
	Backward() *Matrix
	Name() string
}

// lossBase holds the gradient buffer every loss keeps.
type lossBase struct {
	grad buffer
	ran  bool
}

func (b *lossBase) backward(fn string) *Matrix {
	if !b.ran {
		panic(fmt.Sprintf("nn.%s.Backward: called before Forward", fn))
	}
	return &b.grad.m
}

// MSE is the mean squared error over every element: sum((p-t)^2) / (rows*cols).
type MSE struct{ lossBase }

// NewMSE returns an MSE loss.
func NewMSE() *MSE { return &MSE{} }

// fresh returns a new MSE, for Evaluate.
func (*MSE) fresh() Loss { return NewMSE() }

// Name implements Loss.
func (*MSE) Name() string { return "MSE" }

// Forward implements Loss.
func (l *MSE) Forward(p *Matrix, t Target) float64 {
	return squares(&l.lossBase, "MSE.Forward", p, t, float32(2/float64(max(len(p.Data), 1))), 1/float64(max(len(p.Data), 1)))
}

// Backward implements Loss: 2*(p-t)/(rows*cols).
func (l *MSE) Backward() *Matrix { return l.backward("MSE") }

// SumSquares is the book's sum of squared errors, 0.5*sum((p-t)^2) over a row, averaged over the
// rows: for a single row it is the book's mean_squared_error (0.0975 for its example).
type SumSquares struct{ lossBase }

// NewSumSquares returns a SumSquares loss.
func NewSumSquares() *SumSquares { return &SumSquares{} }

// fresh returns a new SumSquares, for Evaluate.
func (*SumSquares) fresh() Loss { return NewSumSquares() }

// Name implements Loss.
func (*SumSquares) Name() string { return "SumSquares" }

// Forward implements Loss.
func (l *SumSquares) Forward(p *Matrix, t Target) float64 {
	return squares(&l.lossBase, "SumSquares.Forward", p, t, float32(1/float64(max(p.Rows, 1))), 0.5/float64(max(p.Rows, 1)))
}

// Backward implements Loss: (p-t)/rows.
func (l *SumSquares) Backward() *Matrix { return l.backward("SumSquares") }

// squares returns scale*sum((p-t)^2) and sets the gradient to gscale*(p-t).
func squares(b *lossBase, fn string, p *Matrix, t Target, gscale float32, scale float64) float64 {
	t.check(fn, p)
	g := b.grad.resize(p.Rows, p.Cols)
	if t.Values != nil {
		copy(g.Data, p.Data)
		kernels.Axpy(-1, t.Values.Data, g.Data)
	} else {
		copy(g.Data, p.Data)
		for i, l := range t.Labels {
			g.Data[i*p.Cols+l]--
		}
	}
	s := float64(kernels.Dot(g.Data, g.Data))
	kernels.Scale(gscale, g.Data, g.Data)
	b.ran = true
	return scale * s
}

// crossEntropyDelta is the book's delta: log(p + delta) keeps a zero probability finite.
const crossEntropyDelta = 1e-7

// CrossEntropy is the cross-entropy of probabilities p (e.g. a Softmax layer's output) against
// targets: -sum(t*log(p + 1e-7)) over a row, averaged over the rows; for one row and a one-hot
// target it is the book's cross_entropy_error (0.5108 for its example).
type CrossEntropy struct{ lossBase }

// NewCrossEntropy returns a CrossEntropy loss.
func NewCrossEntropy() *CrossEntropy { return &CrossEntropy{} }

// fresh returns a new CrossEntropy, for Evaluate.
func (*CrossEntropy) fresh() Loss { return NewCrossEntropy() }

// Name implements Loss.
func (*CrossEntropy) Name() string { return "CrossEntropy" }

// Forward implements Loss.
func (l *CrossEntropy) Forward(p *Matrix, t Target) float64 {
	t.check("CrossEntropy.Forward", p)
	g := l.grad.resize(p.Rows, p.Cols)
	inv := 1 / float32(max(p.Rows, 1))
	var s float64
	if t.Values == nil {
		g.Zero()
		for i, lab := range t.Labels {
			q := p.Data[i*p.Cols+lab] + crossEntropyDelta
			s -= math.Log(float64(q))
			g.Data[i*p.Cols+lab] = -inv / q
		}
	} else {
		for i, tv := range t.Values.Data {
			q := p.Data[i] + crossEntropyDelta
			if tv != 0 {
				s -= float64(tv) * math.Log(float64(q))
			}
			g.Data[i] = -inv * tv / q
		}
	}
	l.ran = true
	return s / float64(max(p.Rows, 1))
}

// Backward implements Loss: -t/(p + 1e-7)/rows.
func (l *CrossEntropy) Backward() *Matrix { return l.backward("CrossEntropy") }

// SoftmaxCrossEntropy is softmax followed by cross-entropy, fused, on logits z (the output of a
// linear last layer): with p = softmax(z) per row, the loss is -sum(t*log p) averaged over the
// rows, computed as log-sum-exp(z) - z[label] so that no logit overflows, and the gradient is
// (p - t)/rows. Value targets must be distributions (each row summing to 1), for which that
// gradient is exact.
type SoftmaxCrossEntropy struct{ lossBase }

// NewSoftmaxCrossEntropy returns a SoftmaxCrossEntropy loss.
func NewSoftmaxCrossEntropy() *SoftmaxCrossEntropy { return &SoftmaxCrossEntropy{} }

// fresh returns a new SoftmaxCrossEntropy, for Evaluate.
func (*SoftmaxCrossEntropy) fresh() Loss { return NewSoftmaxCrossEntropy() }

// Name implements Loss.
func (*SoftmaxCrossEntropy) Name() string { return "SoftmaxCrossEntropy" }

// Forward implements Loss.
func (l *SoftmaxCrossEntropy) Forward(z *Matrix, t Target) float64 {
	t.check("SoftmaxCrossEntropy.Forward", z)
	g := l.grad.resize(z.Rows, z.Cols)
	l.ran = true
	if len(z.Data) == 0 {
		return 0
	}
	c := z.Cols
	kernels.Softmax(g.Data, z.Data, c)
	// The largest p of a row is e^0/s with s = sum(e^(z-max)), so log s = -log(max p), and max p
	// >= 1/cols never underflows: loss = max z + log s - z[label].
	var s float64
	for i := 0; i < z.Rows; i++ {
		zr, pr := z.Data[i*c:(i+1)*c], g.Data[i*c:(i+1)*c]
		lse := float64(kernels.Max(zr)) - math.Log(float64(kernels.Max(pr)))
		if t.Values == nil {
			s += lse - float64(zr[t.Labels[i]])
		} else {
			tr := t.Values.Data[i*c : (i+1)*c]
			for j, tv := range tr {
				if tv != 0 {
					s += float64(tv) * (lse - float64(zr[j]))
				}
			}
		}
	}
	inv := 1 / float32(z.Rows)
	if t.Values == nil {
		for i, lab := range t.Labels {
			g.Data[i*c+lab]--
		}
	} else {
		kernels.Axpy(-1, t.Values.Data, g.Data)
	}
	kernels.Scale(inv, g.Data, g.Data)
	return s / float64(z.Rows)
}

// Backward implements Loss: (softmax(z) - t)/rows.
func (l *SoftmaxCrossEntropy) Backward() *Matrix { return l.backward("SoftmaxCrossEntropy") }
