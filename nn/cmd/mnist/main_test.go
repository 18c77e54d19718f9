package main

import (
	"bytes"
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
	y := labels(test)
	got := nn.Accuracy(model, nn.FromSlice(test.N, test.Rows*test.Cols, test.Images), y)
	if strconv.FormatFloat(got, 'f', 4, 64) != m[1] {
		t.Errorf("the saved model's accuracy is %.4f, the run printed %s", got, m[1])
	}
}

func TestFlagErrors(t *testing.T) {
	cases := [][]string{
		{"-layers", "784,x,10"},
		{"-layers", "784"},
		{"-batch", "0"},
		{"-epochs", "0", "-iterations", "0"},
		{"-dropout", "1"},
		{"extra"},
	}
	for _, args := range cases {
		if _, err := parse(args, &bytes.Buffer{}); err == nil {
			t.Errorf("parse(%q) accepted", args)
		}
	}
	o, err := parse([]string{"-layers", "784, 100,10", "-activation", "tanh"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := build(o); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []func() error{
		func() error { _, _, err := activation("swish"); return err },
		func() error { _, err := optimizer("lbfgs", 0.1, 0); return err },
		func() error { _, err := initializer("-1", true); return err },
	} {
		if bad() == nil {
			t.Error("an unknown name was accepted")
		}
	}
	m, err := build(o)
	if err != nil || m.String() != "Dense(784, 100) -> Tanh -> Dense(100, 10)" {
		t.Errorf("build = %v, %v", m, err)
	}
}
