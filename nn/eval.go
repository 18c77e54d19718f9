package nn

import "fmt"

// Evaluation is the result of Evaluate.
type Evaluation struct {
	Loss     float64 // mean loss over the samples (0 without a loss)
	Accuracy float64 // fraction of rows whose largest output is at the label
	// Confusion[i][j] counts the samples of label i predicted as class j.
	Confusion [][]int
}

// Evaluate runs the model in evaluation mode over x in batches of batchSize rows (0: 1000) and
// compares the outputs with labels. loss may be nil; otherwise Loss is its sample-weighted mean
// over the batches.
//
// Evaluate is safe for concurrent use on one model (it predicts as Predict does). The losses of
// this package are not shared between calls: Evaluate computes with a fresh one of the same kind,
// so one loss value may be passed from many goroutines. A Loss of another package is used as
// given and must then not be used by another goroutine during the call.
func Evaluate(m *Sequential, x *Matrix, labels []int, loss Loss, batchSize int) Evaluation {
	m.checkInput("Evaluate")
	if len(labels) != x.Rows {
		panic(fmt.Sprintf("nn.Evaluate: x is %s but there are %d labels", x.Shape(), len(labels)))
	}
	if batchSize <= 0 {
		batchSize = 1000
	}
	if f, ok := loss.(interface{ fresh() Loss }); ok {
		loss = f.fresh()
	}
	var ev Evaluation
	var correct int
	var pred []int
	m.forEachBlock("Evaluate", x, batchSize, func(from int, out *Matrix) {
		to := from + out.Rows
		lb := labels[from:to]
		if ev.Confusion == nil {
			ev.Confusion = make([][]int, out.Cols)
			for i := range ev.Confusion {
				ev.Confusion[i] = make([]int, out.Cols)
			}
		}
		for i, l := range lb {
			if l < 0 || l >= out.Cols {
				panic(fmt.Sprintf("nn.Evaluate: label %d of row %d is outside [0, %d)", l, from+i, out.Cols))
			}
		}
		if loss != nil {
			ev.Loss += loss.Forward(out, Labels(lb)) * float64(to-from)
		}
		if cap(pred) < out.Rows {
			pred = make([]int, out.Rows)
		}
		p := out.ArgMax(pred[:out.Rows])
		for i, l := range lb {
			if p[i] == l {
				correct++
			}
			ev.Confusion[l][p[i]]++
		}
	})
	if x.Rows > 0 {
		ev.Loss /= float64(x.Rows)
		ev.Accuracy = float64(correct) / float64(x.Rows)
	}
	return ev
}

// Accuracy returns the fraction of the rows of x whose largest model output is at the label.
// Safe for concurrent use (see Evaluate).
func Accuracy(m *Sequential, x *Matrix, labels []int) float64 {
	return Evaluate(m, x, labels, nil, 0).Accuracy
}
