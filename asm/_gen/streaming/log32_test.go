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

// f32bits64 is the float32 with bits b, as a float64.
func f32bits64(b uint32) float64 { return float64(math.Float32frombits(b)) }

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
// 15, and rows 0-14 are what checkLogRows asks (s = ln2 for m < 1); row 15 holds exactly the pair
// LN2HI + LN2LO (a multiple of 2^-9 and its float32 rest), so that E·LN2HI + LCHI and
// E·LN2LO + LCLO cancel to 0 for E = -1.
func TestLogTable32(t *testing.T) {
	ic, lchi, lclo := logTab32()
	f := f32bits64
	if f(lchi[15]) != float64(logLn2Hi32) || f(lclo[15]) != float64(logLn2Lo32) || ic[15] != math.Float32bits(1) {
		t.Errorf("row 15: IC = %v, LCHI = %v, LCLO = %v; want 1, LN2HI, LN2LO", f(ic[15]), f(lchi[15]), f(lclo[15]))
	}
	checkLogRows(t, ic[:15], lchi[:15], lclo[:15], func(j int) float64 {
		if j >= 8 {
			return math.Ln2
		}
		return 0
	})
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
}

// checkLogRows checks rows of a Log table: row 0 is IC = 1, LCHI = LCLO = +0 where s(0) is 0;
// LCHI + LCLO is within 2^-40 of s(j) - ln(IC) (LCLO, below 2^-17, is a float32); LCHI is a
// multiple of 2^-16; and E·LN2HI and E·LN2HI + LCHI are exact in float32 for every exponent E of
// a float32 (subnormals included) and every row, as the methods take them.
func checkLogRows(t *testing.T, ic, lchi, lclo []uint32, s func(j int) float64) {
	t.Helper()
	f := f32bits64
	if s(0) == 0 && (ic[0] != math.Float32bits(1) || lchi[0] != 0 || lclo[0] != 0) {
		t.Errorf("row 0: IC = %v, LCHI = %v, LCLO = %v; want 1, +0, +0", f(ic[0]), f(lchi[0]), f(lclo[0]))
	}
	for j := range ic {
		if e := math.Abs(f(lchi[j]) + f(lclo[j]) - (s(j) - math.Log(f(ic[j])))); e > 0x1p-40 {
			t.Errorf("row %d: LCHI + LCLO is off s - ln(IC) by %.3g", j, e)
		}
		if h := f(lchi[j]) * (1 << 16); h != math.Trunc(h) {
			t.Errorf("row %d: LCHI = %v is not a multiple of 2^-16", j, f(lchi[j]))
		}
		for e := -150; e <= 128; e++ {
			a := float32(e) * logLn2Hi32
			if float64(a) != float64(e)*float64(logLn2Hi32) || float64(a+math.Float32frombits(lchi[j])) != float64(a)+f(lchi[j]) {
				t.Errorf("row %d, E = %d: E·LN2HI or E·LN2HI + LCHI is not exact", j, e)
				break
			}
		}
	}
}

// TestLogTable8 checks the reduction and tables of log32AVX2's method on the bits of every x in
// [1/4, 4) (every 2^-13th of an octave, plus the octaves' ends): x = 2^k·m with m in [23/32,
// 23/16); the row j that (m + 2^19) >> 20 picks gives R = m·IC - 1 in [-1/18, 1/16) (to within
// IC's rounding) and R = m - 1 exactly on row 0, whose m are [31/32, 17/16); the rows are what
// checkLogRows asks (s = 0); and log1pQ8 keeps its fit on that range of R.
func TestLogTable8(t *testing.T) {
	ic, lchi, lclo := logTab8()
	f := f32bits64
	checkLogRows(t, ic, lchi, lclo, func(int) float64 { return 0 })
	for oct := -2; oct < 2; oct++ {
		for k := 0; k <= 1<<13; k++ {
			x := float32(math.Ldexp(1+float64(k)/(1<<13), oct))
			b := math.Float32bits(x)
			tmp := b - logOff8
			e := int32(tmp) >> 23
			mb := b - tmp&0xff800000
			m := f(mb)
			j := (mb + 0x80000) >> 20 & 7
			if math.Ldexp(m, int(e)) != float64(x) || m < 23.0/32 || m >= 23.0/16 {
				t.Errorf("x = %v: k = %d, m = %v; want x = 2^k·m, m in [23/32, 23/16)", x, e, m)
			}
			r := m*f(ic[j]) - 1
			if r < -1.0/18*(1+0x1p-20) || r >= 1.0/16 {
				t.Errorf("x = %v: row %d gives R = %v, outside [-1/18, 1/16)", x, j, r)
			}
			if (j == 0) != (m >= 31.0/32 && m < 17.0/16) {
				t.Errorf("x = %v: m = %v in row %d; row 0 holds [31/32, 17/16)", x, m, j)
			}
		}
	}
	if worst := log1pFitError(log1pQ8[:], -1.0/18, 1.0/16); worst > 0x1p-28 {
		t.Errorf("log1pQ8 on [-1/18, 1/16]: worst relative error %.3g, above 2^-28", worst)
	}
}
