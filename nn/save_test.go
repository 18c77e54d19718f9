package nn

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// everyLayerModel has one layer of every kind, with non-trivial values in every tensor.
func everyLayerModel() *Sequential {
	rng := NewRand(11)
	bn := NewBatchNorm(6, 0.8, 1e-4)
	for j := range 6 {
		bn.Gamma.Value.Data[j] = 1 + 0.1*float32(j)
		bn.Beta.Value.Data[j] = -0.05 * float32(j)
		bn.RunningMean.Data[j] = 0.3 * float32(j)
		bn.RunningVar.Data[j] = 1.5 + float32(j)
	}
	d := NewDense(4, 6, XavierUniform, rng)
	for j := range d.B.Value.Data {
		d.B.Value.Data[j] = float32(j) * 0.25
	}
	return NewSequential(
		d, bn, NewReLU(), NewDropout(0.3, nil), NewLeakyReLU(0.02), NewELU(0.7),
		NewDense(6, 4, HeUniform, rng), NewMaxout(2), NewSigmoid(), NewTanh(), NewIdentity(), NewStep(),
		NewDense(2, 3, FixedStd(0.5), rng), NewSoftmax(),
	)
}

// endless is a stream of the byte b without end; it counts what is read from it.
type endless struct {
	b byte
	n int64
}

func (r *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.b
	}
	r.n += int64(len(p))
	return len(p), nil
}

func writeTestFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	m := everyLayerModel()
	dir := t.TempDir()
	path := filepath.Join(dir, "model.lnn")
	if err := m.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("SaveFile left %d files in the folder, want 1", len(ents))
	}
	got, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != m.String() {
		t.Fatalf("loaded %s\nsaved   %s", got, m)
	}
	// Every saved tensor bit for bit, including BatchNorm's running statistics.
	a, _ := m.MarshalBinary()
	b, _ := got.MarshalBinary()
	if !bytes.Equal(a, b) {
		t.Fatal("re-encoding the loaded model gives other bytes")
	}
	for i, p := range m.Params() {
		if !equal(p.Value.Data, got.Params()[i].Value.Data) {
			t.Fatalf("parameter %s differs", p.Name)
		}
	}
	bn, gbn := m.Layers[1].(*BatchNorm), got.Layers[1].(*BatchNorm)
	if !equal(bn.RunningMean.Data, gbn.RunningMean.Data) || !equal(bn.RunningVar.Data, gbn.RunningVar.Data) {
		t.Fatal("BatchNorm's running statistics differ after load")
	}
	// The same predictions bit for bit.
	x := randMatrix(NewRand(1), 5, 4, -2, 2)
	if !equal(m.Predict(x).Data, got.Predict(x).Data) {
		t.Fatal("predictions differ after load")
	}
	// Through Save / Load as well.
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	if l, err := Load(&buf); err != nil || l.String() != m.String() {
		t.Fatalf("Load: %v", err)
	}
	// A missing folder is an error, and leaves nothing behind.
	if err := m.SaveFile(filepath.Join(dir, "missing", "m.lnn")); err == nil {
		t.Fatal("SaveFile into a missing folder: no error")
	}
}

// TestFileIsSafetensors: the file is a safetensors file with PyTorch's state_dict names and
// shapes and the architecture and checksum in __metadata__.
func TestFileIsSafetensors(t *testing.T) {
	b, err := everyLayerModel().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	n := binary.LittleEndian.Uint64(b)
	if (8+n)%8 != 0 {
		t.Errorf("the data part starts at %d, not a multiple of 8", 8+n)
	}
	h, err := parseHeader(b[8 : 8+n])
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range h.entries {
		names = append(names, fmt.Sprintf("%s %s %v", e.name, e.dtype, e.shape))
	}
	want := []string{
		"0.weight F32 [6 4]", "0.bias F32 [6]",
		"1.weight F32 [6]", "1.bias F32 [6]", "1.running_mean F32 [6]", "1.running_var F32 [6]", "1.num_batches_tracked I64 []",
		"6.weight F32 [4 6]", "6.bias F32 [4]", "12.weight F32 [3 2]", "12.bias F32 [3]",
	}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Errorf("tensors\n%v\nwant\n%v", names, want)
	}
	if h.meta["format"] != "pt" || !strings.HasPrefix(h.meta[metaChecksum], "sha256:") ||
		!strings.HasPrefix(h.meta[metaArch], `[{"kind":"Dense","in":4,"out":6},{"kind":"BatchNorm","features":6,"momentum":0.8`) {
		t.Errorf("metadata %q", h.meta)
	}
	// Linear's weight is [out, in]: element (o, i) is W[i][o].
	m := everyLayerModel()
	w := m.Layers[0].(*Dense).W.Value
	e := h.entries[h.byName["0.weight"]]
	data := b[8+n:]
	for o := range 6 {
		for i := range 4 {
			got := math.Float32frombits(binary.LittleEndian.Uint32(data[e.begin+4*int64(o*4+i):]))
			if got != w.At(i, o) {
				t.Fatalf("0.weight[%d][%d] = %g, W[%d][%d] = %g", o, i, got, i, o, w.At(i, o))
			}
		}
	}
}

// TestLoadTruncated: every prefix of a small model file is an error, never a panic, from bytes
// and from a stream; bytes after the end are named.
func TestLoadTruncated(t *testing.T) {
	b, err := everyLayerModel().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < len(b); n++ {
		_, err1 := UnmarshalModel(b[:n])
		_, err2 := Load(bytes.NewReader(b[:n]))
		for _, err := range []error{err1, err2} {
			if err == nil {
				t.Fatalf("prefix of %d of %d bytes loaded without error", n, len(b))
			}
			if !strings.Contains(err.Error(), "truncated") {
				t.Fatalf("prefix of %d bytes: %v (want it called truncated)", n, err)
			}
		}
	}
	if _, err := UnmarshalModel(append(b, 0)); err == nil || !strings.Contains(err.Error(), "1 unexpected bytes after the tensor data") {
		t.Fatalf("trailing byte: %v", err)
	}
	if _, err := Load(bytes.NewReader(append(b, 0))); err == nil || !strings.Contains(err.Error(), "data after the end") {
		t.Fatalf("trailing byte in a stream: %v", err)
	}
}

// TestLoadBitFlips: flipping any single bit gives an error, never a panic.
func TestLoadBitFlips(t *testing.T) {
	b, err := everyLayerModel().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	c := make([]byte, len(b))
	step := 1
	if testing.Short() {
		step = 7 // every 7th byte (all of them take seconds under emulation)
	}
	for i := 0; i < len(b); i += step {
		for bit := range 8 {
			copy(c, b)
			c[i] ^= 1 << bit
			if _, err := UnmarshalModel(c); err == nil {
				t.Fatalf("flipped bit %d of byte %d: loaded without error", bit, i)
			}
		}
	}
	copy(c, b)
	c[len(c)-20] ^= 0x10
	if _, err := UnmarshalModel(c); err == nil || !strings.Contains(err.Error(), "checksum mismatch") {
		t.Fatalf("flipped data bit: %v", err)
	}
}

// TestLoadBoundedInput: endless, huge or lying inputs are errors after reading no more than the
// header announces.
func TestLoadBoundedInput(t *testing.T) {
	good, _ := everyLayerModel().MarshalBinary()
	for _, c := range []struct {
		name   string
		prefix []byte
		fill   byte
		want   string
		max    int64 // bytes the loader may take from the endless part
	}{
		{"zeros (/dev/zero)", nil, 0, "header length 0", 0},
		{"0xff", nil, 0xff, "over the limit", 0},
		{"a valid file, then more", good, 0, "data after the end", 1},
		{"a header announcing 1 GB, then zeros", fakeHeader(1 << 30), 0, "not a safetensors file", 0},
	} {
		r := &endless{b: c.fill}
		_, err := Load(io.MultiReader(bytes.NewReader(c.prefix), r))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", c.name, err, c.want)
		}
		// io.ReadFull may read ahead by one buffer at most; the loaders read no more.
		if r.n > c.max+8 {
			t.Errorf("%s: %d bytes read past the prefix, want at most %d", c.name, r.n, c.max+8)
		}
	}
	if _, err := LoadFile("/dev/zero"); err == nil || !strings.Contains(err.Error(), "header length 0") {
		t.Errorf("LoadFile(/dev/zero): %v", err)
	}
	if err := everyLayerModel().LoadWeights("/dev/zero"); err == nil || !strings.Contains(err.Error(), "header length 0") {
		t.Errorf("LoadWeights(/dev/zero): %v", err)
	}
	// A lanes header announcing far more tensor data than the stream holds: the loader waits for
	// data that never comes and reports the truncation, holding no more than what arrived.
	m := NewSequential(NewDense(2000, 2000, FixedStd(0), nil))
	big := m.stateTensorsOrFail(t)
	n := binary.LittleEndian.Uint64(big)
	err := m.ReadWeights(bytes.NewReader(big[:8+n+1000]))
	if err == nil || !strings.Contains(err.Error(), "truncated: the tensor data needs 16008000 bytes, the input ends after 1000") {
		t.Errorf("short stream: %v", err)
	}
}

// stateTensorsOrFail returns the model's weights file.
func (m *Sequential) stateTensorsOrFail(t *testing.T) []byte {
	b, err := m.MarshalWeights()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fakeHeader returns the 8 bytes of a header length n.
func fakeHeader(n uint64) []byte { return binary.LittleEndian.AppendUint64(nil, n) }

// TestParseHeaderErrors: malformed headers are errors naming the problem.
func TestParseHeaderErrors(t *testing.T) {
	e := func(name, dtype, shape string, b, end int) string {
		return fmt.Sprintf(`%q:{"dtype":%q,"shape":%s,"data_offsets":[%d,%d]}`, name, dtype, shape, b, end)
	}
	cases := []struct{ hdr, want string }{
		{`[]`, "does not start with '{'"},
		{`{"a":` + e("x", "F32", "[1]", 0, 4)[4:] + `,` + e("a", "F32", "[1]", 4, 8) + `}`, `key "a" appears twice`},
		{`{` + e("a", "F32", "[2]", 0, 4) + `}`, "F32 of shape [2] needs 8 bytes"},
		{`{` + e("a", "F32", "[1]", 0, 4) + `,` + e("b", "F32", "[1]", 8, 12) + `}`, "4 bytes of the data part, [4, 8), belong to no tensor"},
		{`{` + e("a", "F32", "[2]", 0, 8) + `,` + e("b", "F32", "[1]", 4, 8) + `}`, "overlaps"},
		{`{` + e("a", "F99", "[1]", 0, 4) + `}`, `unknown dtype "F99"`},
		{`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}`, `unknown key "x"`},
		{`{"a":{"DTYPE":"F32","shape":[1],"data_offsets":[0,4]}}`, `unknown key "DTYPE"`},
		{`{"a":{"shape":[1],"data_offsets":[0,4]}}`, "no dtype"},
		{`{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`, "not an integer"},
		{`{"a":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,4]}}`, "more than 2^64"},
		{`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}`, "end before they begin"},
		{`{"__metadata__":{"a":1}}`, "not a string"},
		{`{}x`, "not spaces"},
		{`{` + e("a", "F32", "[1]", 0, 4), "bad header"},
	}
	for _, c := range cases {
		_, err := parseHeader([]byte(c.hdr))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("header %s: %v, want an error saying %q", c.hdr, err, c.want)
		}
	}
	// Spaces after the object and an empty header are fine.
	if h, err := parseHeader([]byte(`{}    `)); err != nil || h.dataLen != 0 {
		t.Errorf("empty header: %v", err)
	}
}

// TestSaveLoadWeights: SaveWeights then LoadWeights into a model of the same layers gives the
// same parameters and predictions; mismatches are errors naming the tensors and leave the model
// as it was.
func TestSaveLoadWeights(t *testing.T) {
	src := everyLayerModel()
	path := filepath.Join(t.TempDir(), "w.safetensors")
	if err := src.SaveWeights(path); err != nil {
		t.Fatal(err)
	}
	dst := everyLayerModel()
	for _, p := range dst.Params() {
		p.Value.Fill(0.5)
	}
	if err := dst.LoadWeights(path); err != nil {
		t.Fatal(err)
	}
	x := randMatrix(NewRand(1), 7, 4, -2, 2)
	if !equal(src.Predict(x).Data, dst.Predict(x).Data) {
		t.Fatal("predictions differ after SaveWeights/LoadWeights")
	}
	// A full model file is a state_dict too.
	full := filepath.Join(t.TempDir(), "m.lnn")
	if err := src.SaveFile(full); err != nil {
		t.Fatal(err)
	}
	if err := everyLayerModel().LoadWeights(full); err != nil {
		t.Fatalf("LoadWeights of a full model file: %v", err)
	}
	// And a weights file is not a full model.
	if _, err := LoadFile(path); err == nil || !strings.Contains(err.Error(), "LoadWeights") {
		t.Fatalf("LoadFile of a weights file: %v", err)
	}

	rng := NewRand(2)
	bad := []struct {
		m    *Sequential
		want []string
	}{
		{NewSequential(NewDense(4, 7, nil, rng)), []string{`tensor "0.weight" has shape [6, 4], layer 0, Dense(4, 7) needs [7, 4]`, `tensor "0.bias" has shape [6]`, `unexpected tensor "1.weight" (the model has 1 layers, 0..0)`}},
		{NewSequential(NewDense(4, 6, nil, rng), NewReLU()), []string{`unexpected tensor "1.weight" (layer 1 is ReLU)`}},
		{NewSequential(NewIdentity(), NewDense(4, 6, nil, rng)), []string{`tensor "1.weight" has shape [6], layer 1, Dense(4, 6) needs [6, 4]`, `unexpected tensor "0.weight" (layer 0 is Identity)`}},
		{NewSequential(append(everyLayerModel().Layers, NewDense(3, 2, nil, rng))...), []string{`missing tensor "14.weight" (layer 14, Dense(3, 2) needs shape [2, 3])`, `missing tensor "14.bias"`}},
	}
	for _, c := range bad {
		before, _ := c.m.MarshalWeights()
		err := c.m.LoadWeights(path)
		if err == nil {
			t.Fatalf("%s: loaded %s without error", c.m, path)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %v\nwant it to say %s", c.m, err, w)
			}
		}
		if after, _ := c.m.MarshalWeights(); !bytes.Equal(before, after) {
			t.Errorf("%s: a failed LoadWeights changed the model", c.m)
		}
	}
	// Wrong dtype.
	f64 := encodeRaw(t, map[string]rawTensor{"0.weight": {"F64", []int{1, 1}, make([]byte, 8)}, "0.bias": {"F32", []int{1}, make([]byte, 4)}})
	err := NewSequential(NewDense(1, 1, nil, nil)).ReadWeights(bytes.NewReader(f64))
	if err == nil || !strings.Contains(err.Error(), `tensor "0.weight" has dtype F64; lanes reads F32, F16 and BF16`) {
		t.Errorf("F64 tensor: %v", err)
	}
}

// rawTensor is a tensor given by its bytes, for building test files.
type rawTensor struct {
	dtype string
	shape []int
	data  []byte
}

// encodeRaw writes a safetensors file of the given tensors (in name order).
func encodeRaw(t *testing.T, ts map[string]rawTensor) []byte {
	t.Helper()
	var names []string
	for n := range ts {
		names = append(names, n)
	}
	sortStrings(names)
	var hdr, data []byte
	hdr = append(hdr, '{')
	for i, n := range names {
		r := ts[n]
		if i > 0 {
			hdr = append(hdr, ',')
		}
		hdr = fmt.Appendf(hdr, `%q:{"dtype":%q,"shape":%s,"data_offsets":[%d,%d]}`, n, r.dtype, strings.ReplaceAll(shapeString(r.shape), " ", ""), len(data), len(data)+len(r.data))
		data = append(data, r.data...)
	}
	hdr = append(hdr, '}')
	return append(append(binary.LittleEndian.AppendUint64(nil, uint64(len(hdr))), hdr...), data...)
}

func sortStrings(s []string) {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
}

// TestHalfToFloat32 checks every binary16 value against its definition.
func TestHalfToFloat32(t *testing.T) {
	for h := range 1 << 16 {
		sign := 1.0
		if h>>15 == 1 {
			sign = -1
		}
		exp, frac := (h>>10)&0x1f, h&0x3ff
		var want float64
		switch {
		case exp == 0x1f && frac == 0:
			want = math.Inf(int(sign))
		case exp == 0x1f:
			want = math.NaN()
		case exp == 0:
			want = sign * math.Ldexp(float64(frac), -24)
		default:
			want = sign * math.Ldexp(float64(1024+frac), exp-25)
		}
		got := halfToFloat32(uint16(h))
		if math.IsNaN(want) != math.IsNaN(float64(got)) || !math.IsNaN(want) && float64(got) != want ||
			want == 0 && math.Signbit(float64(got)) != (sign < 0) {
			t.Fatalf("halfToFloat32(%#04x) = %g, want %g", h, got, want)
		}
	}
}

// TestReadHalfTensors: F16 and BF16 tensors are widened to float32.
func TestReadHalfTensors(t *testing.T) {
	le16 := func(v ...uint16) []byte {
		var b []byte
		for _, x := range v {
			b = binary.LittleEndian.AppendUint16(b, x)
		}
		return b
	}
	// 1, -2, 0.5, 65504 (F16); 1, -2, 0.5, 3.0e38-ish (BF16 0x7f61).
	file := encodeRaw(t, map[string]rawTensor{
		"0.weight": {"F16", []int{2, 2}, le16(0x3c00, 0xc000, 0x3800, 0x7bff)},
		"0.bias":   {"BF16", []int{2}, le16(0x3f80, 0xc000)},
	})
	m := NewSequential(NewDense(2, 2, nil, nil))
	if err := m.ReadWeights(bytes.NewReader(file)); err != nil {
		t.Fatal(err)
	}
	d := m.Layers[0].(*Dense)
	// [out, in] = [[1, -2], [0.5, 65504]] is W = [[1, 0.5], [-2, 65504]].
	if !equal(d.W.Value.Data, []float32{1, 0.5, -2, 65504}) || !equal(d.B.Value.Data, []float32{1, -2}) {
		t.Fatalf("W = %v, b = %v", d.W.Value.Data, d.B.Value.Data)
	}
}

// TestLoadedModelConcurrentPredict is the case: one loaded model, Predict from 8
// goroutines, every answer the sequential one.
func TestLoadedModelConcurrentPredict(t *testing.T) {
	rng := NewRand(3)
	src := NewSequential(NewDense(20, 32, HeNormal, rng), NewReLU(), NewDense(32, 10, HeNormal, rng))
	path := filepath.Join(t.TempDir(), "m.lnn")
	if err := src.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	m, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	xs := make([]*Matrix, 8)
	want := make([]*Matrix, 8)
	for i := range xs {
		xs[i] = randMatrix(NewRand(uint64(i)), 1+i*13, 20, -1, 1)
		want[i] = m.Predict(xs[i])
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wrong := 0
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range 25 {
				i := (g + r) % 8
				if !equal(m.Predict(xs[i]).Data, want[i].Data) {
					mu.Lock()
					wrong++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if wrong > 0 {
		t.Fatalf("%d of 200 concurrent answers differ from the sequential ones", wrong)
	}
}
