package nn

import (
	"fmt"
	"sync"

	"github.com/lanesimd/lanes/kernels"
)

// The inference path. Predict and its relatives run the layers' Infer methods on scratch memory
// taken from a pool for the duration of one call, so that any number of goroutines may predict
// with one model at once; the layers' own buffers (Forward's) are not touched. Rows are processed
// in blocks whose widest intermediate activation holds at most blockFloats values, so that the
// scratch of a call stays small whatever the batch (every layer works row by row in evaluation
// mode, so blocking does not change the result a row gets).

// blockFloats bounds the floats of one intermediate activation of one block (1 MiB of float32).
// A variable so that tests can make blocks small.
var blockFloats = 1 << 18

// floatPool holds the scratch buffers of inference calls: each call takes what it needs (two
// ping-pong buffers for the intermediate activations, one for outputs the caller does not keep)
// and puts them back when it returns.
var floatPool = sync.Pool{New: func() any { return new([]float32) }}

// getFloats returns a pooled buffer of n floats (contents unspecified); putFloats returns it.
func getFloats(n int) *[]float32 {
	p := floatPool.Get().(*[]float32)
	if cap(*p) < n {
		*p = make([]float32, n)
	}
	*p = (*p)[:n]
	return p
}

func putFloats(p *[]float32) { floatPool.Put(p) }

// plan lists the layers inference runs (those that are the identity in evaluation mode are left
// out) and the widths: widths[0] is inCols, widths[i+1] the output width of run[i]. ok is false
// when a layer does not implement Inferer; run and widths are then nil. It panics, naming the
// layer, when a layer does not accept the width it gets. A Dense layer and the activation that
// runs next, when kernels.Linear can apply it, are one step (denseAct, see dense_fused.go).
func (m *Sequential) plan(inCols int) (run []Inferer, widths []int, ok bool) {
	widths = append(make([]int, 0, len(m.Layers)+1), inCols)
	run = make([]Inferer, 0, len(m.Layers))
	ls := m.Layers
	for i := 0; i < len(ls); i++ {
		l := ls[i]
		if _, skip := l.(passThrough); skip {
			continue
		}
		inf, isInf := l.(Inferer)
		if !isInf {
			return nil, nil, false
		}
		if c, conv := l.(*Conv2D); conv && fusedAt(ls, i) == fuseConvReLUPool {
			f := &convPoolInfer{Conv2D: c, relu: ls[i+1], pool: ls[i+2].(*MaxPool2D)}
			widths = append(widths, f.OutCols(widths[len(widths)-1]))
			run = append(run, f)
			i += 2
			continue
		}
		widths = append(widths, inf.OutCols(widths[len(widths)-1]))
		if d, dense := l.(*Dense); dense && fuseLayers {
			if j, act, ok := nextActivation(ls, i+1); ok {
				run = append(run, &denseAct{Dense: d, act: act, next: ls[j]})
				i = j
				continue
			}
		}
		run = append(run, inf)
	}
	return run, widths, true
}

// nextActivation returns the index of the first layer from i on that is not the identity in
// evaluation mode, and its activation of kernels.Linear, when it has one.
func nextActivation(ls []Layer, i int) (j int, act kernels.Activation, ok bool) {
	for j = i; j < len(ls); j++ {
		if _, skip := ls[j].(passThrough); !skip {
			break
		}
	}
	if j == len(ls) {
		return 0, 0, false
	}
	_, act, _, ok = linearActOf(ls[j])
	return j, act, ok
}

// outCols returns the width of the model's output for inputs of inCols columns, or -1 when a
// layer does not implement Inferer (the width is then known only after running it).
func (m *Sequential) outCols(inCols int) int {
	_, widths, ok := m.plan(inCols)
	if !ok {
		return -1
	}
	return widths[len(widths)-1]
}

// checkDst returns dst, or a new rows x cols matrix when dst is nil; it panics, naming fn and
// the shapes, when dst has another shape.
func checkDst(fn string, dst *Matrix, rows, cols int) *Matrix {
	if dst == nil {
		return NewMatrix(rows, cols)
	}
	if dst.Rows != rows || dst.Cols != cols || len(dst.Data) != rows*cols {
		panic(fmt.Sprintf("nn.Sequential.%s: dst is %s (%d values), want %dx%d", fn, dst.Shape(), len(dst.Data), rows, cols))
	}
	return dst
}

// Predict returns the model's output in evaluation mode (Dropout off, BatchNorm on its running
// statistics) for the rows of x, in a new matrix that the caller owns. It is safe for concurrent
// use: any number of goroutines may predict with one model at once (see Sequential). It panics,
// naming the layer and the sizes, when x does not have the width the model takes.
func (m *Sequential) Predict(x *Matrix) *Matrix { return m.predictInto("Predict", nil, x) }

// PredictInto is Predict writing into dst, which must have x.Rows rows and the model's output
// width and must not overlap x; a nil dst is allocated. It returns dst. Safe for concurrent use
// (with distinct dst).
func (m *Sequential) PredictInto(dst, x *Matrix) *Matrix {
	return m.predictInto("PredictInto", dst, x)
}

func (m *Sequential) predictInto(fn string, dst, x *Matrix) *Matrix {
	m.checkInput(fn)
	run, widths, ok := m.plan(x.Cols)
	if !ok {
		return m.predictLocked(fn, dst, x)
	}
	dst = checkDst(fn, dst, x.Rows, widths[len(widths)-1])
	if len(dst.Data) > 0 && len(x.Data) > 0 && &dst.Data[0] == &x.Data[0] {
		panic(fmt.Sprintf("nn.Sequential.%s: dst is x (%s); the output must not overlap the input", fn, x.Shape()))
	}
	if len(run) == 0 {
		copy(dst.Data, x.Data)
		return dst
	}
	inner := 0 // the widest intermediate activation
	for _, w := range widths[1 : len(widths)-1] {
		inner = max(inner, w)
	}
	block := x.Rows
	if inner > 0 {
		block = min(block, max(blockFloats/inner, 1))
	}
	var bufs [2][]float32
	if len(run) > 1 {
		a, b := getFloats(block*inner), getFloats(block*inner)
		defer putFloats(a)
		defer putFloats(b)
		bufs = [2][]float32{*a, *b}
	}
	for from := 0; from < x.Rows; from += block {
		to := min(from+block, x.Rows)
		n := to - from
		cur := x.Slice(from, to)
		for i, l := range run {
			var y *Matrix
			if i == len(run)-1 {
				y = dst.Slice(from, to)
			} else {
				w := widths[i+1]
				y = &Matrix{Rows: n, Cols: w, Data: bufs[i%2][:n*w]}
			}
			l.Infer(y, cur)
			cur = y
		}
	}
	return dst
}

// predictLocked runs a model with a layer that does not implement Inferer: Forward in
// evaluation mode under the model's lock, the output copied into dst.
func (m *Sequential) predictLocked(fn string, dst, x *Matrix) *Matrix {
	m.mu.Lock()
	defer m.mu.Unlock()
	y := m.Forward(x, false)
	dst = checkDst(fn, dst, y.Rows, y.Cols)
	copy(dst.Data, y.Data)
	return dst
}

// forEachBlock predicts the rows of x in blocks of at most rows rows (0: a size that keeps the
// outputs of a block within blockFloats values) into pooled memory and calls f with the row
// offset of each block and its outputs, which are valid only during the call.
func (m *Sequential) forEachBlock(fn string, x *Matrix, rows int, f func(from int, out *Matrix)) {
	m.checkInput(fn)
	out := m.outCols(x.Cols)
	if out < 0 { // a layer without Inferer: one locked pass
		y := m.predictLocked(fn, nil, x)
		f(0, y)
		return
	}
	if rows <= 0 {
		rows = max(blockFloats/max(out, 1), 1)
	}
	rows = max(min(rows, x.Rows), 1)
	p := getFloats(rows * out)
	defer putFloats(p)
	for from := 0; from < x.Rows; from += rows {
		to := min(from+rows, x.Rows)
		y := &Matrix{Rows: to - from, Cols: out, Data: (*p)[:(to-from)*out]}
		m.predictInto(fn, y, x.Slice(from, to))
		f(from, y)
	}
}

// Classify returns, for each row of x, the index of the model's largest output (the predicted
// class; ties go to the first), in a new slice. Safe for concurrent use.
func (m *Sequential) Classify(x *Matrix) []int { return m.ClassifyInto(nil, x) }

// ClassifyInto is Classify writing into dst, which must have len(dst) == x.Rows; a nil dst is
// allocated. It returns dst. Safe for concurrent use (with distinct dst).
func (m *Sequential) ClassifyInto(dst []int, x *Matrix) []int {
	if dst == nil {
		dst = make([]int, x.Rows)
	}
	if len(dst) != x.Rows {
		panic(fmt.Sprintf("nn.Sequential.ClassifyInto: len(dst) = %d, x is %s", len(dst), x.Shape()))
	}
	m.forEachBlock("ClassifyInto", x, 0, func(from int, out *Matrix) {
		if out.Cols == 0 {
			panic(fmt.Sprintf("nn.Sequential.ClassifyInto: the model gives 0 outputs for input %s", x.Shape()))
		}
		out.ArgMax(dst[from : from+out.Rows])
	})
	return dst
}

// PredictProba returns class probabilities for the rows of x in a new matrix: the model's
// output when its last layer (Dropout and Identity aside) is Softmax, else the row-wise softmax
// of the output, which is then taken to be logits (as for a model trained with
// SoftmaxCrossEntropy). Safe for concurrent use.
func (m *Sequential) PredictProba(x *Matrix) *Matrix { return m.PredictProbaInto(nil, x) }

// PredictProbaInto is PredictProba writing into dst (see PredictInto). Safe for concurrent use
// (with distinct dst).
func (m *Sequential) PredictProbaInto(dst, x *Matrix) *Matrix {
	dst = m.predictInto("PredictProbaInto", dst, x)
	if m.endsWithSoftmax() || len(dst.Data) == 0 {
		return dst
	}
	kernels.Softmax(dst.Data, dst.Data, dst.Cols)
	return dst
}

// endsWithSoftmax reports whether the last layer that is not the identity in evaluation mode is
// a Softmax.
func (m *Sequential) endsWithSoftmax() bool {
	for i := len(m.Layers) - 1; i >= 0; i-- {
		if _, skip := m.Layers[i].(passThrough); skip {
			continue
		}
		_, ok := m.Layers[i].(*Softmax)
		return ok
	}
	return false
}
