//go:build !purego

package asm

// AdamF32NEON applies one Adam update to every element. It computes
//
//	for i, gi := range g[:len(w)] {
//		mi := float32(b1*m[i]) + float32(c1*gi)
//		vi := float32(b2*v[i]) + float32(float32(c2*gi)*gi)
//		m[i], v[i] = mi, vi
//		w[i] = w[i] - float32(lr*mi)/(float32(math.Sqrt(float64(vi)))+eps)
//	}
//
// with every operation rounded to float32 as written (no fused multiply-add; FSQRT and FDIV are
// correctly rounded), so the result is the loop's bit for bit. It requires NEON (ASIMD). g, m and
// v must be at least as long as w and none may overlap another. Any length and alignment: 8
// elements per iteration, then 4, then the last len(w)%4 loaded and stored one lane at a time,
// so it never reads or writes outside the slices.
//
//go:noescape
func AdamF32NEON(w, g, m, v []float32, b1, c1, b2, c2, lr, eps float32)
