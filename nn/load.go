package nn

import (
	"bytes"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Every loader reads what the file's own header announces and no more: the header's length is
// checked against the limit of safetensors (100 MB) and the input's length, the tensors against
// the header, the header against the input's length when it is known (a regular file), before a
// byte of tensor data is read. A stream of unknown length (a pipe, /dev/zero) is read only as far
// as the header says and must then end; buffers grow as data arrives, never ahead of it.

// Load reads a model written by Save or SaveFile (or by lanes before safetensors) from r,
// reading no further than the file's header announces. A truncated, corrupt or unknown file is
// an error naming what is wrong.
func Load(r io.Reader) (*Sequential, error) {
	m, err := readModel(&input{r: r, size: -1})
	if err != nil {
		return nil, fmt.Errorf("nn.Load: %w", err)
	}
	return m, nil
}

// LoadFile reads a model file written by SaveFile (or by lanes before safetensors). See Load.
func LoadFile(path string) (*Sequential, error) {
	in, f, err := openInput(path)
	if err != nil {
		return nil, fmt.Errorf("nn.LoadFile: %w", err)
	}
	defer f.Close()
	m, err := readModel(in)
	if err != nil {
		return nil, fmt.Errorf("nn.LoadFile: %s: %w", path, err)
	}
	return m, nil
}

// UnmarshalModel decodes a model from the bytes of a model file.
func UnmarshalModel(b []byte) (*Sequential, error) {
	return readModel(&input{r: bytes.NewReader(b), size: int64(len(b))})
}

// openInput opens path for a loader: its length is known when it is a regular file.
func openInput(path string) (*input, *os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if st.IsDir() {
		f.Close()
		return nil, nil, fmt.Errorf("%s is a folder", path)
	}
	size := int64(-1)
	if st.Mode().IsRegular() {
		size = st.Size()
	}
	return &input{r: f, size: size}, f, nil
}

// readModel reads a full model file: safetensors with lanes.architecture, or the legacy format.
func readModel(in *input) (*Sequential, error) {
	first := make([]byte, 8)
	n, err := io.ReadFull(in.r, first)
	in.off += int64(n)
	first = first[:n]
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, err
	}
	if n < 8 {
		if n > 0 && string(first) == fileMagic[:n] {
			return nil, fmt.Errorf("truncated header: %d bytes, the header has %d", n, headerSize)
		}
		return nil, fmt.Errorf("truncated: %d bytes, a model file starts with an 8-byte header length", n)
	}
	if string(first) == fileMagic {
		return readV1(in, first)
	}
	h, err := in.readHeader(first)
	if err != nil {
		return nil, err
	}
	arch, ok := h.meta[metaArch]
	if !ok {
		return nil, fmt.Errorf("a safetensors file without %s in __metadata__ (a PyTorch state_dict? build the model and read it with LoadWeights)", metaArch)
	}
	sum, ok := h.meta[metaChecksum]
	if !ok {
		return nil, fmt.Errorf("no %s in __metadata__", metaChecksum)
	}
	want, err := hex.DecodeString(strings.TrimPrefix(sum, checksumTag))
	if err != nil || !strings.HasPrefix(sum, checksumTag) || len(want) != 32 || checksumTag+hex.EncodeToString(want) != sum {
		return nil, fmt.Errorf("%s %q is not %s and 64 lower-case hex digits", metaChecksum, sum, checksumTag)
	}
	if f := h.meta["format"]; f != "pt" {
		return nil, fmt.Errorf(`__metadata__ format is %q, want "pt"`, f)
	}
	specs, err := parseArchitecture(arch)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", metaArch, err)
	}
	// The layers hold at least a float per 2 bytes of data (F16); a header that announces fewer
	// bytes than the architecture needs is refused before anything is allocated.
	var need uint64
	for _, s := range specs {
		need += paramCount(s.kind, s.hyper)
	}
	if need > uint64(h.dataLen)/2 {
		return nil, fmt.Errorf("the architecture holds %d values, the %d bytes of tensor data cannot", need, h.dataLen)
	}
	data, err := in.read(h.dataLen, "the tensor data")
	if err != nil {
		return nil, err
	}
	if in.size < 0 {
		if err := in.expectEOF(); err != nil {
			return nil, err
		}
	}
	if got := checksum(h, data); subtle.ConstantTimeCompare(got, want) != 1 {
		return nil, fmt.Errorf("checksum mismatch: the file says %x, its contents give %x (corrupt file)", want, got)
	}
	m := &Sequential{}
	for i, s := range specs {
		l, err := newLayer(s.kind, s.hyper)
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i, err)
		}
		m.Add(l)
	}
	if v, ok := h.meta[metaInput]; ok {
		in, err := parseInputShape(v)
		if err != nil {
			return nil, err
		}
		if err := m.Build(in); err != nil {
			return nil, fmt.Errorf("%s %s: %w", metaInput, v, err)
		}
	}
	p, err := m.planState(h)
	if err != nil {
		return nil, err
	}
	if err := p.apply(data); err != nil {
		return nil, err
	}
	return m, nil
}

// readV1 reads a legacy model file whose first 8 bytes (the magic) have been read.
func readV1(in *input, first []byte) (*Sequential, error) {
	var rest []byte
	var err error
	if in.size >= 0 {
		rest, err = in.read(in.size-8, "the file")
	} else {
		var hdr []byte
		if hdr, err = in.read(headerSize-8, "the header"); err != nil {
			return nil, fmt.Errorf("truncated header: %w", err)
		}
		payload := binary.LittleEndian.Uint64(hdr[4:])
		if payload > 1<<62 {
			return nil, fmt.Errorf("the header announces a %d-byte payload", payload)
		}
		var body []byte
		if body, err = in.read(int64(payload)+4, "the payload and checksum"); err == nil {
			err = in.expectEOF()
		}
		rest = append(hdr, body...)
	}
	if err != nil {
		return nil, err
	}
	return unmarshalV1(append(first, rest...))
}

// parseInputShape decodes lanes.input: "[C,H,W]", three positive integers.
func parseInputShape(v string) (Shape, error) {
	var dims []json.Number
	d := json.NewDecoder(strings.NewReader(v))
	d.UseNumber()
	bad := fmt.Errorf("%s %q is not [C,H,W] (three positive integers)", metaInput, v)
	if err := d.Decode(&dims); err != nil || d.More() || len(dims) != 3 {
		return Shape{}, bad
	}
	var n [3]int
	for i, s := range dims {
		x, err := strconv.ParseInt(string(s), 10, 32)
		if err != nil || x <= 0 {
			return Shape{}, bad
		}
		n[i] = int(x)
	}
	in := Shape{n[0], n[1], n[2]}
	if !in.valid() {
		return Shape{}, fmt.Errorf("%s %q: a sample of more than 2^31-1 values", metaInput, v)
	}
	return in, nil
}

// layerSpec's JSON form: {"kind": "Dense", "in": 784, "out": 50}.

// parseArchitecture decodes lanes.architecture: an array of objects, each with "kind" and
// exactly the hyperparameters of that kind, as numbers.
func parseArchitecture(s string) ([]layerSpec, error) {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var raw []map[string]json.RawMessage
	if err := d.Decode(&raw); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, errors.New("data after the array")
	}
	specs := make([]layerSpec, len(raw))
	for i, obj := range raw {
		var kind string
		if err := json.Unmarshal(obj["kind"], &kind); err != nil {
			return nil, fmt.Errorf("layer %d: no kind", i)
		}
		names := hyperNames[kind]
		_, simple := simpleLayers[kind]
		if _, ok := newKinds[kind]; ok {
			simple = true
		}
		if !simple && names == nil {
			return nil, fmt.Errorf("layer %d: unknown layer kind %q", i, kind)
		}
		if len(obj) != 1+len(names) {
			return nil, fmt.Errorf("layer %d: %s has the keys %s, want kind%s", i, kind, keysOf(obj), prefixAll(", ", names))
		}
		h := make([]float64, len(names))
		for j, name := range names {
			v, ok := obj[name]
			if !ok {
				return nil, fmt.Errorf("layer %d: %s has no %s", i, kind, name)
			}
			f, err := strconv.ParseFloat(string(v), 64)
			if err != nil || len(v) == 0 || v[0] == '"' {
				return nil, fmt.Errorf("layer %d: %s %s = %s is not a number", i, kind, name, v)
			}
			h[j] = f
		}
		specs[i] = layerSpec{kind: kind, hyper: h}
	}
	return specs, nil
}

// newLayer makes a layer of a model file from its kind and hyperparameters (makeLayer, and the
// kinds the legacy format does not have).
func newLayer(kind string, h []float64) (Layer, error) {
	if f, ok := newKinds[kind]; ok {
		if len(h) != 0 {
			return nil, fmt.Errorf("%s has %d hyperparameters, want 0", kind, len(h))
		}
		return f(), nil
	}
	return makeLayer(kind, h)
}

func keysOf(m map[string]json.RawMessage) string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return strings.Join(ks, ", ")
}

func prefixAll(sep string, s []string) string {
	var b strings.Builder
	for _, v := range s {
		b.WriteString(sep + v)
	}
	return b.String()
}

// LoadWeights reads a safetensors state_dict (written by SaveWeights, by PyTorch's
// safetensors.torch.save_file(model.state_dict(), path), or a full model file) into the model,
// whose layers must match it: every tensor the model needs present with its shape ([out, in] for
// a Dense, see SaveWeights), no other tensor, dtype F32, F16 or BF16 (widened to float32). A
// mismatch is an error naming each tensor concerned, and the model is then left as it was. A file
// with a lanes checksum is verified. Not safe for concurrent use with anything else on the model.
func (m *Sequential) LoadWeights(path string) error {
	in, f, err := openInput(path)
	if err != nil {
		return fmt.Errorf("nn.LoadWeights: %w", err)
	}
	defer f.Close()
	if err := m.readWeights(in); err != nil {
		return fmt.Errorf("nn.LoadWeights: %s: %w", path, err)
	}
	return nil
}

// ReadWeights is LoadWeights reading from r, no further than the header announces.
func (m *Sequential) ReadWeights(r io.Reader) error {
	if err := m.readWeights(&input{r: r, size: -1}); err != nil {
		return fmt.Errorf("nn.ReadWeights: %w", err)
	}
	return nil
}

func (m *Sequential) readWeights(in *input) error {
	first, err := in.read(8, "the 8-byte header length")
	if err != nil {
		return err
	}
	if string(first) == fileMagic {
		return errors.New("a lanes model file of the format before safetensors: read it with LoadFile")
	}
	h, err := in.readHeader(first)
	if err != nil {
		return err
	}
	p, err := m.planState(h)
	if err != nil {
		return err
	}
	data, err := in.read(h.dataLen, "the tensor data")
	if err != nil {
		return err
	}
	if in.size < 0 {
		if err := in.expectEOF(); err != nil {
			return err
		}
	}
	if sum, ok := h.meta[metaChecksum]; ok {
		want, err := hex.DecodeString(strings.TrimPrefix(sum, checksumTag))
		if got := checksum(h, data); err != nil || checksumTag+hex.EncodeToString(want) != sum || subtle.ConstantTimeCompare(got, want) != 1 {
			return fmt.Errorf("checksum mismatch: the file says %s, its contents give %s%x (corrupt file)", sum, checksumTag, got)
		}
	}
	return p.apply(data)
}
