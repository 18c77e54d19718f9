package nn

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Trainer trains a model with a loss and an optimizer.
//
// A Trainer and the model it trains are single-owner: Step and Fit must not run from two
// goroutines at once, nor while another goroutine predicts with or saves the model (Predict and
// Evaluate are safe for concurrent use only with each other). Evaluate from the OnEpoch and
// OnIteration callbacks is fine: they run on Fit's goroutine, between steps.
type Trainer struct {
	Model     *Sequential
	Loss      Loss
	Optimizer Optimizer

	bar *progressbar.ProgressBar // during Fit, when a progress bar is drawn
}

// ClearProgress erases Fit's progress bar from the terminal, if one is drawn, so that a callback
// can print a line; the bar is drawn again at its next update. Fit does it before OnEpoch itself.
func (t *Trainer) ClearProgress() {
	if t.bar != nil {
		t.bar.Clear()
	}
}

// NewTrainer returns a Trainer.
func NewTrainer(model *Sequential, loss Loss, opt Optimizer) *Trainer {
	return &Trainer{Model: model, Loss: loss, Optimizer: opt}
}

// Step runs one training iteration on a batch: forward in training mode, the loss, backward and
// one optimizer update. It returns the batch's loss. At a fixed batch size it allocates nothing
// after its first call.
func (t *Trainer) Step(x *Matrix, y Target) float64 {
	t.Model.checkInput("Step")
	out := t.Model.Forward(x, true)
	loss := t.Loss.Forward(out, y)
	t.Model.backward(t.Loss.Backward(), false)
	t.Optimizer.Step(t.Model.Params())
	return loss
}

// FitConfig says how Fit trains.
type FitConfig struct {
	BatchSize int // rows per batch; 0 means 100
	// Epochs is the number of passes over the data, each in a new random order (the last batch of
	// an epoch may be smaller). Used when Iterations is 0; 0 means 1.
	Epochs int
	// Iterations, if positive, trains on this many batches each drawn at random with replacement
	// (the book's np.random.choice); an "epoch" is then rows/BatchSize iterations, for OnEpoch.
	Iterations int
	Seed       uint64 // seeds the order of the samples (NewRand)
	// Progress, if it is a terminal, shows a progress bar; nil or anything else shows none.
	Progress io.Writer
	// Description labels the progress bar.
	Description string
	// OnIteration and OnEpoch, if set, are called after every iteration and every epoch. The time
	// they take is not counted in History.TrainTime.
	OnIteration func(IterationInfo)
	OnEpoch     func(EpochInfo)
	// Schedule, if set, scales the optimizer's learning rate before every epoch (CosineDecay,
	// StepDecay; see Schedule). The optimizer must be a LearningRater.
	Schedule Schedule
}

// IterationInfo describes one finished training iteration.
type IterationInfo struct {
	Epoch     int     // from 1
	Iteration int     // from 1, counted over the whole run
	Loss      float64 // of this batch
	// Elapsed is the training time so far, callbacks excluded.
	Elapsed time.Duration
}

// EpochInfo describes one finished epoch.
type EpochInfo struct {
	Epoch     int           // from 1
	Iteration int           // iterations run so far
	Loss      float64       // mean batch loss over the epoch
	Elapsed   time.Duration // training time so far, callbacks excluded
	// LearningRate is the optimizer's learning rate in this epoch (0 if it is not a
	// LearningRater).
	LearningRate float32
}

// History is what Fit records.
type History struct {
	Loss      []float64     // the loss of every iteration
	EpochLoss []float64     // the mean loss of every epoch
	TrainTime time.Duration // time in training, callbacks excluded
}

// Fit trains the model on the rows of x (a *Matrix, or a *ByteMatrix converted batch by batch)
// with targets y (labels or values, one per row) and returns the history. It is deterministic
// for a given Seed, model, data and GOMAXPROCS (the layers that split a batch over goroutines sum
// their parts' gradients, so another number of parts rounds differently: SimpleConvNet's epoch
// on MNIST ends at 0.9807 test accuracy on one core, 0.9813 on two), and a ByteMatrix trains
// exactly as its Matrix would.
func (t *Trainer) Fit(x Samples, y Target, cfg FitConfig) History {
	t.Model.checkInput("Fit")
	n, cols := x.Dims()
	if y.rows() != n {
		panic(fmt.Sprintf("nn.Trainer.Fit: x is %dx%d but there are %d targets", n, cols, y.rows()))
	}
	if n == 0 {
		panic("nn.Trainer.Fit: no training data")
	}
	bs := cfg.BatchSize
	if bs <= 0 {
		bs = 100
	}
	bs = min(bs, n)
	sampled := cfg.Iterations > 0
	var total, perEpoch, epochs int
	if sampled {
		total, perEpoch = cfg.Iterations, max(n/bs, 1)
		epochs = (total + perEpoch - 1) / perEpoch
	} else {
		epochs = max(cfg.Epochs, 1)
		perEpoch = (n + bs - 1) / bs
		total = epochs * perEpoch
	}
	rng := NewRand(cfg.Seed)
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	idx := make([]int32, bs)
	bt := newBatch(bs, cols, y)
	h := History{Loss: make([]float64, 0, total), EpochLoss: make([]float64, 0, epochs)}
	bar := newBar(cfg.Progress, total, cfg.Description)
	t.bar = bar
	defer func() { t.bar = nil }()
	sched := newScheduler(cfg.Schedule, t.Optimizer, epochs)
	if sched != nil {
		defer sched.restore()
	}
	var inCallbacks time.Duration
	start := time.Now()
	it := 0
	for ep := 1; it < total; ep++ {
		if sched != nil {
			sched.start(ep)
		}
		if !sampled {
			rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		var sum float64
		iters := 0
		for b := 0; b < perEpoch && it < total; b++ {
			// The batch is drawn at random (sampled) or lies in the shuffled order.
			batch := idx
			if sampled {
				drawBatch(rng, idx, n)
			} else {
				batch = order[b*bs : min((b+1)*bs, n)]
			}
			xv, yv := bt.gather(x, y, batch)
			loss := t.Step(xv, yv)
			it++
			iters++
			sum += loss
			h.Loss = append(h.Loss, loss)
			if bar != nil && (it%max(total/200, 1) == 0 || it == total) {
				bar.Set(it)
			}
			if cfg.OnIteration != nil {
				c := time.Now()
				cfg.OnIteration(IterationInfo{Epoch: ep, Iteration: it, Loss: loss, Elapsed: c.Sub(start) - inCallbacks})
				inCallbacks += time.Since(c)
			}
		}
		h.EpochLoss = append(h.EpochLoss, sum/float64(iters))
		if cfg.OnEpoch != nil {
			c := time.Now()
			if bar != nil {
				bar.Clear() // the callback may print a line
			}
			e := EpochInfo{Epoch: ep, Iteration: it, Loss: sum / float64(iters), Elapsed: c.Sub(start) - inCallbacks}
			if lr, ok := t.Optimizer.(LearningRater); ok {
				e.LearningRate = lr.LearningRate()
			}
			cfg.OnEpoch(e)
			inCallbacks += time.Since(c)
		}
	}
	h.TrainTime = time.Since(start) - inCallbacks
	if bar != nil {
		bar.Finish()
		fmt.Fprintln(cfg.Progress)
	}
	return h
}

// drawBatch fills idx with rows drawn at random, with replacement, from n.
func drawBatch(rng *rand.Rand, idx []int32, n int) {
	for i := range idx {
		idx[i] = int32(rng.IntN(n))
	}
}

// batch holds Fit's batch buffers and the views of them cut to the rows of one batch.
type batch struct {
	x, xv  Matrix
	labels []int
	y, yv  Matrix
}

func newBatch(rows, cols int, y Target) *batch {
	b := &batch{x: *NewMatrix(rows, cols)}
	if y.Values != nil {
		b.y = *NewMatrix(rows, y.Values.Cols)
	} else {
		b.labels = make([]int, rows)
	}
	return b
}

// gather copies the rows idx of x and y into the batch and returns views of len(idx) rows.
func (b *batch) gather(x Samples, y Target, idx []int32) (*Matrix, Target) {
	c := b.x.Cols
	x.gather(b.x.Data[:len(idx)*c], idx)
	b.xv = Matrix{Rows: len(idx), Cols: c, Data: b.x.Data[:len(idx)*c]}
	if y.Values != nil {
		vc := y.Values.Cols
		for i, r := range idx {
			copy(b.y.Data[i*vc:(i+1)*vc], y.Values.Data[int(r)*vc:(int(r)+1)*vc])
		}
		b.yv = Matrix{Rows: len(idx), Cols: vc, Data: b.y.Data[:len(idx)*vc]}
		return &b.xv, Target{Values: &b.yv}
	}
	for i, r := range idx {
		b.labels[i] = y.Labels[r]
	}
	return &b.xv, Target{Labels: b.labels[:len(idx)]}
}

// newBar returns a progress bar writing to w, or nil if w is not a terminal.
func newBar(w io.Writer, total int, desc string) *progressbar.ProgressBar {
	if !IsTerminal(w) {
		return nil
	}
	return progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("it"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetWidth(30),
	)
}

// IsTerminal reports whether w is an *os.File open on a terminal (a character device).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || f == nil {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
