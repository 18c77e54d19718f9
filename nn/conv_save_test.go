package nn

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// TestCNNSaveLoadRoundTrip: a model with every new layer round-trips bit for bit through a model
// file (architecture, input shape, every tensor) and through a weights file into a model built
// alike, and predicts the same.
func TestCNNSaveLoadRoundTrip(t *testing.T) {
	m := smallCNN(3)
	m.Add(NewSoftmax())
	x := randMatrix(NewRand(4), 5, 2*9*9, -1, 1)
	want := m.Predict(x)
	path := filepath.Join(t.TempDir(), "cnn.lnn")
	if err := m.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	got, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != m.String() {
		t.Fatalf("loaded %s\nsaved   %s", got, m)
	}
	if in, ok := got.InputShape(); !ok || in != (Shape{2, 9, 9}) {
		t.Fatalf("loaded input shape %v, %v", in, ok)
	}
	a, _ := m.MarshalBinary()
	b, _ := got.MarshalBinary()
	if !bytes.Equal(a, b) {
		t.Fatal("re-encoding the loaded model gives other bytes")
	}
	if !equal(got.Predict(x).Data, want.Data) {
		t.Fatal("the loaded model predicts otherwise")
	}
	h, err := parseHeader(a[8 : 8+binary.LittleEndian.Uint64(a)])
	if err != nil {
		t.Fatal(err)
	}
	arch := h.meta[metaArch]
	if h.meta[metaInput] != "[2,9,9]" || !strings.Contains(arch, `{"kind":"Conv2D","in":2,"out":4,"kh":3,"kw":3,"stride":1,"pad":1}`) ||
		!strings.Contains(arch, `{"kind":"MaxPool2D","size":2,"stride":2}`) || !strings.Contains(arch, `{"kind":"Flatten"}`) {
		t.Fatalf("metadata: %v", h.meta)
	}

	// Weights alone, into a model built alike with other weights.
	w, err := m.MarshalWeights()
	if err != nil {
		t.Fatal(err)
	}
	other := smallCNN(99)
	other.Add(NewSoftmax())
	if err := other.ReadWeights(bytes.NewReader(w)); err != nil {
		t.Fatal(err)
	}
	for i, p := range other.Params() {
		if !equal(p.Value.Data, m.Params()[i].Value.Data) {
			t.Fatalf("parameter %s differs after ReadWeights", p.Name)
		}
	}
	if !equal(other.Predict(x).Data, want.Data) {
		t.Fatal("the model with the loaded weights predicts otherwise")
	}
	// The state_dict names and shapes are PyTorch's.
	items, err := m.stateDict()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, it := range items {
		names = append(names, it.name+shapeString(it.shape))
	}
	if got, want := strings.Join(names, " "), "0.weight[4, 2, 3, 3] 0.bias[4] 3.weight[5, 4, 2, 2] 3.bias[5] 5.weight[3, 5, 1, 1] 5.bias[3] 8.weight[6, 12] 8.bias[6] 10.weight[3, 6] 10.bias[3]"; got != want {
		t.Fatalf("state_dict %s\nwant       %s", got, want)
	}
	// A model that was not built has no input shape in its file and loads unbuilt.
	u := NewSequential(NewConv2D(1, 2, 3, 3, 1, 0, nil, nil), NewFlatten())
	ub, err := u.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	lu, err := UnmarshalModel(ub)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := lu.InputShape(); ok || strings.Contains(string(ub), metaInput) {
		t.Fatal("an unbuilt model's file records an input shape")
	}
}

// withMeta re-encodes m's model file with the metadata entries of extra (a new checksum), so
// that the loader gets past the checksum to what is tested.
func withMeta(t *testing.T, m *Sequential, extra map[string]string) []byte {
	t.Helper()
	arch, err := m.architecture()
	if err != nil {
		t.Fatal(err)
	}
	ts, err := m.stateTensors()
	if err != nil {
		t.Fatal(err)
	}
	meta := map[string]string{"format": "pt", metaArch: arch}
	for k, v := range extra {
		meta[k] = v
	}
	b := encodeSafetensors(meta, ts)
	n := binary.LittleEndian.Uint64(b)
	h, err := parseHeader(b[8 : 8+n])
	if err != nil {
		t.Fatal(err)
	}
	meta[metaChecksum] = checksumTag + hex.EncodeToString(checksum(h, b[8+n:]))
	return encodeSafetensors(meta, ts)
}

// TestCNNLoadErrors: a bad input shape or architecture in a model file is an error naming it.
func TestCNNLoadErrors(t *testing.T) {
	m := smallCNN(1)
	for _, c := range []struct {
		input string
		want  string
	}{
		{"[2,9]", `lanes.input "[2,9]" is not [C,H,W]`},
		{"[2,9,0]", `is not [C,H,W]`},
		{"[2,9,9.5]", `is not [C,H,W]`},
		{"[2,9,9] x", `is not [C,H,W]`},
		{"[3,9,9]", "lanes.input [3,9,9]: nn.Sequential.Build: layer 0: Conv2D(2, 4, 3x3, pad 1): input 3x9x9 has 3 channels, want 2"},
		{"[2,5,5]", "layer 6: AvgPool2D(2, stride 1): input 3x1x1 is smaller than the 2x2 window"},
		{"[65536,65536,65536]", "more than 2^31-1 values"},
	} {
		_, err := UnmarshalModel(withMeta(t, m, map[string]string{metaInput: c.input}))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("lanes.input %s: %v, want an error containing %q", c.input, err, c.want)
		}
	}
	// Hyperparameters out of range.
	for _, c := range []struct {
		arch, want string
	}{
		{`[{"kind":"Conv2D","in":1,"out":2,"kh":3,"kw":3,"stride":0,"pad":0}]`, "Conv2D stride = 0 is not a positive integer"},
		{`[{"kind":"Conv2D","in":1,"out":2,"kh":3,"kw":3,"stride":1,"pad":-1}]`, "Conv2D pad = -1"},
		{`[{"kind":"Conv2D","in":1,"out":2,"kh":3,"kw":3,"stride":1}]`, "Conv2D has the keys"},
		{`[{"kind":"MaxPool2D","size":2.5,"stride":2}]`, "MaxPool2D size = 2.5"},
		{`[{"kind":"AvgPool2D","size":2,"stride":0}]`, "AvgPool2D stride = 0"},
		{`[{"kind":"Flatten","size":2}]`, "Flatten has the keys"},
	} {
		specs, err := parseArchitecture(c.arch)
		if err == nil {
			_, err = makeLayer(specs[0].kind, specs[0].hyper)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", c.arch, err, c.want)
		}
	}
	// A file whose architecture announces more weights than it holds is refused before any
	// allocation.
	big := `[{"kind":"Conv2D","in":65536,"out":65536,"kh":3,"kw":3,"stride":1,"pad":0}]`
	meta := map[string]string{"format": "pt", metaArch: big}
	b := encodeSafetensors(meta, nil)
	n := binary.LittleEndian.Uint64(b)
	h, _ := parseHeader(b[8 : 8+n])
	meta[metaChecksum] = checksumTag + hex.EncodeToString(checksum(h, b[8+n:]))
	if _, err := UnmarshalModel(encodeSafetensors(meta, nil)); err == nil || !strings.Contains(err.Error(), "cannot") {
		t.Errorf("a huge Conv2D without data: %v", err)
	}
	if paramCount("Conv2D", []float64{math.MaxInt32, math.MaxInt32, 3, 3, 1, 0}) != 0 {
		t.Error("paramCount of an impossible Conv2D is not 0")
	}
}
