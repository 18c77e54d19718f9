package nn

import "fmt"

// Maxout takes the maximum over consecutive groups of K inputs: output column j of a row is the
// largest of input columns j*K .. j*K+K-1, so the input width must be a multiple of K and the
// output is K times narrower. Put it after a Dense layer K times wider than the wanted output.
// Backward routes dout to the input that was largest (the first, on ties).
type Maxout struct {
	K int

	x     *Matrix
	arg   []int32 // index into x.Data of each output's maximum
	y, dx buffer
}

// NewMaxout returns a Maxout layer over groups of k (k >= 1).
func NewMaxout(k int) *Maxout {
	if k < 1 {
		panic(fmt.Sprintf("nn.NewMaxout: k = %d must be at least 1", k))
	}
	return &Maxout{K: k}
}

// Name implements Layer.
func (l *Maxout) Name() string { return fmt.Sprintf("Maxout(%d)", l.K) }

// Params implements Layer.
func (*Maxout) Params() []*Param { return nil }

// OutCols implements Inferer: inCols/K. It panics unless K divides inCols.
func (l *Maxout) OutCols(inCols int) int {
	if inCols%l.K != 0 {
		panic(fmt.Sprintf("nn.%s: input of %d columns, not a multiple of %d", l.Name(), inCols, l.K))
	}
	return inCols / l.K
}

// Infer implements Inferer.
func (l *Maxout) Infer(y, x *Matrix) {
	checkInfer(l, y, x, x.Cols, l.OutCols(x.Cols))
	k := l.K
	for o := range y.Data {
		g := x.Data[o*k : o*k+k]
		best := g[0]
		for _, v := range g[1:] {
			if v > best {
				best = v
			}
		}
		y.Data[o] = best
	}
}

// Forward implements Layer.
func (l *Maxout) Forward(x *Matrix, training bool) *Matrix {
	if x.Cols%l.K != 0 {
		panic(fmt.Sprintf("nn.%s.Forward: input is %s; its %d columns are not a multiple of %d", l.Name(), x.Shape(), x.Cols, l.K))
	}
	y := l.y.resize(x.Rows, x.Cols/l.K)
	if cap(l.arg) < len(y.Data) {
		l.arg = make([]int32, len(y.Data))
	}
	l.arg = l.arg[:len(y.Data)]
	k := l.K
	for o := range y.Data {
		g := x.Data[o*k : o*k+k]
		best, bi := g[0], 0
		for j := 1; j < k; j++ {
			if g[j] > best {
				best, bi = g[j], j
			}
		}
		y.Data[o] = best
		l.arg[o] = int32(o*k + bi)
	}
	l.x = x
	return y
}

// Backward implements Layer.
func (l *Maxout) Backward(dout *Matrix) *Matrix {
	checkDout(l, dout, &l.y.m, l.x != nil)
	dx := l.dx.resize(l.x.Rows, l.x.Cols)
	dx.Zero()
	for o, g := range dout.Data {
		dx.Data[l.arg[o]] = g
	}
	return dx
}
