package mnist

import (
	"fmt"
	"image"
	"math"
	"strings"
	"testing"
)

// testSet returns n images of 2x3 pixels where pixel j of image i is (10*i+j)/255 and label i%10.
func testSet(n int) *Set {
	s := &Set{N: n, Rows: 2, Cols: 3, Images: make([]float32, n*6), Labels: make([]uint8, n)}
	for i := range n {
		for j := range 6 {
			s.Images[i*6+j] = float32(10*i+j) / 255
		}
		s.Labels[i] = uint8(i % 10)
	}
	return s
}

func wantPanic(t *testing.T, phrase string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Fatalf("no panic, want one saying %q", phrase)
		}
		if msg := fmt.Sprint(r); !strings.Contains(msg, phrase) {
			t.Fatalf("panic %q does not say %q", msg, phrase)
		}
	}()
	f()
}

func TestSetImage(t *testing.T) {
	s := testSet(4)
	if s.Pixels() != 6 {
		t.Fatalf("Pixels() = %d, want 6", s.Pixels())
	}
	img := s.Image(2)
	if len(img) != 6 || cap(img) != 6 || img[0] != 20.0/255 || img[5] != 25.0/255 {
		t.Fatalf("Image(2) = %v (cap %d)", img, cap(img))
	}
	img[0] = 1 // a view, not a copy
	if s.Images[12] != 1 {
		t.Fatal("Image(2) is not a view into Images")
	}
	wantPanic(t, "Set.Image: index 4 out of range [0, 4)", func() { s.Image(4) })
	wantPanic(t, "Set.Image: index -1", func() { s.Image(-1) })
}

func TestSetBatch(t *testing.T) {
	s := testSet(5)
	idx := []int{3, 0, 3}
	x := make([]float32, 3*6)
	y := make([]uint8, 3)
	s.Batch(idx, x, y)
	for j, i := range idx {
		for k := range 6 {
			if x[j*6+k] != float32(10*i+k)/255 {
				t.Fatalf("x[%d] = %v, want pixel %d of image %d", j*6+k, x[j*6+k], k, i)
			}
		}
		if y[j] != uint8(i) {
			t.Fatalf("y[%d] = %d, want %d", j, y[j], i)
		}
	}
	s.Batch([]int{4}, x[:6], nil) // labels skipped
	if x[0] != 40.0/255 {
		t.Fatalf("x[0] = %v after Batch([4]), want %v", x[0], 40.0/255)
	}
	wantPanic(t, "len(x) = 17, want len(idx)*Rows*Cols = 3*6 = 18", func() { s.Batch(idx, x[:17], y) })
	wantPanic(t, "len(y) = 2, want len(idx) = 3", func() { s.Batch(idx, x, y[:2]) })
	wantPanic(t, "idx[1] = 5 out of range [0, 5)", func() { s.Batch([]int{0, 5}, x[:12], y[:2]) })
}

func TestSetSliceAndCounts(t *testing.T) {
	s := testSet(23)
	sub := s.Slice(10, 13)
	if sub.N != 3 || sub.Rows != 2 || sub.Cols != 3 || len(sub.Images) != 18 || len(sub.Labels) != 3 {
		t.Fatalf("Slice(10, 13) = N %d, %dx%d, %d pixels, %d labels", sub.N, sub.Rows, sub.Cols, len(sub.Images), len(sub.Labels))
	}
	if sub.Image(0)[0] != s.Image(10)[0] || sub.Labels[2] != 2 {
		t.Fatal("Slice(10, 13) does not start at image 10")
	}
	if c := s.Counts(); c != [10]int{3, 3, 3, 2, 2, 2, 2, 2, 2, 2} {
		t.Fatalf("Counts() = %v", c)
	}
	if c := s.Slice(5, 5).Counts(); c != [10]int{} {
		t.Fatalf("empty slice: Counts() = %v", c)
	}
	wantPanic(t, "Set.Slice: [3:24] out of range for 23 images", func() { s.Slice(3, 24) })
	wantPanic(t, "Set.Slice: [4:3]", func() { s.Slice(4, 3) })
}

func TestGray(t *testing.T) {
	s := testSet(3)
	g := s.Gray(2)
	if g.Bounds() != image.Rect(0, 0, 3, 2) {
		t.Fatalf("Gray(2).Bounds() = %v, want 3 wide, 2 high", g.Bounds())
	}
	for r := range 2 {
		for c := range 3 {
			if got, want := g.GrayAt(c, r).Y, uint8(20+3*r+c); got != want {
				t.Fatalf("Gray(2) at x=%d y=%d = %d, want %d", c, r, got, want)
			}
		}
	}
	// Every byte value survives the round trip through the reader's scaling.
	for b := range 256 {
		if got := GrayImage([]float32{scale[b]}, 1, 1).Pix[0]; got != uint8(b) {
			t.Fatalf("byte %d comes back as %d", b, got)
		}
	}
	nan := float32(math.NaN())
	g = GrayImage([]float32{-1, 2, nan, 0.5}, 2, 2)
	if want := []uint8{0, 255, 0, 128}; string(g.Pix) != string(want) {
		t.Fatalf("clamping: got %v, want %v", g.Pix, want)
	}
	wantPanic(t, "GrayImage: len(pixels) = 5, want rows*cols = 2*3", func() { GrayImage(make([]float32, 5), 2, 3) })
}

func TestGrid(t *testing.T) {
	s := testSet(5) // 2x3 images
	g := s.Grid([]int{4, 0, 1, 2, 3}, 2)
	// 3 rows of 2 images: width 2*4-1, height 3*3-1.
	if g.Bounds() != image.Rect(0, 0, 7, 8) {
		t.Fatalf("Grid bounds %v, want 7x8", g.Bounds())
	}
	for j, i := range []int{4, 0, 1, 2, 3} {
		x0, y0 := (j%2)*4, (j/2)*3
		for r := range 2 {
			for c := range 3 {
				if got, want := g.GrayAt(x0+c, y0+r).Y, uint8(10*i+3*r+c); got != want {
					t.Fatalf("tile %d (image %d) at x=%d y=%d: %d, want %d", j, i, c, r, got, want)
				}
			}
		}
	}
	// Separators and the empty last tile are mid-gray.
	for _, p := range []image.Point{{3, 0}, {0, 2}, {3, 7}, {4, 6}, {6, 7}} {
		if got := g.GrayAt(p.X, p.Y).Y; got != 0x80 {
			t.Errorf("at %v: %d, want the 0x80 background", p, got)
		}
	}
	if g := s.Grid(nil, 3); !g.Bounds().Empty() {
		t.Errorf("Grid of no images has bounds %v", g.Bounds())
	}
	wantPanic(t, "Set.Grid: perRow = 0", func() { s.Grid([]int{0}, 0) })
	wantPanic(t, "Set.Grid: idx[1] = 9 out of range [0, 5)", func() { s.Grid([]int{0, 9}, 2) })
}

func TestSetMatrixAndIntLabels(t *testing.T) {
	s := testSet(12)
	x := s.Matrix()
	if x.Rows != 12 || x.Cols != 6 || &x.Data[0] != &s.Images[0] {
		t.Fatalf("Matrix() is %s, want 12x6 over s.Images", x.Shape())
	}
	if x.At(3, 2) != s.Image(3)[2] {
		t.Fatalf("Matrix().At(3, 2) = %v, image 3 pixel 2 = %v", x.At(3, 2), s.Image(3)[2])
	}
	y := s.IntLabels()
	if len(y) != 12 || y[11] != 1 || y[9] != 9 {
		t.Fatalf("IntLabels() = %v", y)
	}
	bad := &Set{N: 2, Rows: 2, Cols: 2, Images: make([]float32, 7)}
	wantPanic(t, "nn.FromSlice", func() { bad.Matrix() })
}

// TestSetBytes checks that Bytes gives back the file's bytes of pixels b/255 (every b), that
// those stand for the same floats, and that other values are rounded and clamped.
func TestSetBytes(t *testing.T) {
	s := &Set{N: 2, Rows: 16, Cols: 16, Images: make([]float32, 512), Labels: make([]uint8, 2)}
	for i := range 256 {
		s.Images[i] = float32(i) / 255
	}
	odd := []float32{float32(math.NaN()), -1, 2, 0.5, 0.25, 1e-3, float32(math.Inf(1)), float32(math.Inf(-1))}
	want := []uint8{0, 0, 255, 128, 64, 0, 255, 0}
	copy(s.Images[256:], odd)
	b := s.Bytes()
	if b.Rows != 2 || b.Cols != 256 || b.Div != 255 || len(b.Data) != 512 {
		t.Fatalf("Bytes() is %dx%d, div %v, %d bytes", b.Rows, b.Cols, b.Div, len(b.Data))
	}
	for i := range 256 {
		if b.Data[i] != uint8(i) {
			t.Fatalf("byte %d = %d, want %d", i, b.Data[i], i)
		}
	}
	for i, w := range want {
		if b.Data[256+i] != w {
			t.Errorf("pixel %v: byte %d, want %d", odd[i], b.Data[256+i], w)
		}
	}
	m := b.Matrix()
	for i := range 256 {
		if m.Data[i] != s.Images[i] {
			t.Fatalf("Bytes().Matrix()[%d] = %v, want %v", i, m.Data[i], s.Images[i])
		}
	}
	s.Images = s.Images[:511]
	wantPanic(t, "len(Images) = 511", func() { s.Bytes() })
}
