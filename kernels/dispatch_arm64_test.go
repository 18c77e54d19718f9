//go:build !purego

package kernels

import "testing"

// TestNEONDetected asserts that an arm64 build with assembly finds NEON (ASIMD is mandatory on
// arm64, and cpuid reports it, qemu-aarch64 included) and prefers it to pure Go.
func TestNEONDetected(t *testing.T) {
	if s := SupportedISAs(); len(s) != 2 || s[0] != "neon" || s[1] != "generic" {
		t.Fatalf("SupportedISAs() = %v, want [neon generic]", s)
	}
}
