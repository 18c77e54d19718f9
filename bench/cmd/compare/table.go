package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// measure is one repetition of one side of a workload.
type measure struct {
	value float64 // in the workload's unit
	acc   float64 // test accuracy after a training; NaN for none
	info  string  // how the peer computed it (its call), for the notes
}

func noAcc(v float64) measure { return measure{value: v, acc: math.NaN()} }

// goalKind says what a goal compares.
type goalKind int

const (
	ratioAtLeast   goalKind = iota // lanes / peer ≥ v (rates: lanes at least v times as fast)
	ratioAtMost                    // lanes / peer ≤ v (times: lanes takes at most v of the peer's time)
	ratioBelow                     // lanes / peer < v
	peakAtLeast                    // lanes' GFLOP/s ≥ v × the FMA peak
	scalingAtLeast                 // lanes' time on one core / its time here ≥ v
)

// goal is one target of a workload; a workload meets its goals when it meets all of them.
type goal struct {
	kind goalKind
	v    float64
}

// verdict is the met? column.
type verdict int

const (
	noGoal  verdict = iota // "—": the workload has no goal
	met                    // "yes"
	missed                 // "no"
	unknown                // "?": a figure the goal needs is missing
)

func (v verdict) String() string {
	return [...]string{"—", "yes", "no", "?"}[v]
}

// result is what a run of one workload produced: every repetition of each side, in order.
type result struct {
	w                 *workload
	lanes, peer       []measure
	lanesErr, peerErr error
	trips             []time.Duration // two-core workloads: roundTrip before each lanes turn
}

// median returns the median of the values of ms (the mean of the two middle ones for an even
// count), and false when there are none.
func median(ms []measure) (float64, bool) {
	if len(ms) == 0 {
		return 0, false
	}
	v := make([]float64, len(ms))
	for i, m := range ms {
		v[i] = m.value
	}
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2], true
	}
	return (v[n/2-1] + v[n/2]) / 2, true
}

// medianAcc is the median test accuracy over ms, and false when ms reports none.
func medianAcc(ms []measure) (float64, bool) {
	var a []measure
	for _, m := range ms {
		if !math.IsNaN(m.acc) {
			a = append(a, measure{value: m.acc})
		}
	}
	return median(a)
}

// evaluation is a workload's goal column and verdict.
type evaluation struct {
	goal    string
	verdict verdict
}

// evaluate checks res against its workload's goals. peak is the FMA peak in GFLOP/s (0 when
// unknown); base returns the result of another workload by key (nil when it did not run), for
// the scaling goals of the 2-core rows.
func evaluate(res *result, peak float64, base func(key string) *result) evaluation {
	w := res.w
	if len(w.goals) == 0 {
		return evaluation{goal: "—", verdict: noGoal}
	}
	l, lok := median(res.lanes)
	p, pok := median(res.peer)
	var texts []string
	v := met
	fail := func(ok, good bool) {
		switch {
		case !ok:
			if v != missed {
				v = unknown
			}
		case !good:
			v = missed
		}
	}
	for _, g := range w.goals {
		switch g.kind {
		case ratioAtLeast:
			texts = append(texts, fmt.Sprintf("≥ %sx %s", num(g.v), w.peerShort()))
			fail(lok && pok && p > 0, l/p >= g.v)
		case ratioAtMost:
			texts = append(texts, fmt.Sprintf("≤ %sx %s", num(g.v), w.peerShort()))
			fail(lok && pok && p > 0, l/p <= g.v)
		case ratioBelow:
			texts = append(texts, fmt.Sprintf("< %sx %s", num(g.v), w.peerShort()))
			fail(lok && pok && p > 0, l/p < g.v)
		case peakAtLeast:
			texts = append(texts, fmt.Sprintf("≥ %s%% of peak", num(100*g.v)))
			fail(lok && peak > 0, l >= g.v*peak)
		case scalingAtLeast:
			var b *result
			if base != nil {
				b = base(w.base)
			}
			var one float64
			ok := false
			if b != nil {
				one, ok = median(b.lanes)
			}
			t := fmt.Sprintf("≥ %sx own 1 core", num(g.v))
			if ok && lok && l > 0 {
				t += fmt.Sprintf(" (%.2fx)", one/l)
			}
			texts = append(texts, t)
			fail(ok && lok && l > 0, one/l >= g.v)
		default:
			panic(fmt.Sprintf("compare: unknown goal kind %d", g.kind))
		}
	}
	return evaluation{goal: strings.Join(texts, ", "), verdict: v}
}

// num formats a goal's number without trailing zeros: 3, 2.8, 0.4, 1.15.
func num(v float64) string { return fmt.Sprintf("%g", v) }

// figure formats a median with three significant digits and its unit ("1.09 Gelem/s",
// "77.0 GFLOP/s", "4.91 s"); GEMM figures also as a percentage of peak when it is known.
func figure(v float64, unit string, gemm bool, peak float64) string {
	var s string
	switch a := math.Abs(v); {
	case a >= 100:
		s = fmt.Sprintf("%.0f", v)
	case a >= 10:
		s = fmt.Sprintf("%.1f", v)
	case a >= 1:
		s = fmt.Sprintf("%.2f", v)
	default:
		s = fmt.Sprintf("%.3f", v)
	}
	s += " " + unit
	if gemm && peak > 0 {
		s += fmt.Sprintf(" (%.0f%%)", 100*v/peak)
	}
	return s
}

// tableRow lays out one result as the cells of the table.
func tableRow(res *result, peak float64, base func(string) *result) []string {
	w := res.w
	cell := func(ms []measure, err error) string {
		if v, ok := median(ms); ok {
			return figure(v, w.unit, w.gemm, peak)
		}
		if err != nil {
			return "error"
		}
		return "—"
	}
	l, lok := median(res.lanes)
	p, pok := median(res.peer)
	ratio := "—"
	if lok && pok && p > 0 {
		ratio = fmt.Sprintf("%.2fx", l/p)
	}
	e := evaluate(res, peak, base)
	return []string{w.name, w.peer, cell(res.peer, res.peerErr), cell(res.lanes, res.lanesErr), ratio, turnRange(res), e.goal, e.verdict.String()}
}

// turnRange is the least and the greatest ratio of one turn of lanes to the peer's turn after it
// ("1.85-2.41x"), which shows how much other work on the machine moved the figures of a row
// (the median ratio is less moved: it is the ratio of the medians); "—" with fewer than two
// turns of each side.
func turnRange(res *result) string {
	n := min(len(res.lanes), len(res.peer))
	if n < 2 {
		return "—"
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range n {
		if res.peer[i].value <= 0 {
			return "—"
		}
		r := res.lanes[i].value / res.peer[i].value
		lo, hi = min(lo, r), max(hi, r)
	}
	return fmt.Sprintf("%.2f-%.2fx", lo, hi)
}

// tableHeader is the first row of the table.
var tableHeader = []string{"workload", "peer", "peer figure", "lanes figure", "ratio", "turns", "goal", "met?"}

// writeTable writes rows as a Markdown table with padded columns, readable as text too.
func writeTable(out io.Writer, rows [][]string) {
	all := append([][]string{tableHeader}, rows...)
	width := make([]int, len(tableHeader))
	for _, r := range all {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	line := func(r []string) {
		var b strings.Builder
		b.WriteString("|")
		for i, c := range r {
			b.WriteString(" " + c + strings.Repeat(" ", width[i]-utf8.RuneCountInString(c)) + " |")
		}
		fmt.Fprintln(out, b.String())
	}
	line(all[0])
	sep := make([]string, len(width))
	for i, n := range width {
		sep[i] = strings.Repeat("-", n)
	}
	line(sep)
	for _, r := range all[1:] {
		line(r)
	}
}
