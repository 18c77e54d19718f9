package kernels

import (
	"os"
	"strings"
	"testing"
)

// TestRequestedISA fails if LANES_ISA asked for a path and the kernels are not on it: a run
// meant to test one path (LANES_ISA=neon under qemu, say) cannot pass on another by mistake.
// Every test restores the path it found, so the one chosen at start-up is active here.
func TestRequestedISA(t *testing.T) {
	want := strings.ToLower(strings.TrimSpace(os.Getenv("LANES_ISA")))
	if want == "" {
		t.Skip("LANES_ISA is not set")
	}
	if got := ISA(); got != want {
		t.Fatalf("LANES_ISA=%s, but ISA() = %s (supported here: %v)", want, got, SupportedISAs())
	}
	t.Logf("LANES_ISA=%s honoured: ISA() = %s", want, ISA())
}
