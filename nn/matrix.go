package nn

import (
	"fmt"

	"github.com/lanesimd/lanes/kernels"
)

// Matrix is a dense row-major float32 matrix: element (i, j) is Data[i*Cols+j], and
// len(Data) == Rows*Cols. A batch of samples is a Matrix with one sample per row.
type Matrix struct {
	Rows, Cols int
	Data       []float32
}

// NewMatrix returns a zeroed rows x cols matrix. It panics if a dimension is negative.
func NewMatrix(rows, cols int) *Matrix {
	if rows < 0 || cols < 0 {
		panic(fmt.Sprintf("nn.NewMatrix: negative shape %dx%d", rows, cols))
	}
	return &Matrix{Rows: rows, Cols: cols, Data: make([]float32, rows*cols)}
}

// FromSlice returns a rows x cols matrix over data (not copied). It panics unless
// len(data) == rows*cols.
func FromSlice(rows, cols int, data []float32) *Matrix {
	if rows < 0 || cols < 0 || len(data) != rows*cols {
		panic(fmt.Sprintf("nn.FromSlice: shape %dx%d needs %d elements, got %d", rows, cols, max(rows*cols, 0), len(data)))
	}
	return &Matrix{Rows: rows, Cols: cols, Data: data}
}

// FromRows returns a matrix holding a copy of rows, which must all have the same length.
func FromRows(rows [][]float32) *Matrix {
	if len(rows) == 0 {
		return NewMatrix(0, 0)
	}
	m := NewMatrix(len(rows), len(rows[0]))
	for i, r := range rows {
		if len(r) != m.Cols {
			panic(fmt.Sprintf("nn.FromRows: row %d has %d elements, row 0 has %d", i, len(r), m.Cols))
		}
		copy(m.Row(i), r)
	}
	return m
}

// Shape returns the shape as "RxC", as used in panic messages.
func (m *Matrix) Shape() string { return fmt.Sprintf("%dx%d", m.Rows, m.Cols) }

// At returns element (i, j).
func (m *Matrix) At(i, j int) float32 { return m.Data[m.index("At", i, j)] }

// Set sets element (i, j) to v.
func (m *Matrix) Set(i, j int, v float32) { m.Data[m.index("Set", i, j)] = v }

func (m *Matrix) index(fn string, i, j int) int {
	if uint(i) >= uint(m.Rows) || uint(j) >= uint(m.Cols) {
		panic(fmt.Sprintf("nn.Matrix.%s: index (%d, %d) out of range for shape %s", fn, i, j, m.Shape()))
	}
	return i*m.Cols + j
}

// Row returns row i as a slice sharing the matrix's storage.
func (m *Matrix) Row(i int) []float32 {
	if uint(i) >= uint(m.Rows) {
		panic(fmt.Sprintf("nn.Matrix.Row: row %d out of range for shape %s", i, m.Shape()))
	}
	return m.Data[i*m.Cols : (i+1)*m.Cols : (i+1)*m.Cols]
}

// Slice returns rows [from, to) as a matrix sharing the storage.
func (m *Matrix) Slice(from, to int) *Matrix {
	if from < 0 || to > m.Rows || from > to {
		panic(fmt.Sprintf("nn.Matrix.Slice: rows [%d, %d) out of range for shape %s", from, to, m.Shape()))
	}
	return &Matrix{Rows: to - from, Cols: m.Cols, Data: m.Data[from*m.Cols : to*m.Cols]}
}

// Clone returns a deep copy.
func (m *Matrix) Clone() *Matrix {
	c := &Matrix{Rows: m.Rows, Cols: m.Cols, Data: make([]float32, len(m.Data))}
	copy(c.Data, m.Data)
	return c
}

// CopyFrom copies src into m; the shapes must be equal.
func (m *Matrix) CopyFrom(src *Matrix) {
	sameShape("Matrix.CopyFrom", m, src)
	copy(m.Data, src.Data)
}

// Zero sets every element to 0.
func (m *Matrix) Zero() { clear(m.Data) }

// Fill sets every element to v.
func (m *Matrix) Fill(v float32) {
	for i := range m.Data {
		m.Data[i] = v
	}
}

// ArgMax writes the column index of the largest element of each row into dst (len(dst) must be
// m.Rows) and returns dst; ties go to the first. A nil dst is allocated.
func (m *Matrix) ArgMax(dst []int) []int {
	if dst == nil {
		dst = make([]int, m.Rows)
	}
	if len(dst) != m.Rows {
		panic(fmt.Sprintf("nn.Matrix.ArgMax: len(dst) = %d, matrix %s has %d rows", len(dst), m.Shape(), m.Rows))
	}
	for i := range dst {
		row := m.Data[i*m.Cols : (i+1)*m.Cols]
		best, bi := row[0], 0
		for j, v := range row {
			if v > best {
				best, bi = v, j
			}
		}
		dst[i] = bi
	}
	return dst
}

// MatMul returns a*b, computed by kernels.Gemm.
func MatMul(a, b *Matrix) *Matrix {
	if a.Cols != b.Rows {
		panic(fmt.Sprintf("nn.MatMul: a is %s, b is %s; a.Cols must equal b.Rows", a.Shape(), b.Shape()))
	}
	c := NewMatrix(a.Rows, b.Cols)
	gemm(false, false, a, b, 0, c)
	return c
}

// gemm sets c = op(a)*op(b) + beta*c through kernels.Gemm. The shapes are checked by the caller.
func gemm(ta, tb bool, a, b *Matrix, beta float32, c *Matrix) {
	k := a.Cols
	if ta {
		k = a.Rows
	}
	kernels.Gemm(ta, tb, c.Rows, c.Cols, k, 1, a.Data, max(a.Cols, 1), b.Data, max(b.Cols, 1), beta, c.Data, max(c.Cols, 1))
}

// sumRows sets dst (m.Cols long) to the sum of the rows of m, the gradient of a bias added to every
// row: one product of a row of ones by m (kernels.Gemm's GEMV path, which streams m once), instead
// of an Axpy per row. ones is the caller's vector of ones, grown to m.Rows when shorter.
func sumRows(dst []float32, m *Matrix, ones *[]float32) {
	if len(*ones) < m.Rows {
		*ones = make([]float32, m.Rows)
		for i := range *ones {
			(*ones)[i] = 1
		}
	}
	kernels.Gemm(false, false, 1, m.Cols, m.Rows, 1, (*ones)[:m.Rows], max(m.Rows, 1), m.Data, max(m.Cols, 1), 0, dst, max(m.Cols, 1))
}

// sameShape panics, naming fn and both shapes, unless a and b have the same shape.
func sameShape(fn string, a, b *Matrix) {
	if a.Rows != b.Rows || a.Cols != b.Cols {
		panic(fmt.Sprintf("nn.%s: shapes %s and %s differ", fn, a.Shape(), b.Shape()))
	}
}

// buffer is a matrix owned by a layer and reused across calls: resize keeps the storage when it
// is large enough, so that a training loop at a fixed batch size allocates only on its first
// iteration.
type buffer struct{ m Matrix }

// resize returns the buffer as a rows x cols matrix. The contents are unspecified.
func (b *buffer) resize(rows, cols int) *Matrix {
	n := rows * cols
	if cap(b.m.Data) < n {
		b.m.Data = make([]float32, n)
	}
	b.m.Rows, b.m.Cols, b.m.Data = rows, cols, b.m.Data[:n]
	return &b.m
}
