package main

import (
	"math"
	"testing"
)

// geluRt is R̃(a) = a·erfcx(a/√2)/2 in float64 (math.Erfc is relative-accurate this far out).
func geluRt(a float64) float64 {
	return 0.5 * a * math.Erfc(a/math.Sqrt2) * math.Exp(a*a/2)
}

// geluInterval is the range of a of table row i: the bits of a + 9/8 shifted right by 21, mod 16.
func geluInterval(i int) (lo, hi float64) {
	e, m := 0, i-12
	if i < 12 {
		e, m = 1+i/4, i%4
	}
	s := math.Ldexp(1, e)
	return math.Max(s*(1+float64(m)/4)-1.125, 0), s*(1+float64(m+1)/4) - 1.125
}

// TestGELUTable32 checks geluTab32: each row's polynomial within 2^-28 relative of R̃ on its
// interval (widened by 2^-10 of its width, for a + 9/8 rounded into the next row), its constant term
// R̃(C) within 2^-29 relative, and tt = a - C exact (C a multiple of 2^-14 below 16, and the
// interval within [C/2, 2C], where a - C is exact by Sterbenz's lemma).
func TestGELUTable32(t *testing.T) {
	f := f32bits64
	for i := range geluTab32 {
		lo, hi := geluInterval(i)
		if lo >= geluMax32 {
			continue
		}
		hi = math.Min(hi, geluMax32)
		row := geluTab32[i]
		c := f(row[0])
		if c*0x1p14 != math.Trunc(c*0x1p14) || c >= 16 {
			t.Errorf("row %d: C = %v is not a multiple of 2^-14 below 16", i, c)
		}
		if c != 0 && (lo-(hi-lo)/1024 < c/2 || hi > 2*c) {
			t.Errorf("row %d: [%v, %v) is not within [C/2, 2C], C = %v", i, lo, hi, c)
		}
		if c != 0 {
			if e := math.Abs(f(row[1])/geluRt(c) - 1); e > 0x1p-29 {
				t.Errorf("row %d: c0 = %v, R̃(C) = %v: %.3g relative", i, f(row[1]), geluRt(c), e)
			}
		}
		ext := (hi - lo) / 1024
		worst := 0.0
		for k := 0; k <= 4000; k++ {
			a := math.Max(lo-ext, 0) + (hi+2*ext-math.Max(lo-ext, 0))*float64(k)/4000
			if a == 0 {
				continue
			}
			tt, p := a-c, 0.0
			for j := geluDeg32 + 1; j >= 1; j-- {
				p = p*tt + f(row[j])
			}
			worst = math.Max(worst, math.Abs(p/geluRt(a)-1))
		}
		if worst > 0x1p-28 {
			t.Errorf("row %d [%v, %v): worst relative error %.3g, above 2^-28", i, lo, hi, worst)
		}
	}
}
