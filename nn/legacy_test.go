package nn

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// marshalV1 writes a model in the format lanes wrote before safetensors, which is still read.
func marshalV1(m *Sequential) []byte {
	b := []byte(fileMagic)
	b = binary.LittleEndian.AppendUint32(b, fileVersion)
	b = binary.LittleEndian.AppendUint64(b, 0) // payload length, set below
	b = binary.LittleEndian.AppendUint32(b, uint32(len(m.Layers)))
	for _, l := range m.Layers {
		s, err := specOf(l)
		if err != nil {
			panic(err)
		}
		b = append(b, byte(len(s.kind)))
		b = append(b, s.kind...)
		b = append(b, byte(len(s.hyper)))
		for _, h := range s.hyper {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(h))
		}
		b = append(b, byte(len(s.tensors)))
		for _, t := range s.tensors {
			b = binary.LittleEndian.AppendUint32(b, uint32(t.Rows))
			b = binary.LittleEndian.AppendUint32(b, uint32(t.Cols))
			for _, v := range t.Data {
				b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
			}
		}
	}
	binary.LittleEndian.PutUint64(b[12:], uint64(len(b)-headerSize))
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// TestLoadV1: a file of the old format loads (from bytes, a file and a stream) into the same
// model, and saving it again writes the new format.
func TestLoadV1(t *testing.T) {
	m := everyLayerModel()
	old := marshalV1(m)
	path := filepath.Join(t.TempDir(), "old.lnn")
	writeTestFile(t, path, old)
	want, _ := m.MarshalBinary()
	for name, load := range map[string]func() (*Sequential, error){
		"UnmarshalModel": func() (*Sequential, error) { return UnmarshalModel(old) },
		"LoadFile":       func() (*Sequential, error) { return LoadFile(path) },
		"Load":           func() (*Sequential, error) { return Load(bytes.NewReader(old)) },
	} {
		got, err := load()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b, _ := got.MarshalBinary(); !bytes.Equal(b, want) {
			t.Fatalf("%s: the loaded model saves differently from the original", name)
		}
	}
	// A stream that goes on after the file is refused.
	if _, err := Load(io.MultiReader(bytes.NewReader(old), &endless{})); err == nil || !strings.Contains(err.Error(), "data after the end") {
		t.Fatalf("old file followed by more data: %v", err)
	}
}

// TestLoadV1Truncated: every prefix of an old file is an error calling it truncated, never a
// panic; a trailing byte is named.
func TestLoadV1Truncated(t *testing.T) {
	b := marshalV1(everyLayerModel())
	for n := 0; n < len(b); n++ {
		for _, load := range []func([]byte) error{
			func(b []byte) error { _, err := UnmarshalModel(b); return err },
			func(b []byte) error { _, err := Load(bytes.NewReader(b)); return err },
		} {
			err := load(b[:n])
			if err == nil {
				t.Fatalf("prefix of %d of %d bytes loaded without error", n, len(b))
			}
			if !strings.Contains(err.Error(), "truncated") {
				t.Fatalf("prefix of %d bytes: %v (want it called truncated)", n, err)
			}
		}
	}
	if _, err := UnmarshalModel(append(b, 0)); err == nil || !strings.Contains(err.Error(), "unexpected bytes after the checksum") {
		t.Fatalf("trailing byte: %v", err)
	}
}

// TestLoadV1BitFlips: flipping any single bit of an old file gives an error, never a panic.
func TestLoadV1BitFlips(t *testing.T) {
	b := marshalV1(everyLayerModel())
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
}

// TestLoadV1BadContents: well-checksummed files with impossible contents are errors naming them.
func TestLoadV1BadContents(t *testing.T) {
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
		{enc(rec("Conv3D", nil)), `unknown layer kind "Conv3D"`},
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
