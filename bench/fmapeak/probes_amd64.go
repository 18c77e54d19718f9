//go:build !purego

package fmapeak

// The generated loops: 12 multiply-adds of 8 (YMM) or 16 (ZMM) float32 lanes per iteration.
var probes = map[string]probe{
	"avx2":   {loop: fmaLoopF32AVX2, flops: 2 * 8 * 12, bits: 256},
	"avx512": {loop: fmaLoopF32AVX512, flops: 2 * 16 * 12, bits: 512},
}
