package main

import (
	"math"
	"testing"
)

// TestSoftplusTable32 checks the pieces of softplus32's method: for every u in [1, 2] (every
// 2^-13th, plus 2) the table row its bits pick (VPMINUD at 0x3fffffff, then bits 19-22) gives
// R = u·IC - 1 in [-1/34, 1/16), and R = u - 1 exactly on row 0 (IC = 1, LC = 0); LCHI + LCLO is
// -ln(IC) within 2^-45 (TestLog1pQ32 checks the polynomial).
func TestSoftplusTable32(t *testing.T) {
	ic, lchi, lclo := softplusTab32()
	f := func(b uint32) float64 { return float64(math.Float32frombits(b)) }
	if ic[0] != math.Float32bits(1) || lchi[0] != 0 || lclo[0] != 0 {
		t.Errorf("row 0: IC = %v, LCHI = %v, LCLO = %v; want 1, 0, 0", f(ic[0]), f(lchi[0]), f(lclo[0]))
	}
	for j := range ic {
		if e := math.Abs(f(lchi[j]) + f(lclo[j]) + math.Log(f(ic[j]))); e > 0x1p-45 {
			t.Errorf("row %d: LCHI + LCLO is off -ln(IC) by %.3g", j, e)
		}
	}
	for k := 0; k <= 1<<13; k++ {
		u := float32(1 + float64(k)/(1<<13))
		j := min(math.Float32bits(u), 0x3fffffff) >> 19 & 15
		r := float64(u)*f(ic[j]) - 1
		if r < -1.0/34 || r >= 1.0/16 {
			t.Errorf("u = %v: row %d gives R = %v, outside [-1/34, 1/16)", u, j, r)
		}
		if j == 0 && r != float64(u)-1 {
			t.Errorf("u = %v: row 0 gives R = %v, not u - 1", u, r)
		}
	}
}
