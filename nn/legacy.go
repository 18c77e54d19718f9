package nn

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
)

// The model file format of lanes before safetensors (version 1), still read by Load, LoadFile and
// UnmarshalModel (never written). All numbers are little-endian.
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

// unmarshalV1 decodes a model file of the format above.
func unmarshalV1(b []byte) (*Sequential, error) {
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

// build makes a layer from its kind, hyperparameters and tensors (lanes' layout: Dense W in x
// out and b 1 x out; BatchNorm gamma, beta, running mean and variance, 1 x features each),
// checking them all.
func build(kind string, h []float64, ts []*Matrix) (Layer, error) {
	var have uint64
	for _, t := range ts {
		have += uint64(len(t.Data))
	}
	if need := paramCount(kind, h); need > have {
		return nil, fmt.Errorf("%s %v needs %d values, its tensors hold %d", kind, h, need, have)
	}
	l, err := makeLayer(kind, h)
	if err != nil {
		return nil, err
	}
	var dst []*Matrix
	switch l := l.(type) {
	case *Dense:
		dst = []*Matrix{l.W.Value, l.B.Value}
	case *BatchNorm:
		dst = []*Matrix{l.Gamma.Value, l.Beta.Value, l.RunningMean, l.RunningVar}
	}
	if len(ts) != len(dst) {
		return nil, fmt.Errorf("%s has %d hyperparameters and %d tensors, want %d and %d", kind, len(h), len(ts), len(h), len(dst))
	}
	for i, t := range ts {
		if t.Rows != dst[i].Rows || t.Cols != dst[i].Cols {
			return nil, fmt.Errorf("%s tensor %d is %s, want %s", kind, i, t.Shape(), dst[i].Shape())
		}
		copy(dst[i].Data, t.Data)
	}
	return l, nil
}

// hyperNames lists the hyperparameters of each layer kind, in the order of the files; the kinds
// not listed have none.
var hyperNames = map[string][]string{
	"Dense":     {"in", "out"},
	"BatchNorm": {"features", "momentum", "eps"},
	"LeakyReLU": {"alpha"},
	"ELU":       {"alpha"},
	"Maxout":    {"k"},
	"Dropout":   {"rate"},
	"Conv2D":    {"in", "out", "kh", "kw", "stride", "pad"},
	"MaxPool2D": {"size", "stride"},
	"AvgPool2D": {"size", "stride"},
}

// simpleLayers are the kinds without hyperparameters.
var simpleLayers = map[string]func() Layer{
	"Identity": func() Layer { return NewIdentity() },
	"Step":     func() Layer { return NewStep() },
	"Sigmoid":  func() Layer { return NewSigmoid() },
	"Tanh":     func() Layer { return NewTanh() },
	"ReLU":     func() Layer { return NewReLU() },
	"Softmax":  func() Layer { return NewSoftmax() },
	"Flatten":  func() Layer { return NewFlatten() },
}

// paramCount returns the number of values a layer of that kind and those hyperparameters holds
// in its tensors, computed before anything is allocated; hyperparameters makeLayer would refuse
// count as 0.
func paramCount(kind string, h []float64) uint64 {
	ok := func(v float64) bool { return v >= 1 && v <= math.MaxInt32 }
	switch {
	case kind == "Dense" && len(h) == 2 && ok(h[0]) && ok(h[1]):
		return uint64(h[0])*uint64(h[1]) + uint64(h[1])
	case kind == "BatchNorm" && len(h) == 3 && ok(h[0]):
		return 4 * uint64(h[0])
	case kind == "Conv2D" && len(h) == 6 && ok(h[0]) && ok(h[1]) && ok(h[2]) && ok(h[3]):
		k := uint64(h[0]) * uint64(h[2]) * uint64(h[3])
		if k > math.MaxInt32 {
			return 0
		}
		return uint64(h[1])*k + uint64(h[1])
	}
	return 0
}

// makeLayer makes a layer from its kind and hyperparameters, checking them, with its tensors
// zero (BatchNorm: its defaults), to be filled by the caller.
func makeLayer(kind string, h []float64) (Layer, error) {
	names, ok := hyperNames[kind]
	if !ok {
		if _, simple := simpleLayers[kind]; !simple {
			return nil, fmt.Errorf("unknown layer kind %q", kind)
		}
	}
	if len(h) != len(names) {
		return nil, fmt.Errorf("%s has %d hyperparameters, want %d", kind, len(h), len(names))
	}
	switch kind {
	case "Dense":
		in, out := size(kind, "in", h[0]), size(kind, "out", h[1])
		if err := errors.Join(in.err, out.err); err != nil {
			return nil, err
		}
		l := &Dense{In: in.n, Out: out.n}
		l.W = newParam(l.Name()+".W", in.n, out.n, true)
		l.B = newParam(l.Name()+".b", 1, out.n, false)
		return l, nil
	case "BatchNorm":
		f := size(kind, "features", h[0])
		if f.err != nil {
			return nil, f.err
		}
		if !(h[1] >= 0 && h[1] <= 1) || !(h[2] > 0 && h[2] < 1) {
			return nil, fmt.Errorf("BatchNorm momentum %g or eps %g out of range", h[1], h[2])
		}
		return NewBatchNorm(f.n, float32(h[1]), float32(h[2])), nil
	case "LeakyReLU", "ELU":
		if math.IsNaN(h[0]) || math.IsInf(h[0], 0) {
			return nil, fmt.Errorf("%s alpha %g is not finite", kind, h[0])
		}
		if kind == "ELU" {
			return NewELU(float32(h[0])), nil
		}
		return NewLeakyReLU(float32(h[0])), nil
	case "Maxout":
		k := size(kind, "k", h[0])
		if k.err != nil {
			return nil, k.err
		}
		return NewMaxout(k.n), nil
	case "Conv2D":
		in, out, kh, kw, stride := size(kind, "in", h[0]), size(kind, "out", h[1]), size(kind, "kh", h[2]), size(kind, "kw", h[3]), size(kind, "stride", h[4])
		if err := errors.Join(in.err, out.err, kh.err, kw.err, stride.err); err != nil {
			return nil, err
		}
		if !(h[5] >= 0 && h[5] <= math.MaxInt32) || h[5] != math.Trunc(h[5]) {
			return nil, fmt.Errorf("Conv2D pad = %g is not a non-negative integer", h[5])
		}
		l, err := newConv2D(in.n, out.n, kh.n, kw.n, stride.n, int(h[5]))
		if err != nil {
			return nil, fmt.Errorf("Conv2D %w", err)
		}
		return l, nil
	case "MaxPool2D", "AvgPool2D":
		sz, stride := size(kind, "size", h[0]), size(kind, "stride", h[1])
		if err := errors.Join(sz.err, stride.err); err != nil {
			return nil, err
		}
		if sz.n > 1<<15 {
			return nil, fmt.Errorf("%s size = %d is too large", kind, sz.n)
		}
		if kind == "MaxPool2D" {
			return NewMaxPool2D(sz.n, stride.n), nil
		}
		return NewAvgPool2D(sz.n, stride.n), nil
	case "Dropout":
		if !(h[0] >= 0 && h[0] < 1) {
			return nil, fmt.Errorf("Dropout rate %g is outside [0, 1)", h[0])
		}
		return NewDropout(float32(h[0]), nil), nil
	}
	return simpleLayers[kind](), nil
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
