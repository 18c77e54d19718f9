package kernels

import (
	"math"
	"testing"
)

// softmaxF64ULPs bounds the distance of each Softmax[float64] element from softmaxF64Want. Both
// round e^(x-max) (1 ULP each), the kernel multiplies by a rounded 1/sum of a sum that carries its
// own rounding, and the quotient can fall one binade below e^(x-max), doubling the ULP weight.
const softmaxF64ULPs = 8

// softmaxF64SumULPs bounds the distance from 1 of the exact sum of each row of Softmax[float64].
const softmaxF64SumULPs = 6

// worstSum is the largest distance of a row sum from 1 that checkSoftmaxRows saw.
var worstSum uint64

// softmaxF64Want returns the softmax of one row to about 1 ULP: e^(x-max) by exp64, summed
// with Neumaier's compensated summation, divided by the sum.
func softmaxF64Want(row []float64) []float64 {
	m := maxRef(row)
	e := make([]float64, len(row))
	for i, x := range row {
		e[i] = exp64(x - m)
	}
	s := exactSum(e)
	for i := range e {
		e[i] /= s
	}
	return e
}

// exactSum is the sum of x with Neumaier's compensation: within 1 ULP for the sums here.
func exactSum(x []float64) float64 {
	var s, c float64
	for _, v := range x {
		t := s + v
		if math.Abs(s) >= math.Abs(v) {
			c += (s - t) + v
		} else {
			c += (v - t) + s
		}
		s = t
	}
	return s + c
}

// checkSoftmaxRows checks every row of got (the softmax of src, cols wide) against
// softmaxF64Want: element by element within softmaxF64ULPs, and the row sum within
// softmaxF64ULPs of 1. It returns the largest element distance seen.
func checkSoftmaxRows(t *testing.T, what string, got, src []float64, cols int) uint64 {
	t.Helper()
	var worst uint64
	for r := 0; r+cols <= len(src); r += cols {
		want := softmaxF64Want(src[r : r+cols])
		row := got[r : r+cols]
		for i := range row {
			d := ulp(row[i], want[i])
			// Elements below 2^-1000 are compared in absolute terms: their ULP is far below what
			// the sum's rounding contributes.
			if d > softmaxF64ULPs && math.Abs(row[i]-want[i]) > 0x1p-1000 {
				t.Fatalf("%s cols=%d row %d: [%d] = %v, want %v (%d ULP, allowed %d; x = %v)", what, cols, r/cols, i, row[i], want[i], d, softmaxF64ULPs, src[r+i])
			}
			worst = max(worst, d)
		}
		worstSum = max(worstSum, ulp(exactSum(row), 1))
		if s := exactSum(row); ulp(s, 1) > softmaxF64SumULPs {
			t.Fatalf("%s cols=%d row %d: sums to 1%+g (%d ULP from 1)", what, cols, r/cols, s-1, ulp(s, 1))
		}
	}
	return worst
}

func TestSoftmaxF64Known(t *testing.T) {
	// e^0, e^-10, e^-20 over their sum, correctly rounded (computed to 40 digits).
	want := []float64{0.9999546000703311, 4.539786860886666e-05, 2.061060046209062e-09}
	// The design's figures, to the digits it gives.
	design := []float64{0.9999546, 4.5398e-05, 2.0611e-09}
	eachISA(t, func(t *testing.T) {
		src := []float64{1010, 1000, 990, 1010, 1000, 990, 990, 1000, 1010}
		dst := make([]float64, len(src))
		Softmax(dst, src, 3)
		for r := 0; r < 3; r++ {
			for i := range want {
				j := i
				if r == 2 {
					j = 2 - i
				}
				if d := ulp(dst[3*r+j], want[i]); d > 2 {
					t.Errorf("row %d: softmax[%d] = %v, want %v (%d ULP)", r, j, dst[3*r+j], want[i], d)
				}
				if math.Abs(dst[3*r+j]-design[i]) > 1e-4*design[i] {
					t.Errorf("row %d: softmax[%d] = %v, the design says %v", r, j, dst[3*r+j], design[i])
				}
			}
		}
		// Far from 0, and one element: exactly 1.
		one := []float64{-1e300, 1e300, 5}
		Softmax(one, one, 1)
		for i, v := range one {
			if v != 1 {
				t.Errorf("softmax of the single-element row %d = %v, want 1", i, v)
			}
		}
	})
}

func TestSoftmaxF64Special(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	eachISA(t, func(t *testing.T) {
		for _, cols := range []int{1, 2, 3, 7, 8, 9, 31, 32, 33, 100} {
			// Four rows: -Inf entries, a NaN, a +Inf, all -Inf.
			src := make([]float64, 4*cols)
			r := newInput(uint64(cols))
			for i := range src {
				src[i] = r.uniform(-10, 10)
			}
			for i := 0; i < cols; i += 2 {
				src[i] = -inf
			}
			if cols == 1 {
				src[0] = 3
			}
			src[cols+cols/2] = nan
			src[2*cols+cols/3] = inf
			for i := 3 * cols; i < 4*cols; i++ {
				src[i] = -inf
			}
			dst := make([]float64, len(src))
			Softmax(dst, src, cols)
			var s float64
			for i, v := range dst[:cols] {
				if math.IsInf(src[i], -1) && v != 0 {
					t.Fatalf("cols=%d: softmax of -Inf = %v, want 0", cols, v)
				}
				if math.IsNaN(v) {
					t.Fatalf("cols=%d: NaN in a row without NaN: %v", cols, dst[:cols])
				}
				s += v
			}
			if math.Abs(s-1) > 1e-15 {
				t.Fatalf("cols=%d: row with -Inf entries sums to %v", cols, s)
			}
			for row := 1; row < 4; row++ {
				for i, v := range dst[row*cols : (row+1)*cols] {
					if !math.IsNaN(v) {
						t.Fatalf("cols=%d row %d (%v): [%d] = %v, want NaN", cols, row, src[row*cols:(row+1)*cols], i, v)
					}
				}
			}
		}
	})
}

// softmaxF64Input fills a row: mostly uniform in [-40, 40], sometimes spread over [-1000, 1000]
// (most elements then underflow to 0 or subnormals) or nearly equal.
func softmaxF64Input(r *testInput, row []float64) {
	lo, hi := -40.0, 40.0
	switch r.next() % 4 {
	case 0:
		lo, hi = -1000, 1000
	case 1:
		lo, hi = 5, 5+1e-9
	}
	for i := range row {
		row[i] = r.uniform(lo, hi)
	}
}

// TestSoftmaxF64Rows runs Softmax[float64] on every ISA path for every width 1..300 and a few
// large ones, three rows each, at every alignment of dst and src, out of place and in place,
// with guards around dst and src, and on a source that ends right before an unmapped page.
func TestSoftmaxF64Rows(t *testing.T) {
	worstSum = 0
	widths := []int{1024, 4097}
	for c := 1; c <= 300; c++ {
		widths = append(widths, c)
	}
	eachISA(t, func(t *testing.T) {
		r := newInput(3)
		var worst uint64
		for _, cols := range widths {
			n := 3 * cols
			for off := 0; off < maxAlign[float64](); off++ {
				if cols > 300 && off > 1 {
					break
				}
				src, checkSrc := guarded[float64](n, (off*5+3)%maxAlign[float64]())
				for row := 0; row < 3; row++ {
					softmaxF64Input(r, src[row*cols:(row+1)*cols])
				}
				orig := append([]float64(nil), src...)
				dst, checkDst := guarded[float64](n, off)
				Softmax(dst, src, cols)
				checkDst(t)
				checkSrc(t)
				for i := range src {
					if src[i] != orig[i] {
						t.Fatalf("cols=%d: src[%d] changed", cols, i)
					}
				}
				worst = max(worst, checkSoftmaxRows(t, "out of place", dst, src, cols))
				Softmax(src, src, cols)
				checkSrc(t)
				for i := range src {
					if src[i] != dst[i] {
						t.Fatalf("cols=%d in place: [%d] = %v, out of place gave %v", cols, i, src[i], dst[i])
					}
				}
			}
			if src := pageEnd[float64](t, n); src != nil {
				for row := 0; row < 3; row++ {
					softmaxF64Input(r, src[row*cols:(row+1)*cols])
				}
				dst := make([]float64, n)
				Softmax(dst, src, cols)
				checkSoftmaxRows(t, "page end", dst, src, cols)
				Softmax(src, src, cols)
			}
		}
		t.Logf("%s: worst element distance from the reference %d ULP, worst row sum %d ULP from 1", ISA(), worst, worstSum)
	})
}
