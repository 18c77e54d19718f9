package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// idxImages builds an IDX image file: header for n images of rows x cols, then data as given.
func idxImages(magic uint32, n, rows, cols uint32, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	b = binary.BigEndian.AppendUint32(b, n)
	b = binary.BigEndian.AppendUint32(b, rows)
	b = binary.BigEndian.AppendUint32(b, cols)
	return append(b, data...)
}

// idxLabels builds an IDX label file: header for n labels, then data as given.
func idxLabels(magic uint32, n uint32, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	b = binary.BigEndian.AppendUint32(b, n)
	return append(b, data...)
}

func gz(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFile(t testing.TB, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// pattern returns n bytes 0, 1, ..., 255, 0, 1, ...
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}

func TestReadImagesRawAndGzip(t *testing.T) {
	dir := t.TempDir()
	data := pattern(3 * 4 * 5)
	file := idxImages(MagicImages, 3, 4, 5, data)
	// The format is told by the gzip magic bytes, not by the name: the names here mislead.
	for name, b := range map[string][]byte{
		"raw":        file,
		"raw.gz":     file,
		"compressed": gz(t, file),
		"gzip.gz":    gz(t, file),
	} {
		p := writeFile(t, dir, name, b)
		pix, n, rows, cols, err := ReadImages(p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n != 3 || rows != 4 || cols != 5 || len(pix) != len(data) {
			t.Fatalf("%s: got n=%d rows=%d cols=%d len=%d, want 3 4 5 %d", name, n, rows, cols, len(pix), len(data))
		}
		for i, v := range pix {
			if want := float32(data[i]) / 255; v != want {
				t.Fatalf("%s: pixel %d = %v, want %v", name, i, v, want)
			}
		}
	}
}

func TestReadImagesLarge(t *testing.T) {
	// More than one read chunk, raw and compressed, with a length that is not a multiple of it.
	dir := t.TempDir()
	const n, rows, cols = 1000, 28, 29
	data := pattern(n * rows * cols)
	file := idxImages(MagicImages, n, rows, cols, data)
	for name, b := range map[string][]byte{"raw": file, "gz": gz(t, file)} {
		pix, _, _, _, err := ReadImages(writeFile(t, dir, name, b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(pix) != len(data) {
			t.Fatalf("%s: %d pixels, want %d", name, len(pix), len(data))
		}
		for i := range pix {
			if pix[i] != float32(data[i])/255 {
				t.Fatalf("%s: pixel %d = %v, want %v", name, i, pix[i], float32(data[i])/255)
			}
		}
	}
	if scale[0] != 0 || scale[255] != 1 {
		t.Fatalf("scale[0], scale[255] = %v, %v, want 0, 1", scale[0], scale[255])
	}
}

func TestReadLabelsRawAndGzip(t *testing.T) {
	dir := t.TempDir()
	labels := []byte{5, 0, 4, 1, 9, 2, 1, 3, 1, 4}
	file := idxLabels(MagicLabels, uint32(len(labels)), labels)
	for name, b := range map[string][]byte{"raw.gz": file, "gz": gz(t, file)} {
		got, err := ReadLabels(writeFile(t, dir, name, b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got, labels) {
			t.Fatalf("%s: got %v, want %v", name, got, labels)
		}
	}
}

// wantErr checks that err is non-nil, names the file and says each of the phrases.
func wantErr(t *testing.T, err error, path string, phrases ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want one saying %q", path, phrases)
	}
	msg := err.Error()
	if !strings.Contains(msg, path) {
		t.Errorf("error %q does not name the file %s", msg, path)
	}
	for _, p := range phrases {
		if !strings.Contains(msg, p) {
			t.Errorf("error %q does not say %q", msg, p)
		}
	}
}

func TestReadImagesErrors(t *testing.T) {
	dir := t.TempDir()
	good := idxImages(MagicImages, 2, 3, 3, pattern(18))
	cases := []struct {
		name    string
		file    []byte
		phrases []string
	}{
		{"empty", nil, []string{"truncated header: 0 bytes"}},
		{"short-header", good[:10], []string{"truncated header: 10 bytes", "16"}},
		{"short-header-gz", gz(t, good[:10]), []string{"truncated header: 10 bytes"}},
		{"label-magic", idxImages(MagicLabels, 2, 3, 3, pattern(18)), []string{"bad magic number 0x00000801, want 0x00000803"}},
		{"float-magic", idxImages(0x00000d03, 2, 3, 3, pattern(18)), []string{"bad magic number 0x00000d03"}},
		{"little-endian", idxImages(0x03080000, 2, 3, 3, pattern(18)), []string{"bad magic number 0x03080000"}},
		{"truncated", good[:len(good)-1], []string{"truncated", "2 images of 3x3", "34 bytes with the header", "holds 33 bytes"}},
		{"truncated-gz", gz(t, good[:len(good)-5]), []string{"truncated", "2 images of 3x3", "18 bytes of data", "only 13 follow"}},
		{"trailing", append(good[:len(good):len(good)], 0), []string{"1 bytes after the data", "holds 35 bytes"}},
		{"trailing-gz", gz(t, append(good[:len(good):len(good)], 0)), []string{"data after the end", "2 images of 3x3"}},
		{"count-too-big", idxImages(MagicImages, 3, 3, 3, pattern(18)), []string{"truncated", "3 images of 3x3"}},
		{"zero-rows", idxImages(MagicImages, 2, 0, 3, nil), []string{"images of 0x3 pixels"}},
		{"huge", idxImages(MagicImages, 0xffffffff, 0xffffffff, 0xffffffff, nil), []string{"too large"}},
		{"huge-gz", gz(t, idxImages(MagicImages, 500000, 28, 28, pattern(100))), []string{"too large", "500000 images of 28x28", "392000000 bytes from a 141-byte gzip file", "ReadImagesLimit(path, 500000)"}},
		{"over-default-limit", idxImages(MagicImages, DefaultMaxImages+1, 1, 1, make([]byte, DefaultMaxImages+1)), []string{"too large", "1000001 images of 1x1", "over the default limit of 1000000"}},
		{"bad-gzip", []byte{0x1f, 0x8b, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, []string{"gzip"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, dir, c.name, c.file)
			pix, n, _, _, err := ReadImages(p)
			wantErr(t, err, p, c.phrases...)
			if pix != nil || n != 0 {
				t.Errorf("got %d pixels, n=%d with the error, want none", len(pix), n)
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		p := filepath.Join(dir, "no-such-file")
		_, _, _, _, err := ReadImages(p)
		wantErr(t, err, p, "no such file")
	})
	t.Run("directory", func(t *testing.T) {
		_, _, _, _, err := ReadImages(dir)
		wantErr(t, err, dir)
	})
}

func TestReadLabelsErrors(t *testing.T) {
	dir := t.TempDir()
	good := idxLabels(MagicLabels, 4, []byte{1, 2, 3, 4})
	cases := []struct {
		name    string
		file    []byte
		phrases []string
	}{
		{"short-header", good[:6], []string{"truncated header: 6 bytes", "8"}},
		{"image-magic", idxLabels(MagicImages, 4, []byte{1, 2, 3, 4}), []string{"bad magic number 0x00000803, want 0x00000801"}},
		{"truncated", good[:len(good)-1], []string{"truncated", "4 labels", "holds 11 bytes"}},
		{"truncated-gz", gz(t, good[:len(good)-1]), []string{"truncated", "4 labels", "only 3 follow"}},
		{"trailing", append(good[:len(good):len(good)], 1, 2), []string{"2 bytes after the data"}},
		{"trailing-gz", gz(t, append(good[:len(good):len(good)], 1)), []string{"data after the end"}},
		{"out-of-range", idxLabels(MagicLabels, 4, []byte{1, 2, 10, 4}), []string{"label 10 at index 2 is out of range 0..9"}},
		{"out-of-range-gz", gz(t, idxLabels(MagicLabels, 4, []byte{1, 2, 3, 255})), []string{"label 255 at index 3"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, dir, c.name, c.file)
			labels, err := ReadLabels(p)
			wantErr(t, err, p, c.phrases...)
			if labels != nil {
				t.Errorf("got %d labels with the error, want none", len(labels))
			}
		})
	}
}

func TestReadSet(t *testing.T) {
	dir := t.TempDir()
	img := writeFile(t, dir, "img", gz(t, idxImages(MagicImages, 3, 2, 2, pattern(12))))
	lab := writeFile(t, dir, "lab", idxLabels(MagicLabels, 3, []byte{7, 8, 9}))
	s, err := ReadSet(img, lab)
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 3 || s.Rows != 2 || s.Cols != 2 || len(s.Images) != 12 || !bytes.Equal(s.Labels, []byte{7, 8, 9}) {
		t.Fatalf("got N=%d Rows=%d Cols=%d len(Images)=%d Labels=%v", s.N, s.Rows, s.Cols, len(s.Images), s.Labels)
	}
	lab4 := writeFile(t, dir, "lab4", idxLabels(MagicLabels, 4, []byte{7, 8, 9, 0}))
	_, err = ReadSet(img, lab4)
	wantErr(t, err, img, "holds 3 images", lab4, "holds 4 labels")
	// Errors from either file come through.
	_, err = ReadSet(lab, lab)
	wantErr(t, err, lab, "bad magic number")
	_, err = ReadSet(img, img)
	wantErr(t, err, img, "bad magic number 0x00000803, want 0x00000801")
}

// FuzzReadIDX feeds arbitrary bytes (raw and compressed) to both readers: they must return an
// error or a result consistent with the header, and never panic.
func FuzzReadIDX(f *testing.F) {
	f.Add(idxImages(MagicImages, 2, 3, 3, pattern(18)))
	f.Add(idxImages(MagicImages, 1, 1, 1, nil))
	f.Add(idxLabels(MagicLabels, 3, []byte{1, 2, 3}))
	f.Add(idxLabels(MagicLabels, 3, []byte{1, 2}))
	f.Add([]byte{0x1f, 0x8b, 8, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		for _, file := range [][]byte{b, gz(t, b)} {
			p := writeFile(t, dir, "f", file)
			pix, n, rows, cols, err := ReadImages(p)
			if err == nil {
				if len(pix) != n*rows*cols || len(b) != 16+len(pix) {
					t.Fatalf("ReadImages: %d pixels for n=%d rows=%d cols=%d from %d bytes", len(pix), n, rows, cols, len(b))
				}
				for i, v := range pix {
					if !(v >= 0 && v <= 1) || math.IsNaN(float64(v)) {
						t.Fatalf("ReadImages: pixel %d = %v", i, v)
					}
				}
			}
			labels, err := ReadLabels(p)
			if err == nil {
				if len(b) != 8+len(labels) {
					t.Fatalf("ReadLabels: %d labels from %d bytes", len(labels), len(b))
				}
				for i, l := range labels {
					if l > 9 {
						t.Fatalf("ReadLabels: label %d = %d", i, l)
					}
				}
			}
		}
	})
}

// TestReadLimits: an explicit limit refuses more images or labels with ErrTooLarge and lifts the
// compression-ratio default.
func TestReadLimits(t *testing.T) {
	dir := t.TempDir()
	img := writeFile(t, dir, "img", idxImages(MagicImages, 5, 2, 2, pattern(20)))
	lab := writeFile(t, dir, "lab", gz(t, idxLabels(MagicLabels, 5, []byte{1, 2, 3, 4, 5})))
	if _, _, _, _, err := ReadImagesLimit(img, 4); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "5 images of 2x2, over the limit of 4") {
		t.Errorf("5 images, limit 4: %v", err)
	}
	if _, err := ReadLabelsLimit(lab, 4); !errors.Is(err, ErrTooLarge) {
		t.Errorf("5 labels, limit 4: %v", err)
	}
	if s, err := ReadSetLimit(img, lab, 5); err != nil || s.N != 5 {
		t.Errorf("5 images, limit 5: %v", err)
	}
	if _, err := ReadSetLimit(img, lab, 4); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ReadSetLimit 4: %v", err)
	}
	// With a limit, a header beyond what a small gzip file holds is read as far as it goes.
	p := writeFile(t, dir, "huge-gz", gz(t, idxImages(MagicImages, 500000, 28, 28, pattern(100))))
	_, _, _, _, err := ReadImagesLimit(p, 500000)
	wantErr(t, err, p, "truncated", "500000 images of 28x28", "only 100 follow")
}

// TestGzipBomb: a valid gzip IDX file of 100,000 blank images (78 MB of pixels in under 100 KB)
// is refused by default with ErrTooLarge, before the pixels are read or allocated.
func TestGzipBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("compresses 78 MB; skipped with -short")
	}
	const n = 100000
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	w.Write(idxImages(MagicImages, n, 28, 28, nil))
	zero := make([]byte, 1<<20)
	for left := n * 28 * 28; left > 0; left -= len(zero) {
		w.Write(zero[:min(left, len(zero))])
	}
	w.Close()
	p := writeFile(t, t.TempDir(), "bomb.gz", buf.Bytes())
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, _, _, _, err := ReadImages(p)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("a %d-byte gzip file of %d blank images: %v, want ErrTooLarge", buf.Len(), n, err)
	}
	wantErr(t, err, p, "100000 images of 28x28", "78400000 bytes")
	if got := after.TotalAlloc - before.TotalAlloc; got > 4<<20 {
		t.Errorf("refusing the file allocated %d bytes", got)
	}
	t.Logf("%d-byte file: %v", buf.Len(), err)
}
