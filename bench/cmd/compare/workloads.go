package main

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/lanesimd/lanes/kernels"
	"github.com/lanesimd/lanes/nn"
)

// workload is one row of the table: lanes and its peer on the same work, or a row derived from
// the lanes figures of two others.
type workload struct {
	key   string // what -only matches
	name  string // the workload column
	peer  string // the peer column
	short string // the peer as the goal column names it; peer when empty
	unit  string // Gelem/s, GFLOP/s (higher is better) or s (lower is better)
	cores int    // GOMAXPROCS of lanes and threads of the peer; 0 means 1
	gemm  bool   // a matrix product: figures also as a percentage of the FMA peak
	mnist bool   // needs MNIST
	goals []goal
	base  string // the 1-core row of a scaling goal
	// group: consecutive workloads of one group take their turns together (w1, peer1, w2,
	// peer2, w1, ...) instead of one workload after the other.
	group string

	// lanes measures one repetition of lanes.
	lanes func(c *ctx) (measure, error)
	// peerReq is the request that measures one repetition of the Python peer, or peerFn measures
	// one repetition of an in-process peer (lanes done another way).
	peerReq map[string]any
	peerFn  func(c *ctx) (measure, error)
	// derive, when set, makes a row of the lanes medians of derive[0] (lanes figure) and of
	// derive[1] (peer figure) from the same run; nothing runs for it.
	derive *[2]string
}

func (w *workload) peerShort() string {
	if w.short != "" {
		return w.short
	}
	return w.peer
}

func (w *workload) threads() int { return max(w.cores, 1) }

// sizes are the sizes of the training workloads, shortened by -quick.
type sizes struct {
	bookIters  int // batches of the book net
	mlpLimit   int // training images of the MLP (0: all)
	cnnLimit   int // training images of the CNN (0: all)
	inferCount int // test images classified
}

var fullSizes = sizes{bookIters: 10000, inferCount: 10000}
var quickSizes = sizes{bookIters: 300, mlpLimit: 3840, cnnLimit: 1000, inferCount: 2000}

const (
	elems = 1 << 20 // elements of the element-wise workloads
	cols  = 1024    // row length of softmax and log-softmax
)

// elementwiseKernels are the element-wise and row-wise float32 kernels against PyTorch, with
// their goals (issue 15 for exp, sigmoid and softmax; issue 11's 2x for the newer ones).
var elementwiseKernels = []struct {
	key, name string
	f         func(dst, src []float32)
	goal      float64 // ratio to PyTorch; 0: none
}{
	{"exp", "exp", kernels.Exp[float32], 3},
	{"sigmoid", "sigmoid", kernels.Sigmoid[float32], 2.8},
	{"tanh", "tanh", kernels.Tanh[float32], 0},
	{"gelu", "GELU", kernels.GELU[float32], 2},
	{"gelu-tanh", "GELUTanh", kernels.GELUTanh[float32], 2},
	{"silu", "SiLU", kernels.SiLU[float32], 2},
	{"softplus", "Softplus", kernels.Softplus[float32], 2},
	{"elu", "ELU (alpha 1)", func(dst, src []float32) { kernels.ELU(1, dst, src) }, 2},
	{"leaky-relu", "LeakyReLU (slope 0.01)", func(dst, src []float32) { kernels.LeakyReLU(0.01, dst, src) }, 2},
	{"log", "Log", kernels.Log[float32], 2},
	{"softmax", "softmax, rows of 1024", func(dst, src []float32) { kernels.Softmax(dst, src, cols) }, 2.3},
	{"log-softmax", "log-softmax, rows of 1024", func(dst, src []float32) { kernels.LogSoftmax(dst, src, cols) }, 2},
}

// inputRange is where the inputs of kernel key are drawn from: [lo, hi), or (0, 10] for log.
func inputRange(key string) (lo, hi float64) {
	switch key {
	case "tanh":
		return -5, 5
	case "log":
		return 10, 0 // 10 + (0-10)*u for u in [0, 1): (0, 10]
	}
	return -10, 10
}

// gemmShapes are the float32 products m x k x n against numpy's a @ b (OpenBLAS).
var gemmShapes = []struct {
	m, k, n int
	name    string
	goals   []goal
}{
	{1024, 1024, 1024, "sgemm 1024³", []goal{{peakAtLeast, 0.9}}},
	{100, 784, 50, "sgemm 100×784×50 (book net layer)", []goal{{peakAtLeast, 0.8}, {ratioAtLeast, 1}}},
	{128, 784, 512, "sgemm 128×784×512 (MLP layer)", nil},
	{1, 784, 512, "GEMV 1×784×512 (x @ W)", []goal{{ratioAtLeast, 1}}},
	{1, 4096, 4096, "GEMV 1×4096×4096 (x @ W)", []goal{{ratioAtLeast, 1}}},
	{4096, 4096, 1, "GEMV 4096×4096×1 (W @ x)", nil},
}

// workloads returns every row of the table in order, for the sizes of sz.
func workloads(sz sizes) []*workload {
	var ws []*workload
	for _, k := range elementwiseKernels {
		var goals []goal
		if k.goal > 0 {
			goals = []goal{{ratioAtLeast, k.goal}}
		}
		ws = append(ws, &workload{
			key: k.key, name: k.name + ", f32 1M", peer: "PyTorch", unit: "Gelem/s", goals: goals,
			lanes:   elementwiseLanes(k.key, k.f),
			peerReq: map[string]any{"op": "elementwise", "name": k.key, "n": elems},
		})
	}
	ws = append(ws, &workload{
		key: "softmax-vs-exp", name: "softmax, rows of 1024, against own exp", peer: "lanes exp", unit: "Gelem/s",
		goals: []goal{{ratioAtLeast, 0.8}}, derive: &[2]string{"softmax", "exp"},
	})
	for _, s := range gemmShapes {
		ws = append(ws, &workload{
			key: fmt.Sprintf("gemm-%dx%dx%d", s.m, s.k, s.n), name: s.name, peer: "numpy (OpenBLAS)", short: "numpy",
			unit: "GFLOP/s", gemm: true, goals: s.goals,
			lanes:   gemmLanes(s.m, s.k, s.n),
			peerReq: map[string]any{"op": "gemm", "m": s.m, "k": s.k, "n": s.n},
		})
	}
	fused, passes := linearLanes(128, 784, 512)
	ws = append(ws,
		&workload{
			key: "linear-relu", name: "Linear+ReLU 128×784×512, fused", peer: "lanes Gemm, bias pass, ReLU pass", short: "passes",
			unit: "GFLOP/s", gemm: true, goals: []goal{{ratioAtLeast, 1.15}}, lanes: fused, peerFn: passes,
		},
		&workload{
			key: "linear-relu-torch", name: "Linear+ReLU 128×784×512", peer: "PyTorch (addmm, relu_)", short: "PyTorch",
			unit: "GFLOP/s", gemm: true, lanes: fused,
			peerReq: map[string]any{"op": "linear-relu", "m": 128, "k": 784, "n": 512},
		},
		&workload{
			key: "booknet", name: fmt.Sprintf("book net 784-50-10, SGD, %d batches of 100", sz.bookIters),
			peer: "numpy (OpenBLAS)", short: "numpy", unit: "s", mnist: true, goals: []goal{{ratioAtMost, 0.4}},
			lanes:   bookNetLanes(sz.bookIters),
			peerReq: map[string]any{"op": "booknet", "iterations": sz.bookIters},
		},
	)
	mlpName, cnnName := "Keras MLP 784-512-512-10, Adam, 1 epoch", "SimpleConvNet, Adam, 1 epoch"
	if sz.mlpLimit > 0 {
		mlpName = fmt.Sprintf("Keras MLP 784-512-512-10, Adam, %d images", sz.mlpLimit)
	}
	if sz.cnnLimit > 0 {
		cnnName = fmt.Sprintf("SimpleConvNet, Adam, %d images", sz.cnnLimit)
	}
	// The 1-core and 2-core rows of a training take their turns together (lanes and peer on one
	// core, then on two), so that the speed-up of two cores compares runs of the same minutes.
	for _, t := range []struct {
		key, name string
		goal      float64
		lanes     func(*ctx) (measure, error)
		req       map[string]any
	}{
		{"mlp", mlpName, 0.5, mlpLanes(sz.mlpLimit), map[string]any{"op": "mlp", "epochs": 1, "limit": sz.mlpLimit}},
		{"cnn", cnnName, 0.2, cnnTrainLanes(sz.cnnLimit), map[string]any{"op": "cnn-train", "epochs": 1, "limit": sz.cnnLimit}},
	} {
		ws = append(ws,
			&workload{
				key: t.key, name: t.name, peer: "PyTorch", unit: "s", mnist: true, group: t.key,
				goals: []goal{{ratioAtMost, t.goal}}, lanes: t.lanes, peerReq: t.req,
			},
			&workload{
				key: t.key + "-2core", name: t.name + ", 2 cores", peer: "PyTorch, 2 threads", short: "PyTorch", unit: "s",
				cores: 2, mnist: true, group: t.key, goals: []goal{{scalingAtLeast, 1.7}}, base: t.key,
				lanes: t.lanes, peerReq: t.req,
			},
		)
	}
	ws = append(ws, &workload{
		key: "cnn-infer", name: fmt.Sprintf("SimpleConvNet inference, %d images in batches of 1000", sz.inferCount),
		peer: "PyTorch (no_grad)", short: "PyTorch", unit: "s", mnist: true, goals: []goal{{ratioBelow, 1}},
		lanes:   cnnInferLanes(sz.inferCount),
		peerReq: map[string]any{"op": "cnn-infer", "images": sz.inferCount},
	})
	return ws
}

// rate calls f once to warm up, then until mintime has passed, and returns work per second.
func rate(f func(), work float64, mintime time.Duration) float64 {
	f()
	calls := 0
	start := time.Now()
	for {
		f()
		calls++
		if el := time.Since(start); el >= mintime {
			return float64(calls) * work / el.Seconds()
		}
	}
}

// uniform returns n float32 values lo + (hi-lo)·u for u uniform in [0, 1), the same on every run.
func uniform(n int, lo, hi float64, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, uint64(n)))
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(lo + (hi-lo)*r.Float64())
	}
	return s
}

func elementwiseLanes(key string, f func(dst, src []float32)) func(*ctx) (measure, error) {
	var src, dst []float32
	return func(c *ctx) (measure, error) {
		if src == nil {
			lo, hi := inputRange(key)
			src, dst = uniform(elems, lo, hi, 1), make([]float32, elems)
		}
		return noAcc(rate(func() { f(dst, src) }, elems, c.mintime) / 1e9), nil
	}
}

func gemmLanes(m, k, n int) func(*ctx) (measure, error) {
	var a, b, cm []float32
	return func(c *ctx) (measure, error) {
		if a == nil {
			a, b, cm = uniform(m*k, -1, 1, 1), uniform(k*n, -1, 1, 2), make([]float32, m*n)
		}
		return noAcc(rate(func() { kernels.MatMul(cm, a, b, m, n, k) }, 2*float64(m*n*k), c.mintime) / 1e9), nil
	}
}

// linearLanes returns y = relu(x·w + bias) as kernels.Linear does it, and as a product followed
// by a bias pass and a ReLU pass, on the same operands.
func linearLanes(m, k, n int) (fused, passes func(*ctx) (measure, error)) {
	var x, w, bias, y []float32
	setup := func() {
		if x == nil {
			x, w, bias, y = uniform(m*k, -1, 1, 1), uniform(k*n, -1, 1, 2), uniform(n, -1, 1, 3), make([]float32, m*n)
		}
	}
	flops := 2 * float64(m*n*k)
	fused = func(c *ctx) (measure, error) {
		setup()
		return noAcc(rate(func() { kernels.Linear(y, x, w, bias, m, n, k, kernels.ActReLU) }, flops, c.mintime) / 1e9), nil
	}
	passes = func(c *ctx) (measure, error) {
		setup()
		return noAcc(rate(func() {
			kernels.Gemm(false, false, m, n, k, 1, x, k, w, n, 0, y, n)
			for i := range m {
				kernels.Axpy(1, bias, y[i*n:(i+1)*n])
			}
			kernels.ReLU(y, y)
		}, flops, c.mintime) / 1e9), nil
	}
	return fused, passes
}

// dense returns the multilayer perceptron of widths: Dense layers (He-initialised, seed 1) with
// ReLU between them.
func dense(widths ...int) *nn.Sequential {
	rng := nn.NewRand(1)
	m := nn.NewSequential()
	for i := 0; i+1 < len(widths); i++ {
		m.Add(nn.NewDense(widths[i], widths[i+1], nn.HeNormal, rng))
		if i+2 < len(widths) {
			m.Add(nn.NewReLU())
		}
	}
	return m
}

// simpleConvNet is the book's SimpleConvNet, as PyTorch's nn.Sequential lists it.
func simpleConvNet() (*nn.Sequential, error) {
	rng := nn.NewRand(1)
	return nn.Build(nn.Shape{C: 1, H: 28, W: 28},
		nn.NewConv2D(1, 30, 5, 5, 1, 0, nil, rng), nn.NewReLU(), nn.NewMaxPool2D(2, 2), nn.NewFlatten(),
		nn.NewDense(30*12*12, 100, nil, rng), nn.NewReLU(), nn.NewDense(100, 10, nil, rng))
}

// train fits m on the first limit training images (all for 0) with cfg and returns the training
// time and the test accuracy.
func train(c *ctx, m *nn.Sequential, opt nn.Optimizer, limit int, cfg nn.FitConfig) (measure, error) {
	d, err := c.data()
	if err != nil {
		return measure{}, err
	}
	x, y := d.xTrain, d.yTrain
	if limit > 0 && limit < x.Rows {
		x, y = x.Slice(0, limit), y[:limit]
	}
	tr := nn.NewTrainer(m, nn.NewSoftmaxCrossEntropy(), opt)
	cfg.Seed = 1
	h := tr.Fit(x, nn.Labels(y), cfg)
	acc := nn.Evaluate(m, d.xTest, d.yTest, nil, 1000).Accuracy
	return measure{value: h.TrainTime.Seconds(), acc: acc}, nil
}

func bookNetLanes(iters int) func(*ctx) (measure, error) {
	return func(c *ctx) (measure, error) {
		return train(c, dense(784, 50, 10), nn.NewSGD(0.1), 0, nn.FitConfig{BatchSize: 100, Iterations: iters})
	}
}

func mlpLanes(limit int) func(*ctx) (measure, error) {
	return func(c *ctx) (measure, error) {
		return train(c, dense(784, 512, 512, 10), nn.NewAdam(1e-3), limit, nn.FitConfig{BatchSize: 128, Epochs: 1})
	}
}

func cnnTrainLanes(limit int) func(*ctx) (measure, error) {
	return func(c *ctx) (measure, error) {
		m, err := simpleConvNet()
		if err != nil {
			return measure{}, err
		}
		return train(c, m, nn.NewAdam(1e-3), limit, nn.FitConfig{BatchSize: 100, Epochs: 1})
	}
}

// cnnInferLanes classifies the first n test images in batches of 1000 with an untrained
// SimpleConvNet (the time does not depend on the weights), after one warm-up batch, as the peer.
func cnnInferLanes(n int) func(*ctx) (measure, error) {
	var m *nn.Sequential
	return func(c *ctx) (measure, error) {
		d, err := c.data()
		if err != nil {
			return measure{}, err
		}
		if m == nil {
			if m, err = simpleConvNet(); err != nil {
				return measure{}, err
			}
		}
		n := min(n, d.xTest.Rows)
		x, y := d.xTest.Slice(0, n), d.yTest[:n]
		nn.Evaluate(m, x.Slice(0, min(1000, n)), y[:min(1000, n)], nil, 1000)
		start := time.Now()
		nn.Evaluate(m, x, y, nil, 1000)
		return noAcc(time.Since(start).Seconds()), nil
	}
}
