package main

import (
	"math"
	"testing"
)

// TestSoftplusTable32 checks the pieces of softplus32's method with 16 rows (AVX-512) and 8
// (AVX2): for every u in [1, 2] (every 2^-13th, plus 2) the table row its bits pick (VPMINUD at
// 0x3fffffff, then the top 4 or 3 mantissa bits) gives R = u·IC - 1 in [-1/34, 1/16) (16 rows) or
// [-1/18, 1/8) (8 rows), and R = u - 1 exactly on row 0 (IC = 1, LC = 0); LCHI + LCLO is -ln(IC)
// within 2^-45; and the AVX2 polynomial log1pQ8 keeps R + R²·Q(R) within 2^-28 relative of
// log1p(R) on [-1/18, 1/8] (TestLog1pQ32 checks the AVX-512 one).
func TestSoftplusTable32(t *testing.T) {
	f := f32bits64
	for _, tc := range []struct {
		rows, shift int
		lo, hi      float64
	}{{16, 19, -1.0 / 34, 1.0 / 16}, {8, 20, -1.0 / 18, 1.0 / 8}} {
		ic, lchi, lclo := softplusTab32(tc.rows)
		if ic[0] != math.Float32bits(1) || lchi[0] != 0 || lclo[0] != 0 {
			t.Errorf("%d rows, row 0: IC = %v, LCHI = %v, LCLO = %v; want 1, 0, 0", tc.rows, f(ic[0]), f(lchi[0]), f(lclo[0]))
		}
		for j := range ic {
			if e := math.Abs(f(lchi[j]) + f(lclo[j]) + math.Log(f(ic[j]))); e > 0x1p-45 {
				t.Errorf("%d rows, row %d: LCHI + LCLO is off -ln(IC) by %.3g", tc.rows, j, e)
			}
		}
		for k := 0; k <= 1<<13; k++ {
			u := float32(1 + float64(k)/(1<<13))
			j := min(math.Float32bits(u), 0x3fffffff) >> tc.shift & uint32(tc.rows-1)
			r := float64(u)*f(ic[j]) - 1
			if r < tc.lo || r >= tc.hi {
				t.Errorf("%d rows, u = %v: row %d gives R = %v, outside [%v, %v)", tc.rows, u, j, r, tc.lo, tc.hi)
			}
			if j == 0 && r != float64(u)-1 {
				t.Errorf("%d rows, u = %v: row 0 gives R = %v, not u - 1", tc.rows, u, r)
			}
		}
	}
	if worst := log1pFitError(log1pQ8[:], -1.0/18, 1.0/8); worst > 0x1p-28 {
		t.Errorf("log1pQ8: worst relative error %.3g against log1p(R), above 2^-28", worst)
	}
}
