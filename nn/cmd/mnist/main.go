// Command mnist trains a network on MNIST (or Fashion-MNIST) with package nn and reports its
// accuracy and training time, or evaluates a saved one. It fetches the data on first use (see
// package mnist).
//
// -model picks the network: mlp (the default) is a multilayer perceptron of the -layers widths,
// by default the classic two-layer network 784-50-10, ReLU, SGD with learning rate 0.1, 10,000
// batches of 100 drawn at random. A Keras-style run:
//
//	go run ./nn/cmd/mnist -layers 784,512,512,10 -optimizer adam -batch 128 -epochs 5
//
// -activation picks the MLP's hidden activation: relu (the default), leakyrelu, elu, sigmoid,
// tanh, gelu, gelutanh (GELU's tanh approximation), silu or softplus.
//
// -model simplecnn is the book's SimpleConvNet, the layers of PyTorch's nn.Sequential of
//
//	Conv2d(1, 30, 5) -> ReLU -> MaxPool2d(2) -> Flatten -> Linear(4320, 100) -> ReLU -> Linear(100, 10)
//
// and -model deepcnn a deeper one, two convolution blocks:
//
//	Conv2d(1, 32, 3, padding=1) -> ReLU -> MaxPool2d(2) -> Conv2d(32, 64, 3, padding=1) -> ReLU ->
//	MaxPool2d(2) -> Flatten -> Linear(3136, 128) -> ReLU -> Dropout(0.5) -> Linear(128, 10)
//
// Both train with Adam (learning rate 0.001) for one shuffled epoch of batches of 100 unless
// -optimizer, -lr, -epochs or -iterations say otherwise; the deeper net anneals its learning rate
// to zero along a cosine over the epochs (-schedule cosine) unless -schedule says otherwise.
// SimpleConvNet passes 0.98 test accuracy after one epoch, and 0.99 after 5 with its learning rate
// annealed and every training image moved by up to a pixel each time it is used; the deeper net
// 0.992 after 8:
//
//	go run ./nn/cmd/mnist -model simplecnn -epochs 5 -schedule cosine -shift 1
//	go run ./nn/cmd/mnist -model deepcnn -epochs 8
//
// -schedule scales any optimizer's learning rate epoch by epoch: none (the default but for
// deepcnn), cosine (nn.CosineDecay) or step:N:G (nn.StepDecay: times G every N epochs). -shift N
// moves each training image by up to N pixels each way, drawn anew every time (nn.RandomShift).
//
// Per epoch it prints the mean loss and the train and test accuracy; it ends with the time the
// test set takes to classify in batches of 1000, then one line "test accuracy 0.XXXX, train time
// X.XXs" (the time excludes the per-epoch evaluations).
//
// Models in and out: -save m.lnn writes the lanes model (architecture and weights), -save
// m.safetensors the weights as a PyTorch state_dict; -model m.lnn (any -model that is not one of
// the names above is a file) starts from a lanes model, -weights w.safetensors loads a state_dict
// (one written by PyTorch for an nn.Sequential of the same layers, say) into the model of -model,
// and -eval only evaluates:
//
//	go run ./nn/cmd/mnist -layers 784,100,10 -weights torch.safetensors -eval
//	go run ./nn/cmd/mnist -model simplecnn -weights simplecnn.safetensors -eval
//
// Every flag is checked before any work: a bad value is one line on stderr naming the flag, and
// exit code 2. Other failures exit with code 1.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
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
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	var ue *usageError
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.As(err, &ue):
		fmt.Fprintln(os.Stderr, "mnist:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "mnist:", err)
		os.Exit(1)
	}
}

// usageError is a bad flag or a bad combination of flags: one line naming the flag, exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// options are the parsed flags.
type options struct {
	layers                 []int
	activation, optimizer  string
	schedule               string
	init                   string
	lr, momentum           float64
	decay, dropout         float64
	batch, epochs, iters   int
	shift                  int
	evalEvery              int
	seed                   uint64
	threads, limit         int
	save, data, cpuprofile string
	model, weights         string
	arch                   string // mlp, simplecnn or deepcnn; "" when -model is a file
	eval                   bool
	fashion, noProgress    bool
}

// The input and output widths every model here has: MNIST's and Fashion-MNIST's 28x28 pixels and
// 10 classes.
const (
	pixels  = 28 * 28
	classes = mnist.NumClasses
)

// parse parses and checks every flag before any work is done; every error is a *usageError
// naming the flag (or flag.ErrHelp after -help).
func parse(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("mnist", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported in one line by main; -help prints the usage
	layers := fs.String("layers", "784,50,10", "layer widths, input first and classes last")
	fs.StringVar(&o.model, "model", "mlp", "the network: mlp (Dense layers of the -layers widths), simplecnn (the book's SimpleConvNet), deepcnn (two convolution blocks), or a lanes model file (.lnn: architecture and weights) to start from")
	fs.StringVar(&o.weights, "weights", "", "load this safetensors state_dict (PyTorch names: 0.weight [out, in], 0.bias, ...) into the model of -model")
	fs.BoolVar(&o.eval, "eval", false, "only evaluate the model of -model or -weights on the test set (no training)")
	fs.StringVar(&o.activation, "activation", "relu", "hidden activation: "+activationNames+" (gelutanh: GELU's tanh approximation)")
	fs.StringVar(&o.optimizer, "optimizer", "sgd", "sgd, momentum, nesterov, adagrad, rmsprop or adam (default adam for simplecnn and deepcnn)")
	fs.StringVar(&o.init, "init", "", "weight initialisation: he, xavier, lecun or a standard deviation such as 0.01 (default: he for relu-like activations, xavier otherwise)")
	fs.Float64Var(&o.lr, "lr", 0, "learning rate in [0, 10] (0: 0.1 for sgd, as in the classic two-layer net; the optimizer's default otherwise, 0.001 for adam)")
	fs.StringVar(&o.schedule, "schedule", "none", "learning-rate schedule over the epochs: none, cosine (to zero along a half cosine) or step:N:G (times G every N epochs); default cosine for deepcnn")
	fs.Float64Var(&o.momentum, "momentum", 0, "momentum in [0, 1) of -optimizer momentum or nesterov (0: 0.9)")
	fs.Float64Var(&o.decay, "decay", 0, "L2 weight decay lambda in [0, 1)")
	fs.Float64Var(&o.dropout, "dropout", 0, "dropout rate in [0, 1) after each hidden activation (0: none)")
	fs.IntVar(&o.batch, "batch", 100, "batch size")
	fs.IntVar(&o.shift, "shift", 0, "move each training image by up to N pixels each way, drawn anew every time it is used (data augmentation; 0: none)")
	fs.IntVar(&o.epochs, "epochs", 0, "shuffled epochs (overrides -iterations; default 1 for simplecnn and deepcnn)")
	fs.IntVar(&o.iters, "iterations", 10000, "batches drawn at random with replacement (used when -epochs is 0)")
	fs.IntVar(&o.evalEvery, "eval-every", 0, "evaluate every N iterations (0: every epoch; -1: only at the end)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the weights and the batch order")
	fs.IntVar(&o.threads, "threads", runtime.NumCPU(), "GOMAXPROCS, the cores the kernels may use (at least 1)")
	fs.IntVar(&o.limit, "limit", 0, "train on the first N training images only (0: all)")
	fs.StringVar(&o.save, "save", "", "write the model to this file: .safetensors writes the weights as a PyTorch state_dict, .lnn the lanes model (architecture and weights)")
	fs.StringVar(&o.data, "data", "", "the data folder, which must exist (default: $LANES_DATA, else the checkout's data/, else the user cache folder; with -fashion, "+mnist.FashionDir+")")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the training to this file (go tool pprof)")
	fs.BoolVar(&o.fashion, "fashion", false, "use Fashion-MNIST (Debian package dataset-fashion-mnist)")
	fs.BoolVar(&o.noProgress, "no-progress", false, "no progress bar")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprintln(stderr, "usage: mnist [flags]: train (or with -eval, evaluate) a network on MNIST")
			fs.PrintDefaults()
			return nil, err
		}
		return nil, usagef("%v (see -help)", err)
	}
	if fs.NArg() > 0 {
		return nil, usagef("unexpected arguments %q (flags only; see -help)", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	o.arch = strings.ToLower(o.model)
	switch o.arch {
	case "mlp":
		o.model = ""
	case "simplecnn", "deepcnn":
		// The convolutional networks train with Adam for one epoch unless told otherwise.
		if !set["optimizer"] {
			o.optimizer = "adam"
		}
		if !set["epochs"] && !set["iterations"] {
			o.epochs = 1
		}
		if o.arch == "deepcnn" && !set["schedule"] {
			o.schedule = "cosine"
		}
		for _, f := range []string{"layers", "activation", "dropout"} {
			if set[f] {
				return nil, usagef("-%s: only -model mlp uses it (-model is %s)", f, o.model)
			}
		}
		o.model = ""
	default:
		o.arch = "" // a lanes model file
	}
	if err := o.check(*layers, set); err != nil {
		return nil, err
	}
	return o, nil
}

// check validates the options; every error names its flag.
func (o *options) check(layers string, set map[string]bool) error {
	for _, f := range strings.Split(layers, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return usagef("-layers %q: %q is not a positive integer", layers, f)
		}
		o.layers = append(o.layers, n)
	}
	if len(o.layers) < 2 {
		return usagef("-layers %q: need at least the input and output widths", layers)
	}
	if o.layers[0] != pixels || o.layers[len(o.layers)-1] != classes {
		return usagef("-layers %q: must start with %d (the pixels) and end with %d (the classes)", layers, pixels, classes)
	}
	inRange := func(name string, v, lo, hi float64, hiOpen bool) error {
		ok := !math.IsNaN(v) && !math.IsInf(v, 0) && v >= lo && (v < hi || !hiOpen && v == hi)
		if !ok {
			closing := "]"
			if hiOpen {
				closing = ")"
			}
			return usagef("-%s %g: must be a finite number in [%g, %g%s", name, v, lo, hi, closing)
		}
		return nil
	}
	if err := errors.Join(
		inRange("lr", o.lr, 0, 10, false),
		inRange("momentum", o.momentum, 0, 1, true),
		inRange("decay", o.decay, 0, 1, true),
		inRange("dropout", o.dropout, 0, 1, true),
	); err != nil {
		return usagef("%s", strings.SplitN(err.Error(), "\n", 2)[0])
	}
	switch {
	case o.threads < 1:
		return usagef("-threads %d: must be at least 1", o.threads)
	case o.batch < 1:
		return usagef("-batch %d: must be at least 1", o.batch)
	case o.epochs < 0:
		return usagef("-epochs %d: must not be negative", o.epochs)
	case o.iters < 0:
		return usagef("-iterations %d: must not be negative", o.iters)
	case !o.eval && o.epochs == 0 && o.iters == 0:
		return usagef("-epochs 0 -iterations 0: nothing to train (use -eval to only evaluate)")
	case o.evalEvery < -1:
		return usagef("-eval-every %d: must be -1, 0 or positive", o.evalEvery)
	case o.limit < 0:
		return usagef("-limit %d: must not be negative", o.limit)
	case o.shift < 0 || o.shift >= 28:
		return usagef("-shift %d: must be in [0, 27] (the images are 28x28)", o.shift)
	}
	if _, _, err := activation(o.activation); err != nil {
		return err
	}
	if _, err := optimizer(o.optimizer, 0, 0, 0); err != nil {
		return err
	}
	if _, err := schedule(o.schedule); err != nil {
		return err
	}
	if _, err := initializer(o.init, true); err != nil {
		return err
	}
	if o.momentum != 0 && !strings.EqualFold(o.optimizer, "momentum") && !strings.EqualFold(o.optimizer, "nesterov") {
		return usagef("-momentum %g: only -optimizer momentum and nesterov use it (-optimizer is %s)", o.momentum, o.optimizer)
	}
	if o.model != "" {
		for _, f := range []string{"layers", "activation", "init", "dropout"} {
			if set[f] {
				return usagef("-%s: the architecture comes from -model %s", f, o.model)
			}
		}
	}
	if o.eval && o.model == "" && o.weights == "" {
		return usagef("-eval: needs a trained model, from a -model file or -weights")
	}
	for _, f := range []struct{ name, path string }{{"model", o.model}, {"weights", o.weights}} {
		if f.path == "" {
			continue
		}
		fd, err := os.Open(f.path)
		if err != nil {
			return usagef("-%s %s: %v", f.name, f.path, errors.Unwrap(err))
		}
		st, err := fd.Stat()
		fd.Close()
		if err != nil || st.IsDir() {
			return usagef("-%s %s: not a file", f.name, f.path)
		}
	}
	if o.save != "" {
		switch filepath.Ext(o.save) {
		case ".safetensors", ".lnn":
		default:
			return usagef("-save %s: the name must end in .safetensors (the weights, as a PyTorch state_dict) or .lnn (the lanes model: architecture and weights)", o.save)
		}
		if err := writable(o.save); err != nil {
			return usagef("-save %s: %v", o.save, err)
		}
	}
	if o.cpuprofile != "" {
		if err := writable(o.cpuprofile); err != nil {
			return usagef("-cpuprofile %s: %v", o.cpuprofile, err)
		}
	}
	if o.data != "" {
		st, err := os.Stat(o.data)
		switch {
		case err != nil:
			return usagef("-data %s: no such folder (it is not created)", o.data)
		case !st.IsDir():
			return usagef("-data %s: not a folder", o.data)
		}
	}
	return nil
}

// writable checks that a file can be created at path: its folder exists and takes a new file,
// and path is not a folder. It leaves nothing behind.
func writable(path string) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return errors.New("is a folder")
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("the folder %s does not exist", dir)
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is not a folder", dir)
	}
	f, err := os.CreateTemp(dir, ".mnist-write-check-*")
	if err != nil {
		return fmt.Errorf("the folder %s is not writable", dir)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// activationNames lists the values of -activation.
const activationNames = "relu, leakyrelu, elu, sigmoid, tanh, gelu, gelutanh, silu, softplus"

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
	case "gelu":
		return func() nn.Layer { return nn.NewGELU() }, true, nil
	case "gelutanh":
		return func() nn.Layer { return nn.NewGELUTanh() }, true, nil
	case "silu":
		return func() nn.Layer { return nn.NewSiLU() }, true, nil
	case "softplus":
		return func() nn.Layer { return nn.NewSoftplus() }, true, nil
	}
	return nil, false, usagef("-activation %q: unknown (%s)", name, activationNames)
}

// schedule returns the learning-rate schedule of -schedule: nil for none.
func schedule(s string) (nn.Schedule, error) {
	switch strings.ToLower(s) {
	case "none", "":
		return nil, nil
	case "cosine":
		return nn.CosineDecay, nil
	}
	f := strings.Split(s, ":")
	if len(f) == 3 && strings.EqualFold(f[0], "step") {
		every, err1 := strconv.Atoi(f[1])
		gamma, err2 := strconv.ParseFloat(f[2], 64)
		if err1 == nil && err2 == nil && every >= 1 && gamma >= 0 && gamma <= 1 {
			return nn.StepDecay(every, gamma), nil
		}
		return nil, usagef("-schedule %q: step:N:G needs a whole N >= 1 and G in [0, 1]", s)
	}
	return nil, usagef("-schedule %q: unknown (none, cosine or step:N:G)", s)
}

// optimizer returns the optimizer named; lr and mom 0 mean its defaults.
func optimizer(name string, lr, mom, decay float32) (nn.Optimizer, error) {
	var o nn.Optimizer
	wd := nn.WeightDecay{Lambda: decay}
	switch strings.ToLower(name) {
	case "sgd":
		s := nn.NewSGD(lr)
		s.WeightDecay = wd
		o = s
	case "momentum":
		s := nn.NewMomentum(lr, mom)
		s.WeightDecay = wd
		o = s
	case "nesterov":
		s := nn.NewNesterov(lr, mom)
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
		return nil, usagef("-optimizer %q: unknown (sgd, momentum, nesterov, adagrad, rmsprop, adam)", name)
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
	if err != nil || !(std > 0) || math.IsInf(std, 0) {
		return nil, usagef("-init %q: not he, xavier, lecun or a positive, finite standard deviation", name)
	}
	return nn.FixedStd(std), nil
}

// build returns the model: the one of -model, or Dense layers of the -layers widths with the
// activation (and dropout) between them and a linear last layer whose logits go to
// SoftmaxCrossEntropy; then the weights of -weights, if given.
func build(o *options) (*nn.Sequential, error) {
	var m *nn.Sequential
	if o.model != "" {
		var err error
		if m, err = nn.LoadFile(o.model); err != nil {
			return nil, err
		}
		if err := checkWidths(m); err != nil {
			return nil, fmt.Errorf("-model %s: %w", o.model, err)
		}
	} else if o.arch == "simplecnn" || o.arch == "deepcnn" {
		init, err := initializer(o.init, true)
		if err != nil {
			return nil, err
		}
		if m, err = cnn(o.arch, init, nn.NewRand(o.seed)); err != nil {
			return nil, err
		}
	} else {
		act, he, err := activation(o.activation)
		if err != nil {
			return nil, err
		}
		init, err := initializer(o.init, he)
		if err != nil {
			return nil, err
		}
		rng := nn.NewRand(o.seed)
		m = nn.NewSequential()
		for i := 0; i+1 < len(o.layers); i++ {
			m.Add(nn.NewDense(o.layers[i], o.layers[i+1], init, rng))
			if i+2 < len(o.layers) {
				m.Add(act())
				if o.dropout > 0 {
					m.Add(nn.NewDropout(float32(o.dropout), rng))
				}
			}
		}
	}
	if o.weights != "" {
		if err := m.LoadWeights(o.weights); err != nil {
			return nil, fmt.Errorf("-weights: %w", err)
		}
	}
	return m, nil
}

// cnn returns the convolutional network named (simplecnn or deepcnn) for MNIST's 1x28x28 images,
// with weights drawn by init from rng. The layers are those of PyTorch's nn.Sequential for the
// same network, in the same order, so that the state_dict names match.
func cnn(name string, init nn.Initializer, rng *rand.Rand) (*nn.Sequential, error) {
	image := nn.Shape{C: 1, H: 28, W: 28}
	if name == "simplecnn" {
		// The book's SimpleConvNet: 30 filters of 5x5, stride 1, no padding; 2x2 max pooling;
		// 100 hidden units.
		return nn.Build(image,
			nn.NewConv2D(1, 30, 5, 5, 1, 0, init, rng), nn.NewReLU(), nn.NewMaxPool2D(2, 2), nn.NewFlatten(),
			nn.NewDense(30*12*12, 100, init, rng), nn.NewReLU(), nn.NewDense(100, classes, init, rng),
		)
	}
	// Two blocks of 3x3 convolution (padding 1, so 28 -> 14 -> 7), ReLU and 2x2 max pooling, 32
	// then 64 channels; 128 hidden units with dropout 0.5.
	return nn.Build(image,
		nn.NewConv2D(1, 32, 3, 3, 1, 1, init, rng), nn.NewReLU(), nn.NewMaxPool2D(2, 2),
		nn.NewConv2D(32, 64, 3, 3, 1, 1, init, rng), nn.NewReLU(), nn.NewMaxPool2D(2, 2), nn.NewFlatten(),
		nn.NewDense(64*7*7, 128, init, rng), nn.NewReLU(), nn.NewDropout(0.5, rng), nn.NewDense(128, classes, init, rng),
	)
}

// checkWidths checks that the model takes the pixels and gives one output per class.
func checkWidths(m *nn.Sequential) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the model (%s) does not take %d pixels: %v", m, pixels, r)
		}
	}()
	if len(m.Layers) == 0 {
		return errors.New("the model has no layers")
	}
	if y := m.Predict(nn.NewMatrix(1, pixels)); y.Cols != classes {
		return fmt.Errorf("the model (%s) gives %d outputs, want %d (the classes)", m, y.Cols, classes)
	}
	return nil
}

// save writes the model in the format the extension of path names.
func save(m *nn.Sequential, path string) error {
	if filepath.Ext(path) == ".safetensors" {
		return m.SaveWeights(path)
	}
	return m.SaveFile(path)
}

func run(args []string, stdout, stderr io.Writer) error {
	o, err := parse(args, stderr)
	if err != nil {
		return err
	}
	runtime.GOMAXPROCS(o.threads)
	m, err := build(o)
	if err != nil {
		return err
	}
	var train, test *mnist.Set
	switch {
	case o.fashion && o.data != "":
		train, test, err = mnist.LoadFashionDir(o.data, stderr)
	case o.fashion:
		train, test, err = mnist.LoadFashion(stderr)
	default:
		train, test, err = mnist.Load(o.data, stderr)
	}
	if err != nil {
		return err
	}
	if o.limit > 0 && o.limit < train.N {
		train = train.Slice(0, o.limit)
	}
	if px := train.Pixels(); px != pixels {
		return fmt.Errorf("the data has images of %d pixels, the model takes %d", px, pixels)
	}
	xTrain, yTrain := train.Matrix(), train.IntLabels()
	xTest, yTest := test.Matrix(), test.IntLabels()
	set := "MNIST"
	if o.fashion {
		set = "Fashion-MNIST"
	}
	fmt.Fprintf(stdout, "lanes MNIST: ISA %s, GOMAXPROCS %d\n", kernels.ISA(), runtime.GOMAXPROCS(0))
	fmt.Fprintf(stdout, "data: %s, %d training and %d test images of %dx%d\n", set, train.N, test.N, train.Rows, train.Cols)
	if o.eval {
		fmt.Fprintf(stdout, "model: %s (%d parameters)\n", m, m.NumParams())
		ev := nn.Evaluate(m, xTest, yTest, nn.NewSoftmaxCrossEntropy(), 1000)
		if o.save != "" {
			if err := save(m, o.save); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "saved the model to %s\n", o.save)
		}
		fmt.Fprintf(stdout, "test accuracy %.4f, loss %.4f\n", ev.Accuracy, ev.Loss)
		return nil
	}
	lr := o.lr
	if lr == 0 && strings.EqualFold(o.optimizer, "sgd") {
		lr = 0.1
	}
	opt, err := optimizer(o.optimizer, float32(lr), float32(o.momentum), float32(o.decay))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "model: %s (%d parameters), %s\n", m, m.NumParams(), opt.Name())
	cfg := nn.FitConfig{BatchSize: o.batch, Epochs: o.epochs, Seed: o.seed, Description: "training"}
	cfg.Schedule, _ = schedule(o.schedule) // checked by parse
	sched := ""
	if cfg.Schedule != nil {
		sched = ", learning-rate schedule " + o.schedule
	}
	if o.shift > 0 {
		unit := "pixels"
		if o.shift == 1 {
			unit = "pixel"
		}
		sched += fmt.Sprintf(", images moved by up to %d %s", o.shift, unit)
	}
	if o.epochs == 0 {
		cfg.Iterations = o.iters
		fmt.Fprintf(stdout, "training: %d batches of %d drawn at random%s\n", o.iters, o.batch, sched)
	} else {
		fmt.Fprintf(stdout, "training: %d shuffled epochs, batches of %d%s\n", o.epochs, o.batch, sched)
	}
	if !o.noProgress {
		cfg.Progress = stderr
	}
	loss := nn.NewSoftmaxCrossEntropy()
	tr := nn.NewTrainer(m, loss, opt)
	report := func(what string, n int, l float64, elapsed time.Duration, extra string) {
		trainAcc := nn.Evaluate(m, xTrain, yTrain, nil, 1000).Accuracy
		testAcc := nn.Evaluate(m, xTest, yTest, nil, 1000).Accuracy
		tr.ClearProgress()
		fmt.Fprintf(stdout, "%s %5d  loss %.4f  train acc %.4f  test acc %.4f  time %.2fs%s\n", what, n, l, trainAcc, testAcc, elapsed.Seconds(), extra)
	}
	var since float64
	var count int
	switch {
	case o.evalEvery > 0:
		cfg.OnIteration = func(i nn.IterationInfo) {
			since += i.Loss
			count++
			if i.Iteration%o.evalEvery == 0 {
				report("iteration", i.Iteration, since/float64(count), i.Elapsed, "")
				since, count = 0, 0
			}
		}
	case o.evalEvery == 0:
		cfg.OnEpoch = func(e nn.EpochInfo) {
			extra := ""
			if cfg.Schedule != nil {
				extra = fmt.Sprintf("  lr %.3g", e.LearningRate)
			}
			report("epoch", e.Epoch, e.Loss, e.Elapsed, extra)
		}
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
	// Fit draws its batches from the images' bytes (a quarter of the memory, so random batches
	// come from the cache rather than from RAM), converting each batch to the same floats.
	var samples nn.Samples = train.Bytes()
	if o.shift > 0 {
		samples = nn.RandomShift(samples, nn.Shape{C: 1, H: 28, W: 28}, o.shift, o.seed)
	}
	h := tr.Fit(samples, nn.Labels(yTrain), cfg)
	if o.cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	if l := h.EpochLoss[len(h.EpochLoss)-1]; math.IsNaN(l) || math.IsInf(l, 0) {
		return fmt.Errorf("the training diverged: the loss is %g (try a smaller -lr); the model is not saved", l)
	}
	if o.save != "" {
		if err := save(m, o.save); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "saved the model to %s\n", o.save)
	}
	t0 := time.Now()
	acc := nn.Evaluate(m, xTest, yTest, nil, 1000).Accuracy
	fmt.Fprintf(stdout, "inference: %d test images in batches of 1000 in %.3fs\n", xTest.Rows, time.Since(t0).Seconds())
	fmt.Fprintf(stdout, "test accuracy %.4f, train time %.2fs\n", acc, h.TrainTime.Seconds())
	return nil
}
