package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lanesimd/lanes/nn"
	"github.com/lanesimd/lanes/nn/mnist"
)

// needMNIST skips the test when the MNIST files are not in the data folder; tests never fetch.
func needMNIST(t *testing.T) string {
	t.Helper()
	dir, err := mnist.DefaultDir()
	if err == nil {
		err = mnist.Verify(dir)
	}
	if err != nil {
		t.Skipf("MNIST is not available, skipping the end-to-end test (fetch it with `make test` or `go run ./nn/mnist/cmd/getmnist`): %v", err)
	}
	return dir
}

var finalLine = regexp.MustCompile(`(?m)^test accuracy (0\.\d{4}), train time (\d+\.\d{2})s\n\z`)

// TestEndToEnd trains the two-layer net on the first 10,000 training images for 600 batches,
// checks the output and the accuracy on the 10,000 test images, saves the model and checks that
// the file loads and predicts the same accuracy.
func TestEndToEnd(t *testing.T) {
	dir := needMNIST(t)
	if testing.Short() {
		t.Skip("trains for seconds; skipped with -short")
	}
	save := filepath.Join(t.TempDir(), "model.lnn")
	var out, errOut bytes.Buffer
	args := []string{"-data", dir, "-limit", "10000", "-iterations", "600", "-eval-every", "300", "-save", save, "-seed", "3"}
	if err := run(args, &out, &errOut); err != nil {
		t.Fatalf("run %v: %v\n%s", args, err, errOut.String())
	}
	t.Log(out.String())
	m := finalLine.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("output does not end with the final line:\n%s", out.String())
	}
	acc, _ := strconv.ParseFloat(m[1], 64)
	if acc < 0.88 {
		t.Errorf("test accuracy %.4f < 0.88 after 600 batches", acc)
	}
	for _, want := range []string{"ISA ", "Dense(784, 50) -> ReLU -> Dense(50, 10)", "iteration   300  loss", "iteration   600  loss", "train acc", "saved the model"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(errOut.String(), "training") && strings.Contains(errOut.String(), "it/s") {
		t.Errorf("a progress bar was drawn on a buffer:\n%s", errOut.String())
	}
	model, err := nn.LoadFile(save)
	if err != nil {
		t.Fatal(err)
	}
	_, test, err := mnist.Load(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := nn.Accuracy(model, test.Matrix(), test.IntLabels())
	if strconv.FormatFloat(got, 'f', 4, 64) != m[1] {
		t.Errorf("the saved model's accuracy is %.4f, the run printed %s", got, m[1])
	}

	// -model FILE -eval evaluates the saved model, -save converts it to a state_dict, and
	// -weights loads that into the -layers architecture.
	weights := filepath.Join(t.TempDir(), "w.safetensors")
	for _, args := range [][]string{
		{"-data", dir, "-model", save, "-eval", "-save", weights},
		{"-data", dir, "-layers", "784,50,10", "-weights", weights, "-eval"},
	} {
		out.Reset()
		if err := run(args, &out, &errOut); err != nil {
			t.Fatalf("run %v: %v\n%s", args, err, errOut.String())
		}
		if want := "test accuracy " + m[1] + ", loss "; !strings.Contains(out.String(), want) {
			t.Errorf("run %v printed\n%s\nwant %q", args, out.String(), want)
		}
		if strings.Contains(out.String(), "training:") || strings.Contains(out.String(), "train time") {
			t.Errorf("run %v trained:\n%s", args, out.String())
		}
	}

	// -schedule: each epoch's line gives the learning rate it trained with.
	out.Reset()
	args = []string{"-data", dir, "-limit", "2000", "-epochs", "3", "-schedule", "step:2:0.5", "-lr", "0.2", "-eval-every", "0", "-shift", "1"}
	if err := run(args, &out, &errOut); err != nil {
		t.Fatalf("run %v: %v\n%s", args, err, errOut.String())
	}
	for _, want := range []string{"learning-rate schedule step:2:0.5, images moved by up to 1 pixel\n", "epoch     1  loss", "s  lr 0.2\n", "epoch     3  loss", "s  lr 0.1\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("run %v printed\n%s\nwant %q", args, out.String(), want)
		}
	}
	if n := strings.Count(out.String(), "  lr 0.2\n"); n != 2 {
		t.Errorf("run %v: %d epochs at lr 0.2, want 2:\n%s", args, n, out.String())
	}
}

// TestCNNEndToEnd trains the book's SimpleConvNet on the first 10,000 training images for 300
// batches of 100 (Adam), checks the accuracy on the 10,000 test images against a floor of 0.95
// (it reaches about 0.96), saves the model and checks that the file loads as the same network and
// predicts the same accuracy, and that its weights load into -model simplecnn.
func TestCNNEndToEnd(t *testing.T) {
	dir := needMNIST(t)
	if testing.Short() || raceEnabled {
		t.Skip("trains for seconds (minutes under the race detector); skipped with -short and -race")
	}
	save := filepath.Join(t.TempDir(), "cnn.lnn")
	var out, errOut bytes.Buffer
	args := []string{"-data", dir, "-model", "simplecnn", "-limit", "10000", "-iterations", "300", "-eval-every", "150", "-save", save, "-seed", "3"}
	if err := run(args, &out, &errOut); err != nil {
		t.Fatalf("run %v: %v\n%s", args, err, errOut.String())
	}
	t.Log(out.String())
	m := finalLine.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("output does not end with the final line:\n%s", out.String())
	}
	if acc, _ := strconv.ParseFloat(m[1], 64); acc < 0.95 {
		t.Errorf("test accuracy %.4f < 0.95 after 300 batches", acc)
	}
	for _, want := range []string{"Conv2D(1, 30, 5x5) -> ReLU -> MaxPool2D(2) -> Flatten -> Dense(4320, 100) -> ReLU -> Dense(100, 10)", "Adam(lr 0.001)", "iteration   300  loss", "inference: 10000 test images in batches of 1000 in "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
	model, err := nn.LoadFile(save)
	if err != nil {
		t.Fatal(err)
	}
	if in, ok := model.InputShape(); !ok || in != (nn.Shape{C: 1, H: 28, W: 28}) {
		t.Errorf("the saved model's input shape is %v, %v", in, ok)
	}
	_, test, err := mnist.Load(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := nn.Accuracy(model, test.Matrix(), test.IntLabels()); strconv.FormatFloat(got, 'f', 4, 64) != m[1] {
		t.Errorf("the saved model's accuracy is %.4f, the run printed %s", got, m[1])
	}
	weights := filepath.Join(t.TempDir(), "w.safetensors")
	for _, args := range [][]string{
		{"-data", dir, "-model", save, "-eval", "-save", weights},
		{"-data", dir, "-model", "simplecnn", "-weights", weights, "-eval"},
	} {
		out.Reset()
		if err := run(args, &out, &errOut); err != nil {
			t.Fatalf("run %v: %v\n%s", args, err, errOut.String())
		}
		if want := "test accuracy " + m[1] + ", loss "; !strings.Contains(out.String(), want) {
			t.Errorf("run %v printed\n%s\nwant %q", args, out.String(), want)
		}
	}
}

// TestFlagErrors: every bad flag is a usage error naming it, found before any work.
func TestFlagErrors(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "m.lnn")
	if err := nn.NewSequential(nn.NewDense(784, 10, nil, nil)).SaveFile(model); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-layers", "784,x,10"}, `-layers "784,x,10": "x" is not a positive integer`},
		{[]string{"-layers", "784"}, "-layers"},
		{[]string{"-layers", "100,10"}, "must start with 784"},
		{[]string{"-batch", "0"}, "-batch 0"},
		{[]string{"-epochs", "0", "-iterations", "0"}, "nothing to train"},
		{[]string{"-epochs", "-1"}, "-epochs -1"},
		{[]string{"-lr", "-1"}, "-lr -1: must be a finite number in [0, 10]"},
		{[]string{"-lr", "NaN"}, "-lr NaN"},
		{[]string{"-lr", "Inf"}, "-lr +Inf"},
		{[]string{"-lr", "11"}, "-lr 11"},
		{[]string{"-lr", "abc"}, `invalid value "abc" for flag -lr`},
		{[]string{"-decay", "-1"}, "-decay -1: must be a finite number in [0, 1)"},
		{[]string{"-decay", "NaN"}, "-decay NaN"},
		{[]string{"-momentum", "1", "-optimizer", "momentum"}, "-momentum 1"},
		{[]string{"-momentum", "0.5"}, "-momentum 0.5: only -optimizer momentum and nesterov use it"},
		{[]string{"-dropout", "1"}, "-dropout 1"},
		{[]string{"-dropout", "-0.1"}, "-dropout -0.1"},
		{[]string{"-threads", "-1"}, "-threads -1: must be at least 1"},
		{[]string{"-threads", "0"}, "-threads 0"},
		{[]string{"-eval-every", "-2"}, "-eval-every -2"},
		{[]string{"-limit", "-5"}, "-limit -5"},
		{[]string{"-shift", "-1"}, "-shift -1: must be in [0, 27] (the images are 28x28)"},
		{[]string{"-shift", "28"}, "-shift 28"},
		{[]string{"-init", "NaN"}, `-init "NaN"`},
		{[]string{"-init", "Inf"}, `-init "Inf"`},
		{[]string{"-activation", "swish"}, `-activation "swish"`},
		{[]string{"-optimizer", "lbfgs"}, `-optimizer "lbfgs"`},
		{[]string{"-schedule", "linear"}, `-schedule "linear": unknown (none, cosine or step:N:G)`},
		{[]string{"-schedule", "step:0:0.5"}, `-schedule "step:0:0.5": step:N:G needs a whole N >= 1 and G in [0, 1]`},
		{[]string{"-schedule", "step:2:NaN"}, `-schedule "step:2:NaN"`},
		{[]string{"-schedule", "step:2:1.5"}, `-schedule "step:2:1.5"`},
		{[]string{"-schedule", "step:2"}, `-schedule "step:2"`},
		{[]string{"-save", "/missing/dir/m.lnn"}, "-save /missing/dir/m.lnn: the folder /missing/dir does not exist"},
		{[]string{"-save", filepath.Join(dir, "m.pt")}, "must end in .safetensors"},
		{[]string{"-save", dir + "/"}, "-save"},
		{[]string{"-cpuprofile", "/missing/cpu.prof"}, "-cpuprofile /missing/cpu.prof"},
		{[]string{"-data", "/typo"}, "-data /typo: no such folder (it is not created)"},
		{[]string{"-data", model}, "not a folder"},
		{[]string{"-eval"}, "-eval: needs a trained model"},
		{[]string{"-weights", filepath.Join(dir, "none.safetensors")}, "-weights " + filepath.Join(dir, "none.safetensors") + ": no such file"},
		{[]string{"-model", dir}, "not a file"},
		{[]string{"-model", model, "-layers", "784,10"}, "-layers: the architecture comes from -model"},
		{[]string{"-model", model, "-dropout", "0.2"}, "-dropout: the architecture comes from -model"},
		{[]string{"-model", "simplecnn", "-layers", "784,10"}, "-layers: only -model mlp uses it (-model is simplecnn)"},
		{[]string{"-model", "deepcnn", "-activation", "tanh"}, "-activation: only -model mlp uses it"},
		{[]string{"-model", "SimpleCNN", "-dropout", "0.5"}, "-dropout: only -model mlp uses it"},
		{[]string{"-model", "simplecnn", "-eval"}, "-eval: needs a trained model"},
		{[]string{"-model", "resnet"}, "-model resnet: no such file"},
		{[]string{"extra"}, "unexpected arguments"},
		{[]string{"-nosuchflag"}, "flag provided but not defined: -nosuchflag"},
	}
	for _, c := range cases {
		_, err := parse(c.args, &bytes.Buffer{})
		var ue *usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("parse(%q) = %v, want a one-line usage error saying %q", c.args, err, c.want)
		}
	}
	if _, err := os.Stat("/typo"); err == nil {
		t.Error("-data /typo created /typo")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("checking -save left files behind: %d entries in %s", len(ents), dir)
	}
	o, err := parse([]string{"-layers", "784, 100,10", "-activation", "tanh"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := build(o)
	if err != nil || m.String() != "Dense(784, 100) -> Tanh -> Dense(100, 10)" {
		t.Errorf("build = %v, %v", m, err)
	}
	// Every activation by name.
	for name, layer := range map[string]string{"relu": "ReLU", "LeakyReLU": "LeakyReLU(0.01)", "elu": "ELU(1)",
		"sigmoid": "Sigmoid", "gelu": "GELU", "gelutanh": "GELU(tanh)", "silu": "SiLU", "softplus": "Softplus"} {
		o, err := parse([]string{"-layers", "784,30,10", "-activation", name}, &bytes.Buffer{})
		if err != nil {
			t.Fatal(err)
		}
		m, err := build(o)
		if want := "Dense(784, 30) -> " + layer + " -> Dense(30, 10)"; err != nil || m.String() != want {
			t.Errorf("-activation %s: build = %v, %v; want %s", name, m, err, want)
		}
	}
	// The convolutional networks, their defaults, and their layers in PyTorch's order.
	deep := "Conv2D(1, 32, 3x3, pad 1) -> ReLU -> MaxPool2D(2) -> Conv2D(32, 64, 3x3, pad 1) -> ReLU -> MaxPool2D(2) -> Flatten -> Dense(3136, 128) -> ReLU -> Dropout(0.5) -> Dense(128, 10)"
	for _, c := range []struct{ args, arch, opt, schedule string }{
		{"-model simplecnn", "Conv2D(1, 30, 5x5) -> ReLU -> MaxPool2D(2) -> Flatten -> Dense(4320, 100) -> ReLU -> Dense(100, 10)", "adam", "none"},
		{"-model deepcnn -optimizer sgd -epochs 3", deep, "sgd", "cosine"},
		{"-model deepcnn -schedule step:2:0.5", deep, "adam", "step:2:0.5"},
		{"-model deepcnn -schedule none", deep, "adam", "none"},
	} {
		o, err := parse(strings.Fields(c.args), &bytes.Buffer{})
		if err != nil {
			t.Fatal(err)
		}
		m, err := build(o)
		if err != nil || m.String() != c.arch || o.optimizer != c.opt || o.epochs == 0 || o.schedule != c.schedule {
			t.Errorf("%s: build = %v, %v; optimizer %s, epochs %d, schedule %s", c.args, m, err, o.optimizer, o.epochs, o.schedule)
		}
		if err := checkWidths(m); err != nil {
			t.Errorf("%s: %v", c.args, err)
		}
	}
	// -model and -weights that do not fit are errors naming the file or tensor.
	o, _ = parse([]string{"-layers", "784,20,10", "-weights", model}, &bytes.Buffer{})
	if _, err := build(o); err == nil || !strings.Contains(err.Error(), `tensor "0.weight" has shape [10, 784], layer 0, Dense(784, 20) needs [20, 784]`) {
		t.Errorf("-weights of another architecture: %v", err)
	}
	small := filepath.Join(dir, "small.lnn")
	nn.NewSequential(nn.NewDense(10, 10, nil, nil)).SaveFile(small)
	o, _ = parse([]string{"-model", small}, &bytes.Buffer{})
	if _, err := build(o); err == nil || !strings.Contains(err.Error(), "does not take 784 pixels") {
		t.Errorf("-model of another input width: %v", err)
	}
}

// TestMainExitCodes runs the command: a bad flag exits with code 2 and one line on stderr
// naming the flag, before any work (no data is read, no folder created); -help exits 0.
func TestMainExitCodes(t *testing.T) {
	if os.Getenv("MNIST_RUN_MAIN") == "1" {
		os.Args = append([]string{"mnist"}, strings.Fields(os.Getenv("MNIST_ARGS"))...)
		main()
		os.Exit(0)
	}
	for _, c := range []struct {
		args string
		code int
		want string
	}{
		{"-lr -1", 2, "mnist: -lr -1: must be a finite number in [0, 10]\n"},
		{"-lr NaN", 2, "mnist: -lr NaN: must be a finite number in [0, 10]\n"},
		{"-decay -1", 2, "mnist: -decay -1: must be a finite number in [0, 1)\n"},
		{"-threads -1", 2, "mnist: -threads -1: must be at least 1\n"},
		{"-data /typo", 2, "mnist: -data /typo: no such folder (it is not created)\n"},
		{"-save /missing/dir/m.lnn", 2, "mnist: -save /missing/dir/m.lnn: the folder /missing/dir does not exist\n"},
		{"-help", 0, ""},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMainExitCodes$")
		cmd.Env = append(os.Environ(), "MNIST_RUN_MAIN=1", "MNIST_ARGS="+c.args)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		}
		if code != c.code || c.want != "" && stderr.String() != c.want || stdout.Len() != 0 {
			t.Errorf("mnist %s: exit code %d, stderr %q, stdout %q; want %d and %q", c.args, code, stderr.String(), stdout.String(), c.code, c.want)
		}
		if c.args == "-help" && !strings.Contains(stderr.String(), "-weights") {
			t.Errorf("mnist -help: %q", stderr.String())
		}
	}
}
