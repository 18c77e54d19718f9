package mnist

import (
	"fmt"
	"image"

	"github.com/lanesimd/lanes/internal/hugepage"
	"github.com/lanesimd/lanes/nn"
)

// Pixels returns the number of pixels of one image, Rows*Cols.
func (s *Set) Pixels() int { return s.Rows * s.Cols }

// Matrix returns the images as an nn.Matrix of N rows of Rows*Cols pixels that shares s.Images
// (nothing is copied): what nn's Trainer.Fit, Predict and Evaluate take. It panics if
// len(s.Images) is not N*Rows*Cols.
func (s *Set) Matrix() *nn.Matrix { return nn.FromSlice(s.N, s.Pixels(), s.Images) }

// Bytes returns the images as an nn.ByteMatrix of N rows of Rows*Cols pixels: each pixel
// rounded to a byte b (0 for NaN and below 0, 255 from 1 up) standing for b/255, in new memory (a
// quarter of the Images', which the system may back with huge pages as it may the Images). For
// images read from the IDX files, whose pixels are b/255, it is the file's bytes and stands for
// exactly s.Images: Trainer.Fit trains on it as on Matrix(), bit for bit, with the batches
// converted as they are drawn. It panics if len(s.Images) is not N*Rows*Cols.
func (s *Set) Bytes() *nn.ByteMatrix {
	p := s.Pixels()
	if len(s.Images) != s.N*p {
		panic(fmt.Sprintf("mnist: Set.Bytes: len(Images) = %d, want N*Rows*Cols = %d*%d", len(s.Images), s.N, p))
	}
	b := hugepage.Bytes(len(s.Images))[:len(s.Images)] // read a row at a time, at random
	for i, v := range s.Images {
		b[i] = pixelByte(v)
	}
	return nn.FromBytes(s.N, p, b, 255)
}

// pixelByte is v in [0, 1] as a byte: v*255 rounded, clamped to 0..255 (NaN gives 0).
func pixelByte(v float32) uint8 {
	switch {
	case v >= 1:
		return 255
	case v > 0:
		return uint8(v*255 + 0.5)
	default: // <= 0 or NaN
		return 0
	}
}

// IntLabels returns the labels as ints in a new slice: what nn.Labels and nn.Evaluate take.
func (s *Set) IntLabels() []int {
	l := make([]int, len(s.Labels))
	for i, v := range s.Labels {
		l[i] = int(v)
	}
	return l
}

// Image returns image i as a view into s.Images (Rows*Cols pixels, row-major; capacity limited
// so that appending to it cannot overwrite the next image). It panics if i is out of range.
func (s *Set) Image(i int) []float32 {
	if i < 0 || i >= s.N {
		panic(fmt.Sprintf("mnist: Set.Image: index %d out of range [0, %d)", i, s.N))
	}
	p := s.Pixels()
	return s.Images[i*p : (i+1)*p : (i+1)*p]
}

// Batch copies the images with the given indices into x, one after another
// (len(x) must be len(idx)*Rows*Cols), and their labels into y (len(y) must be len(idx); a nil
// y skips the labels). It panics on wrong lengths or an index out of range.
func (s *Set) Batch(idx []int, x []float32, y []uint8) {
	p := s.Pixels()
	if len(x) != len(idx)*p {
		panic(fmt.Sprintf("mnist: Set.Batch: len(x) = %d, want len(idx)*Rows*Cols = %d*%d = %d",
			len(x), len(idx), p, len(idx)*p))
	}
	if y != nil && len(y) != len(idx) {
		panic(fmt.Sprintf("mnist: Set.Batch: len(y) = %d, want len(idx) = %d", len(y), len(idx)))
	}
	for j, i := range idx {
		if i < 0 || i >= s.N {
			panic(fmt.Sprintf("mnist: Set.Batch: idx[%d] = %d out of range [0, %d)", j, i, s.N))
		}
		copy(x[j*p:(j+1)*p], s.Images[i*p:(i+1)*p])
		if y != nil {
			y[j] = s.Labels[i]
		}
	}
}

// Slice returns the images lo..hi-1 as a Set sharing s's memory. It panics unless
// 0 <= lo <= hi <= N.
func (s *Set) Slice(lo, hi int) *Set {
	if lo < 0 || hi < lo || hi > s.N {
		panic(fmt.Sprintf("mnist: Set.Slice: [%d:%d] out of range for %d images", lo, hi, s.N))
	}
	p := s.Pixels()
	return &Set{
		Images: s.Images[lo*p : hi*p : hi*p],
		Labels: s.Labels[lo:hi:hi],
		N:      hi - lo, Rows: s.Rows, Cols: s.Cols,
	}
}

// Counts returns how many images carry each label.
func (s *Set) Counts() [NumClasses]int {
	var c [NumClasses]int
	for _, l := range s.Labels {
		c[l]++
	}
	return c
}

// Gray returns image i as an 8-bit grayscale image for display: 0 is black (MNIST's
// background), 255 white. Pixels outside [0, 1] are clamped. It panics if i is out of range.
func (s *Set) Gray(i int) *image.Gray {
	return GrayImage(s.Image(i), s.Rows, s.Cols)
}

// GrayImage converts rows*cols pixels in [0, 1] (row-major) to an 8-bit grayscale image, for
// displaying a digit or a weight map. Values outside [0, 1] are clamped, NaN gives 0. It panics
// if len(pixels) != rows*cols.
func GrayImage(pixels []float32, rows, cols int) *image.Gray {
	if rows < 0 || cols < 0 || len(pixels) != rows*cols {
		panic(fmt.Sprintf("mnist: GrayImage: len(pixels) = %d, want rows*cols = %d*%d", len(pixels), rows, cols))
	}
	g := image.NewGray(image.Rect(0, 0, cols, rows))
	for r := range rows {
		row := g.Pix[r*g.Stride : r*g.Stride+cols]
		for c, v := range pixels[r*cols : (r+1)*cols] {
			row[c] = pixelByte(v)
		}
	}
	return g
}

// Grid lays the images with the given indices out in rows of perRow, separated by a one-pixel
// mid-gray line, as one grayscale image for display. It panics if perRow < 1 or an index is out
// of range.
func (s *Set) Grid(idx []int, perRow int) *image.Gray {
	if perRow < 1 {
		panic(fmt.Sprintf("mnist: Set.Grid: perRow = %d, want at least 1", perRow))
	}
	nr := (len(idx) + perRow - 1) / perRow
	nc := min(len(idx), perRow)
	g := image.NewGray(image.Rect(0, 0, max(nc*(s.Cols+1)-1, 0), max(nr*(s.Rows+1)-1, 0)))
	for i := range g.Pix {
		g.Pix[i] = 0x80
	}
	for j, i := range idx {
		if i < 0 || i >= s.N {
			panic(fmt.Sprintf("mnist: Set.Grid: idx[%d] = %d out of range [0, %d)", j, i, s.N))
		}
		x0, y0 := (j%perRow)*(s.Cols+1), (j/perRow)*(s.Rows+1)
		img := s.Gray(i)
		for r := range s.Rows {
			copy(g.Pix[(y0+r)*g.Stride+x0:], img.Pix[r*img.Stride:r*img.Stride+s.Cols])
		}
	}
	return g
}
