//go:build !purego

package asm

// AxpyF32AVX512 adds alpha*x[i] to y[i] for every i. It computes
//
//	for i, v := range x {
//		y[i] += alpha * v
//	}
//
// Each alpha*x[i]+y[i] is rounded once, as math.FMA rounds, where the loop rounds the product and
// then the sum; that is the only difference. It requires AVX-512F. len(y) must be at least len(x);
// x may be y, but must not otherwise overlap it. Any length and alignment: 64 elements per
// iteration, then 16, then the last len(x)%16 with K-masked loads and a K-masked store, so it
// never reads or writes outside the slices.
//
//go:noescape
func AxpyF32AVX512(alpha float32, x, y []float32)

// AxpyF32AVX2 adds alpha*x[i] to y[i] for every i. It computes
//
//	for i, v := range x {
//		y[i] += alpha * v
//	}
//
// Each alpha*x[i]+y[i] is rounded once, as math.FMA rounds, where the loop rounds the product and
// then the sum; that is the only difference. It requires AVX2 and FMA3. len(y) must be at least
// len(x); x may be y, but must not otherwise overlap it. Any length and alignment: 32 elements per
// iteration, then 8, then the last len(x)%8 with VMASKMOV loads and a VMASKMOV store, so it never
// reads or writes outside the slices.
//
//go:noescape
func AxpyF32AVX2(alpha float32, x, y []float32)

// AxpyF64AVX512 adds alpha*x[i] to y[i] for every i. It computes
//
//	for i, v := range x {
//		y[i] += alpha * v
//	}
//
// Each alpha*x[i]+y[i] is rounded once, as math.FMA rounds, where the loop rounds the product and
// then the sum; that is the only difference. It requires AVX-512F. len(y) must be at least len(x);
// x may be y, but must not otherwise overlap it. Any length and alignment: 32 elements per
// iteration, then 8, then the last len(x)%8 with K-masked loads and a K-masked store, so it never
// reads or writes outside the slices.
//
//go:noescape
func AxpyF64AVX512(alpha float64, x, y []float64)

// AxpyF64AVX2 adds alpha*x[i] to y[i] for every i. It computes
//
//	for i, v := range x {
//		y[i] += alpha * v
//	}
//
// Each alpha*x[i]+y[i] is rounded once, as math.FMA rounds, where the loop rounds the product and
// then the sum; that is the only difference. It requires AVX2 and FMA3. len(y) must be at least
// len(x); x may be y, but must not otherwise overlap it. Any length and alignment: 16 elements per
// iteration, then 4, then the last len(x)%4 with VMASKMOV loads and a VMASKMOV store, so it never
// reads or writes outside the slices.
//
//go:noescape
func AxpyF64AVX2(alpha float64, x, y []float64)
