//go:build !purego

package kernels

import "github.com/klauspost/cpuid/v2"

// detectISAs asks the CPU (and, through XGETBV, the OS) which vector extensions are usable.
// The AVX-512 kernels use F (the base), DQ (64-bit integer conversions), BW and VL (masked
// 8/16-bit and 256-bit forms); the AVX2 kernels use AVX2 and FMA3.
func detectISAs() []isa {
	var s []isa
	if cpuid.CPU.Supports(cpuid.AVX512F, cpuid.AVX512DQ, cpuid.AVX512BW, cpuid.AVX512VL, cpuid.AVX2, cpuid.FMA3) {
		s = append(s, isaAVX512)
	}
	if cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3, cpuid.AVX) {
		s = append(s, isaAVX2)
	}
	return append(s, isaGeneric)
}
