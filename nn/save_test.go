package nn

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"math"
	"path/filepath"
	"strings"
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

func TestSaveLoadRoundTrip(t *testing.T) {
	m := everyLayerModel()
	path := filepath.Join(t.TempDir(), "model.lnn")
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
}

// TestLoadTruncated: every prefix of a small model file is an error, never a panic.
func TestLoadTruncated(t *testing.T) {
	b, err := everyLayerModel().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < len(b); n++ {
		_, err := UnmarshalModel(b[:n])
		if err == nil {
			t.Fatalf("prefix of %d of %d bytes loaded without error", n, len(b))
		}
		if !strings.Contains(err.Error(), "truncated") {
			t.Fatalf("prefix of %d bytes: %v (want it called truncated)", n, err)
		}
	}
	if _, err := UnmarshalModel(append(b, 0)); err == nil || !strings.Contains(err.Error(), "unexpected bytes after the checksum") {
		t.Fatalf("trailing byte: %v", err)
	}
}

// TestLoadBitFlips: flipping any single bit gives an error, never a panic.
func TestLoadBitFlips(t *testing.T) {
	b, err := everyLayerModel().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	c := make([]byte, len(b))
	for i := range b {
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
	copy(c, b)
	c[0] = 'X'
	if _, err := UnmarshalModel(c); err == nil || !strings.Contains(err.Error(), "not a lanes model file") {
		t.Fatalf("bad magic: %v", err)
	}
}

// TestLoadBadContents: well-checksummed files with impossible contents are errors naming them.
func TestLoadBadContents(t *testing.T) {
	// Build payloads by hand: a kind the package does not know, a Dense whose tensor shapes
	// disagree with its sizes, a Dropout rate out of range, a huge tensor.
	enc := func(layers ...[]byte) []byte {
		var p []byte
		p = append(p, byte(len(layers)), 0, 0, 0)
		for _, l := range layers {
			p = append(p, l...)
		}
		return seal(p)
	}
	bad := []struct {
		file []byte
		want string
	}{
		{enc(rec("Conv2D", nil)), `unknown layer kind "Conv2D"`},
		{enc(rec("Dense", []float64{2, 3}, tensor(3, 2), tensor(1, 3))), "Dense tensor 0 is 3x2, want 2x3"},
		{enc(rec("Dense", []float64{2.5, 3}, tensor(2, 3), tensor(1, 3))), "Dense in = 2.5 is not a positive integer"},
		{enc(rec("Dropout", []float64{1.5})), "Dropout rate 1.5"},
		{enc(rec("ReLU", []float64{1})), "ReLU has 1 hyperparameters"},
		{enc(rec("Dense", []float64{2, 3}, []byte{0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f})), "do not fit"},
		{enc(rec("Dense", []float64{2, 3}, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})), "do not fit"},
	}
	for _, c := range bad {
		_, err := UnmarshalModel(c.file)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want an error containing %q", err, c.want)
		}
	}
}

// rec encodes one layer record with the given tensors (each already encoded).
func rec(kind string, hyper []float64, tensors ...[]byte) []byte {
	b := append([]byte{byte(len(kind))}, kind...)
	b = append(b, byte(len(hyper)))
	for _, h := range hyper {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(h))
	}
	b = append(b, byte(len(tensors)))
	for _, t := range tensors {
		b = append(b, t...)
	}
	return b
}

// tensor encodes a rows x cols tensor of zeros.
func tensor(rows, cols int) []byte {
	b := binary.LittleEndian.AppendUint32(nil, uint32(rows))
	b = binary.LittleEndian.AppendUint32(b, uint32(cols))
	return append(b, make([]byte, 4*rows*cols)...)
}

// seal wraps a payload in the header and checksum.
func seal(payload []byte) []byte {
	b := []byte(fileMagic)
	b = binary.LittleEndian.AppendUint32(b, fileVersion)
	b = binary.LittleEndian.AppendUint64(b, uint64(len(payload)))
	b = append(b, payload...)
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}
