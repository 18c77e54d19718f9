//go:build !purego

package kernels

import (
	"testing"

	"github.com/lanesimd/lanes/asm"
)

// TestGemmPackTF32AVX2 checks the 8-row transposing packer against its Go loop, for every k
// (a multiple of 8) up to 96, several panel widths and source strides: every lane it owns holds
// the source element, the lanes past 8 of every step and the guards around dst are untouched,
// and the source rows end exactly where the kernel stops reading (k = ld on the last row).
func TestGemmPackTF32AVX2(t *testing.T) {
	prev := ISA()
	if err := SetISA("avx2"); err != nil {
		t.Skipf("no AVX2 here: %v", err)
	}
	defer SetISA(prev)
	r := newInput(13)
	for k := 0; k <= 96; k += 8 {
		for _, w := range []int{8, 10, 16, 32} {
			for _, pad := range []int{0, 1, 5} {
				ld := k + pad
				src := make([]float32, 7*ld+k) // ends right after row 7's k elements
				for i := range src {
					src[i] = float32(r.uniform(-1, 1))
				}
				n := 0
				if k > 0 {
					n = (k-1)*w + 8
				}
				dst, check := guarded[float32](n, int(r.next()%16))
				asm.GemmPackTF32AVX2(dst, w, src, ld, k)
				check(t)
				for l := range k {
					for i := range w {
						idx := l*w + i
						if idx >= n {
							break
						}
						if i < 8 {
							if want := src[i*ld+l]; dst[idx] != want {
								t.Fatalf("k=%d w=%d ld=%d: dst[%d] (step %d, lane %d) = %v, want src[%d] = %v", k, w, ld, idx, l, i, dst[idx], i*ld+l, want)
							}
						} else if !isGuard(dst[idx]) {
							t.Fatalf("k=%d w=%d ld=%d: lane %d of step %d written", k, w, ld, i, l)
						}
					}
				}
			}
		}
	}
}
