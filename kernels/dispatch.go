package kernels

import (
	"fmt"
	"os"
	"strings"
)

// isa identifies one code path. The order is the order of preference: a larger value is faster
// where the CPU supports it.
type isa uint8

const (
	isaGeneric isa = iota // pure Go, every GOARCH and the purego build tag
	isaNEON               // arm64 ASIMD with FMA
	isaAVX2               // amd64 AVX2 + FMA3
	isaAVX512             // amd64 AVX-512 F, DQ, BW, VL
)

var isaNames = [...]string{
	isaGeneric: "generic",
	isaNEON:    "neon",
	isaAVX2:    "avx2",
	isaAVX512:  "avx512",
}

func (i isa) String() string { return isaNames[i] }

// active is the path every kernel takes. It is written at package initialisation and by SetISA
// only; this is the one place that decides the ISA, and the per-kernel routing reads it.
var active isa

// supported lists the paths this CPU and build can run, best first. detectISAs is defined per
// architecture (dispatch_amd64.go, dispatch_arm64.go, dispatch_other.go).
var supported = detectISAs()

func init() {
	active = supported[0]
	if want := os.Getenv("LANES_ISA"); want != "" {
		if err := SetISA(want); err != nil {
			fmt.Fprintf(os.Stderr, "lanes: LANES_ISA: %v; using %s\n", err, active)
		}
	}
}

// ISA reports the code path the kernels take now: "avx512", "avx2", "neon" or "generic".
func ISA() string { return active.String() }

// SupportedISAs lists the code paths this CPU and build can run, best first. The last is always
// "generic".
func SupportedISAs() []string {
	names := make([]string, len(supported))
	for i, s := range supported {
		names[i] = s.String()
	}
	return names
}

// AllISAs lists every code path lanes knows, supported here or not, best first.
func AllISAs() []string {
	return []string{isaAVX512.String(), isaAVX2.String(), isaNEON.String(), isaGeneric.String()}
}

// SetISA makes every kernel take the named path ("avx512", "avx2", "neon" or "generic") from now
// on. It returns an error, and changes nothing, if the name is unknown or this CPU or build cannot
// run that path. It is meant for tests and benchmarks that compare paths in one process: it must
// not be called while kernels run in other goroutines.
func SetISA(name string) error {
	name = strings.ToLower(strings.TrimSpace(name))
	for _, s := range supported {
		if s.String() == name {
			active = s
			return nil
		}
	}
	for _, s := range isaNames {
		if s == name {
			return fmt.Errorf("ISA %q is not supported here (supported: %s)", name, strings.Join(SupportedISAs(), ", "))
		}
	}
	return fmt.Errorf("unknown ISA %q (known: %s)", name, strings.Join(AllISAs(), ", "))
}
