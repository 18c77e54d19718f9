//go:build !purego

package kernels

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// eachRowsKernel runs f on the rows kernel of each amd64 path this CPU supports, skipping the
// others.
func eachRowsKernel(t *testing.T, f func(t *testing.T, r *rowsKernel[float32])) {
	for _, k := range []struct {
		isa string
		r   *rowsKernel[float32]
	}{{"avx512", rowsAVX512F32}, {"avx2", rowsAVX2F32}} {
		t.Run(k.isa, func(t *testing.T) {
			if !slices.Contains(SupportedISAs(), k.isa) {
				t.Skipf("%s: skipped (not supported here)", k.isa)
			}
			f(t, k.r)
		})
	}
}

// TestGemmRowsAsm checks GemmRowsF32AVX512 and GemmRowsF32AVX2 against rowsRef's loop summed in
// float64, for every width up to theirs (each number of registers and each mask), 0 to 5 rows with lists of 0 to 40
// entries, overwriting and adding. B's and C's rows are followed by guard NaNs (stride padding)
// that must neither reach C nor be written, and B and C end at an unmapped page where the system
// has one, so that an unmasked access past the last row faults.
func TestGemmRowsAsm(t *testing.T) { eachRowsKernel(t, checkRowsAsm) }

func checkRowsAsm(t *testing.T, rk *rowsKernel[float32]) {
	r := newInput(41)
	const brows = 9
	for cols := 1; cols <= rk.width; cols++ {
		for _, rows := range []int{0, 1, 2, 5} {
			for _, add := range []bool{false, true} {
				ldb, ldc := cols+int(r.next()%5), cols+int(r.next()%3)
				b := gemmMatrix(brows, cols, ldb, func() float32 { return float32(r.uniform(-1, 1)) })
				if pe := pageEnd[float32](t, len(b)); pe != nil && cols%2 == 0 { // one region: B or C, never both
					copy(pe, b)
					b = pe
				}
				ptr := make([]int32, rows+1)
				var idx []int32
				var val []float32
				for i := range rows {
					for range int(r.next() % 41) {
						idx = append(idx, int32(r.next()%brows))
						val = append(val, float32(r.uniform(-2, 2)))
					}
					ptr[i+1] = int32(len(idx))
				}
				if rows == 0 {
					ptr = ptr[:0] // no rows, not even ptr[0]
				}
				c := gemmMatrix(rows, cols, ldc, func() float32 { return float32(r.uniform(-1, 1)) })
				if pe := pageEnd[float32](t, len(c)); pe != nil && cols%2 == 1 {
					copy(pe, c)
					c = pe
				}
				c0 := slices.Clone(c)
				rk.rows(c, ldc, b, ldb, ptr, idx, val, cols, add)
				checkRowsC(t, fmt.Sprintf("cols %d, rows %d, add %v", cols, rows, add), c, c0, rows, cols, ldc, add, func(i, j int) (p []float64) {
					for e := ptr[i]; e < ptr[i+1]; e++ {
						p = append(p, float64(val[e])*float64(b[int(idx[e])*ldb+j]))
					}
					return p
				})
			}
		}
	}
}

// TestGemmRowsListAsm checks GemmRowsListF32AVX512 and GemmRowsListF32AVX2 against rowsListRef,
// exactly, at every row length 0..300 and alignment, 0, 1 or 3 rows with padded strides, lists
// starting past ptr[0] entries, zeros, -0 (not listed), NaN and Inf (listed) among the values, a
// ending at an unmapped page, and guards after the 15 entries past the last row's that idx and
// val have room for and after ptr.
func TestGemmRowsListAsm(t *testing.T) { eachRowsKernel(t, checkRowsList) }

func checkRowsList(t *testing.T, rk *rowsKernel[float32]) {
	r := newInput(43)
	specials := []float32{0, 0, 0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(-1))}
	for cols := 0; cols <= 300; cols++ {
		for off := range maxAlign[float32]() {
			rows := []int{0, 1, 3}[(cols+off)%3]
			lda := cols + int(r.next()%4)
			a := make([]float32, max(0, (rows-1)*lda+cols))
			for i := range a {
				if r.next()%4 == 0 {
					a[i] = specials[r.next()%uint64(len(specials))]
				} else if r.next()%2 == 0 {
					a[i] = float32(r.uniform(-3, 3))
				}
			}
			if pe := pageEnd[float32](t, len(a)); pe != nil && off%2 == 0 {
				copy(pe, a)
				a = pe
			}
			start, alpha := int32(r.next()%20), float32(r.uniform(-2, 2))
			room := int(start) + rows*cols + 15
			idx := make([]int32, room+guardLen)
			for i := range idx {
				idx[i] = -1
			}
			val, check := guarded[float32](room, off)
			ptr := make([]int32, rows+1+guardLen)
			for i := range ptr {
				ptr[i] = -1
			}
			ptr[0] = start
			rk.list(idx[:room], val, ptr[:rows+1], a, lda, cols, alpha)
			check(t)
			for i := room; i < len(idx); i++ {
				if idx[i] != -1 {
					t.Fatalf("cols %d, rows %d: idx[%d] written past the room", cols, rows, i)
				}
			}
			for i := rows + 1; i < len(ptr); i++ {
				if ptr[i] != -1 {
					t.Fatalf("cols %d, rows %d: ptr[%d] written past len(ptr)", cols, rows, i)
				}
			}
			wantIdx, wantVal := make([]int32, room), make([]float32, room)
			wantPtr := make([]int32, rows+1)
			wantPtr[0] = start
			rowsListRef(wantIdx, wantVal, wantPtr, a, lda, cols, alpha)
			end := wantPtr[rows]
			if !slices.Equal(ptr[:rows+1], wantPtr) || !slices.Equal(idx[start:end], wantIdx[start:end]) || !sameBits(val[start:end], wantVal[start:end]) {
				t.Fatalf("cols %d, rows %d, lda %d, off %d: listed %v %v %v, want %v %v %v", cols, rows, lda, off,
					ptr[:rows+1], idx[start:max(start, ptr[rows])], val[start:max(start, ptr[rows])], wantPtr, wantIdx[start:end], wantVal[start:end])
			}
		}
	}
}

// TestGemmRowsPackAsm checks GemmRowsPackF32AVX512 and GemmRowsPackF32AVX2 against rowsPackRef:
// the copy exactly (each row's first cols elements; the AVX-512 kernel also zeros the rest of
// the row, the AVX2 one up to a multiple of 8), nothing written past the block; every width
// 0..140, 0 to 4 rows, row strides with guard NaNs past each row (which must not be read: they
// would make the block not finite), and one Inf or NaN at each place of a row in turn.
func TestGemmRowsPackAsm(t *testing.T) { eachRowsKernel(t, checkRowsPack) }

func checkRowsPack(t *testing.T, rk *rowsKernel[float32]) {
	r := newInput(47)
	bad := []float32{float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}
	for cols := 0; cols <= 140; cols++ {
		for rows := range 5 {
			ld := cols + int(r.next()%4)
			b := gemmMatrix(rows, cols, max(ld, 1), func() float32 { return float32(r.uniform(-1e30, 1e30)) })
			if pe := pageEnd[float32](t, len(b)); pe != nil && cols%3 == 0 {
				copy(pe, b)
				b = pe
			}
			w := (cols + 15) / 16 * 16
			for trial := -1; trial < min(cols, 20); trial++ {
				var at int
				if trial >= 0 && rows > 0 {
					at = int(r.next()%uint64(rows))*max(ld, 1) + trial*cols/min(cols, 20)
					b[at] = bad[trial%3]
				}
				got, want := make([]float32, rows*w+16), make([]float32, rows*w+16)
				for i := range got {
					got[i], want[i] = 7, 7
				}
				gf := rk.pack(got, b, max(ld, 1), rows, cols)
				wf := rowsPackRef(want, b, max(ld, 1), rows, cols)
				if rk == rowsAVX2F32 {
					for i := range rows {
						for j := (cols + 7) / 8 * 8; j < w; j++ {
							if got[i*w+j] != 7 {
								t.Fatalf("cols %d, rows %d: dst[%d][%d] written past the multiple of 8", cols, rows, i, j)
							}
							got[i*w+j] = 0 // as rowsPackRef's zeros
						}
					}
				}
				if gf != wf || !sameBits(got, want) {
					t.Fatalf("cols %d, rows %d, ld %d, trial %d: finite %v, want %v; copy equal %v", cols, rows, ld, trial, gf, wf, sameBits(got, want))
				}
				if trial >= 0 && rows > 0 {
					b[at] = float32(r.uniform(-1, 1))
				}
			}
		}
	}
}

// checkRowsC checks rows x cols of c (row stride ldc) after a rows kernel: the padding columns
// still guards, the others c0's (if add) plus the products terms gives, summed in float64, within
// the rounding of a float32 sum of them.
func checkRowsC(t *testing.T, what string, c, c0 []float32, rows, cols, ldc int, add bool, terms func(i, j int) []float64) {
	t.Helper()
	for i := range rows {
		for j := range ldc {
			at := i*ldc + j
			if at >= len(c) {
				break
			}
			if j >= cols {
				if !isGuard(c[at]) {
					t.Fatalf("%s: row %d, padding column %d written: %v", what, i, j, c[at])
				}
				continue
			}
			var want, tol float64
			if add {
				want, tol = float64(c0[at]), math.Abs(float64(c0[at]))
			}
			p := terms(i, j)
			for _, x := range p {
				want += x
				tol += math.Abs(x)
			}
			tol *= float64(len(p)+2) * 0x1p-24
			if d := math.Abs(float64(c[at]) - want); !(d <= tol) {
				t.Fatalf("%s: c[%d][%d] = %v, want %v (tolerance %g)", what, i, j, c[at], want, tol)
			}
		}
	}
}
