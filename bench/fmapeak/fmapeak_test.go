package fmapeak

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/lanesimd/lanes/kernels"
)

// TestMeasure runs the probe of every ISA path this CPU supports and checks that the rate is
// plausible for one core: above 1 GFLOP/s (a scalar loop does that) and below what 4 vector FMA
// units at 6 GHz could reach. A path without a probe (generic, or any under -tags purego) must
// say so with ErrNoProbe.
func TestMeasure(t *testing.T) {
	for _, isa := range kernels.SupportedISAs() {
		r, err := Measure(isa, 5*time.Millisecond, 2)
		if _, has := probes[isa]; !has {
			if !errors.Is(err, ErrNoProbe) {
				t.Errorf("%s: err = %v, want ErrNoProbe", isa, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", isa, err)
		}
		lanes := float64(r.Bits / 32)
		if r.GFLOPS < 1 || r.GFLOPS > 4*2*lanes*6 {
			t.Errorf("%s: %v: implausible", isa, r)
		}
		t.Logf("%v", r)
	}
	if _, err := Measure("no-such-isa", time.Millisecond, 1); !errors.Is(err, ErrNoProbe) {
		t.Errorf("unknown ISA: err = %v, want ErrNoProbe", err)
	}
	for isa := range probes {
		if !slices.Contains(kernels.AllISAs(), isa) {
			t.Errorf("probe %q is not one of lanes' ISA names %v", isa, kernels.AllISAs())
		}
	}
}
