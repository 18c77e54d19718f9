package kernels

import "testing"

// TestPrefetch: a prefetch changes nothing, in the slice or around it, on every path, at every
// length 0..300 and alignment, and at a page end (where a line past the slice is unmapped).
func TestPrefetch(t *testing.T) {
	eachISA(t, func(t *testing.T) {
		r := newInput(31)
		for n := 0; n <= 300; n++ {
			for off := 0; off < maxAlign[float32](); off += 5 {
				s, check := guarded[float32](n, off)
				for i := range s {
					s[i] = float32(r.uniform(-1, 1))
				}
				want := clone32(s)
				Prefetch(s)
				check(t)
				if !sameBits(s, want) {
					t.Fatalf("n=%d off=%d: Prefetch changed the slice", n, off)
				}
			}
			if pe := pageEnd[float64](t, n); pe != nil {
				want := append([]float64(nil), pe...)
				Prefetch(pe)
				if !sameBits(pe, want) {
					t.Fatalf("n=%d at a page end: Prefetch changed the slice", n)
				}
			}
		}
	})
}
