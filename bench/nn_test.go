package bench

import (
	"math/rand/v2"
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
	xTrain        *nn.ByteMatrix
	xTest         *nn.Matrix
	yTrain, yTest []int
	err           error
}

// loadMNIST reads MNIST once per process, or skips b when it has not been fetched. The training
// images are bytes, converted batch by batch as Fit draws them (what nn/cmd/mnist trains on).
func loadMNIST(tb testing.TB) (xTrain *nn.ByteMatrix, yTrain []int, xTest *nn.Matrix, yTest []int) {
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
		d.xTrain, d.yTrain = train.Bytes(), train.IntLabels()
		d.xTest, d.yTest = test.Matrix(), test.IntLabels()
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

// The convolutional workloads: the book's SimpleConvNet and nn/cmd/mnist's deeper net, trained
// with Adam (learning rate 0.001) and softmax cross-entropy on shuffled epochs of batches of 100,
// then evaluated on the 10,000 test images. Metrics as for BenchmarkMNIST; GFLOP/s counts the
// products of the convolutions (forward and weight gradient; the input gradient of every
// convolution but the first) and of the Dense layers. The targets are for one core, against
// PyTorch in the same run (bench/peers/cnn_compare.sh alternates the two):
//
//	go test -run '^$' -bench 'MNISTCNN/simplecnn-1epoch' -benchtime 1x -count 5 -cpu 1 ./bench/
//
//	simplecnn-1epoch: Conv2D(1, 30, 5x5) -> ReLU -> MaxPool2D(2) -> Flatten -> Dense(4320, 100) -> ReLU
//	                  -> Dense(100, 10), 1 epoch: test-acc >= 0.975, train-s <= 0.2x PyTorch's
//	simplecnn-5epoch: the same for 5 epochs, the learning rate annealed along a cosine
//	                  (nn.CosineDecay) and each training image moved by up to a pixel every time it
//	                  is used (nn.RandomShift): >= 0.99
//	deepcnn-8epoch:   two blocks Conv2D(3x3, pad 1) -> ReLU -> MaxPool2D(2), 32 and 64 channels,
//	                  Dense(3136, 128) -> ReLU -> Dropout(0.5) -> Dense(128, 10), 8 epochs with the
//	                  learning rate annealed along a cosine (nn.CosineDecay): >= 0.992
//
// BenchmarkMNISTCNNInfer times the classification of the 10,000 test images in batches of 1000
// (infer-s), which must beat PyTorch's model(x) under torch.no_grad().

// cnnWorkload is a convolutional network and how long it trains.
type cnnWorkload struct {
	name     string
	model    func(rng *rand.Rand) *nn.Sequential
	flops    float64 // of one training iteration on a batch of 100
	epochs   int
	schedule nn.Schedule // of the learning rate; nil: constant
	shift    int         // nn.RandomShift's max: 0, the images as they are
}

func simpleConvNet(rng *rand.Rand) *nn.Sequential {
	m, err := nn.Build(nn.Shape{C: 1, H: 28, W: 28},
		nn.NewConv2D(1, 30, 5, 5, 1, 0, nil, rng), nn.NewReLU(), nn.NewMaxPool2D(2, 2), nn.NewFlatten(),
		nn.NewDense(30*12*12, 100, nil, rng), nn.NewReLU(), nn.NewDense(100, 10, nil, rng))
	if err != nil {
		panic(err)
	}
	return m
}

func deepConvNet(rng *rand.Rand) *nn.Sequential {
	m, err := nn.Build(nn.Shape{C: 1, H: 28, W: 28},
		nn.NewConv2D(1, 32, 3, 3, 1, 1, nil, rng), nn.NewReLU(), nn.NewMaxPool2D(2, 2),
		nn.NewConv2D(32, 64, 3, 3, 1, 1, nil, rng), nn.NewReLU(), nn.NewMaxPool2D(2, 2), nn.NewFlatten(),
		nn.NewDense(64*7*7, 128, nil, rng), nn.NewReLU(), nn.NewDropout(0.5, rng), nn.NewDense(128, 10, nil, rng))
	if err != nil {
		panic(err)
	}
	return m
}

// convFlops counts the multiply-adds of a convolution over a batch as 2 flops each: the forward
// product and the weight gradient, and the input gradient unless it is the first layer.
func convFlops(batch, out, positions, k int, first bool) float64 {
	mac := float64(batch) * float64(out) * float64(positions) * float64(k)
	if first {
		return 2 * mac * 2
	}
	return 2 * mac * 3
}

var cnnWorkloads = []cnnWorkload{
	{name: "simplecnn-1epoch", model: simpleConvNet, epochs: 1,
		flops: convFlops(100, 30, 24*24, 25, true) + mlpFlops([]int{4320, 100, 10}, 100) + 2*100*4320*100},
	{name: "simplecnn-5epoch", model: simpleConvNet, epochs: 5, schedule: nn.CosineDecay, shift: 1,
		flops: convFlops(100, 30, 24*24, 25, true) + mlpFlops([]int{4320, 100, 10}, 100) + 2*100*4320*100},
	{name: "deepcnn-8epoch", model: deepConvNet, epochs: 8, schedule: nn.CosineDecay,
		flops: convFlops(100, 32, 28*28, 9, true) + convFlops(100, 64, 14*14, 288, false) + mlpFlops([]int{3136, 128, 10}, 100) + 2*100*3136*128},
}

func BenchmarkMNISTCNN(b *testing.B) {
	xTrain, yTrain, xTest, yTest := loadMNIST(b)
	for _, w := range cnnWorkloads {
		b.Run(w.name+"-"+kernels.ISA(), func(b *testing.B) {
			var acc, secs, cpu, iters float64
			cpuOK := true
			for range b.N {
				m := w.model(nn.NewRand(1))
				tr := nn.NewTrainer(m, nn.NewSoftmaxCrossEntropy(), nn.NewAdam(1e-3))
				var samples nn.Samples = xTrain
				if w.shift > 0 {
					samples = nn.RandomShift(xTrain, nn.Shape{C: 1, H: 28, W: 28}, w.shift, 1)
				}
				c0, ok0 := cpuTime()
				h := tr.Fit(samples, nn.Labels(yTrain), nn.FitConfig{BatchSize: 100, Epochs: w.epochs, Seed: 1, Schedule: w.schedule})
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
			b.ReportMetric(acc/n, "test-acc")
			b.ReportMetric(secs/n, "train-s")
			if cpuOK {
				b.ReportMetric(cpu/n, "train-cpu-s")
			}
			b.ReportMetric(w.flops*iters/secs/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkMNISTCNNInfer classifies the 10,000 test images in batches of 1000 with an untrained
// SimpleConvNet and the deeper net (the time does not depend on the weights).
func BenchmarkMNISTCNNInfer(b *testing.B) {
	_, _, xTest, yTest := loadMNIST(b)
	for _, w := range []struct {
		name  string
		model func(rng *rand.Rand) *nn.Sequential
	}{{"simplecnn", simpleConvNet}, {"deepcnn", deepConvNet}} {
		b.Run(w.name+"-"+kernels.ISA(), func(b *testing.B) {
			m := w.model(nn.NewRand(1))
			nn.Evaluate(m, xTest.Slice(0, 1000), yTest[:1000], nil, 1000) // warm-up, as the peer's
			b.ResetTimer()
			for range b.N {
				nn.Evaluate(m, xTest, yTest, nil, 1000)
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "infer-s")
		})
	}
}
