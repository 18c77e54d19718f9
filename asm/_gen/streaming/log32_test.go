package main

import (
	"math"
	"testing"
)

// TestLog1pQ32 checks that R + R²·Q(R), with log1pQ32's float32 coefficients, is within 2^-27.5
// relative of log1p(R) on [-1/32, 1/16], the range of R in Log and Softplus.
func TestLog1pQ32(t *testing.T) {
	if worst := log1pFitError(log1pQ32[:], -1.0/32, 1.0/16); worst > 0x1.6a09e6p-28 {
		t.Errorf("R + R²·Q(R): worst relative error %.3g against log1p(R), above 2^-27.5", worst)
	}
}

// log1pFitError returns the largest relative error of R + R²·Q(R) against log1p(R) over 20001
// points of [lo, hi], Q(R) = q[0] + q[1]·R + ... with the float32 coefficients of q.
func log1pFitError(q []uint32, lo, hi float64) float64 {
	worst := 0.0
	for k := 0; k <= 20000; k++ {
		r := lo + (hi-lo)*float64(k)/20000
		if r == 0 {
			continue
		}
		p := 0.0
		for i := len(q) - 1; i >= 0; i-- {
			p = p*r + float64(math.Float32frombits(q[i]))
		}
		worst = math.Max(worst, math.Abs((r+r*r*p)/math.Log1p(r)-1))
	}
	return worst
}

// TestLogTable32 checks the tables of log32's method: for every m in [3/4, 3/2) (every 2^-14th)
// the row its bits 19-22 pick gives R = m·IC - 1 in [-1/32, 1/16), R = m - 1 exactly on rows 0 and
// 15, and LCHI + LCLO within 2^-45 of s·ln2 - ln(IC) (s = 1 for m < 1); row 15 holds exactly the
// pair LN2HI + LN2LO, so that E·LN2HI + LCHI and E·LN2LO + LCLO cancel to 0 for E = -1; and
// E·LN2HI is exact for every exponent of a float32.
func TestLogTable32(t *testing.T) {
	ic, lchi, lclo := logTab32()
	f := func(b uint32) float64 { return float64(math.Float32frombits(b)) }
	if f(lchi[15]) != float64(logLn2Hi32) || f(lclo[15]) != float64(logLn2Lo32) || ic[15] != math.Float32bits(1) {
		t.Errorf("row 15: IC = %v, LCHI = %v, LCLO = %v; want 1, LN2HI, LN2LO", f(ic[15]), f(lchi[15]), f(lclo[15]))
	}
	if ic[0] != math.Float32bits(1) || lchi[0] != 0 || lclo[0] != 0 {
		t.Errorf("row 0: IC = %v, LCHI = %v, LCLO = %v; want 1, +0, +0", f(ic[0]), f(lchi[0]), f(lclo[0]))
	}
	for j := range ic {
		s := 0.0
		if j >= 8 {
			s = math.Ln2
		}
		if e := math.Abs(f(lchi[j]) + f(lclo[j]) - (s - math.Log(f(ic[j])))); e > 0x1p-45 && j != 15 {
			t.Errorf("row %d: LCHI + LCLO is off s·ln2 - ln(IC) by %.3g", j, e)
		}
	}
	for k := 0; k < 3<<12; k++ {
		m := float32(0.75 + float64(k)/(1<<14))
		j := math.Float32bits(m) >> 19 & 15
		r := float64(m)*f(ic[j]) - 1
		if r < -1.0/32 || r >= 1.0/16 {
			t.Errorf("m = %v: row %d gives R = %v, outside [-1/32, 1/16)", m, j, r)
		}
		if (j == 0 || j == 15) && float32(r) != m-1 {
			t.Errorf("m = %v: row %d gives R = %v, not m - 1", m, j, r)
		}
		if (m < 1) != (j >= 8) {
			t.Errorf("m = %v: row %d, which is not the row of s = %v", m, j, m < 1)
		}
	}
	for e := -149; e <= 127; e++ {
		if p := float32(e) * logLn2Hi32; float64(p) != float64(e)*float64(logLn2Hi32) {
			t.Errorf("E = %d: E·LN2HI is not exact", e)
		}
	}
}
