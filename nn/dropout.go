package nn

import (
	"fmt"
	"math/rand/v2"
)

// Dropout is inverted dropout: in training each unit is zeroed with probability Rate and the
// survivors are scaled by 1/(1-Rate), so that evaluation (training false) is the identity and
// needs no rescaling.
type Dropout struct {
	Rate float32

	rng    *rand.Rand
	mask   []float32 // 0 or 1/(1-Rate) per element of the last training Forward
	train  bool
	ran    bool
	frozen bool   // reuse the last mask (GradCheck)
	shape  Matrix // shape (no data) of the last output
	y, dx  buffer
}

// NewDropout returns a Dropout layer with drop probability rate in [0, 1), drawing its masks from
// rng (nil: a generator seeded with 0).
func NewDropout(rate float32, rng *rand.Rand) *Dropout {
	if !(rate >= 0 && rate < 1) {
		panic(fmt.Sprintf("nn.NewDropout: rate = %g must be in [0, 1)", rate))
	}
	if rng == nil {
		rng = NewRand(0)
	}
	return &Dropout{Rate: rate, rng: rng}
}

// Name implements Layer.
func (l *Dropout) Name() string { return fmt.Sprintf("Dropout(%g)", l.Rate) }

// Params implements Layer.
func (*Dropout) Params() []*Param { return nil }

// OutCols implements Inferer.
func (*Dropout) OutCols(inCols int) int { return inCols }

// Infer implements Inferer: evaluation is the identity, y = x (copied; Sequential skips the
// layer instead).
func (l *Dropout) Infer(y, x *Matrix) {
	checkSameShape(l, "Infer", y, x)
	copy(y.Data, x.Data)
}

func (*Dropout) evalIdentity() {}

// Forward implements Layer. In evaluation it returns x itself.
func (l *Dropout) Forward(x *Matrix, training bool) *Matrix {
	l.ran, l.train = true, training && l.Rate > 0
	l.shape = Matrix{Rows: x.Rows, Cols: x.Cols}
	if !l.train {
		return x
	}
	y := l.y.resize(x.Rows, x.Cols)
	if cap(l.mask) < len(y.Data) {
		l.mask = make([]float32, len(y.Data))
	}
	if l.frozen && len(l.mask) == len(y.Data) {
		for i, v := range x.Data {
			y.Data[i] = v * l.mask[i]
		}
		return y
	}
	l.mask = l.mask[:len(y.Data)]
	keep := 1 / (1 - l.Rate)
	for i, v := range x.Data {
		m := keep
		if l.rng.Float32() < l.Rate {
			m = 0
		}
		l.mask[i] = m
		y.Data[i] = v * m
	}
	return y
}

// Backward implements Layer.
func (l *Dropout) Backward(dout *Matrix) *Matrix {
	if !l.ran {
		panic(fmt.Sprintf("nn.%s.Backward: called before Forward", l.Name()))
	}
	checkDout(l, dout, &l.shape, true)
	if !l.train {
		return dout
	}
	dx := l.dx.resize(dout.Rows, dout.Cols)
	for i, g := range dout.Data {
		dx.Data[i] = g * l.mask[i]
	}
	return dx
}
