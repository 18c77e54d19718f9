package nn

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
)

// Load reads a model written by Save. A truncated, corrupt or unknown file is an error naming
// what is wrong.
func Load(r io.Reader) (*Sequential, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("nn.Load: %w", err)
	}
	m, err := UnmarshalModel(b)
	if err != nil {
		return nil, fmt.Errorf("nn.Load: %w", err)
	}
	return m, nil
}

// LoadFile reads a model file written by SaveFile.
func LoadFile(path string) (*Sequential, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("nn.LoadFile: %w", err)
	}
	m, err := UnmarshalModel(b)
	if err != nil {
		return nil, fmt.Errorf("nn.LoadFile: %s: %w", path, err)
	}
	return m, nil
}

// UnmarshalModel decodes a model from the bytes of a model file (see save.go for the format).
func UnmarshalModel(b []byte) (*Sequential, error) {
	if len(b) < len(fileMagic) && string(b) == fileMagic[:len(b)] {
		return nil, fmt.Errorf("truncated header: %d bytes, the header has %d", len(b), headerSize)
	}
	if len(b) < len(fileMagic) || string(b[:len(fileMagic)]) != fileMagic {
		n := min(len(b), len(fileMagic))
		return nil, fmt.Errorf("not a lanes model file: it starts with %q, want %q", b[:n], fileMagic)
	}
	if len(b) < headerSize {
		return nil, fmt.Errorf("truncated header: %d bytes, the header has %d", len(b), headerSize)
	}
	if v := binary.LittleEndian.Uint32(b[8:]); v != fileVersion {
		return nil, fmt.Errorf("unsupported format version %d (this package reads version %d)", v, fileVersion)
	}
	payload := binary.LittleEndian.Uint64(b[12:])
	have := uint64(len(b) - headerSize)
	switch {
	case have < 4 || payload > have-4:
		return nil, fmt.Errorf("truncated: the header announces a %d-byte payload and a 4-byte checksum, the file has %d bytes after the header", payload, have)
	case payload < have-4:
		return nil, fmt.Errorf("%d unexpected bytes after the checksum (the header announces a %d-byte payload)", have-4-payload, payload)
	}
	end := headerSize + int(payload)
	if want, got := binary.LittleEndian.Uint32(b[end:]), crc32.ChecksumIEEE(b[:end]); want != got {
		return nil, fmt.Errorf("checksum mismatch: the file says %08x, its contents give %08x (corrupt file)", want, got)
	}
	d := decoder{b: b[headerSize:end], off: headerSize}
	n := d.u32("layer count")
	m := &Sequential{}
	for i := 0; d.err == nil && uint64(i) < uint64(n); i++ {
		l, err := d.layer()
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		if d.err == nil {
			m.Add(l)
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(d.b) != 0 {
		return nil, fmt.Errorf("%d bytes left in the payload after %d layers", len(d.b), n)
	}
	return m, nil
}

// decoder reads the payload; the first error sticks and later reads return zeros.
type decoder struct {
	b   []byte
	off int // file offset of b[0], for messages
	err error
}

func (d *decoder) take(n uint64, what string) []byte {
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) {
		d.err = fmt.Errorf("payload ends at byte %d reading %s (%d bytes needed, %d left)", d.off+len(d.b), what, n, len(d.b))
		return nil
	}
	s := d.b[:n]
	d.b, d.off = d.b[n:], d.off+int(n)
	return s
}

func (d *decoder) u8(what string) int {
	if s := d.take(1, what); s != nil {
		return int(s[0])
	}
	return 0
}

func (d *decoder) u32(what string) uint32 {
	if s := d.take(4, what); s != nil {
		return binary.LittleEndian.Uint32(s)
	}
	return 0
}

// layer decodes one layer record.
func (d *decoder) layer() (Layer, error) {
	kind := string(d.take(uint64(d.u8("kind length")), "kind"))
	h := make([]float64, d.u8(kind+" hyperparameter count"))
	for i := range h {
		if s := d.take(8, kind+" hyperparameter"); s != nil {
			h[i] = math.Float64frombits(binary.LittleEndian.Uint64(s))
		}
	}
	nt := d.u8(kind + " tensor count")
	var ts []*Matrix
	for i := 0; i < nt && d.err == nil; i++ {
		what := fmt.Sprintf("%s tensor %d", kind, i)
		rows, cols := d.u32(what+" rows"), d.u32(what+" cols")
		if d.err != nil {
			break
		}
		n := uint64(rows) * uint64(cols)
		if rows > math.MaxInt32 || cols > math.MaxInt32 || n > uint64(len(d.b))/4 {
			return nil, fmt.Errorf("%s is %dx%d: %d values do not fit in the %d bytes left", what, rows, cols, n, len(d.b))
		}
		raw := d.take(4*n, what+" data")
		if raw == nil {
			break
		}
		t := NewMatrix(int(rows), int(cols))
		for j := range t.Data {
			t.Data[j] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*j:]))
		}
		ts = append(ts, t)
	}
	if d.err != nil {
		return nil, d.err
	}
	return build(kind, h, ts)
}

// build makes a layer from its kind, hyperparameters and tensors, checking them all.
func build(kind string, h []float64, ts []*Matrix) (Layer, error) {
	need := func(nh, nt int) error {
		if len(h) != nh || len(ts) != nt {
			return fmt.Errorf("%s has %d hyperparameters and %d tensors, want %d and %d", kind, len(h), len(ts), nh, nt)
		}
		return nil
	}
	shape := func(i, rows, cols int) error {
		if ts[i].Rows != rows || ts[i].Cols != cols {
			return fmt.Errorf("%s tensor %d is %s, want %dx%d", kind, i, ts[i].Shape(), rows, cols)
		}
		return nil
	}
	switch kind {
	case "Dense":
		if err := need(2, 2); err != nil {
			return nil, err
		}
		in, out, err := size(kind, "in", h[0]), size(kind, "out", h[1]), error(nil)
		if err = errors.Join(in.err, out.err); err != nil {
			return nil, err
		}
		if err = errors.Join(shape(0, in.n, out.n), shape(1, 1, out.n)); err != nil {
			return nil, err
		}
		l := &Dense{In: in.n, Out: out.n}
		l.W = &Param{Name: l.Name() + ".W", Value: ts[0], Grad: NewMatrix(in.n, out.n), Decay: true}
		l.B = &Param{Name: l.Name() + ".b", Value: ts[1], Grad: NewMatrix(1, out.n)}
		return l, nil
	case "BatchNorm":
		if err := need(3, 4); err != nil {
			return nil, err
		}
		f := size(kind, "features", h[0])
		if f.err != nil {
			return nil, f.err
		}
		for i := range 4 {
			if err := shape(i, 1, f.n); err != nil {
				return nil, err
			}
		}
		if !(h[1] >= 0 && h[1] <= 1) || !(h[2] > 0 && h[2] < 1) {
			return nil, fmt.Errorf("BatchNorm momentum %g or eps %g out of range", h[1], h[2])
		}
		l := NewBatchNorm(f.n, float32(h[1]), float32(h[2]))
		l.Gamma.Value, l.Beta.Value, l.RunningMean, l.RunningVar = ts[0], ts[1], ts[2], ts[3]
		return l, nil
	case "LeakyReLU", "ELU":
		if err := need(1, 0); err != nil {
			return nil, err
		}
		if math.IsNaN(h[0]) || math.IsInf(h[0], 0) {
			return nil, fmt.Errorf("%s alpha %g is not finite", kind, h[0])
		}
		if kind == "ELU" {
			return NewELU(float32(h[0])), nil
		}
		return NewLeakyReLU(float32(h[0])), nil
	case "Maxout":
		if err := need(1, 0); err != nil {
			return nil, err
		}
		k := size(kind, "k", h[0])
		if k.err != nil {
			return nil, k.err
		}
		return NewMaxout(k.n), nil
	case "Dropout":
		if err := need(1, 0); err != nil {
			return nil, err
		}
		if !(h[0] >= 0 && h[0] < 1) {
			return nil, fmt.Errorf("Dropout rate %g is outside [0, 1)", h[0])
		}
		return NewDropout(float32(h[0]), nil), nil
	}
	simple := map[string]func() Layer{
		"Identity": func() Layer { return NewIdentity() },
		"Step":     func() Layer { return NewStep() },
		"Sigmoid":  func() Layer { return NewSigmoid() },
		"Tanh":     func() Layer { return NewTanh() },
		"ReLU":     func() Layer { return NewReLU() },
		"Softmax":  func() Layer { return NewSoftmax() },
	}
	if mk, ok := simple[kind]; ok {
		if err := need(0, 0); err != nil {
			return nil, err
		}
		return mk(), nil
	}
	return nil, fmt.Errorf("unknown layer kind %q", kind)
}

type sizeResult struct {
	n   int
	err error
}

// size converts a hyperparameter that must be a positive integer (at most 2^31-1).
func size(kind, name string, v float64) sizeResult {
	if !(v >= 1 && v <= math.MaxInt32) || v != math.Trunc(v) {
		return sizeResult{err: fmt.Errorf("%s %s = %g is not a positive integer", kind, name, v)}
	}
	return sizeResult{n: int(v)}
}
