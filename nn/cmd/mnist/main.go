// Command mnist trains a multilayer perceptron on MNIST (or Fashion-MNIST) with package nn and
// reports its accuracy and training time. It fetches the data on first use.
//
// The defaults are the classic two-layer network: 784-50-10, ReLU, SGD with learning rate 0.1,
// 10,000 batches of 100 drawn at random. A Keras-style run:
//
//	go run ./nn/cmd/mnist -layers 784,512,512,10 -optimizer adam -batch 128 -epochs 5
//
// Per epoch it prints the mean loss and the train and test accuracy; it ends with one line
// "test accuracy 0.XXXX, train time X.XXs" (the time excludes the per-epoch evaluations).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/lanesimd/lanes/kernels"
	"github.com/lanesimd/lanes/nn"
	"github.com/lanesimd/lanes/nn/mnist"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "mnist:", err)
		}
		os.Exit(2)
	}
}

// options are the parsed flags.
type options struct {
	layers                 []int
	activation, optimizer  string
	init                   string
	lr, decay, dropout     float64
	batch, epochs, iters   int
	evalEvery              int
	seed                   uint64
	threads, limit         int
	save, data, cpuprofile string
	fashion, noProgress    bool
}

func parse(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("mnist", flag.ContinueOnError)
	fs.SetOutput(stderr)
	layers := fs.String("layers", "784,50,10", "layer widths, input first and classes last")
	fs.StringVar(&o.activation, "activation", "relu", "hidden activation: relu, sigmoid, tanh, leakyrelu, elu")
	fs.StringVar(&o.optimizer, "optimizer", "sgd", "sgd, momentum, nesterov, adagrad, rmsprop or adam")
	fs.StringVar(&o.init, "init", "", "weight initialisation: he, xavier, lecun or a standard deviation such as 0.01 (default: he for relu-like activations, xavier otherwise)")
	fs.Float64Var(&o.lr, "lr", 0, "learning rate (0: 0.1 for sgd, as in the classic two-layer net; the optimizer's default otherwise, 0.001 for adam)")
	fs.Float64Var(&o.decay, "decay", 0, "L2 weight decay lambda")
	fs.Float64Var(&o.dropout, "dropout", 0, "dropout rate after each hidden activation (0: none)")
	fs.IntVar(&o.batch, "batch", 100, "batch size")
	fs.IntVar(&o.epochs, "epochs", 0, "shuffled epochs (overrides -iterations)")
	fs.IntVar(&o.iters, "iterations", 10000, "batches drawn at random with replacement (used when -epochs is 0)")
	fs.IntVar(&o.evalEvery, "eval-every", 0, "evaluate every N iterations (0: every epoch; -1: only at the end)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the weights and the batch order")
	fs.IntVar(&o.threads, "threads", 0, "GOMAXPROCS, the cores the kernels may use (0: all)")
	fs.IntVar(&o.limit, "limit", 0, "train on the first N training images only (0: all)")
	fs.StringVar(&o.save, "save", "", "write the trained model to this file")
	fs.StringVar(&o.data, "data", "", "MNIST folder (default: the repository's data/, or $LANES_DATA)")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the training to this file (go tool pprof)")
	fs.BoolVar(&o.fashion, "fashion", false, "train on Fashion-MNIST (Debian package dataset-fashion-mnist)")
	fs.BoolVar(&o.noProgress, "no-progress", false, "no progress bar")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	for _, f := range strings.Split(*layers, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("-layers %q: %q is not a positive integer", *layers, f)
		}
		o.layers = append(o.layers, n)
	}
	if len(o.layers) < 2 {
		return nil, fmt.Errorf("-layers %q: need at least the input and output widths", *layers)
	}
	if o.batch <= 0 || o.epochs < 0 || o.iters < 0 || (o.epochs == 0 && o.iters == 0) {
		return nil, fmt.Errorf("need -batch > 0 and -epochs > 0 or -iterations > 0")
	}
	if o.dropout < 0 || o.dropout >= 1 {
		return nil, fmt.Errorf("-dropout %g is outside [0, 1)", o.dropout)
	}
	return o, nil
}

// activation returns a new hidden activation layer and whether He initialisation suits it.
func activation(name string) (func() nn.Layer, bool, error) {
	switch strings.ToLower(name) {
	case "relu":
		return func() nn.Layer { return nn.NewReLU() }, true, nil
	case "leakyrelu":
		return func() nn.Layer { return nn.NewLeakyReLU(0.01) }, true, nil
	case "elu":
		return func() nn.Layer { return nn.NewELU(1) }, true, nil
	case "sigmoid":
		return func() nn.Layer { return nn.NewSigmoid() }, false, nil
	case "tanh":
		return func() nn.Layer { return nn.NewTanh() }, false, nil
	}
	return nil, false, fmt.Errorf("unknown -activation %q (relu, leakyrelu, elu, sigmoid, tanh)", name)
}

func optimizer(name string, lr, decay float32) (nn.Optimizer, error) {
	var o nn.Optimizer
	wd := nn.WeightDecay{Lambda: decay}
	switch strings.ToLower(name) {
	case "sgd":
		s := nn.NewSGD(lr)
		s.WeightDecay = wd
		o = s
	case "momentum":
		s := nn.NewMomentum(lr, 0)
		s.WeightDecay = wd
		o = s
	case "nesterov":
		s := nn.NewNesterov(lr, 0)
		s.WeightDecay = wd
		o = s
	case "adagrad":
		s := nn.NewAdaGrad(lr)
		s.WeightDecay = wd
		o = s
	case "rmsprop":
		s := nn.NewRMSProp(lr, 0)
		s.WeightDecay = wd
		o = s
	case "adam":
		s := nn.NewAdam(lr)
		s.WeightDecay = wd
		o = s
	default:
		return nil, fmt.Errorf("unknown -optimizer %q (sgd, momentum, nesterov, adagrad, rmsprop, adam)", name)
	}
	return o, nil
}

func initializer(name string, he bool) (nn.Initializer, error) {
	switch strings.ToLower(name) {
	case "":
		if he {
			return nn.HeNormal, nil
		}
		return nn.XavierNormal, nil
	case "he":
		return nn.HeNormal, nil
	case "xavier":
		return nn.XavierNormal, nil
	case "lecun":
		return nn.LeCunNormal, nil
	}
	std, err := strconv.ParseFloat(name, 64)
	if err != nil || !(std > 0) {
		return nil, fmt.Errorf("-init %q is not he, xavier, lecun or a positive standard deviation", name)
	}
	return nn.FixedStd(std), nil
}

// build returns the model: Dense layers of the given widths with the activation (and dropout)
// between them, and a linear last layer whose logits go to SoftmaxCrossEntropy.
func build(o *options) (*nn.Sequential, error) {
	act, he, err := activation(o.activation)
	if err != nil {
		return nil, err
	}
	init, err := initializer(o.init, he)
	if err != nil {
		return nil, err
	}
	rng := nn.NewRand(o.seed)
	m := nn.NewSequential()
	for i := 0; i+1 < len(o.layers); i++ {
		m.Add(nn.NewDense(o.layers[i], o.layers[i+1], init, rng))
		if i+2 < len(o.layers) {
			m.Add(act())
			if o.dropout > 0 {
				m.Add(nn.NewDropout(float32(o.dropout), rng))
			}
		}
	}
	return m, nil
}

func labels(s *mnist.Set) []int {
	l := make([]int, len(s.Labels))
	for i, v := range s.Labels {
		l[i] = int(v)
	}
	return l
}

func run(args []string, stdout, stderr io.Writer) error {
	o, err := parse(args, stderr)
	if err != nil {
		return err
	}
	if o.threads > 0 {
		runtime.GOMAXPROCS(o.threads)
	}
	var train, test *mnist.Set
	if o.fashion {
		train, test, err = mnist.LoadFashion(stderr)
	} else {
		train, test, err = mnist.Load(o.data, stderr)
	}
	if err != nil {
		return err
	}
	if o.limit > 0 && o.limit < train.N {
		train = train.Slice(0, o.limit)
	}
	px := train.Rows * train.Cols
	if o.layers[0] != px || o.layers[len(o.layers)-1] != mnist.NumClasses {
		return fmt.Errorf("-layers must start with %d (the pixels) and end with %d (the classes), got %v", px, mnist.NumClasses, o.layers)
	}
	m, err := build(o)
	if err != nil {
		return err
	}
	lr := o.lr
	if lr == 0 && strings.EqualFold(o.optimizer, "sgd") {
		lr = 0.1
	}
	opt, err := optimizer(o.optimizer, float32(lr), float32(o.decay))
	if err != nil {
		return err
	}
	xTrain, yTrain := nn.FromSlice(train.N, px, train.Images), labels(train)
	xTest, yTest := nn.FromSlice(test.N, px, test.Images), labels(test)

	fmt.Fprintf(stdout, "lanes MNIST: ISA %s, GOMAXPROCS %d\n", kernels.ISA(), runtime.GOMAXPROCS(0))
	set := "MNIST"
	if o.fashion {
		set = "Fashion-MNIST"
	}
	fmt.Fprintf(stdout, "data: %s, %d training and %d test images of %dx%d\n", set, train.N, test.N, train.Rows, train.Cols)
	fmt.Fprintf(stdout, "model: %s (%d parameters), %s\n", m, m.NumParams(), opt.Name())
	cfg := nn.FitConfig{BatchSize: o.batch, Epochs: o.epochs, Seed: o.seed, Description: "training"}
	if o.epochs == 0 {
		cfg.Iterations = o.iters
		fmt.Fprintf(stdout, "training: %d batches of %d drawn at random\n", o.iters, o.batch)
	} else {
		fmt.Fprintf(stdout, "training: %d shuffled epochs, batches of %d\n", o.epochs, o.batch)
	}
	if !o.noProgress {
		cfg.Progress = stderr
	}
	loss := nn.NewSoftmaxCrossEntropy()
	tr := nn.NewTrainer(m, loss, opt)
	report := func(what string, n int, l float64, elapsed time.Duration) {
		trainAcc := nn.Evaluate(m, xTrain, yTrain, nil, 1000).Accuracy
		testAcc := nn.Evaluate(m, xTest, yTest, nil, 1000).Accuracy
		tr.ClearProgress()
		fmt.Fprintf(stdout, "%s %5d  loss %.4f  train acc %.4f  test acc %.4f  time %.2fs\n", what, n, l, trainAcc, testAcc, elapsed.Seconds())
	}
	var since float64
	var count int
	switch {
	case o.evalEvery > 0:
		cfg.OnIteration = func(i nn.IterationInfo) {
			since += i.Loss
			count++
			if i.Iteration%o.evalEvery == 0 {
				report("iteration", i.Iteration, since/float64(count), i.Elapsed)
				since, count = 0, 0
			}
		}
	case o.evalEvery == 0:
		cfg.OnEpoch = func(e nn.EpochInfo) { report("epoch", e.Epoch, e.Loss, e.Elapsed) }
	}
	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	h := tr.Fit(xTrain, nn.Labels(yTrain), cfg)
	if o.cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	if o.save != "" {
		if err := m.SaveFile(o.save); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "saved the model to %s\n", o.save)
	}
	acc := nn.Evaluate(m, xTest, yTest, nil, 1000).Accuracy
	fmt.Fprintf(stdout, "test accuracy %.4f, train time %.2fs\n", acc, h.TrainTime.Seconds())
	return nil
}
