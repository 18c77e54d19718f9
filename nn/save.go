package nn

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
)

// The model file format (version 1). All numbers are little-endian.
//
//	offset  size  field
//	0       8     magic "LANES-NN"
//	8       4     uint32 version, 1
//	12      8     uint64 P, the length of the payload that follows
//	20      P     payload:
//	                uint32 number of layers, then for each layer:
//	                  uint8 n, then n bytes: the layer kind in ASCII ("Dense", "ReLU", ...)
//	                  uint8 h, then h float64: the hyperparameters
//	                  uint8 t, then t tensors, each uint32 rows, uint32 cols, rows*cols float32
//	                  (row-major)
//	20+P    4     uint32 CRC-32 (IEEE) of bytes [0, 20+P)
//
// The kinds, their hyperparameters and tensors:
//
//	Dense      in, out                  W (in x out), b (1 x out)
//	BatchNorm  features, momentum, eps  gamma, beta, running mean, running var (1 x features each)
//	LeakyReLU  alpha
//	ELU        alpha
//	Maxout     k
//	Dropout    rate
//	Identity, Step, Sigmoid, Tanh, ReLU, Softmax: none
//
// Load checks the length, the checksum and every count and shape before it allocates, so that a
// truncated or corrupt file is an error saying what is wrong, never a panic.

const (
	fileMagic   = "LANES-NN"
	fileVersion = 1
	headerSize  = 8 + 4 + 8
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
	}
	return layerSpec{}, fmt.Errorf("layer %s (%T) has no file representation", l.Name(), l)
}

// Save writes the model to w in the format above.
func (m *Sequential) Save(w io.Writer) error {
	buf, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	_, err = w.Write(buf)
	return err
}

// SaveFile writes the model to the named file.
func (m *Sequential) SaveFile(path string) error {
	buf, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		return fmt.Errorf("nn.SaveFile: %w", err)
	}
	return nil
}

// MarshalBinary returns the model in the file format above.
func (m *Sequential) MarshalBinary() ([]byte, error) {
	b := []byte(fileMagic)
	b = binary.LittleEndian.AppendUint32(b, fileVersion)
	b = binary.LittleEndian.AppendUint64(b, 0) // payload length, set below
	b = binary.LittleEndian.AppendUint32(b, uint32(len(m.Layers)))
	for i, l := range m.Layers {
		s, err := specOf(l)
		if err != nil {
			return nil, fmt.Errorf("nn.Save: layer %d: %w", i, err)
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
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b)), nil
}
