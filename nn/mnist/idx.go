package mnist

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"slices"

	"github.com/lanesimd/lanes/internal/hugepage"
)

// IDX magic numbers: two zero bytes, the element type (0x08 = unsigned byte) and the number of
// dimensions.
const (
	MagicImages = 0x00000803 // unsigned bytes, 3 dimensions: count, rows, columns
	MagicLabels = 0x00000801 // unsigned bytes, 1 dimension: count
)

// NumClasses is the number of classes in MNIST and Fashion-MNIST; labels lie in 0..NumClasses-1.
const NumClasses = 10

// maxElems bounds the element count a header may claim, so that a corrupt header cannot ask for
// an absurd allocation (the pixels are held as float32).
const maxElems = math.MaxInt / 4

// DefaultMaxImages is the most images (or labels) one file may announce for ReadImages,
// ReadLabels and ReadSet: more than any of the MNIST family holds (EMNIST's largest split has
// 697,932), 3 GB of float32 pixels at 28x28. ReadImagesLimit and ReadLabelsLimit take another
// limit.
const DefaultMaxImages = 1_000_000

// By default a gzip-compressed file may announce at most maxGzipRatio times its own length of
// data, or gzipFloor bytes, whichever is more: MNIST's files expand 4 to 5 times, Fashion-MNIST's
// 2 to 3, while a gzip bomb of blank images expands 1000 times.
const (
	maxGzipRatio = 100
	gzipFloor    = 64 << 20
)

// ErrTooLarge is the error (tested with errors.Is) of a file whose header announces more images
// or labels than the limit allows.
var ErrTooLarge = errors.New("too large")

// chunk is the size of the reads that stream pixels from the file.
const chunk = 256 << 10

// scale maps a pixel byte to its value in [0, 1].
var scale = func() (t [256]float32) {
	for i := range t {
		t[i] = float32(i) / 255
	}
	return t
}()

// idxFile is an open IDX file positioned after its header.
type idxFile struct {
	path string
	f    *os.File
	r    io.Reader // the payload: the file itself or its gzip stream
	gz   bool
	size int64 // length of the raw file; the payload's length is only known for raw files
	// isize is a gzip file's trailer: the length of the stream it holds, modulo 2^32 (exact for
	// a single-member file under 4 GiB). It serves as a hint only.
	isize uint32
}

func (x *idxFile) Close() error { return x.f.Close() }

// errorf returns an error naming the file.
func (x *idxFile) errorf(format string, args ...any) error {
	return fmt.Errorf("mnist: %s: %s", x.path, fmt.Sprintf(format, args...))
}

// openIDX opens path, raw or gzip-compressed (told by the gzip magic bytes 1f 8b, not by the
// name), checks the magic number and reads the ndim dimensions that follow it.
func openIDX(path string, magic uint32) (*idxFile, []uint32, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("mnist: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("mnist: %w", err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, fmt.Errorf("mnist: %s: not a regular file", path)
	}
	x := &idxFile{path: path, f: f, size: st.Size()}
	br := bufio.NewReaderSize(f, chunk)
	x.r = br
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, nil, x.errorf("bad gzip stream: %v", err)
		}
		x.r, x.gz = zr, true
		var tr [4]byte
		if _, err := f.ReadAt(tr[:], st.Size()-4); err == nil {
			x.isize = binary.LittleEndian.Uint32(tr[:])
		}
	}
	ndim := int(magic & 0xff)
	hdr := make([]byte, 4+4*ndim)
	// The magic number first, so that a file of the wrong kind is named as such.
	for _, part := range [][2]int{{0, 4}, {4, len(hdr)}} {
		n, err := io.ReadFull(x.r, hdr[part[0]:part[1]])
		if err != nil {
			f.Close()
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, nil, x.errorf("truncated header: %d bytes, an IDX file of this kind starts with %d", part[0]+n, len(hdr))
			}
			return nil, nil, x.errorf("reading the header: %v", err)
		}
		if part[0] == 0 {
			if got := binary.BigEndian.Uint32(hdr); got != magic {
				f.Close()
				return nil, nil, x.errorf("bad magic number 0x%08x, want 0x%08x (%s)", got, magic, kind(magic))
			}
		}
	}
	dims := make([]uint32, ndim)
	for i := range dims {
		dims[i] = binary.BigEndian.Uint32(hdr[4+4*i:])
	}
	return x, dims, nil
}

func kind(magic uint32) string {
	if magic == MagicImages {
		return "IDX images: unsigned bytes, 3 dimensions"
	}
	return "IDX labels: unsigned bytes, 1 dimension"
}

// checkLimit refuses a header that announces count items of itemBytes bytes each (payload bytes
// in all) beyond the limit: max items when max > 0; else DefaultMaxImages and, for a compressed
// file, maxGzipRatio times the file's length or gzipFloor bytes, whichever is more. what
// describes the announcement; fn names the function that takes a limit.
func (x *idxFile) checkLimit(count, payload uint64, max int, what, fn string) error {
	if max > 0 {
		if count > uint64(max) {
			return fmt.Errorf("mnist: %s: %w: the header announces %s, over the limit of %d", x.path, ErrTooLarge, what, max)
		}
		return nil
	}
	if count > DefaultMaxImages {
		return fmt.Errorf("mnist: %s: %w: the header announces %s, over the default limit of %d (%s takes a limit)", x.path, ErrTooLarge, what, DefaultMaxImages, fn)
	}
	if x.gz {
		if allowed := max64(uint64(x.size)*maxGzipRatio, gzipFloor); payload > allowed {
			return fmt.Errorf("mnist: %s: %w: the header announces %s, %d bytes from a %d-byte gzip file; "+
				"by default a compressed file may expand %d times or to %d MiB (%s(path, %d) accepts it)",
				x.path, ErrTooLarge, what, payload, x.size, maxGzipRatio, gzipFloor>>20, fn, count)
		}
	}
	return nil
}

func max64(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

// checkLen checks, for a raw file, that header plus payload is the file's length exactly.
func (x *idxFile) checkLen(hdrLen, payload int64, what string) error {
	if x.gz {
		return nil
	}
	want := hdrLen + payload
	switch {
	case x.size < want:
		return x.errorf("truncated: the header announces %s (%d bytes with the header) but the file holds %d bytes", what, want, x.size)
	case x.size > want:
		return x.errorf("%d bytes after the data: the header announces %s (%d bytes with the header) but the file holds %d bytes", x.size-want, what, want, x.size)
	}
	return nil
}

// checkEnd checks that the payload ends where the header says.
func (x *idxFile) checkEnd(what string) error {
	var b [1]byte
	n, err := io.ReadFull(x.r, b[:])
	if n > 0 {
		return x.errorf("data after the end: the header announces %s and more follows", what)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return x.errorf("reading past %s: %v", what, err)
	}
	return nil
}

// short reports a payload that ended early.
func (x *idxFile) short(err error, got, want int64, what string) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return x.errorf("truncated: the header announces %s (%d bytes of data) but only %d follow", what, want, got)
	}
	return x.errorf("reading %s: %v", what, err)
}

// ReadImages reads an IDX image file (magic 0x00000803), raw or gzip-compressed (detected by the
// gzip magic bytes, not by the file name). It returns the n images of rows x cols pixels, row
// after row, each byte scaled to [0, 1] (b/255). The header is checked against the file: its
// magic number, non-zero image sizes, and for a raw file its exact length; a compressed stream
// must hold exactly the announced pixels. Every problem is an error naming the file.
//
// It reads what the file can hold (ReadImagesLimit with limit 0): at most DefaultMaxImages
// images, and from a compressed file at most 100 times its length of pixels (or 64 MiB), so that
// a small gzip bomb is refused with ErrTooLarge before anything is allocated.
func ReadImages(path string) (pixels []float32, n, rows, cols int, err error) {
	return ReadImagesLimit(path, 0)
}

// ReadImagesLimit is ReadImages accepting at most maxImages images (and then no limit on the
// compression ratio); maxImages 0 means the defaults of ReadImages. A header that announces more
// is an error that satisfies errors.Is(err, ErrTooLarge), returned before the pixels are read.
func ReadImagesLimit(path string, maxImages int) (pixels []float32, n, rows, cols int, err error) {
	x, dims, err := openIDX(path, MagicImages)
	if err != nil {
		return nil, 0, 0, 0, err
	}
	defer x.Close()
	if dims[1] == 0 || dims[2] == 0 {
		return nil, 0, 0, 0, x.errorf("images of %dx%d pixels: both sizes must be positive", dims[1], dims[2])
	}
	hi, total := bits.Mul64(uint64(dims[0]), uint64(dims[1])*uint64(dims[2]))
	what := fmt.Sprintf("%d images of %dx%d", dims[0], dims[1], dims[2])
	if hi != 0 || total > maxElems {
		return nil, 0, 0, 0, x.errorf("%s is too large", what)
	}
	if err := x.checkLen(16, int64(total), what); err != nil {
		return nil, 0, 0, 0, err
	}
	if err := x.checkLimit(uint64(dims[0]), total, maxImages, what, "ReadImagesLimit"); err != nil {
		return nil, 0, 0, 0, err
	}
	pixels, err = x.readPixels(int64(total), what)
	if err != nil {
		return nil, 0, 0, 0, err
	}
	if err := x.checkEnd(what); err != nil {
		return nil, 0, 0, 0, err
	}
	return pixels, int(dims[0]), int(dims[1]), int(dims[2]), nil
}

// capHint returns the capacity to allocate for a payload the header says is total elements. A
// raw file's length has been checked, so the header can be trusted; for a compressed stream it is
// trusted when the gzip trailer agrees and deflate could expand the file that far (at most
// about 1032:1), else the buffer starts small and grows as data arrives, so that a corrupt
// header cannot cause a huge allocation.
func (x *idxFile) capHint(hdrLen, total int64) int64 {
	if !x.gz || uint32(hdrLen+total) == x.isize && total/1032 <= x.size {
		return total
	}
	return min(total, 1<<20)
}

// readPixels streams total bytes from the payload, scaling each to [0, 1]. The images go into a
// buffer the system may back with huge pages (internal/hugepage): training reads them a row at a
// time in random order.
func (x *idxFile) readPixels(total int64, what string) ([]float32, error) {
	out := hugepage.Floats(int(x.capHint(16, total)))
	buf := make([]byte, chunk)
	for int64(len(out)) < total {
		want := min(int64(len(buf)), total-int64(len(out)))
		n, err := io.ReadFull(x.r, buf[:want])
		base := len(out)
		out = slices.Grow(out, n)[:base+n]
		dst := out[base:]
		for i, b := range buf[:n] {
			dst[i] = scale[b]
		}
		if err != nil {
			return nil, x.short(err, int64(len(out)), total, what)
		}
	}
	return out, nil
}

// ReadLabels reads an IDX label file (magic 0x00000801), raw or gzip-compressed (detected by the
// gzip magic bytes). Every label must lie in 0..9; the header is checked against the file, and
// limited, as in ReadImages. Every problem is an error naming the file.
func ReadLabels(path string) ([]uint8, error) { return ReadLabelsLimit(path, 0) }

// ReadLabelsLimit is ReadLabels accepting at most maxLabels labels (see ReadImagesLimit).
func ReadLabelsLimit(path string, maxLabels int) ([]uint8, error) {
	x, dims, err := openIDX(path, MagicLabels)
	if err != nil {
		return nil, err
	}
	defer x.Close()
	n := int64(dims[0])
	what := fmt.Sprintf("%d labels", n)
	if n > maxElems {
		return nil, x.errorf("%s is too large", what)
	}
	if err := x.checkLen(8, n, what); err != nil {
		return nil, err
	}
	if err := x.checkLimit(uint64(n), uint64(n), maxLabels, what, "ReadLabelsLimit"); err != nil {
		return nil, err
	}
	labels := make([]uint8, 0, x.capHint(8, n))
	buf := make([]byte, chunk)
	for int64(len(labels)) < n {
		want := min(int64(len(buf)), n-int64(len(labels)))
		got, err := io.ReadFull(x.r, buf[:want])
		for i, l := range buf[:got] {
			if l >= NumClasses {
				return nil, x.errorf("label %d at index %d is out of range 0..%d", l, len(labels)+i, NumClasses-1)
			}
		}
		labels = append(labels, buf[:got]...)
		if err != nil {
			return nil, x.short(err, int64(len(labels)), n, what)
		}
	}
	if err := x.checkEnd(what); err != nil {
		return nil, err
	}
	return labels, nil
}

// ReadSet reads one split from an image file and a label file (each raw or gzip-compressed) and
// checks that they hold as many images as labels. The files are limited as in ReadImages.
func ReadSet(imagesPath, labelsPath string) (*Set, error) {
	return ReadSetLimit(imagesPath, labelsPath, 0)
}

// ReadSetLimit is ReadSet accepting at most maxImages images (see ReadImagesLimit).
func ReadSetLimit(imagesPath, labelsPath string, maxImages int) (*Set, error) {
	pixels, n, rows, cols, err := ReadImagesLimit(imagesPath, maxImages)
	if err != nil {
		return nil, err
	}
	labels, err := ReadLabelsLimit(labelsPath, maxImages)
	if err != nil {
		return nil, err
	}
	if len(labels) != n {
		return nil, fmt.Errorf("mnist: %s holds %d images but %s holds %d labels", imagesPath, n, labelsPath, len(labels))
	}
	return &Set{Images: pixels, Labels: labels, N: n, Rows: rows, Cols: cols}, nil
}
