//go:build !purego

package kernels

import "github.com/klauspost/cpuid/v2"

// detectISAs on arm64. The NEON kernels use ASIMD (Advanced SIMD) with its fused multiply-add
// (FMLA/FMLS), which on arm64 is part of ASIMD and not a feature of its own. cpuid reads ASIMD
// from the HWCAPs the Linux kernel passes (sysctl on Darwin); qemu-aarch64 reports it too.
//
// ASIMD is mandatory in ARMv8-A, the architecture Go's arm64 port requires, so an arm64 CPU
// without it does not exist. If cpuid could not read any feature at all (an OS it cannot query),
// NEON is taken anyway; only an explicit report of FP without ASIMD turns it off.
func detectISAs() []isa {
	if cpuid.CPU.Supports(cpuid.ASIMD) || !cpuid.CPU.Supports(cpuid.FP) {
		return []isa{isaNEON, isaGeneric}
	}
	return []isa{isaGeneric}
}
