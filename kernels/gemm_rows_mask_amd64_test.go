//go:build !purego

package kernels

import (
	"fmt"
	"math"
	"testing"
	"unsafe"
)

// TestGemmRowsMaskAsm checks GemmRowsMaskF32AVX512 and GemmRowsMaskF32AVX2 against rowsMaskRef,
// exactly: every depth 0..32, every count of columns 0..300 (each alignment in turn) with padded
// strides, zeros, -0 (not set), NaN and Inf (set) among the values, A ending at an unmapped page,
// and guards around the masks.
func TestGemmRowsMaskAsm(t *testing.T) { eachRowsKernel(t, checkRowsMask) }

func checkRowsMask(t *testing.T, rk *rowsKernel[float32]) {
	r := newInput(79)
	specials := []float32{0, 0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(1))}
	for k := 0; k <= rowsMaskDepth; k++ {
		for m := 0; m <= 300; m += 1 + k%3 {
			lda := m + int(r.next()%3)
			a := gemmMatrix(k, m, max(lda, 1), func() float32 {
				switch r.next() % 4 {
				case 0:
					return specials[r.next()%uint64(len(specials))]
				case 1:
					return float32(r.uniform(-1, 1))
				}
				return 0
			})
			if pe := pageEnd[float32](t, len(a)); pe != nil && m%2 == 0 {
				copy(pe, a)
				a = pe
			}
			// The masks in a guarded float32 slice, as bits: a written guard shows.
			off := m % maxAlign[float32]()
			buf, check := guarded[float32](m, off)
			masks := float32sAsUint32s(buf)
			rk.mask(masks, a, lda, k)
			check(t)
			want := make([]uint32, m)
			rowsMaskRef(want, a, lda, k)
			for p := range m {
				if masks[p] != want[p] {
					t.Fatalf("k %d, m %d, lda %d: masks[%d] = %#x, want %#x", k, m, lda, p, masks[p], want[p])
				}
			}
		}
	}
}

// TestGemmRowsMaskedAsm checks GemmRowsMaskedF32AVX512 and GemmRowsMaskedF32AVX2 against the loop
// they compute, summed in float64: every width up to theirs (each number of registers and each
// mask), 0 to 5 rows, masks of 0 to 32 bits, overwriting and adding. The elements of A a mask
// passes over, the stride padding of B and C, and the columns of B past cols hold guard NaNs, which
// must neither reach C nor be written; B and C end at an unmapped page where the system has one.
func TestGemmRowsMaskedAsm(t *testing.T) { eachRowsKernel(t, checkRowsMasked) }

func checkRowsMasked(t *testing.T, rk *rowsKernel[float32]) {
	r := newInput(83)
	const k = rowsMaskDepth
	for cols := 1; cols <= rk.width; cols++ {
		for _, rows := range []int{0, 1, 2, 5} {
			for _, add := range []bool{false, true} {
				masks := make([]uint32, rows)
				for i := range masks {
					switch r.next() % 4 {
					case 0: // empty
					case 1:
						masks[i] = math.MaxUint32
					default:
						masks[i] = uint32(r.next()) & uint32(r.next())
					}
				}
				lda := max(rows, 1) + int(r.next()%3)
				a := gemmMatrix(k, max(rows, 1), lda, func() float32 { return guardValue[float32]() })
				for i, mask := range masks {
					for l := range k {
						if mask&(1<<l) != 0 {
							a[l*lda+i] = float32(r.uniform(-2, 2))
						}
					}
				}
				ldb, ldc := cols+int(r.next()%5), cols+int(r.next()%3)
				b := gemmMatrix(k, cols, ldb, func() float32 { return float32(r.uniform(-1, 1)) })
				if pe := pageEnd[float32](t, len(b)); pe != nil && cols%2 == 0 {
					copy(pe, b)
					b = pe
				}
				c := gemmMatrix(rows, cols, ldc, func() float32 { return float32(r.uniform(-1, 1)) })
				if pe := pageEnd[float32](t, len(c)); pe != nil && cols%2 == 1 {
					copy(pe, c)
					c = pe
				}
				c0 := append([]float32(nil), c...)
				rk.masked(c, ldc, b, ldb, a, lda, masks, cols, add)
				checkRowsC(t, fmt.Sprintf("cols %d, rows %d, add %v", cols, rows, add), c, c0, rows, cols, ldc, add, func(i, j int) (p []float64) {
					for l := range k {
						if masks[i]&(1<<l) != 0 {
							p = append(p, float64(a[l*lda+i])*float64(b[l*ldb+j]))
						}
					}
					return p
				})
			}
		}
	}
}

// float32sAsUint32s is s's memory as uint32s.
func float32sAsUint32s(s []float32) []uint32 {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*uint32)(unsafe.Pointer(&s[0])), len(s))
}
