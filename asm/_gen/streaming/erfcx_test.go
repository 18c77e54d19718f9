package main

import (
	"math"
	"testing"
)

// TestErfcxApprox checks the erfcx approximation against math.Erfc(z)·e^(z²) (whose error, a few
// float64 ULP and z²·2^-53 from the rounded z², is far below the bound) on [0, 10.7].
func TestErfcxApprox(t *testing.T) {
	const n = 1 << 20
	worst, at := 0.0, 0.0
	for i := 0; i <= n; i++ {
		z := 10.7 * float64(i) / n
		want := math.Erfc(z) * math.Exp(z*z)
		if e := math.Abs(erfcxApprox(z)/want - 1); e > worst {
			worst, at = e, z
		}
	}
	t.Logf("worst relative error %.3g (2^%.1f) at z = %v", worst, math.Log2(worst), at)
	if worst > 0x1p-33 {
		t.Errorf("worst relative error %.3g at z = %v, above 2^-33", worst, at)
	}
	if p := 4/((10.7-3)/(10.7+3)+1) - 1; p != erfcxP {
		t.Errorf("erfcxP = %x, want %x", erfcxP, p)
	}
}
