package nn

import (
	"fmt"
	"math"
	"sync"
	"testing"
)

// smallBlocks makes inference blocks small (at most 4096 floats) for the rest of the test, so
// that the batches of the tests span several blocks.
func smallBlocks(t *testing.T) {
	old := blockFloats
	blockFloats = 1 << 12
	t.Cleanup(func() { blockFloats = old })
}

// inferModels are the models the inference tests run: every layer kind, a wider MLP whose
// batches span several inference blocks (with smallBlocks), and one with a layer that does not
// implement Inferer.
func inferModels() map[string]*Sequential {
	rng := NewRand(5)
	bn := NewBatchNorm(100, 0.9, 1e-5)
	for j := range bn.RunningMean.Data {
		bn.RunningMean.Data[j] = 0.01 * float32(j%7)
		bn.RunningVar.Data[j] = 1 + 0.1*float32(j%5)
	}
	return map[string]*Sequential{
		"every layer": everyLayerModel(),
		"wide mlp": NewSequential(NewDense(30, 100, HeNormal, rng), bn, NewReLU(), NewDropout(0.5, nil),
			NewDense(100, 40, HeNormal, rng), NewTanh(), NewDense(40, 10, XavierNormal, rng)),
		"custom layer": NewSequential(NewDense(4, 8, HeNormal, rng), &plainLayer{}, NewDense(8, 3, HeNormal, rng)),
	}
}

// plainLayer doubles its input through Forward only (it does not implement Inferer), so that
// inference through it takes the locked path.
type plainLayer struct{ y buffer }

func (l *plainLayer) Forward(x *Matrix, training bool) *Matrix {
	y := l.y.resize(x.Rows, x.Cols)
	for i, v := range x.Data {
		y.Data[i] = 2 * v
	}
	return y
}
func (l *plainLayer) Backward(dout *Matrix) *Matrix { panic("plainLayer.Backward") }
func (*plainLayer) Params() []*Param                { return nil }
func (*plainLayer) Name() string                    { return "plain" }

// TestPredictMatchesForward: the inference path gives what Forward in evaluation mode gives.
func TestPredictMatchesForward(t *testing.T) {
	smallBlocks(t)
	for name, m := range inferModels() {
		in := m.Layers[0].(*Dense).In
		for _, rows := range []int{0, 1, 7, 600} {
			x := randMatrix(NewRand(uint64(rows)), rows, in, -2, 2)
			want := m.Forward(x, false).Clone()
			got := m.Predict(x)
			if got.Rows != want.Rows || got.Cols != want.Cols {
				t.Fatalf("%s, %d rows: Predict is %s, Forward %s", name, rows, got.Shape(), want.Shape())
			}
			for i, v := range want.Data {
				if d := math.Abs(float64(got.Data[i] - v)); d > 1e-5*max(1, math.Abs(float64(v))) {
					t.Fatalf("%s, %d rows: element %d is %g, Forward gives %g", name, rows, i, got.Data[i], v)
				}
			}
		}
	}
}

// TestPredictOwnsMemory: a second Predict does not change what the first returned, and
// PredictInto writes where it is told.
func TestPredictOwnsMemory(t *testing.T) {
	rng := NewRand(8)
	m := NewSequential(NewDense(4, 6, HeNormal, rng), NewTanh(), NewDense(6, 3, HeNormal, rng))
	a, b := randMatrix(NewRand(1), 3, 4, -2, 2), randMatrix(NewRand(2), 3, 4, -2, 2)
	pa := m.Predict(a)
	keep := pa.Clone()
	pb := m.Predict(b)
	if !equal(pa.Data, keep.Data) || equal(pa.Data, pb.Data) {
		t.Fatal("a second Predict changed the first one's result")
	}
	dst := NewMatrix(3, pa.Cols)
	if got := m.PredictInto(dst, a); got != dst || !equal(dst.Data, keep.Data) {
		t.Fatal("PredictInto did not write its result into dst")
	}
	mustPanic(t, func() { m.PredictInto(NewMatrix(2, pa.Cols), a) }, "nn.Sequential.PredictInto", "dst is 2x3", "want 3x3")
	mustPanic(t, func() { m.Predict(NewMatrix(1, 5)) }, "Dense(4, 6)", "5 columns")
	mustPanic(t, func() { m.ClassifyInto(make([]int, 1), a) }, "ClassifyInto", "len(dst) = 1")
	mustPanic(t, func() { NewSequential().Predict(a) }, "Predict", "no layers")
	sq := NewSequential(NewDense(3, 3, nil, nil))
	x := NewMatrix(2, 3)
	mustPanic(t, func() { sq.PredictInto(x, x) }, "PredictInto", "must not overlap")
}

func TestClassifyAndProba(t *testing.T) {
	rng := NewRand(4)
	logits := NewSequential(NewDense(5, 4, HeNormal, rng))
	soft := NewSequential(logits.Layers[0], NewSoftmax(), NewDropout(0.1, nil))
	x := randMatrix(NewRand(3), 9, 5, -1, 1)
	out := logits.Predict(x)
	p1, p2 := logits.PredictProba(x), soft.PredictProba(x)
	for i := range x.Rows {
		var s float64
		for j := range 4 {
			s += float64(p1.At(i, j))
			if math.Abs(float64(p1.At(i, j)-p2.At(i, j))) > 1e-6 {
				t.Fatalf("row %d: softmax of the logits %v, the Softmax model %v", i, p1.Row(i), p2.Row(i))
			}
		}
		if math.Abs(s-1) > 1e-5 {
			t.Fatalf("row %d sums to %g", i, s)
		}
	}
	want := out.ArgMax(nil)
	for _, got := range [][]int{logits.Classify(x), soft.Classify(x), p1.ArgMax(nil)} {
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("Classify = %v, want %v", got, want)
		}
	}
}

// TestConcurrentInference runs Predict, PredictInto, Classify, PredictProba and Evaluate on one
// model from many goroutines at once, with batches of mixed sizes, and checks that every answer
// equals the one computed beforehand on one goroutine. Run it with -race.
func TestConcurrentInference(t *testing.T) {
	smallBlocks(t)
	sizes := []int{1, 2, 5, 33, 128, 401}
	goroutines, rounds := 16, 6
	if raceEnabled {
		rounds = 3
	}
	for name, m := range inferModels() {
		t.Run(name, func(t *testing.T) {
			in := m.Layers[0].(*Dense).In
			type answer struct {
				x, out, proba *Matrix
				class         []int
				labels        []int
				ev            Evaluation
			}
			answers := make([]answer, len(sizes))
			loss := NewSoftmaxCrossEntropy()
			for i, n := range sizes {
				x := randMatrix(NewRand(uint64(100+i)), n, in, -2, 2)
				a := answer{x: x, out: m.Predict(x), proba: m.PredictProba(x), class: m.Classify(x)}
				a.labels = make([]int, n)
				for r := range a.labels {
					a.labels[r] = (r * 7) % a.out.Cols
				}
				a.ev = Evaluate(m, x, a.labels, loss, 50)
				answers[i] = a
			}
			var wg sync.WaitGroup
			errs := make(chan error, goroutines)
			for g := range goroutines {
				wg.Add(1)
				go func() {
					defer wg.Done()
					dst := map[int]*Matrix{}
					for r := range rounds {
						for k := range answers {
							i := (k*5 + g + r) % len(answers)
							a := answers[i]
							var got *Matrix
							switch (g + r + k) % 4 {
							case 0:
								got = m.Predict(a.x)
							case 1:
								if dst[i] == nil {
									dst[i] = NewMatrix(a.x.Rows, a.out.Cols)
								}
								got = m.PredictInto(dst[i], a.x)
							case 2:
								if c := m.Classify(a.x); fmt.Sprint(c) != fmt.Sprint(a.class) {
									errs <- fmt.Errorf("goroutine %d: Classify of %d rows differs", g, a.x.Rows)
									return
								}
								got = m.PredictProba(a.x)
								if !equal(got.Data, a.proba.Data) {
									errs <- fmt.Errorf("goroutine %d: PredictProba of %d rows differs", g, a.x.Rows)
									return
								}
								continue
							case 3:
								ev := Evaluate(m, a.x, a.labels, loss, 50)
								if ev.Loss != a.ev.Loss || ev.Accuracy != a.ev.Accuracy || fmt.Sprint(ev.Confusion) != fmt.Sprint(a.ev.Confusion) {
									errs <- fmt.Errorf("goroutine %d: Evaluate of %d rows gives %v, alone %v", g, a.x.Rows, ev, a.ev)
									return
								}
								continue
							}
							if !equal(got.Data, a.out.Data) {
								errs <- fmt.Errorf("goroutine %d: Predict of %d rows differs from the one-goroutine answer", g, a.x.Rows)
								return
							}
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
		})
	}
}
