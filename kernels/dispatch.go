package kernels

import (
	"fmt"
	"os"
	"strings"
	"sync/atomic"
)

// supported lists the tables this CPU and build can run, best first; the last is always the
// generic one. detectISAs is defined in the table file of each architecture.
var supported = detectISAs()

// allISAs names every code path lanes knows, best first.
var allISAs = []string{"avx512", "avx2", "neon", "generic"}

// active is the table every public function calls through. A call loads it once (kern), so a
// SetISA in another goroutine takes effect from the next call on and never mixes two tables
// within one call.
var active atomic.Pointer[table]

func init() {
	active.Store(supported[0])
	if want := os.Getenv("LANES_ISA"); want != "" {
		if err := SetISA(want); err != nil {
			fmt.Fprintf(os.Stderr, "lanes: LANES_ISA: %v; using %s\n", err, ISA())
		}
	}
}

// ISA reports the code path the kernels take now: "avx512", "avx2", "neon" or "generic".
func ISA() string { return active.Load().name }

// SupportedISAs lists the code paths this CPU and build can run, best first. The last is always
// "generic".
func SupportedISAs() []string {
	names := make([]string, len(supported))
	for i, s := range supported {
		names[i] = s.name
	}
	return names
}

// AllISAs lists every code path lanes knows, supported here or not, best first.
func AllISAs() []string { return append([]string(nil), allISAs...) }

// SetISA makes every kernel take the named path ("avx512", "avx2", "neon" or "generic") from now
// on. It returns an error, and changes nothing, if the name is unknown or this CPU or build cannot
// run that path. It is safe for concurrent use, also while kernels run in other goroutines: a
// kernel call that has started finishes on the path it started on.
func SetISA(name string) error {
	t, err := lookupISA(name)
	if err != nil {
		return err
	}
	active.Store(t)
	return nil
}

// lookupISA returns the supported table of that name.
func lookupISA(name string) (*table, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	for _, s := range supported {
		if s.name == name {
			return s, nil
		}
	}
	for _, s := range allISAs {
		if s == name {
			return nil, fmt.Errorf("ISA %q is not supported here (supported: %s)", name, strings.Join(SupportedISAs(), ", "))
		}
	}
	return nil, fmt.Errorf("unknown ISA %q (known: %s)", name, strings.Join(allISAs, ", "))
}
