package gonumblas_test

import (
	"slices"
	"testing"

	"github.com/lanesimd/lanes/kernels"
)

// eachISA runs f as a subtest on every code path this CPU and build support, restores the path
// that was active before, and logs the paths it skipped.
func eachISA(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	old := kernels.ISA()
	defer func() {
		if err := kernels.SetISA(old); err != nil {
			t.Fatalf("restoring ISA %s: %v", old, err)
		}
	}()
	supported := kernels.SupportedISAs()
	for _, name := range kernels.AllISAs() {
		if !slices.Contains(supported, name) {
			t.Logf("skipping ISA %s: not supported on this CPU or build", name)
			continue
		}
		if err := kernels.SetISA(name); err != nil {
			t.Fatalf("SetISA(%s): %v", name, err)
		}
		t.Run(name, f)
	}
}
