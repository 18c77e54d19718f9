//go:build !purego

package kernels

import (
	"math"
	"testing"

	"github.com/lanesimd/lanes/asm"
)

// TestExpF32NEONMatchesModel runs ExpF32NEON on every 1024th float32 bit pattern and the
// neighbourhoods of the thresholds, and requires the bits of expF32NEONModel, whose accuracy
// TestExpF32NEONModel checks on any machine (on all 2^32 inputs with
// LANES_EXP32_MODEL_STRIDE=1).
func TestExpF32NEONMatchesModel(t *testing.T) {
	xs := thresholdInputs(1024)
	for b := uint64(0); b < 1<<32; b += 1 << 10 {
		xs = append(xs, math.Float32frombits(uint32(b)))
	}
	got := make([]float32, len(xs))
	asm.ExpF32NEON(got, xs)
	for i, x := range xs {
		want := expF32NEONModel(x)
		if math.Float32bits(got[i]) != math.Float32bits(want) && !(got[i] != got[i] && want != want) {
			t.Fatalf("ExpF32NEON(%v) [%#08x] = %v [%#08x], the model gives %v [%#08x]", x, math.Float32bits(x), got[i], math.Float32bits(got[i]), want, math.Float32bits(want))
		}
	}
	t.Logf("neon: %d inputs, the model's bits on every one", len(xs))
}
