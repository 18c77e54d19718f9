package nn

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Model files are safetensors files (see safetensors.go) whose tensors are the model's PyTorch
// state_dict (see state.go), so that PyTorch's load_state_dict accepts them; a full model file
// (SaveFile, Save, MarshalBinary) adds to __metadata__:
//
//	format              "pt"
//	lanes.architecture  the layers as JSON, e.g. [{"kind":"Dense","in":784,"out":50},{"kind":"ReLU"}]
//	lanes.checksum      "sha256:" then the hex SHA-256 described below
//
// The kinds and their hyperparameters:
//
//	Dense      in, out
//	BatchNorm  features, momentum, eps (momentum as lanes uses it: running = m*running + (1-m)*batch)
//	LeakyReLU  alpha
//	ELU        alpha
//	Maxout     k
//	Dropout    rate
//	Conv2D     in, out, kh, kw, stride, pad
//	MaxPool2D  size, stride
//	AvgPool2D  size, stride
//	Identity, Step, Sigmoid, Tanh, ReLU, Softmax, Flatten: none
//	GELU, GELUTanh, SiLU, Softplus: none (GELUTanh is GELU with the tanh approximation)
//
// A model that was built for a sample shape (Sequential.Build, nn.Build) also records it, as
// lanes.input "[C,H,W]" (e.g. "[1,28,28]"), and is built for it again when it is loaded: that is
// where the layers that need the height and width of their input (Conv2D, the pooling layers)
// get them.
//
// The checksum is the SHA-256 of: the line "lanes model checksum 1\n"; each metadata entry but
// lanes.checksum, by key, as key NUL value NUL; each tensor in the order of its data as name NUL
// dtype NUL shape NUL offsets NUL (shape and offsets as decimal lists such as "50,784"); then the
// data part. It covers everything the file says, so a changed bit is either caught by the parser
// or by the checksum.
//
// A weights file (SaveWeights) is the state_dict alone, with __metadata__ {"format": "pt"}: what
// PyTorch's safetensors.torch.save_file(model.state_dict(), path) writes. LoadFile also reads the
// format lanes wrote before safetensors (legacy.go).

const (
	metaInput    = "lanes.input"
	metaArch     = "lanes.architecture"
	metaChecksum = "lanes.checksum"
	checksumTag  = "sha256:"
)

// layerSpec is a layer as the file stores it.
type layerSpec struct {
	kind    string
	hyper   []float64
	tensors []*Matrix
}

// specOf describes a layer for Save.
func specOf(l Layer) (layerSpec, error) {
	switch l := l.(type) {
	case *Dense:
		return layerSpec{"Dense", []float64{float64(l.In), float64(l.Out)}, []*Matrix{l.W.Value, l.B.Value}}, nil
	case *BatchNorm:
		return layerSpec{"BatchNorm", []float64{float64(l.Features), float64(l.Momentum), float64(l.Eps)},
			[]*Matrix{l.Gamma.Value, l.Beta.Value, l.RunningMean, l.RunningVar}}, nil
	case *LeakyReLU:
		return layerSpec{"LeakyReLU", []float64{float64(l.Alpha)}, nil}, nil
	case *ELU:
		return layerSpec{"ELU", []float64{float64(l.Alpha)}, nil}, nil
	case *Maxout:
		return layerSpec{"Maxout", []float64{float64(l.K)}, nil}, nil
	case *Dropout:
		return layerSpec{"Dropout", []float64{float64(l.Rate)}, nil}, nil
	case *Conv2D:
		return layerSpec{"Conv2D", []float64{float64(l.In), float64(l.Out), float64(l.KH), float64(l.KW), float64(l.Stride), float64(l.Pad)},
			[]*Matrix{l.W.Value, l.B.Value}}, nil
	case *MaxPool2D:
		return layerSpec{"MaxPool2D", []float64{float64(l.Size), float64(l.Stride)}, nil}, nil
	case *AvgPool2D:
		return layerSpec{"AvgPool2D", []float64{float64(l.Size), float64(l.Stride)}, nil}, nil
	case *Flatten:
		return layerSpec{kind: "Flatten"}, nil
	case *Identity:
		return layerSpec{kind: "Identity"}, nil
	case *Step:
		return layerSpec{kind: "Step"}, nil
	case *Sigmoid:
		return layerSpec{kind: "Sigmoid"}, nil
	case *Tanh:
		return layerSpec{kind: "Tanh"}, nil
	case *ReLU:
		return layerSpec{kind: "ReLU"}, nil
	case *Softmax:
		return layerSpec{kind: "Softmax"}, nil
	case *GELU:
		if l.Tanh {
			return layerSpec{kind: "GELUTanh"}, nil
		}
		return layerSpec{kind: "GELU"}, nil
	case *SiLU:
		return layerSpec{kind: "SiLU"}, nil
	case *Softplus:
		return layerSpec{kind: "Softplus"}, nil
	}
	return layerSpec{}, fmt.Errorf("layer %s (%T) has no file representation", l.Name(), l)
}

// newKinds are the kinds without hyperparameters that came after the format before safetensors
// (whose kinds legacy.go lists): model files know them, legacy files do not.
var newKinds = map[string]func() Layer{
	"GELU":     func() Layer { return NewGELU() },
	"GELUTanh": func() Layer { return NewGELUTanh() },
	"SiLU":     func() Layer { return NewSiLU() },
	"Softplus": func() Layer { return NewSoftplus() },
}

// architecture returns the layers as the JSON of lanes.architecture.
func (m *Sequential) architecture() (string, error) {
	var b strings.Builder
	b.WriteByte('[')
	for i, l := range m.Layers {
		s, err := specOf(l)
		if err != nil {
			return "", fmt.Errorf("layer %d: %w", i, err)
		}
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"kind":%q`, s.kind)
		for j, name := range hyperNames[s.kind] {
			v := s.hyper[j]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return "", fmt.Errorf("layer %d, %s: %s = %g is not finite", i, l.Name(), name, v)
			}
			fmt.Fprintf(&b, `,%q:%s`, name, strconv.FormatFloat(v, 'g', -1, 64))
		}
		b.WriteByte('}')
	}
	b.WriteByte(']')
	return b.String(), nil
}

// Save writes the model to w in the model file format (a safetensors file with the architecture
// and a checksum). Safe for concurrent use with inference (it only reads the model).
func (m *Sequential) Save(w io.Writer) error {
	buf, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	_, err = w.Write(buf)
	return err
}

// SaveFile writes the model to the named file in the model file format (see Save). The file is
// written beside its final name and renamed into place, so that a failed save leaves no partial
// file. Safe for concurrent use with inference.
func (m *Sequential) SaveFile(path string) error {
	buf, err := m.MarshalBinary()
	if err != nil {
		return fmt.Errorf("nn.SaveFile: %w", err)
	}
	if err := writeFileAtomic(path, buf); err != nil {
		return fmt.Errorf("nn.SaveFile: %w", err)
	}
	return nil
}

// MarshalBinary returns the model in the model file format: a safetensors file whose tensors
// are PyTorch's state_dict of the same layers and whose __metadata__ holds the architecture and
// a checksum.
func (m *Sequential) MarshalBinary() ([]byte, error) {
	arch, err := m.architecture()
	if err != nil {
		return nil, fmt.Errorf("nn.Save: %w", err)
	}
	ts, err := m.stateTensors()
	if err != nil {
		return nil, fmt.Errorf("nn.Save: %w", err)
	}
	meta := map[string]string{"format": "pt", metaArch: arch}
	if in, ok := m.InputShape(); ok {
		meta[metaInput] = fmt.Sprintf("[%d,%d,%d]", in.C, in.H, in.W)
	}
	// The checksum covers the header without itself: encode without it, parse that back (which
	// gives the entries exactly as a reader sees them), then encode again with it. The offsets
	// do not change.
	b := encodeSafetensors(meta, ts)
	n := binary.LittleEndian.Uint64(b)
	h, err := parseHeader(b[8 : 8+n])
	if err != nil {
		panic("nn: MarshalBinary wrote a header it cannot read: " + err.Error())
	}
	meta[metaChecksum] = checksumTag + hex.EncodeToString(checksum(h, b[8+n:]))
	return encodeSafetensors(meta, ts), nil
}

// checksum returns the SHA-256 of the canonical form of the header (without lanes.checksum)
// and the data part (see the format above).
func checksum(h *stHeader, data []byte) []byte {
	s := sha256.New()
	s.Write([]byte("lanes model checksum 1\n"))
	keys := make([]string, 0, len(h.meta))
	for k := range h.meta {
		if k != metaChecksum {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(s, "%s\x00%s\x00", k, h.meta[k])
	}
	for _, e := range h.entries {
		fmt.Fprintf(s, "%s\x00%s\x00%s\x00%d,%d\x00", e.name, e.dtype, strings.Trim(strings.ReplaceAll(shapeString(e.shape), " ", ""), "[]"), e.begin, e.end)
	}
	s.Write(data)
	return s.Sum(nil)
}

// SaveWeights writes the model's parameters (and BatchNorm's running statistics) to the named
// file as a safetensors state_dict with PyTorch's names and layouts ("0.weight" [out, in] for a
// Dense at index 0, "0.bias", BatchNorm's weight, bias, running_mean, running_var and
// num_batches_tracked), so that PyTorch's load_state_dict accepts it for an nn.Sequential of the
// same layers (see state.go). The architecture is not saved: LoadWeights reads the file into a
// model built with the same layers. The file is renamed into place once written. Safe for
// concurrent use with inference.
func (m *Sequential) SaveWeights(path string) error {
	b, err := m.MarshalWeights()
	if err != nil {
		return fmt.Errorf("nn.SaveWeights: %w", err)
	}
	if err := writeFileAtomic(path, b); err != nil {
		return fmt.Errorf("nn.SaveWeights: %w", err)
	}
	return nil
}

// WriteWeights writes what SaveWeights writes to w.
func (m *Sequential) WriteWeights(w io.Writer) error {
	b, err := m.MarshalWeights()
	if err != nil {
		return fmt.Errorf("nn.WriteWeights: %w", err)
	}
	_, err = w.Write(b)
	return err
}

// MarshalWeights returns what SaveWeights writes.
func (m *Sequential) MarshalWeights() ([]byte, error) {
	ts, err := m.stateTensors()
	if err != nil {
		return nil, err
	}
	return encodeSafetensors(map[string]string{"format": "pt"}, ts), nil
}

// writeFileAtomic writes b to a temporary file in path's folder and renames it to path.
func writeFileAtomic(path string, b []byte) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(b); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
