package nn

import (
	"bytes"
	"encoding/binary"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// modernModel has every activation of modern networks after a Dense layer, with biases that are
// not zero.
func modernModel() *Sequential {
	rng := NewRand(31)
	dense := func(in, out int) *Dense {
		d := NewDense(in, out, XavierNormal, rng)
		for j := range d.B.Value.Data {
			d.B.Value.Data[j] = 0.05 * float32(j%7-3)
		}
		return d
	}
	return NewSequential(
		dense(5, 8), NewGELU(), dense(8, 8), NewGELUTanh(), dense(8, 6), NewSiLU(),
		dense(6, 6), NewSoftplus(), dense(6, 6), NewLeakyReLU(0.05), dense(6, 6), NewELU(0.5),
		dense(6, 6), NewReLU(), dense(6, 3),
	)
}

// TestSaveLoadNewActivations: a model with GELU (both forms), SiLU, Softplus, LeakyReLU and ELU
// round-trips through the model file bit for bit, with the kinds in the architecture, and its
// weights through SaveWeights and LoadWeights.
func TestSaveLoadNewActivations(t *testing.T) {
	m := modernModel()
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	n := binary.LittleEndian.Uint64(b)
	h, err := parseHeader(b[8 : 8+n])
	if err != nil {
		t.Fatal(err)
	}
	arch := h.meta[metaArch]
	for _, want := range []string{`{"kind":"GELU"}`, `{"kind":"GELUTanh"}`, `{"kind":"SiLU"}`, `{"kind":"Softplus"}`,
		`{"kind":"LeakyReLU","alpha":0.05000000074505806}`, `{"kind":"ELU","alpha":0.5}`} {
		if !strings.Contains(arch, want) {
			t.Errorf("the architecture %s has no %s", arch, want)
		}
	}
	got, err := UnmarshalModel(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != m.String() {
		t.Fatalf("loaded %s\nsaved  %s", got, m)
	}
	if g, ok := got.Layers[3].(*GELU); !ok || !g.Tanh {
		t.Fatalf("layer 3 loaded as %#v, want GELU with Tanh", got.Layers[3])
	}
	if g, ok := got.Layers[1].(*GELU); !ok || g.Tanh {
		t.Fatalf("layer 1 loaded as %#v, want the exact GELU", got.Layers[1])
	}
	again, err := got.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, b) {
		t.Fatal("re-encoding the loaded model gives other bytes")
	}
	x := randMatrix(NewRand(2), 7, 5, -3, 3)
	want := m.Predict(x)
	if !equal(got.Predict(x).Data, want.Data) {
		t.Fatal("predictions differ after load")
	}
	if !equal(got.Forward(x, false).Data, m.Forward(x, false).Data) {
		t.Fatal("Forward differs after load")
	}
	// Files, and the weights alone into a model built with the same layers.
	dir := t.TempDir()
	full, weights := filepath.Join(dir, "m.lnn"), filepath.Join(dir, "w.safetensors")
	if err := m.SaveFile(full); err != nil {
		t.Fatal(err)
	}
	if err := m.SaveWeights(weights); err != nil {
		t.Fatal(err)
	}
	fromFile, err := LoadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	fresh := modernModel()
	for _, p := range fresh.Params() {
		clear(p.Value.Data)
	}
	if err := fresh.LoadWeights(weights); err != nil {
		t.Fatal(err)
	}
	for _, mm := range []*Sequential{fromFile, fresh} {
		if !equal(mm.Predict(x).Data, want.Data) {
			t.Fatal("predictions differ after LoadFile or LoadWeights")
		}
	}
}

// TestLoadNewKindErrors: the new kinds take no hyperparameters, and a misspelt kind is named.
func TestLoadNewKindErrors(t *testing.T) {
	m := NewSequential(NewDense(2, 3, nil, nil), NewGELU())
	for _, c := range []struct{ arch, want string }{
		{`[{"kind":"Dense","in":2,"out":3},{"kind":"GELU","approximate":1}]`, "layer 1: GELU has the keys approximate, kind, want kind"},
		{`[{"kind":"Dense","in":2,"out":3},{"kind":"Gelu"}]`, `layer 1: unknown layer kind "Gelu"`},
		{`[{"kind":"Dense","in":2,"out":3},{"kind":"SiLU","beta":1}]`, "SiLU has the keys"},
		{`[{"kind":"Dense","in":2,"out":3},{"kind":"Softplus","beta":1,"threshold":20}]`, "Softplus has the keys"},
	} {
		_, err := UnmarshalModel(withMeta(t, m, map[string]string{metaArch: c.arch}))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", c.arch, err, c.want)
		}
	}
	if _, err := newLayer("GELUTanh", []float64{1}); err == nil || !strings.Contains(err.Error(), "GELUTanh has 1 hyperparameters, want 0") {
		t.Errorf("newLayer with a hyperparameter: %v", err)
	}
	// The legacy format (before safetensors) never had the new kinds.
	if _, err := makeLayer("SiLU", nil); err == nil {
		t.Error("the legacy reader accepts SiLU")
	}
}

// TestConcurrentPredictNewActivations: many goroutines predicting with one model of the new
// activations (and the fused Dense products) get what one goroutine gets.
func TestConcurrentPredictNewActivations(t *testing.T) {
	smallBlocks(t)
	m := modernModel()
	x := randMatrix(NewRand(5), 900, 5, -3, 3)
	at := func(g, i int) int { return (g*37 + i*101) % 800 }
	want := map[int][]float32{}
	for g := range 8 {
		for i := range 5 {
			want[at(g, i)] = m.Predict(x.Slice(at(g, i), at(g, i)+100)).Data
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				from := at(g, i)
				got := m.Predict(x.Slice(from, from+100))
				if !equal(got.Data, want[from]) {
					errs <- "a concurrent Predict differs from the serial one"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}
