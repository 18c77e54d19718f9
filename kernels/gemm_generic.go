package kernels

// The pure-Go GEMM micro-kernel, used by the generic path on every GOARCH and by purego builds,
// inside the same blocked, packed driver as the assembly kernels.

// gemmGoF32 and gemmGoF64 are the descriptors of the pure-Go micro-kernel. A product of at
// least gemmGoParallel multiply-adds is split over goroutines.
var (
	gemmGoF32 = newGemmKernel("generic", 4, 4, gemmTileGo[float32], gemmGoParallel)
	gemmGoF64 = newGemmKernel("generic", 4, 4, gemmTileGo[float64], gemmGoParallel)
)

const gemmGoParallel = 64 * 64 * 64

// gemmTileGo is the micro-kernel of the layout comment in gemm_driver.go for mr = nr = 4: the
// 16 sums live in local variables, which the compiler keeps in registers.
func gemmTileGo[T Float](a []T, rs, cs int, b, c []T, k, ldc int, add bool) {
	var c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33 T
	b = b[:4*k]
	o := 0
	for l := 0; l+4 <= len(b); l += 4 {
		bv := (*[4]T)(b[l : l+4])
		a0, a1, a2, a3 := a[o], a[o+rs], a[o+2*rs], a[o+3*rs]
		o += cs
		b0, b1, b2, b3 := bv[0], bv[1], bv[2], bv[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	r0 := (*[4]T)(c[0:4])
	r1 := (*[4]T)(c[ldc : ldc+4])
	r2 := (*[4]T)(c[2*ldc : 2*ldc+4])
	r3 := (*[4]T)(c[3*ldc : 3*ldc+4])
	if add {
		r0[0], r0[1], r0[2], r0[3] = r0[0]+c00, r0[1]+c01, r0[2]+c02, r0[3]+c03
		r1[0], r1[1], r1[2], r1[3] = r1[0]+c10, r1[1]+c11, r1[2]+c12, r1[3]+c13
		r2[0], r2[1], r2[2], r2[3] = r2[0]+c20, r2[1]+c21, r2[2]+c22, r2[3]+c23
		r3[0], r3[1], r3[2], r3[3] = r3[0]+c30, r3[1]+c31, r3[2]+c32, r3[3]+c33
		return
	}
	*r0 = [4]T{c00, c01, c02, c03}
	*r1 = [4]T{c10, c11, c12, c13}
	*r2 = [4]T{c20, c21, c22, c23}
	*r3 = [4]T{c30, c31, c32, c33}
}
