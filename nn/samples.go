package nn

import (
	"fmt"

	"github.com/lanesimd/lanes/kernels"
)

// Samples is what Trainer.Fit draws its batches from, one sample per row: a *Matrix, or a
// *ByteMatrix, whose rows Fit converts to float32 as it gathers them.
type Samples interface {
	// Dims returns the number of rows (samples) and of values in each.
	Dims() (rows, cols int)
	// gather sets row i of dst to row idx[i] (len(dst) = len(idx)*cols).
	gather(dst []float32, idx []int32)
}

// Dims returns the number of rows and of columns.
func (m *Matrix) Dims() (rows, cols int) { return m.Rows, m.Cols }

// ByteMatrix is a rows x cols matrix stored as bytes: element (i, j) stands for
// float32(Data[i*Cols+j]) / Div, correctly rounded (kernels.DivUint8). Images kept as their
// pixels take a quarter of a Matrix's memory (MNIST's 60,000 training images 47 MB instead of
// 188 MB, which then fit in a large L3 cache), and Trainer.Fit converts only the rows of each
// batch, into the same float32 values the whole Matrix would hold: with Div = 255 those of
// numpy's x / 255 and of torchvision's ToTensor. len(Data) == Rows*Cols.
type ByteMatrix struct {
	Rows, Cols int
	Data       []uint8
	Div        float32
}

// FromBytes returns a rows x cols ByteMatrix over data (not copied) whose elements stand for
// data[i]/div. It panics unless len(data) == rows*cols and div is finite and not 0.
func FromBytes(rows, cols int, data []uint8, div float32) *ByteMatrix {
	if rows < 0 || cols < 0 || len(data) != rows*cols {
		panic(fmt.Sprintf("nn.FromBytes: shape %dx%d needs %d bytes, got %d", rows, cols, max(rows*cols, 0), len(data)))
	}
	if div == 0 || div-div != 0 {
		panic(fmt.Sprintf("nn.FromBytes: divisor %v; it must be finite and not 0", div))
	}
	return &ByteMatrix{Rows: rows, Cols: cols, Data: data, Div: div}
}

// Dims returns the number of rows and of columns.
func (m *ByteMatrix) Dims() (rows, cols int) { return m.Rows, m.Cols }

// Shape returns the shape as "RxC", as used in panic messages.
func (m *ByteMatrix) Shape() string { return fmt.Sprintf("%dx%d", m.Rows, m.Cols) }

// Slice returns rows [from, to) as a ByteMatrix sharing the storage.
func (m *ByteMatrix) Slice(from, to int) *ByteMatrix {
	if from < 0 || to > m.Rows || from > to {
		panic(fmt.Sprintf("nn.ByteMatrix.Slice: rows [%d, %d) out of range for shape %s", from, to, m.Shape()))
	}
	return &ByteMatrix{Rows: to - from, Cols: m.Cols, Data: m.Data[from*m.Cols : to*m.Cols], Div: m.Div}
}

// Matrix returns the float32 values of all of m in a new Matrix (for Predict and Evaluate).
func (m *ByteMatrix) Matrix() *Matrix {
	m.check("nn.ByteMatrix.Matrix")
	out := NewMatrix(m.Rows, m.Cols)
	kernels.DivUint8(out.Data, m.Data, m.Div)
	return out
}

// check panics, naming the function fn, if len(m.Data) is not Rows*Cols.
func (m *ByteMatrix) check(fn string) {
	if m.Rows < 0 || m.Cols < 0 || len(m.Data) != m.Rows*m.Cols {
		panic(fmt.Sprintf("%s: a ByteMatrix of shape %s needs %d bytes, Data has %d", fn, m.Shape(), max(m.Rows*m.Cols, 0), len(m.Data)))
	}
}

// gatherAhead is how many rows ahead of its copy gather asks the CPU for a row
// (kernels.Prefetch): the rows of a batch lie anywhere in the data, mostly outside the caches,
// and asking for the next few while one is copied overlaps their memory latencies. Asking for
// all the rows of the next batch at once, while the step before it ran, stalled an Intel Xeon
// (model 167) on its fill buffers: the book's two-layer net (10,000 batches of 100, one core,
// medians of 5 alternating runs) took 3.53 s so, 3.40 s without any prefetch and 3.25 s with 8
// rows ahead.
const gatherAhead = 8

func (m *Matrix) gather(dst []float32, idx []int32) {
	gatherRows(dst, m.Data, m.Cols, idx, func(dst, src []float32) { copy(dst, src) })
}

func (m *ByteMatrix) gather(dst []float32, idx []int32) {
	m.check("nn.Trainer.Fit")
	gatherRows(dst, m.Data, m.Cols, idx, func(dst []float32, src []uint8) { kernels.DivUint8(dst, src, m.Div) })
}

// gatherRows sets row i of dst to conv of row idx[i] of data (rows of c elements), asking for
// each row gatherAhead rows before it is read.
func gatherRows[E float32 | uint8](dst []float32, data []E, c int, idx []int32, conv func(dst []float32, src []E)) {
	for _, r := range idx[:min(gatherAhead, len(idx))] {
		kernels.Prefetch(data[int(r)*c : (int(r)+1)*c])
	}
	for i, r := range idx {
		if i+gatherAhead < len(idx) {
			q := int(idx[i+gatherAhead])
			kernels.Prefetch(data[q*c : (q+1)*c])
		}
		conv(dst[i*c:(i+1)*c], data[int(r)*c:(int(r)+1)*c])
	}
}
