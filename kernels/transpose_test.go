package kernels

import (
	"strings"
	"testing"
	"unsafe"
)

// transposeShapes are the rows x cols the Transpose tests run: every size 0..20 each way (every
// remainder of the 8 x 8 blocks, twice over), and larger ones, among them nn's 144 x 30.
func transposeShapes() [][2]int {
	var s [][2]int
	for r := 0; r <= 20; r++ {
		for c := 0; c <= 20; c++ {
			s = append(s, [2]int{r, c})
		}
	}
	return append(s, [2]int{144, 30}, [2]int{30, 144}, [2]int{65, 300}, [2]int{300, 9}, [2]int{1, 300})
}

func TestTranspose(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		testTranspose[float32](t)
		testTranspose[float64](t)
	})
}

func testTranspose[T Float](t *testing.T) {
	r := newInput(21)
	bits := func() T { // any bits, NaN payloads included: the copy must be exact
		if is32[T]() {
			v := uint32(r.next())
			return *(*T)(unsafe.Pointer(&v))
		}
		v := r.next()
		return *(*T)(unsafe.Pointer(&v))
	}
	for _, sh := range transposeShapes() {
		rows, cols := sh[0], sh[1]
		// A row stride of 8 more than cols, with the slice holding the last row's stride too,
		// lets the AVX2 path move the last columns as whole blocks (transposeBlocks).
		for _, pad := range [][2]int{{0, 0}, {1, 3}, {5, 1}, {8, 2}} {
			lds, ldd := cols+pad[0], rows+pad[1]
			ns, nd := 0, 0
			if rows > 0 && cols > 0 {
				ns, nd = (rows-1)*lds+cols, (cols-1)*ldd+rows
				if pad[0] == 8 {
					ns += 8
				}
			}
			src := make([]T, ns)
			for i := range src {
				src[i] = bits()
			}
			dst, check := guarded[T](nd, pad[0]%4)
			for i := range dst {
				dst[i] = guardValue[T]()
			}
			Transpose(dst, ldd, src, lds, rows, cols)
			check(t)
			for j := range cols {
				for i := range ldd {
					if j*ldd+i >= len(dst) {
						break
					}
					got := dst[j*ldd+i]
					if i < rows {
						if !sameBits([]T{got}, []T{src[i*lds+j]}) {
							t.Fatalf("%T %dx%d lds=%d ldd=%d: dst[%d][%d] = %v, want src[%d][%d] = %v", got, rows, cols, lds, ldd, j, i, got, i, j, src[i*lds+j])
						}
					} else if !isGuard(got) {
						t.Fatalf("%T %dx%d lds=%d ldd=%d: the stride padding dst[%d][%d] was written", got, rows, cols, lds, ldd, j, i)
					}
				}
			}
		}
		if rows == 0 || cols == 0 {
			continue
		}
		// src, then dst, ends right before an unmapped page.
		for k := range 2 {
			src, dst := make([]T, rows*cols), make([]T, rows*cols)
			if pe := pageEnd[T](t, rows*cols); pe != nil {
				if k == 0 {
					src = pe
				} else {
					dst = pe
				}
			}
			for i := range src {
				src[i] = bits()
			}
			Transpose(dst, rows, src, cols, rows, cols)
			for i := range rows {
				for j := range cols {
					if !sameBits([]T{dst[j*rows+i]}, []T{src[i*cols+j]}) {
						t.Fatalf("%T %dx%d, operand %d at a page end: dst[%d][%d] differs", dst[0], rows, cols, k, j, i)
					}
				}
			}
		}
	}
}

func TestTransposeMisuse(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func()
		want string
	}{
		{"negative", func() { Transpose[float32](nil, 0, nil, 0, -1, 2) }, "rows = -1"},
		{"lds", func() { Transpose(make([]float32, 6), 2, make([]float32, 6), 2, 2, 3) }, "lds = 2 must be at least cols = 3"},
		{"src", func() { Transpose(make([]float64, 6), 2, make([]float64, 5), 3, 2, 3) }, "len(src) = 5, a 2 x 3 matrix with row stride 3 needs 6"},
		{"dst", func() { Transpose(make([]float32, 5), 2, make([]float32, 6), 3, 2, 3) }, "len(dst) = 5, a 3 x 2 matrix with row stride 2 needs 6"},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, "kernels.Transpose: ") || !strings.Contains(msg, c.want) {
					t.Fatalf("panic %q, want one containing %q", msg, c.want)
				}
			}()
			c.f()
		})
	}
}
