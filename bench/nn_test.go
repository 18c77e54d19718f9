package bench

import (
	"sync"
	"testing"

	"github.com/lanesimd/lanes/kernels"
	"github.com/lanesimd/lanes/nn"
	"github.com/lanesimd/lanes/nn/mnist"
)

// The two MNIST training workloads of package nn. Each benchmark iteration trains a fresh model
// with the same seed on the 60,000 training images, then evaluates it on the 10,000 test images;
// it reports the test accuracy (test-acc), the training time in seconds without the data loading
// and the evaluation (train-s), the process's CPU time over the training (train-cpu-s: on a
// machine shared with other work it is the fairer figure, since waiting for a core is not in it),
// and the training's GFLOP/s (the matrix products' flops over train-s). The targets are for one
// core:
//
//	go test -run '^$' -bench MNIST -benchtime 1x -count 5 -cpu 1 ./bench/
//
//	two-layer:  784-50-10, ReLU, SGD lr 0.1, 10,000 sampled batches of 100: test-acc >= 0.965, train-s <= 1.0
//	mlp-1epoch: 784-512-512-10, ReLU, Adam 1e-3, 1 shuffled epoch of batches of 128: >= 0.96, <= 1.3 s
//	mlp-5epoch: the same for 5 epochs: >= 0.98
//
// They are skipped when the MNIST files are not in the data folder (`make test` or
// `go run ./nn/mnist/cmd/getmnist` fetches them).

var mnistData struct {
	once          sync.Once
	xTrain, xTest *nn.Matrix
	yTrain, yTest []int
	err           error
}

// loadMNIST reads MNIST once per process, or skips b when it has not been fetched.
func loadMNIST(tb testing.TB) (xTrain *nn.Matrix, yTrain []int, xTest *nn.Matrix, yTest []int) {
	tb.Helper()
	d := &mnistData
	d.once.Do(func() {
		dir, err := mnist.DefaultDir()
		if err == nil {
			err = mnist.Verify(dir)
		}
		if err != nil {
			d.err = err
			return
		}
		train, test, err := mnist.Load(dir, nil)
		if err != nil {
			d.err = err
			return
		}
		conv := func(s *mnist.Set) (*nn.Matrix, []int) {
			y := make([]int, s.N)
			for i, l := range s.Labels {
				y[i] = int(l)
			}
			return nn.FromSlice(s.N, s.Rows*s.Cols, s.Images), y
		}
		d.xTrain, d.yTrain = conv(train)
		d.xTest, d.yTest = conv(test)
	})
	if d.err != nil {
		tb.Skipf("MNIST is not available, skipping (fetch it with `make test` or `go run ./nn/mnist/cmd/getmnist`): %v", d.err)
	}
	return d.xTrain, d.yTrain, d.xTest, d.yTest
}

// mlpFlops counts the multiply-adds of one training iteration of a Dense stack as 2 flops each:
// the forward product, the weight gradient, and the input gradient of every layer but the first.
func mlpFlops(widths []int, batch int) float64 {
	var f float64
	for i := 0; i+1 < len(widths); i++ {
		mac := float64(batch) * float64(widths[i]) * float64(widths[i+1])
		f += 2 * mac * 2 // forward and weight gradient
		if i > 0 {
			f += 2 * mac // input gradient
		}
	}
	return f
}

type mnistWorkload struct {
	name       string
	widths     []int
	opt        func() nn.Optimizer
	batch      int
	epochs     int
	iterations int
}

func (w mnistWorkload) model() *nn.Sequential {
	rng := nn.NewRand(1)
	m := nn.NewSequential()
	for i := 0; i+1 < len(w.widths); i++ {
		m.Add(nn.NewDense(w.widths[i], w.widths[i+1], nn.HeNormal, rng))
		if i+2 < len(w.widths) {
			m.Add(nn.NewReLU())
		}
	}
	return m
}

var mnistWorkloads = []mnistWorkload{
	{name: "two-layer", widths: []int{784, 50, 10}, opt: func() nn.Optimizer { return nn.NewSGD(0.1) }, batch: 100, iterations: 10000},
	{name: "mlp-1epoch", widths: []int{784, 512, 512, 10}, opt: func() nn.Optimizer { return nn.NewAdam(1e-3) }, batch: 128, epochs: 1},
	{name: "mlp-5epoch", widths: []int{784, 512, 512, 10}, opt: func() nn.Optimizer { return nn.NewAdam(1e-3) }, batch: 128, epochs: 5},
}

func BenchmarkMNIST(b *testing.B) {
	xTrain, yTrain, xTest, yTest := loadMNIST(b)
	for _, w := range mnistWorkloads {
		b.Run(w.name+"-"+kernels.ISA(), func(b *testing.B) {
			var acc, secs, cpu, iters float64
			cpuOK := true
			for range b.N {
				m := w.model()
				tr := nn.NewTrainer(m, nn.NewSoftmaxCrossEntropy(), w.opt())
				c0, ok0 := cpuTime()
				h := tr.Fit(xTrain, nn.Labels(yTrain), nn.FitConfig{BatchSize: w.batch, Epochs: w.epochs, Iterations: w.iterations, Seed: 1})
				c1, ok1 := cpuTime()
				b.StopTimer()
				cpu += (c1 - c0).Seconds()
				cpuOK = cpuOK && ok0 && ok1
				acc += nn.Evaluate(m, xTest, yTest, nil, 1000).Accuracy
				secs += h.TrainTime.Seconds()
				iters += float64(len(h.Loss))
				b.StartTimer()
			}
			n := float64(b.N)
			b.SetBytes(int64(iters / n * float64(w.batch) * float64(xTrain.Cols) * 4))
			b.ReportMetric(acc/n, "test-acc")
			b.ReportMetric(secs/n, "train-s")
			if cpuOK {
				b.ReportMetric(cpu/n, "train-cpu-s")
			}
			b.ReportMetric(mlpFlops(w.widths, w.batch)*iters/secs/1e9, "GFLOP/s")
		})
	}
}
