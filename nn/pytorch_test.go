package nn

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/lanesimd/lanes/kernels"
)

// The fixtures in testdata were made by PyTorch with testdata/pytorch_fixtures.py (run
// `python3 nn/testdata/pytorch_fixtures.py generate` to make them again; it is deterministic).

// fixture is a testdata/*.json file: an input batch and PyTorch's outputs for it.
type fixture struct {
	Layers     []string  `json:"layers"`
	InputShape []int     `json:"input_shape"`
	Input      []float32 `json:"input"`
	Output     []float32 `json:"output"`
	OutputF16  []float32 `json:"output_f16"`
	OutputBF16 []float32 `json:"output_bf16"`
}

func readFixture(t *testing.T, name string) *fixture {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var f fixture
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &f
}

// input returns the fixture's input as a batch: one sample per row, images flattened NCHW.
func (f *fixture) input() *Matrix {
	cols := 1
	for _, s := range f.InputShape[1:] {
		cols *= s
	}
	return FromSlice(f.InputShape[0], cols, f.Input)
}

// fixtureMLP is the lanes model of pytorch_fixtures.py's mlp(), with weights of its own.
func fixtureMLP() *Sequential {
	rng := NewRand(1)
	return NewSequential(
		NewDense(12, 16, nil, rng), NewBatchNorm(16, 0.9, 1e-5), NewReLU(), NewDropout(0.2, nil),
		NewDense(16, 10, nil, rng), NewTanh(), NewDense(10, 8, nil, rng), NewELU(1), NewDense(8, 8, nil, rng),
		NewLeakyReLU(0.1), NewDense(8, 6, nil, rng), NewSigmoid(), NewDense(6, 5, nil, rng),
	)
}

// within fails unless got and want agree within tol.
func within(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	worst := 0.0
	for i := range got {
		d := math.Abs(float64(got[i]) - float64(want[i]))
		if !(d <= tol) {
			t.Fatalf("%s: value %d is %g, PyTorch gives %g (difference %g > %g)", what, i, got[i], want[i], d, tol)
		}
		worst = max(worst, d)
	}
	t.Logf("%s: %d values within %.2g of PyTorch's (largest difference %.2g)", what, len(got), tol, worst)
}

// TestPyTorchMLPFixture loads the state_dicts PyTorch wrote (float32, float16, bfloat16) into the
// same layers and checks lanes' outputs against PyTorch's.
func TestPyTorchMLPFixture(t *testing.T) {
	f := readFixture(t, "mlp.json")
	x := f.input()
	for _, c := range []struct {
		file string
		want []float32
	}{
		{"mlp.safetensors", f.Output},
		{"mlp_f16.safetensors", f.OutputF16},
		{"mlp_bf16.safetensors", f.OutputBF16},
	} {
		m := fixtureMLP()
		if err := m.LoadWeights(filepath.Join("testdata", c.file)); err != nil {
			t.Fatal(err)
		}
		within(t, c.file, m.Predict(x).Data, c.want, 1e-5)
	}
}

// fixtureCNN is the lanes model of pytorch_fixtures.py's cnn(), for its 1x8x8 input, with
// weights of its own.
func fixtureCNN() *Sequential {
	rng := NewRand(2)
	m, err := Build(Shape{1, 8, 8},
		NewConv2D(1, 4, 3, 3, 1, 1, nil, rng), NewReLU(), NewMaxPool2D(2, 2),
		NewConv2D(4, 6, 3, 3, 1, 0, nil, rng), NewReLU(), NewFlatten(), NewDense(6*2*2, 10, nil, rng),
	)
	if err != nil {
		panic(err)
	}
	return m
}

// TestPyTorchCNNFixture loads the state_dict PyTorch wrote for its CNN (Conv2d weights
// [out, in, kh, kw]) into the same layers and checks lanes' outputs against PyTorch's, on every
// ISA path.
func TestPyTorchCNNFixture(t *testing.T) {
	f := readFixture(t, "cnn.json")
	x := f.input()
	if x.Rows != 4 || x.Cols != 64 || len(f.Output) != 40 {
		t.Fatalf("cnn.json: input %s, %d outputs", x.Shape(), len(f.Output))
	}
	prev := kernels.ISA()
	defer kernels.SetISA(prev)
	for _, isa := range kernels.SupportedISAs() {
		if err := kernels.SetISA(isa); err != nil {
			t.Fatal(err)
		}
		m := fixtureCNN()
		if err := m.LoadWeights(filepath.Join("testdata", "cnn.safetensors")); err != nil {
			t.Fatal(err)
		}
		within(t, isa+" cnn.safetensors", m.Predict(x).Data, f.Output, 1e-5)
		within(t, isa+" cnn.safetensors, Forward", m.Forward(x, false).Data, f.Output, 1e-5)
	}
}

// python returns a python3 that can import torch, or skips.
func python(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("LANES_PYTHON"), "/usr/bin/python3"}
	if p, err := exec.LookPath("python3"); err == nil {
		candidates = append(candidates, p)
	}
	for _, p := range candidates {
		if p == "" {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		err := exec.CommandContext(ctx, p, "-c", "import torch").Run()
		cancel()
		if err == nil {
			return p
		}
	}
	t.Skip("skipped: no python3 that can import torch (install Debian's python3-torch, or set LANES_PYTHON); lanes -> PyTorch not checked")
	return ""
}

// TestLanesToPyTorch saves lanes models (the MLP and the CNN of the fixtures, with SaveWeights
// and SaveFile) and has PyTorch load each file with load_state_dict(strict=True) into the same
// layers and run the fixture's input: its outputs must be lanes'.
func TestLanesToPyTorch(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PyTorch; skipped with -short")
	}
	py := python(t)
	mlp := fixtureMLP()
	bn := mlp.Layers[1].(*BatchNorm)
	for j := range bn.Features {
		bn.Gamma.Value.Data[j] = 1 + 0.03*float32(j)
		bn.Beta.Value.Data[j] = 0.1 - 0.02*float32(j)
		bn.RunningMean.Data[j] = 0.05 * float32(j%5)
		bn.RunningVar.Data[j] = 0.5 + 0.1*float32(j%3)
	}
	cnn := fixtureCNN()
	for _, p := range cnn.Params() {
		if !p.Decay {
			for i := range p.Value.Data {
				p.Value.Data[i] = 0.02 * float32(i%7-3)
			}
		}
	}
	for _, c := range []struct {
		arch string
		m    *Sequential
	}{{"mlp", mlp}, {"cnn", cnn}} {
		f := readFixture(t, c.arch+".json")
		want := c.m.Predict(f.input()).Data
		dir := t.TempDir()
		weights, full := filepath.Join(dir, "w.safetensors"), filepath.Join(dir, "m.lnn")
		if err := c.m.SaveWeights(weights); err != nil {
			t.Fatal(err)
		}
		if err := c.m.SaveFile(full); err != nil {
			t.Fatal(err)
		}
		for _, file := range []string{weights, full} {
			var out, errb bytes.Buffer
			cmd := exec.Command(py, filepath.Join("testdata", "pytorch_fixtures.py"), "check", c.arch, file, filepath.Join("testdata", c.arch+".json"))
			cmd.Stdout, cmd.Stderr = &out, &errb
			if err := cmd.Run(); err != nil {
				t.Fatalf("PyTorch could not load the %s's %s: %v\n%s", c.arch, filepath.Base(file), err, errb.String())
			}
			var res struct{ Output []float32 }
			if err := json.Unmarshal(out.Bytes(), &res); err != nil {
				t.Fatalf("%v: %s", err, out.String())
			}
			within(t, "PyTorch on lanes' "+c.arch+" "+filepath.Base(file), res.Output, want, 1e-5)
		}
	}
}
