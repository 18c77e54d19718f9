package nn

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The safetensors format (https://github.com/huggingface/safetensors), which PyTorch's ecosystem
// uses for weights:
//
//	8 bytes   N, the length of the header, unsigned little-endian
//	N bytes   the header: a UTF-8 JSON object, padded with spaces. Each key names a tensor and
//	          maps to {"dtype": "F32", "shape": [rows, cols], "data_offsets": [begin, end]}; the
//	          optional key "__metadata__" maps to an object of strings.
//	the rest  the tensors' bytes, little-endian, row-major, each at [begin, end) of this part.
//
// The tensors must tile the data part exactly: sorted by offset, each begins where the one before
// ends, the first at 0, the last at the end of the input, and each is as long as its dtype and
// shape say. The reader checks all of that before it reads a byte of tensor data, so that what it
// allocates is bounded by the input's length (or, for a stream of unknown length, by what
// actually arrives).

// maxHeaderLen is the largest header accepted, the limit of the reference implementation.
const maxHeaderLen = 100_000_000

// dtypeSizes are the element sizes of the safetensors dtypes.
var dtypeSizes = map[string]int64{
	"BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1,
	"I16": 2, "U16": 2, "F16": 2, "BF16": 2,
	"I32": 4, "U32": 4, "F32": 4,
	"I64": 8, "U64": 8, "F64": 8,
}

// stEntry is one tensor of a safetensors header.
type stEntry struct {
	name       string
	dtype      string
	shape      []int64
	begin, end int64 // offsets into the data part
}

// stHeader is a parsed and checked safetensors header.
type stHeader struct {
	meta    map[string]string
	entries []stEntry      // sorted by offset
	byName  map[string]int // index into entries
	dataLen int64          // length of the data part
	raw     []byte         // the header's bytes (for messages)
}

// input is what a loader reads: a reader, its total length when known (a regular file) or -1,
// and how many bytes have been read.
type input struct {
	r    io.Reader
	size int64
	off  int64
}

// read reads exactly n bytes (n was checked against the length when it is known). For a stream
// of unknown length the buffer grows as data arrives, so a header that announces more than the
// stream holds costs no more memory than the stream's bytes.
func (in *input) read(n int64, what string) ([]byte, error) {
	var b []byte
	var got int
	var err error
	if in.size >= 0 || n <= 1<<20 {
		b = make([]byte, n)
		got, err = io.ReadFull(in.r, b)
	} else {
		var buf bytes.Buffer
		var m int64
		m, err = io.Copy(&buf, io.LimitReader(in.r, n))
		got, b = int(m), buf.Bytes()
		if err == nil && m < n {
			err = io.ErrUnexpectedEOF
		}
	}
	in.off += int64(got)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("truncated: %s needs %d bytes, the input ends after %d", what, n, got)
		}
		return nil, fmt.Errorf("reading %s: %w", what, err)
	}
	return b, nil
}

// expectEOF checks that nothing follows (for a stream; a file's length was checked already).
func (in *input) expectEOF() error {
	var b [1]byte
	n, err := io.ReadFull(in.r, b[:])
	if n > 0 {
		return fmt.Errorf("data after the end: the header accounts for %d bytes and more follow", in.off)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("reading past the end: %w", err)
	}
	return nil
}

// readHeader reads the header length (whose 8 bytes may have been read already: first) and the
// header, and checks it against the input's length when that is known.
func (in *input) readHeader(first []byte) (*stHeader, error) {
	if len(first) < 8 {
		rest, err := in.read(int64(8-len(first)), "the 8-byte header length")
		if err != nil {
			return nil, err
		}
		first = append(slices.Clip(first), rest...)
	}
	n := binary.LittleEndian.Uint64(first)
	switch {
	case n < 2:
		return nil, fmt.Errorf("header length %d: a safetensors header is a JSON object of at least 2 bytes", n)
	case n > maxHeaderLen:
		return nil, fmt.Errorf("header length %d is over the limit of %d bytes (not a safetensors file?)", n, maxHeaderLen)
	case in.size >= 0 && n > uint64(in.size-8):
		return nil, fmt.Errorf("truncated: header length %d, but the file has %d bytes after the length", n, in.size-8)
	}
	raw, err := in.read(int64(n), "the header")
	if err != nil {
		return nil, err
	}
	h, err := parseHeader(raw)
	if err != nil {
		return nil, err
	}
	if in.size >= 0 {
		have := in.size - 8 - int64(n)
		switch {
		case have < h.dataLen:
			return nil, fmt.Errorf("truncated: the header announces %d bytes of tensor data, the file holds %d", h.dataLen, have)
		case have > h.dataLen:
			return nil, fmt.Errorf("%d unexpected bytes after the tensor data (the header announces %d bytes)", have-h.dataLen, h.dataLen)
		}
	}
	return h, nil
}

// parseHeader parses and checks a safetensors header: a JSON object (then only spaces) whose
// keys are distinct, with every entry complete and exact, and tensors that tile the data part.
func parseHeader(raw []byte) (*stHeader, error) {
	if !utf8.Valid(raw) {
		return nil, errors.New("the header is not UTF-8")
	}
	if raw[0] != '{' {
		return nil, fmt.Errorf("the header does not start with '{' (it starts with %q): not a safetensors file", raw[:min(len(raw), 8)])
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	h := &stHeader{byName: map[string]int{}, raw: raw}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("bad header: "+format, args...)
	}
	if _, err := d.Token(); err != nil {
		return nil, bad("%v", err)
	}
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return nil, bad("%v", err)
		}
		key := t.(string)
		if _, dup := h.byName[key]; dup || key == "__metadata__" && h.meta != nil {
			return nil, bad("key %q appears twice", key)
		}
		if key == "__metadata__" {
			if h.meta, err = parseMeta(d); err != nil {
				return nil, bad("__metadata__: %v", err)
			}
			continue
		}
		e, err := parseEntry(d, key)
		if err != nil {
			return nil, bad("tensor %q: %v", key, err)
		}
		h.byName[key] = len(h.entries)
		h.entries = append(h.entries, e)
	}
	if _, err := d.Token(); err != nil {
		return nil, bad("%v", err)
	}
	if rest := raw[d.InputOffset():]; len(bytes.Trim(rest, " ")) != 0 {
		return nil, bad("%d bytes after the JSON object are not spaces", len(rest))
	}
	if h.meta == nil {
		h.meta = map[string]string{}
	}
	// The tensors must tile [0, dataLen).
	slices.SortStableFunc(h.entries, func(a, b stEntry) int {
		return cmp.Or(cmp.Compare(a.begin, b.begin), cmp.Compare(a.end, b.end))
	})
	var at int64
	for i, e := range h.entries {
		if e.begin != at {
			if e.begin < at {
				return nil, bad("tensor %q at [%d, %d) overlaps the tensor before it, which ends at %d", e.name, e.begin, e.end, at)
			}
			return nil, bad("%d bytes of the data part, [%d, %d), belong to no tensor", e.begin-at, at, e.begin)
		}
		at = e.end
		h.byName[e.name] = i
	}
	h.dataLen = at
	return h, nil
}

// parseMeta reads the __metadata__ object: strings only.
func parseMeta(d *json.Decoder) (map[string]string, error) {
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("not an object")
	}
	meta := map[string]string{}
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return nil, err
		}
		k := t.(string)
		if _, dup := meta[k]; dup {
			return nil, fmt.Errorf("key %q appears twice", k)
		}
		v, err := d.Token()
		if err != nil {
			return nil, err
		}
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("the value of %q is not a string", k)
		}
		meta[k] = s
	}
	_, err := d.Token()
	return meta, err
}

// parseEntry reads one tensor entry: exactly the keys dtype, shape and data_offsets.
func parseEntry(d *json.Decoder, name string) (stEntry, error) {
	e := stEntry{name: name}
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return e, fmt.Errorf("not an object")
	}
	var offsets []int64
	seen := map[string]bool{}
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return e, err
		}
		k := t.(string)
		if seen[k] {
			return e, fmt.Errorf("key %q appears twice", k)
		}
		seen[k] = true
		switch k {
		case "dtype":
			v, err := d.Token()
			s, ok := v.(string)
			if err != nil || !ok {
				return e, fmt.Errorf("dtype is not a string")
			}
			if _, known := dtypeSizes[s]; !known {
				return e, fmt.Errorf("unknown dtype %q", s)
			}
			e.dtype = s
		case "shape":
			if e.shape, err = intArray(d, "shape"); err != nil {
				return e, err
			}
			if e.shape == nil {
				e.shape = []int64{}
			}
		case "data_offsets":
			if offsets, err = intArray(d, "data_offsets"); err != nil {
				return e, err
			}
		default:
			return e, fmt.Errorf("unknown key %q", k)
		}
	}
	if _, err := d.Token(); err != nil {
		return e, err
	}
	switch {
	case e.dtype == "":
		return e, errors.New("no dtype")
	case e.shape == nil:
		return e, errors.New("no shape")
	case len(offsets) != 2:
		return e, fmt.Errorf("data_offsets has %d numbers, want 2", len(offsets))
	case offsets[1] < offsets[0]:
		return e, fmt.Errorf("data_offsets [%d, %d] end before they begin", offsets[0], offsets[1])
	}
	e.begin, e.end = offsets[0], offsets[1]
	n, ok := elements(e.shape)
	hi, nbytes := bits.Mul64(n, uint64(dtypeSizes[e.dtype]))
	if !ok || hi != 0 || nbytes != uint64(e.end-e.begin) {
		return e, fmt.Errorf("%s of shape %v needs %s bytes, its data_offsets [%d, %d] hold %d",
			e.dtype, e.shape, bytesString(n, ok && hi == 0, nbytes), e.begin, e.end, e.end-e.begin)
	}
	return e, nil
}

func bytesString(n uint64, ok bool, nbytes uint64) string {
	if !ok {
		return "more than 2^64"
	}
	return strconv.FormatUint(nbytes, 10)
}

// elements returns the product of shape, and false when it overflows 2^63.
func elements(shape []int64) (uint64, bool) {
	n := uint64(1)
	for _, s := range shape {
		hi, lo := bits.Mul64(n, uint64(s))
		if hi != 0 || lo > math.MaxInt64 {
			return 0, false
		}
		n = lo
	}
	return n, true
}

// intArray reads a JSON array of integers in [0, 2^53] (the exact range of JSON numbers).
func intArray(d *json.Decoder, what string) ([]int64, error) {
	if t, err := d.Token(); err != nil || t != json.Delim('[') {
		return nil, fmt.Errorf("%s is not an array", what)
	}
	var out []int64
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return nil, err
		}
		num, ok := t.(json.Number)
		if !ok {
			return nil, fmt.Errorf("%s holds %v, not a number", what, t)
		}
		v, err := strconv.ParseInt(num.String(), 10, 64)
		if err != nil || v < 0 || v > 1<<53 {
			return nil, fmt.Errorf("%s holds %s, not an integer in [0, 2^53]", what, num)
		}
		out = append(out, v)
	}
	_, err := d.Token()
	return out, err
}

// shapeString formats a shape as PyTorch prints it, e.g. [50, 784].
func shapeString[T int | int64](shape []T) string {
	s := make([]string, len(shape))
	for i, v := range shape {
		s[i] = strconv.FormatInt(int64(v), 10)
	}
	return "[" + strings.Join(s, ", ") + "]"
}

// float32s decodes a tensor's bytes to float32: F32 as is, F16 and BF16 widened exactly.
func float32s(e stEntry, raw []byte) ([]float32, error) {
	n := int(e.end - e.begin)
	switch e.dtype {
	case "F32":
		out := make([]float32, n/4)
		for i := range out {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
		return out, nil
	case "F16":
		out := make([]float32, n/2)
		for i := range out {
			out[i] = halfToFloat32(binary.LittleEndian.Uint16(raw[2*i:]))
		}
		return out, nil
	case "BF16":
		out := make([]float32, n/2)
		for i := range out {
			out[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(raw[2*i:])) << 16)
		}
		return out, nil
	}
	return nil, fmt.Errorf("tensor %q has dtype %s; lanes reads F32, F16 and BF16 tensors", e.name, e.dtype)
}

// halfToFloat32 widens an IEEE 754 binary16 value exactly.
func halfToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // Inf or NaN
		return math.Float32frombits(sign | 0x7f800000 | frac<<13)
	case exp == 0 && frac == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal: frac * 2^-24
		v := float32(frac) * (1.0 / (1 << 24))
		if sign != 0 {
			v = -v
		}
		return v
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | frac<<13)
}

// stTensor is a tensor to write.
type stTensor struct {
	name  string
	dtype string // F32, or I64 for a scalar 0 (PyTorch's num_batches_tracked)
	shape []int
	data  []float32 // F32 values, row-major
}

// nbytes returns the tensor's length in the data part.
func (t stTensor) nbytes() int64 {
	n := int64(1)
	for _, s := range t.shape {
		n *= int64(s)
	}
	return n * dtypeSizes[t.dtype]
}

// encodeSafetensors returns a safetensors file holding the tensors in the order given, with
// meta (may be nil) as __metadata__. The header is padded with spaces so that the data part
// starts at a multiple of 8, as PyTorch's writer does.
func encodeSafetensors(meta map[string]string, ts []stTensor) []byte {
	var hdr bytes.Buffer
	hdr.WriteByte('{')
	if len(meta) > 0 {
		hdr.WriteString(`"__metadata__":{`)
		keys := make([]string, 0, len(meta))
		for k := range meta {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				hdr.WriteByte(',')
			}
			writeJSONString(&hdr, k)
			hdr.WriteByte(':')
			writeJSONString(&hdr, meta[k])
		}
		hdr.WriteByte('}')
	}
	var off int64
	for i, t := range ts {
		if i > 0 || len(meta) > 0 {
			hdr.WriteByte(',')
		}
		writeJSONString(&hdr, t.name)
		end := off + t.nbytes()
		fmt.Fprintf(&hdr, `:{"dtype":%q,"shape":%s,"data_offsets":[%d,%d]}`, t.dtype, strings.ReplaceAll(shapeString(t.shape), " ", ""), off, end)
		off = end
	}
	hdr.WriteByte('}')
	for (8+hdr.Len())%8 != 0 {
		hdr.WriteByte(' ')
	}
	out := make([]byte, 8, 8+int64(hdr.Len())+off)
	binary.LittleEndian.PutUint64(out, uint64(hdr.Len()))
	out = append(out, hdr.Bytes()...)
	for _, t := range ts {
		switch t.dtype {
		case "F32":
			for _, v := range t.data {
				out = binary.LittleEndian.AppendUint32(out, math.Float32bits(v))
			}
		case "I64":
			out = append(out, make([]byte, t.nbytes())...)
		default:
			panic("nn: encodeSafetensors: dtype " + t.dtype)
		}
	}
	return out
}

func writeJSONString(b *bytes.Buffer, s string) {
	j, _ := json.Marshal(s)
	b.Write(j)
}
