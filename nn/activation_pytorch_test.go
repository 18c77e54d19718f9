package nn

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/lanesimd/lanes/kernels"
)

// The fixture of testdata/pytorch_activations.py (run `python3 nn/testdata/pytorch_activations.py
// generate` to make it again; it is deterministic): an MLP with every activation of modern
// networks, its weights and PyTorch's outputs.

// fixtureActMLP is the lanes model of pytorch_activations.py's act_mlp(), with weights of its own.
func fixtureActMLP() *Sequential {
	rng := NewRand(3)
	return NewSequential(
		NewDense(6, 10, nil, rng), NewGELU(), NewDense(10, 10, nil, rng), NewGELUTanh(),
		NewDense(10, 8, nil, rng), NewSiLU(), NewDense(8, 8, nil, rng), NewSoftplus(),
		NewDense(8, 8, nil, rng), NewELU(0.5), NewDense(8, 6, nil, rng), NewLeakyReLU(0.2),
		NewDense(6, 6, nil, rng), NewReLU(), NewDense(6, 4, nil, rng),
	)
}

// TestPyTorchActivationsFixture loads PyTorch's state_dict of the MLP into the same lanes layers
// and checks lanes' outputs (Predict, with the fused Dense products, and Forward) against
// PyTorch's, on every ISA path.
func TestPyTorchActivationsFixture(t *testing.T) {
	f := readFixture(t, "act_mlp.json")
	x := f.input()
	if x.Rows != 8 || x.Cols != 6 || len(f.Output) != 32 {
		t.Fatalf("act_mlp.json: input %s, %d outputs", x.Shape(), len(f.Output))
	}
	prev := kernels.ISA()
	defer kernels.SetISA(prev)
	for _, isa := range kernels.SupportedISAs() {
		if err := kernels.SetISA(isa); err != nil {
			t.Fatal(err)
		}
		m := fixtureActMLP()
		if err := m.LoadWeights(filepath.Join("testdata", "act_mlp.safetensors")); err != nil {
			t.Fatal(err)
		}
		within(t, isa+" act_mlp.safetensors", m.Predict(x).Data, f.Output, 1e-5)
		within(t, isa+" act_mlp.safetensors, Forward", m.Forward(x, true).Data, f.Output, 1e-5)
	}
}

// TestLanesActivationsToPyTorch saves the MLP (SaveWeights and SaveFile) and has PyTorch load
// each file with load_state_dict(strict=True) into the same layers: its outputs must be lanes'.
func TestLanesActivationsToPyTorch(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PyTorch; skipped with -short")
	}
	py := python(t)
	m := fixtureActMLP()
	f := readFixture(t, "act_mlp.json")
	want := m.Predict(f.input()).Data
	dir := t.TempDir()
	weights, full := filepath.Join(dir, "w.safetensors"), filepath.Join(dir, "m.lnn")
	if err := m.SaveWeights(weights); err != nil {
		t.Fatal(err)
	}
	if err := m.SaveFile(full); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{weights, full} {
		var out, errb bytes.Buffer
		cmd := exec.Command(py, filepath.Join("testdata", "pytorch_activations.py"), "check", file, filepath.Join("testdata", "act_mlp.json"))
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("PyTorch could not load %s: %v\n%s", filepath.Base(file), err, errb.String())
		}
		var res struct{ Output []float32 }
		if err := json.Unmarshal(out.Bytes(), &res); err != nil {
			t.Fatalf("%v: %s", err, out.String())
		}
		within(t, "PyTorch on lanes' "+filepath.Base(file), res.Output, want, 1e-5)
	}
}
