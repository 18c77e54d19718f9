package kernels

import (
	"math"
	"testing"
)

// The Softmax tests, for float32 and float64 alike; softmax64_test.go and softmax32_test.go hold
// the entry points and the tolerances per type.

// softmaxTol is the tolerance of Softmax[T] against softmaxWant.
type softmaxTol struct {
	elem uint64  // largest distance of an element from the reference, in ULP of T
	sum  uint64  // largest distance of a row sum (exact, in float64) from 1, in ULP of T
	tiny float64 // elements below this are compared in absolute terms, within tiny
}

// softmaxWant returns the softmax of one row to about one float64 ULP, with x - max rounded to T
// as the kernels do: e^(x-max) by exp64, summed with Neumaier's compensated summation, divided
// by the sum.
func softmaxWant[T Float](row []T) []float64 {
	m := maxRef(row)
	e := make([]float64, len(row))
	for i, x := range row {
		e[i] = exp64(float64(x - m))
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

// sumULPs is the distance of s from 1 in ULP of T: in units of the spacing just below 1 when s
// is below 1 and just above 1 otherwise.
func sumULPs[T Float](s float64) uint64 {
	eps := 0x1p-52
	if is32[T]() {
		eps = 0x1p-23
	}
	if s < 1 {
		eps /= 2
	}
	return uint64(math.Round(math.Abs(s-1) / eps))
}

// worstSum is the largest distance of a row sum from 1 that checkSoftmaxRows saw.
var worstSum uint64

// checkSoftmaxRows checks every row of got (the softmax of src, cols wide) against
// softmaxWant: element by element within tol.elem, and the row sum within tol.sum of 1. It
// returns the largest element distance seen.
func checkSoftmaxRows[T Float](t *testing.T, what string, got, src []T, cols int, tol softmaxTol) uint64 {
	t.Helper()
	var worst uint64
	for r := 0; r+cols <= len(src); r += cols {
		want := softmaxWant(src[r : r+cols])
		row := got[r : r+cols]
		sum := make([]float64, cols)
		for i := range row {
			d := ulp(row[i], T(want[i]))
			if d > tol.elem && math.Abs(float64(row[i])-want[i]) > tol.tiny {
				t.Fatalf("%s cols=%d row %d: [%d] = %v, want %v (%d ULP, allowed %d; x = %v)", what, cols, r/cols, i, row[i], want[i], d, tol.elem, src[r+i])
			}
			worst = max(worst, d)
			sum[i] = float64(row[i])
		}
		s := exactSum(sum)
		worstSum = max(worstSum, sumULPs[T](s))
		if sumULPs[T](s) > tol.sum {
			t.Fatalf("%s cols=%d row %d: sums to 1%+g (%d ULP from 1)", what, cols, r/cols, s-1, sumULPs[T](s))
		}
	}
	return worst
}

// testSoftmaxKnown checks the design's example, [1010, 1000, 990], in three rows (one reversed),
// and rows of one element.
func testSoftmaxKnown[T Float](t *testing.T) {
	// e^0, e^-10, e^-20 over their sum, correctly rounded (computed to 40 digits).
	want := []float64{0.9999546000703311, 4.539786860886666e-05, 2.061060046209062e-09}
	// The design's figures, to the digits it gives.
	design := []float64{0.9999546, 4.5398e-05, 2.0611e-09}
	eachISA(t, func(t *testing.T) {
		src := []T{1010, 1000, 990, 1010, 1000, 990, 990, 1000, 1010}
		dst := make([]T, len(src))
		Softmax(dst, src, 3)
		for r := 0; r < 3; r++ {
			for i := range want {
				j := i
				if r == 2 {
					j = 2 - i
				}
				if d := ulp(dst[3*r+j], T(want[i])); d > 2 {
					t.Errorf("row %d: softmax[%d] = %v, want %v (%d ULP)", r, j, dst[3*r+j], T(want[i]), d)
				}
				if math.Abs(float64(dst[3*r+j])-design[i]) > 1e-4*design[i] {
					t.Errorf("row %d: softmax[%d] = %v, the design says %v", r, j, dst[3*r+j], design[i])
				}
			}
		}
		// Far from 0, and one element: exactly 1.
		big := T(math.MaxFloat32)
		one := []T{-big, big, 5}
		Softmax(one, one, 1)
		for i, v := range one {
			if v != 1 {
				t.Errorf("softmax of the single-element row %d = %v, want 1", i, v)
			}
		}
	})
}

// testSoftmaxSpecial checks rows with -Inf entries (they give 0), a NaN, a +Inf, and only -Inf
// (the last three give a NaN row), at widths around the vector lengths.
func testSoftmaxSpecial[T Float](t *testing.T, sumTol float64) {
	inf, nan := T(math.Inf(1)), T(math.NaN())
	eachISA(t, func(t *testing.T) {
		for _, cols := range []int{1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100} {
			src := make([]T, 4*cols)
			r := newInput(uint64(cols))
			for i := range src {
				src[i] = T(r.uniform(-10, 10))
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
			dst := make([]T, len(src))
			Softmax(dst, src, cols)
			var s float64
			for i, v := range dst[:cols] {
				if src[i] == -inf && v != 0 {
					t.Fatalf("cols=%d: softmax of -Inf = %v, want 0", cols, v)
				}
				if v != v {
					t.Fatalf("cols=%d: NaN in a row without NaN: %v", cols, dst[:cols])
				}
				s += float64(v)
			}
			if math.Abs(s-1) > sumTol {
				t.Fatalf("cols=%d: row with -Inf entries sums to %v", cols, s)
			}
			for row := 1; row < 4; row++ {
				for i, v := range dst[row*cols : (row+1)*cols] {
					if v == v {
						t.Fatalf("cols=%d row %d (%v): [%d] = %v, want NaN", cols, row, src[row*cols:(row+1)*cols], i, v)
					}
				}
			}
		}
	})
}

// softmaxInput fills a row: mostly uniform in [-40, 40], sometimes spread over [-1000, 1000]
// (most elements then underflow to 0 or subnormals) or nearly equal.
func softmaxInput[T Float](r *testInput, row []T) {
	lo, hi := -40.0, 40.0
	switch r.next() % 4 {
	case 0:
		lo, hi = -1000, 1000
	case 1:
		lo, hi = 5, 5+1e-5
	}
	for i := range row {
		row[i] = T(r.uniform(lo, hi))
	}
}

// testSoftmaxRows runs Softmax[T] on every ISA path for every width 1..300 and a few large ones,
// three rows each, at every alignment of dst and src, out of place and in place, with guards
// around dst and src, and on a source that ends right before an unmapped page.
func testSoftmaxRows[T Float](t *testing.T, tol softmaxTol) {
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
			for off := 0; off < maxAlign[T](); off++ {
				if cols > 300 && off > 1 {
					break
				}
				src, checkSrc := guarded[T](n, (off*5+3)%maxAlign[T]())
				for row := 0; row < 3; row++ {
					softmaxInput(r, src[row*cols:(row+1)*cols])
				}
				orig := append([]T(nil), src...)
				dst, checkDst := guarded[T](n, off)
				Softmax(dst, src, cols)
				checkDst(t)
				checkSrc(t)
				for i := range src {
					if src[i] != orig[i] {
						t.Fatalf("cols=%d: src[%d] changed", cols, i)
					}
				}
				worst = max(worst, checkSoftmaxRows(t, "out of place", dst, src, cols, tol))
				Softmax(src, src, cols)
				checkSrc(t)
				for i := range src {
					if src[i] != dst[i] {
						t.Fatalf("cols=%d in place: [%d] = %v, out of place gave %v", cols, i, src[i], dst[i])
					}
				}
			}
			if src := pageEnd[T](t, n); src != nil {
				for row := 0; row < 3; row++ {
					softmaxInput(r, src[row*cols:(row+1)*cols])
				}
				dst := make([]T, n)
				Softmax(dst, src, cols)
				checkSoftmaxRows(t, "page end", dst, src, cols, tol)
				Softmax(src, src, cols)
			}
		}
		t.Logf("%s: worst element distance from the reference %d ULP, worst row sum %d ULP from 1", ISA(), worst, worstSum)
	})
}

// testSoftmaxOutliers runs Softmax[T] on calls of 1 to 6 rows in which one row holds an outlier
// (-Inf, an element far below the others, a NaN or a +Inf), the next row an element far below
// the others and the third after it a -Inf, at widths around the vector lengths: each row against softmaxWant (a NaN row where it
// holds a NaN or a +Inf or only -Inf), guards around both slices, and in place equal to out of
// place. The AVX-512 float32 kernel runs rows without clamping x - max and does a row again when
// its sum comes out NaN or infinite; this reaches that in every position a row can have in its
// pipeline.
func testSoftmaxOutliers[T Float](t *testing.T, tol softmaxTol) {
	inf := T(math.Inf(1))
	kinds := []T{-inf, -1e30, -3e5, T(math.NaN()), inf}
	eachISA(t, func(t *testing.T) {
		r := newInput(11)
		for _, cols := range []int{1, 2, 3, 7, 8, 9, 15, 16, 17, 33, 64, 65, 100, 1030} {
			for nrows := 1; nrows <= 6; nrows++ {
				for bad := -1; bad < nrows; bad++ {
					for ki, kind := range kinds {
						n := nrows * cols
						src, checkSrc := guarded[T](n, (ki+cols)%maxAlign[T]())
						for i := range src {
							src[i] = T(r.uniform(-20, 20))
						}
						if bad >= 0 {
							src[bad*cols+(cols*ki/5)%cols] = kind
							if bad+1 < nrows {
								src[(bad+1)*cols+cols-1] = -1e30
							}
							if bad+3 < nrows {
								src[(bad+3)*cols+cols/2] = -inf
							}
						}
						orig := append([]T(nil), src...)
						dst, checkDst := guarded[T](n, (ki+3)%maxAlign[T]())
						Softmax(dst, src, cols)
						checkDst(t)
						checkSrc(t)
						for row := 0; row < nrows; row++ {
							x, got := orig[row*cols:(row+1)*cols], dst[row*cols:(row+1)*cols]
							nanRow, negInf := false, true
							for _, v := range x {
								nanRow = nanRow || v != v || v == inf
								negInf = negInf && v == -inf
							}
							if !nanRow && !negInf {
								checkSoftmaxRows(t, "outliers", got, x, cols, tol)
								continue
							}
							for i, v := range got {
								if v == v {
									t.Fatalf("cols=%d rows=%d, outlier %v in row %d: row %d [%d] = %v, want NaN", cols, nrows, kind, bad, row, i, v)
								}
							}
						}
						Softmax(src, src, cols)
						checkSrc(t)
						for i := range src {
							if src[i] != dst[i] && (src[i] == src[i] || dst[i] == dst[i]) {
								t.Fatalf("cols=%d rows=%d, outlier %v in row %d, in place: [%d] = %v, out of place gave %v", cols, nrows, kind, bad, i, src[i], dst[i])
							}
						}
					}
				}
			}
		}
	})
}
