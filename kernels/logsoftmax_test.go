package kernels

import (
	"math"
	"testing"
)

// The LogSoftmax tests, for float32 and float64, on every ISA path: the same rows as Softmax's
// (every width 1..300 and two large ones, every alignment, guards, in place, page ends), the
// design's example, -Inf entries, and rows that must come out NaN.

// logSoftmaxTol is the tolerance of LogSoftmax[T]: elem ULP of T from logSoftmaxWant, and the
// sum of the exponentials of each output row within lse ULP (of T, at 1) of 1, plus what the
// rounding of the elements to T implies: e^y·(elem + 1/2)·ulp(y) for each element y. (Even
// correctly rounded outputs do not sum to exactly 1: each rounding of y moves e^y by e^y times
// up to half an ULP of y, which for a wide row with many entries near -5 adds up to several
// ULP of 1.)
type logSoftmaxTol struct{ elem, lse uint64 }

var (
	// float32: the contract allows 2 ULP (the AVX rows that span less than 87 are within 2.27
	// ULP of the exact result, the others the float64 evaluation rounded once).
	logSoftmaxF32Tol = logSoftmaxTol{elem: 2, lse: 2}
	// float64: x - max and the compensated sum round once each, log1p and the last subtraction
	// once more.
	logSoftmaxF64Tol = logSoftmaxTol{elem: 4, lse: 4}
)

// ulpSize is the spacing of T at v.
func ulpSize[T Float](v T) float64 {
	a := T(math.Abs(float64(v)))
	if is32[T]() {
		return float64(math.Nextafter32(float32(a), float32(math.Inf(1)))) - float64(a)
	}
	return math.Nextafter(float64(a), math.Inf(1)) - float64(a)
}

// logSoftmaxWant returns the log-softmax of one row to about one float64 ULP (for float32 rows,
// far more accurately than float32 needs): d = x - max in T arithmetic for float64 rows (as the
// kernel rounds it) and exactly for float32 ones; t = the sum of e^d over all elements but one
// maximal one, by exp64 and Neumaier's summation; d - log1p(t). NaN for a row whose maximum is
// not finite.
func logSoftmaxWant[T Float](row []T) []float64 {
	m := maxRef(row)
	out := make([]float64, len(row))
	if float64(m)-float64(m) != 0 {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	d := make([]float64, len(row))
	var e []float64
	skipped := false
	for i, x := range row {
		if is32[T]() {
			d[i] = float64(x) - float64(m)
		} else {
			d[i] = float64(x - m)
		}
		if d[i] == 0 && !skipped {
			skipped = true
			continue
		}
		e = append(e, exp64(d[i]))
	}
	lse := math.Log1p(exactSum(e))
	for i := range out {
		out[i] = d[i] - lse
	}
	return out
}

// checkLogSoftmaxRows checks every row of got (the log-softmax of src, cols wide) against
// logSoftmaxWant element by element, and that the sum of e^got over each row is 1 within
// tol.lse ULP. It returns the largest element distance seen and the largest row-sum distance.
func checkLogSoftmaxRows[T Float](t *testing.T, what string, got, src []T, cols int, tol logSoftmaxTol) (worst, worstLSE uint64) {
	t.Helper()
	for r := 0; r+cols <= len(src); r += cols {
		want := logSoftmaxWant(src[r : r+cols])
		row := got[r : r+cols]
		e := make([]float64, cols)
		var slack float64 // what rounding the elements to T allows the sum to move
		for i := range row {
			if d := ulp(row[i], T(want[i])); d > tol.elem {
				t.Fatalf("%s cols=%d row %d: [%d] = %v, want %v (%d ULP, allowed %d; x = %v)", what, cols, r/cols, i, row[i], T(want[i]), d, tol.elem, src[r+i])
			} else {
				worst = max(worst, d)
			}
			if row[i] > 0 {
				t.Fatalf("%s cols=%d row %d: [%d] = %v > 0", what, cols, r/cols, i, row[i])
			}
			e[i] = exp64(float64(row[i]))
			if w := want[i]; w-w == 0 {
				slack += math.Exp(w) * (float64(tol.elem) + 0.5) * ulpSize(T(w))
			}
		}
		sum := exactSum(e)
		s := sumULPs[T](sum)
		worstLSE = max(worstLSE, s)
		if s > tol.lse && math.Abs(sum-1) > slack+float64(tol.lse)*ulpSize(T(1))/2 {
			t.Fatalf("%s cols=%d row %d: the exponentials sum to 1%+g (%d ULP from 1; the rounding of the elements allows %g)", what, cols, r/cols, sum-1, s, slack)
		}
	}
	return worst, worstLSE
}

// testLogSoftmaxKnown checks the design's example, [1010, 1000, 990], in three rows (one
// reversed): the logarithms of [0.9999546, 4.5398e-05, 2.0611e-09]; and rows of one element
// (exactly 0), and a dominant entry whose result is tiny but not zero.
func testLogSoftmaxKnown[T Float](t *testing.T) {
	// ln of e^0, e^-10, e^-20 over their sum: -s, -10-s, -20-s with s = log1p(e^-10 + e^-20)
	// (4.540096e-05), in 192-bit arithmetic, each rounded once.
	sb := log1pBig(newBig().Add(expBigF(bigOf(-10)), expBigF(bigOf(-20))))
	want := []float64{-bigF64(sb), bigF64(newBig().Sub(bigOf(-10), sb)), bigF64(newBig().Sub(bigOf(-20), sb))}
	design := []float64{0.9999546, 4.5398e-05, 2.0611e-09}
	eachISA(t, func(t *testing.T) {
		src := []T{1010, 1000, 990, 1010, 1000, 990, 990, 1000, 1010}
		dst := make([]T, len(src))
		LogSoftmax(dst, src, 3)
		for r := 0; r < 3; r++ {
			for i := range want {
				j := i
				if r == 2 {
					j = 2 - i
				}
				if d := ulp(dst[3*r+j], T(want[i])); d > 1 {
					t.Errorf("row %d: logsoftmax[%d] = %v, want %v (%d ULP)", r, j, dst[3*r+j], T(want[i]), d)
				}
				if e := math.Exp(float64(dst[3*r+j])); math.Abs(e-design[i]) > 1e-4*design[i] {
					t.Errorf("row %d: e^logsoftmax[%d] = %v, the design says %v", r, j, e, design[i])
				}
			}
		}
		big := T(math.MaxFloat32)
		one := []T{-big, big, 5, 0}
		LogSoftmax(one, one, 1)
		for i, v := range one {
			if bitsOf(v) != 0 {
				t.Errorf("log-softmax of the single-element row %d = %v, want +0", i, v)
			}
		}
		// [0, -40]: e^-40 = 4.2e-18 is below half a float64 ULP of 1, yet the first result is
		// -4.2e-18, not 0.
		two := []T{0, -40}
		LogSoftmax(two, two, 2)
		if w := -math.Exp(-40); ulp(two[0], T(w)) > 1 || ulp(two[1], T(-40+w)) > 1 {
			t.Errorf("log-softmax of [0, -40] = %v, want [%v, %v]", two, w, -40+w)
		}
	})
}

// testLogSoftmaxSpecial checks rows with -Inf entries (they give -Inf), a NaN, a +Inf, and only
// -Inf (the last three give a NaN row), at widths around the vector lengths.
func testLogSoftmaxSpecial[T Float](t *testing.T) {
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
			LogSoftmax(dst, src, cols)
			want := logSoftmaxWant(src[:cols])
			for i, v := range dst[:cols] {
				if src[i] == -inf && v != -inf {
					t.Fatalf("cols=%d: log-softmax of -Inf = %v, want -Inf", cols, v)
				}
				if v != v {
					t.Fatalf("cols=%d: NaN in a row without NaN: %v", cols, dst[:cols])
				}
				if d := ulp(v, T(want[i])); d > 4 {
					t.Fatalf("cols=%d: [%d] = %v, want %v", cols, i, v, want[i])
				}
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

// testLogSoftmaxRows runs LogSoftmax[T] on every ISA path (but those that share the generic
// function: eachOwnISA) for every width 1..300 and two large
// ones, three rows each, at every alignment of dst and src, out of place and in place, with guards
// around dst and src, and on a source that ends right before an unmapped page.
func testLogSoftmaxRows[T Float](t *testing.T, tol logSoftmaxTol) {
	widths := []int{1024, 4097}
	for c := 1; c <= 300; c++ {
		widths = append(widths, c)
	}
	field := func(tb *table) any {
		if is32[T]() {
			return tb.f32.logSoftmax
		}
		return tb.f64.logSoftmax
	}
	eachOwnISA(t, field, func(t *testing.T) {
		r := newInput(5)
		var worst, worstLSE uint64
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
				LogSoftmax(dst, src, cols)
				checkDst(t)
				checkSrc(t)
				for i := range src {
					if src[i] != orig[i] {
						t.Fatalf("cols=%d: src[%d] changed", cols, i)
					}
				}
				w, l := checkLogSoftmaxRows(t, "out of place", dst, src, cols, tol)
				worst, worstLSE = max(worst, w), max(worstLSE, l)
				LogSoftmax(src, src, cols)
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
				LogSoftmax(dst, src, cols)
				checkLogSoftmaxRows(t, "page end", dst, src, cols, tol)
				LogSoftmax(src, src, cols)
			}
		}
		t.Logf("%s: worst element distance from the reference %d ULP, worst row of exponentials %d ULP from summing to 1", ISA(), worst, worstLSE)
	})
}

func TestLogSoftmaxF32Known(t *testing.T)   { testLogSoftmaxKnown[float32](t) }
func TestLogSoftmaxF64Known(t *testing.T)   { testLogSoftmaxKnown[float64](t) }
func TestLogSoftmaxF32Special(t *testing.T) { testLogSoftmaxSpecial[float32](t) }
func TestLogSoftmaxF64Special(t *testing.T) { testLogSoftmaxSpecial[float64](t) }
func TestLogSoftmaxF32Rows(t *testing.T)    { testLogSoftmaxRows[float32](t, logSoftmaxF32Tol) }
func TestLogSoftmaxF64Rows(t *testing.T)    { testLogSoftmaxRows[float64](t, logSoftmaxF64Tol) }

// TestLogSoftmaxF32Near2k checks the float32 rows that the assembly finishes in float32 lanes
// (every element within 87 of the row's maximum: x - max and then - lse, each rounded) where its
// error bound is widest: lse just below a power of two, so that lse's own error and rounding count
// in ULP of a result in lse's binade. Each row is a maximum 0 and n - 1 copies of a, with a chosen
// so that ln(1 + (n-1)·e^a) = 2^k·(1 - 2^-j); then random rows of such widths and spans. Every
// element must be within 2 ULP of logSoftmaxWant; it logs the share of elements 1 ULP or more off.
func TestLogSoftmaxF32Near2k(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		var worst uint64
		off, total := 0, 0
		check := func(row []float32) {
			out := make([]float32, len(row))
			LogSoftmax(out, row, len(row))
			for i, w := range logSoftmaxWant(row) {
				d := ulp(out[i], float32(w))
				if d > logSoftmaxF32Tol.elem {
					t.Fatalf("row %v: [%d] = %v, want %v (%d ULP)", row, i, out[i], float32(w), d)
				}
				worst = max(worst, d)
				total++
				if d > 0 {
					off++
				}
			}
		}
		for k := -12; k <= 4; k++ {
			for j := 1; j <= 22; j += 3 {
				for _, n := range []int{2, 3, 17, 64, 100} {
					lse := math.Ldexp(1-math.Ldexp(1, -j), k)
					a := math.Log(math.Expm1(lse) / float64(n-1))
					if a < -86 || a > 0 {
						continue
					}
					row := make([]float32, n)
					for i := 1; i < n; i++ {
						row[i] = float32(a)
					}
					check(row)
					for i := range row { // the same, shifted: x - max then rounds
						row[i] += 1000.5
					}
					check(row)
				}
			}
		}
		r := newInput(41)
		for range 20000 {
			n := 1 + int(r.next()%64)
			row := make([]float32, n)
			scale, shift := math.Ldexp(1, int(r.next()%8)-3), r.uniform(-300, 300)
			for i := range row {
				row[i] = float32(shift + scale*r.uniform(-4, 4))
			}
			check(row)
		}
		t.Logf("%s: worst %d ULP; %d of %d elements off by 1 ULP or more", ISA(), worst, off, total)
	})
}
