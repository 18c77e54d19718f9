//go:build !purego

package asm

// AdamF32AVX512 applies one Adam update to every element. It computes
//
//	for i, gi := range g[:len(w)] {
//		mi := float32(b1*m[i]) + float32(c1*gi)
//		vi := float32(b2*v[i]) + float32(float32(c2*gi)*gi)
//		m[i], v[i] = mi, vi
//		w[i] = w[i] - float32(lr*mi)/(float32(math.Sqrt(float64(vi)))+eps)
//	}
//
// with every operation rounded to float32 as written (no fused multiply-add), so the result is
// the loop's bit for bit. It requires AVX-512F. g, m and v must be at least as long as w and none
// may overlap another. Any length and alignment: 16 elements per iteration, then the last
// len(w)%16 with K-masked loads and stores, so it never reads or writes outside the slices.
//
//go:noescape
func AdamF32AVX512(w, g, m, v []float32, b1, c1, b2, c2, lr, eps float32)

// AdamF32AVX2 is AdamF32AVX512 (the same loop, bit for bit) for AVX2: 8 elements per iteration,
// then the last len(w)%8 with VMASKMOV loads and stores. It requires AVX2.
//
//go:noescape
func AdamF32AVX2(w, g, m, v []float32, b1, c1, b2, c2, lr, eps float32)
