package nn

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// blobs returns n samples of 3 well separated Gaussian clusters in 2-D, labels 0..2.
func blobs(n int, seed uint64) (*Matrix, []int) {
	rng := NewRand(seed)
	centres := [][2]float64{{-2, -2}, {2, -1}, {0, 2.5}}
	x := NewMatrix(n, 2)
	y := make([]int, n)
	for i := range n {
		c := rng.IntN(3)
		y[i] = c
		x.Data[2*i] = float32(centres[c][0] + 0.5*rng.NormFloat64())
		x.Data[2*i+1] = float32(centres[c][1] + 0.5*rng.NormFloat64())
	}
	return x, y
}

func smallNet(seed uint64, act Layer) *Sequential {
	rng := NewRand(seed)
	return NewSequential(NewDense(2, 16, HeNormal, rng), act, NewDense(16, 3, XavierNormal, rng))
}

// TestTrainingConverges trains a small net on separable blobs with every optimizer: the loss
// falls by at least 5x and held-out accuracy exceeds 0.97.
func TestTrainingConverges(t *testing.T) {
	x, y := blobs(600, 1)
	xt, yt := blobs(300, 2)
	opts := []Optimizer{NewSGD(0.1), NewMomentum(0.05, 0.9), NewNesterov(0.05, 0.9), NewAdaGrad(0.1), NewRMSProp(0.01, 0.99), NewAdam(0.01)}
	for _, opt := range opts {
		t.Run(opt.Name(), func(t *testing.T) {
			m := smallNet(3, NewReLU())
			tr := NewTrainer(m, NewSoftmaxCrossEntropy(), opt)
			h := tr.Fit(x, Labels(y), FitConfig{BatchSize: 32, Epochs: 10, Seed: 4})
			first, last := h.EpochLoss[0], h.EpochLoss[len(h.EpochLoss)-1]
			ev := Evaluate(m, xt, yt, NewSoftmaxCrossEntropy(), 64)
			t.Logf("epoch loss %.4f -> %.4f, test loss %.4f, accuracy %.4f", first, last, ev.Loss, ev.Accuracy)
			if !(last < first/5) || ev.Accuracy < 0.97 {
				t.Errorf("did not converge: loss %.4f -> %.4f, accuracy %.4f", first, last, ev.Accuracy)
			}
		})
	}
}

// TestTrainingLayersConverge trains with BatchNorm, Dropout and other activations in the model.
func TestTrainingLayersConverge(t *testing.T) {
	x, y := blobs(600, 1)
	xt, yt := blobs(300, 2)
	acts := []func() []Layer{
		func() []Layer { return []Layer{NewSigmoid()} },
		func() []Layer { return []Layer{NewTanh()} },
		func() []Layer { return []Layer{NewLeakyReLU(0.01)} },
		func() []Layer { return []Layer{NewELU(1)} },
		func() []Layer { return []Layer{NewBatchNorm(16, 0.9, 1e-5), NewReLU(), NewDropout(0.2, NewRand(9))} },
	}
	for _, mk := range acts {
		rng := NewRand(3)
		layers := append([]Layer{NewDense(2, 16, HeNormal, rng)}, mk()...)
		layers = append(layers, NewDense(16, 3, XavierNormal, rng))
		m := NewSequential(layers...)
		t.Run(m.String(), func(t *testing.T) {
			NewTrainer(m, NewSoftmaxCrossEntropy(), NewAdam(0.01)).Fit(x, Labels(y), FitConfig{BatchSize: 32, Epochs: 10, Seed: 4})
			if acc := Accuracy(m, xt, yt); acc < 0.97 {
				t.Errorf("accuracy %.4f < 0.97", acc)
			}
		})
	}
	// Maxout(2) after a Dense twice as wide; a Softmax layer with CrossEntropy on probabilities.
	rng := NewRand(3)
	m := NewSequential(NewDense(2, 32, HeNormal, rng), NewMaxout(2), NewDense(16, 3, XavierNormal, rng), NewSoftmax())
	NewTrainer(m, NewCrossEntropy(), NewAdam(0.01)).Fit(x, Labels(y), FitConfig{BatchSize: 32, Epochs: 10, Seed: 4})
	if acc := Accuracy(m, xt, yt); acc < 0.97 {
		t.Errorf("Maxout + Softmax + CrossEntropy: accuracy %.4f < 0.97", acc)
	}
	// Regression with MSE on one-hot values.
	oneHot := NewMatrix(x.Rows, 3)
	for i, l := range y {
		oneHot.Set(i, l, 1)
	}
	m = smallNet(3, NewTanh())
	h := NewTrainer(m, NewMSE(), NewAdam(0.01)).Fit(x, Values(oneHot), FitConfig{BatchSize: 32, Epochs: 10, Seed: 4})
	if acc := Accuracy(m, xt, yt); acc < 0.97 || !(h.EpochLoss[len(h.EpochLoss)-1] < h.EpochLoss[0]/3) {
		t.Errorf("MSE on one-hot values: accuracy %.4f, loss %v", acc, h.EpochLoss)
	}
}

// TestFitDeterministic: the same seed gives bit-identical weights; another seed does not.
func TestFitDeterministic(t *testing.T) {
	x, y := blobs(300, 1)
	run := func(seed uint64, sampled bool) []float32 {
		m := NewSequential(NewDense(2, 8, HeNormal, NewRand(seed)), NewDropout(0.2, NewRand(seed)), NewReLU(), NewDense(8, 3, HeNormal, NewRand(seed+1)))
		cfg := FitConfig{BatchSize: 20, Epochs: 2, Seed: seed}
		if sampled {
			cfg.Iterations = 25
		}
		NewTrainer(m, NewSoftmaxCrossEntropy(), NewMomentum(0.05, 0.9)).Fit(x, Labels(y), cfg)
		var w []float32
		for _, p := range m.Params() {
			w = append(w, p.Value.Data...)
		}
		return w
	}
	for _, sampled := range []bool{false, true} {
		if !equal(run(1, sampled), run(1, sampled)) {
			t.Errorf("sampled=%v: same seed, different weights", sampled)
		}
		if equal(run(1, sampled), run(2, sampled)) {
			t.Errorf("sampled=%v: different seeds, same weights", sampled)
		}
	}
}

// TestFitCallbacksAndHistory: counts of iterations and epochs in both modes, a partial last batch,
// and no progress bar on something that is not a terminal.
func TestFitCallbacksAndHistory(t *testing.T) {
	x, y := blobs(250, 1)
	var buf bytes.Buffer
	cases := []struct {
		cfg           FitConfig
		iters, epochs int
	}{
		{FitConfig{BatchSize: 100, Epochs: 2, Progress: &buf}, 6, 2},     // 100, 100, 50 per epoch
		{FitConfig{BatchSize: 100, Iterations: 5, Progress: &buf}, 5, 3}, // 2 per "epoch"
	}
	for _, c := range cases {
		m := smallNet(1, NewReLU())
		var its, eps []int
		c.cfg.OnIteration = func(i IterationInfo) { its = append(its, i.Iteration) }
		c.cfg.OnEpoch = func(e EpochInfo) { eps = append(eps, e.Iteration) }
		h := NewTrainer(m, NewSoftmaxCrossEntropy(), NewSGD(0.1)).Fit(x, Labels(y), c.cfg)
		if len(its) != c.iters || its[len(its)-1] != c.iters || len(h.Loss) != c.iters {
			t.Errorf("%+v: iterations %v, history %d, want %d", c.cfg, its, len(h.Loss), c.iters)
		}
		if len(eps) != c.epochs || len(h.EpochLoss) != c.epochs || eps[len(eps)-1] != c.iters {
			t.Errorf("%+v: epochs ended at %v, want %d epochs", c.cfg, eps, c.epochs)
		}
		if h.TrainTime <= 0 {
			t.Errorf("train time %v", h.TrainTime)
		}
	}
	if buf.Len() != 0 {
		t.Errorf("progress written to a bytes.Buffer: %q", buf.String())
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(f) || IsTerminal(&buf) || IsTerminal(nil) {
		t.Error("IsTerminal true for a regular file, a buffer or nil")
	}
}

// TestStepNoAllocs: after the first iteration a training step allocates nothing, for a model
// with every layer kind that trains and every optimizer; so does Fit's batch gathering.
func TestStepNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts do not hold under the race detector")
	}
	x, y := blobs(64, 1)
	xb, yb := x.Slice(0, 32), Labels(y[:32])
	for _, opt := range []Optimizer{NewSGD(0), NewMomentum(0, 0), NewNesterov(0, 0), NewAdaGrad(0), NewRMSProp(0, 0), NewAdam(0)} {
		rng := NewRand(1)
		m := NewSequential(
			NewDense(2, 12, HeNormal, rng), NewBatchNorm(12, 0.9, 1e-5), NewReLU(), NewDropout(0.1, rng),
			NewDense(12, 12, HeNormal, rng), NewMaxout(2), NewTanh(),
			NewDense(6, 6, HeNormal, rng), NewSigmoid(), NewLeakyReLU(0.1), NewELU(1), NewIdentity(),
			NewDense(6, 3, HeNormal, rng),
		)
		tr := NewTrainer(m, NewSoftmaxCrossEntropy(), opt)
		if a := allocsPerRun(20, func() { tr.Step(xb, yb) }); a != 0 {
			t.Errorf("%s: %v allocations per step", opt.Name(), a)
		}
	}
	m := smallNet(1, NewReLU())
	tr := NewTrainer(m, NewMSE(), NewSGD(0))
	oneHot := NewMatrix(64, 3)
	bt := newBatch(32, x.Cols, Values(oneHot))
	idx := make([]int32, 32)
	if a := allocsPerRun(20, func() {
		xv, yv := bt.gather(x, Values(oneHot), idx)
		tr.Step(xv, yv)
	}); a != 0 {
		t.Errorf("gather + step with value targets: %v allocations", a)
	}
	bx, _ := byteSamples(64, 2)
	if a := allocsPerRun(20, func() {
		xv, yv := bt.gather(bx, Values(oneHot), idx)
		tr.Step(xv, yv)
	}); a != 0 {
		t.Errorf("gather from a ByteMatrix + step: %v allocations", a)
	}
}

func TestEvaluateConfusion(t *testing.T) {
	// An identity "model" over 3 columns: the prediction is the argmax of the input row.
	m := NewSequential(NewIdentity())
	x := FromSlice(4, 3, []float32{1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0})
	ev := Evaluate(m, x, []int{0, 1, 1, 2}, NewSoftmaxCrossEntropy(), 3)
	if ev.Accuracy != 0.5 {
		t.Errorf("accuracy %v, want 0.5", ev.Accuracy)
	}
	want := [][]int{{1, 0, 0}, {0, 1, 1}, {1, 0, 0}}
	for i := range want {
		for j := range want[i] {
			if ev.Confusion[i][j] != want[i][j] {
				t.Fatalf("confusion %v, want %v", ev.Confusion, want)
			}
		}
	}
	// Each row: logits with one 1: loss log(e + 2) - 1 when right, log(e + 2) when wrong.
	l := math.Log(math.E + 2)
	if wantL := (2*(l-1) + 2*l) / 4; math.Abs(ev.Loss-wantL) > 1e-6 {
		t.Errorf("loss %v, want %v", ev.Loss, wantL)
	}
}

// TestFitAllocsIndependentOfLength: Fit allocates the same whether it runs 10 or 100 batches, 1 or
// 5 epochs, so nothing in its loop allocates per iteration or per epoch.
func TestFitAllocsIndependentOfLength(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts do not hold under the race detector")
	}
	x, y := blobs(200, 1)
	allocs := func(cfg FitConfig) float64 {
		return allocsPerRun(3, func() {
			m := smallNet(1, NewReLU())
			NewTrainer(m, NewSoftmaxCrossEntropy(), NewAdam(0)).Fit(x, Labels(y), cfg)
		})
	}
	if a, b := allocs(FitConfig{BatchSize: 20, Iterations: 10}), allocs(FitConfig{BatchSize: 20, Iterations: 100}); a != b {
		t.Errorf("sampled: %v allocations for 10 batches, %v for 100", a, b)
	}
	if a, b := allocs(FitConfig{BatchSize: 30, Epochs: 1}), allocs(FitConfig{BatchSize: 30, Epochs: 5}); a != b {
		t.Errorf("shuffled: %v allocations for 1 epoch, %v for 5", a, b)
	}
}

// TestFitBatchOrder: Fit draws each batch one step ahead (to prefetch its rows), yet trains on the
// batches in the order of its seed's random numbers: the same weights as a plain loop that draws
// a batch, gathers it and steps, sampled and in shuffled epochs.
func TestFitBatchOrder(t *testing.T) {
	x, y := blobs(300, 1)
	const bs = 20
	newModel := func() *Sequential {
		return NewSequential(NewDense(2, 8, HeNormal, NewRand(3)), NewReLU(), NewDense(8, 3, HeNormal, NewRand(4)))
	}
	weights := func(m *Sequential) []float32 {
		var w []float32
		for _, p := range m.Params() {
			w = append(w, p.Value.Data...)
		}
		return w
	}
	for _, sampled := range []bool{true, false} {
		m := newModel()
		cfg := FitConfig{BatchSize: bs, Epochs: 2, Seed: 9}
		if sampled {
			cfg.Iterations = 37
		}
		NewTrainer(m, NewSoftmaxCrossEntropy(), NewSGD(0.1)).Fit(x, Labels(y), cfg)

		ref := newModel()
		tr := NewTrainer(ref, NewSoftmaxCrossEntropy(), NewSGD(0.1))
		rng := NewRand(9)
		step := func(idx []int) {
			xb := NewMatrix(len(idx), x.Cols)
			yb := make([]int, len(idx))
			for i, r := range idx {
				copy(xb.Data[i*x.Cols:(i+1)*x.Cols], x.Data[r*x.Cols:(r+1)*x.Cols])
				yb[i] = y[r]
			}
			tr.Step(xb, Labels(yb))
		}
		if sampled {
			for range 37 {
				idx := make([]int, bs)
				for i := range idx {
					idx[i] = rng.IntN(x.Rows)
				}
				step(idx)
			}
		} else {
			order := make([]int, x.Rows)
			for i := range order {
				order[i] = i
			}
			for range 2 {
				rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
				for b := 0; b < x.Rows; b += bs {
					step(order[b:min(b+bs, x.Rows)])
				}
			}
		}
		if !equal(weights(m), weights(ref)) {
			t.Errorf("sampled=%v: Fit's weights differ from those of the plain loop", sampled)
		}
	}
}
