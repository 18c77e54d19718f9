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

// TestExpectedBestISA fails unless the path chosen at start-up, with LANES_ISA unset, is the one
// LANES_EXPECT_ISA names: `make test` runs this binary under qemu-x86_64 with -cpu Haswell
// (expecting avx2) and -cpu Nehalem (expecting generic) to prove that a CPU without AVX-512, or
// without AVX2, gets the best path it can run.
func TestExpectedBestISA(t *testing.T) {
	want := strings.ToLower(strings.TrimSpace(os.Getenv("LANES_EXPECT_ISA")))
	if want == "" {
		t.Skip("LANES_EXPECT_ISA is not set")
	}
	if os.Getenv("LANES_ISA") != "" {
		t.Fatal("LANES_EXPECT_ISA checks the automatic choice: unset LANES_ISA")
	}
	if got := supported[0].name; got != want {
		t.Fatalf("this CPU selected %s (supported: %v), want %s", got, SupportedISAs(), want)
	}
	t.Logf("selected ISA: %s (supported here: %v)", supported[0].name, SupportedISAs())
}
