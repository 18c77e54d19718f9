package mnist_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/lanesimd/lanes/nn"
	"github.com/lanesimd/lanes/nn/mnist"
)

// TestTrainEvaluateSaveExample runs Example_trainEvaluateSave (the README's snippet) on the MNIST
// that `make data` fetched, in a temporary folder, and checks what it prints and saves. It never
// fetches: without the data it skips.
func TestTrainEvaluateSaveExample(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for a second; skipped with -short")
	}
	dir, err := mnist.DefaultDir()
	if err == nil {
		err = mnist.Verify(dir)
	}
	if err != nil {
		t.Skipf("MNIST is not available, skipping (fetch it with `make data` or `go run ./nn/mnist/cmd/getmnist`): %v", err)
	}
	if !filepath.IsAbs(dir) {
		wd, _ := os.Getwd()
		dir = filepath.Join(wd, dir)
	}
	t.Setenv(mnist.DataEnv, dir)
	tmp := t.TempDir()
	t.Chdir(tmp)
	out, err := os.Create(filepath.Join(tmp, "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = out
	func() {
		defer func() { os.Stdout = stdout }()
		Example_trainEvaluateSave()
	}()
	out.Close()
	b, _ := os.ReadFile(out.Name())
	m := regexp.MustCompile(`^test accuracy (0\.\d{4})\n$`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("the example printed %q", b)
	}
	t.Logf("the example printed: %s", b)
	acc, _ := strconv.ParseFloat(string(m[1]), 64)
	if acc < 0.95 {
		t.Errorf("test accuracy %.4f after five epochs, want at least 0.95", acc)
	}
	model, err := nn.LoadFile(filepath.Join(tmp, "mnist.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	_, test, err := mnist.Load(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := nn.Accuracy(model, test.Matrix(), test.IntLabels()); strconv.FormatFloat(got, 'f', 4, 64) != string(m[1]) {
		t.Errorf("the saved model's accuracy is %.4f, the example printed %s", got, m[1])
	}
}
