package main

import (
	"bytes"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func ms(v ...float64) []measure {
	out := make([]measure, len(v))
	for i, x := range v {
		out[i] = noAcc(x)
	}
	return out
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
		ok   bool
	}{
		{nil, 0, false},
		{[]float64{3}, 3, true},
		{[]float64{5, 1, 3}, 3, true},
		{[]float64{4, 1, 3, 2}, 2.5, true},
		{[]float64{9, 1, 1, 1, 9}, 1, true},
	} {
		got, ok := median(ms(c.in...))
		if got != c.want || ok != c.ok {
			t.Errorf("median(%v) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	acc := []measure{{value: 1, acc: 0.9}, {value: 2, acc: math.NaN()}, {value: 3, acc: 0.95}, {value: 4, acc: 0.97}}
	if a, ok := medianAcc(acc); !ok || a != 0.95 {
		t.Errorf("medianAcc = %v, %v; want 0.95 (NaNs skipped)", a, ok)
	}
	if _, ok := medianAcc(ms(1, 2)); ok {
		t.Error("medianAcc of measures without accuracy reports one")
	}
}

// TestEvaluate checks each kind of goal on both sides of its threshold, with a figure missing,
// and several goals on one row.
func TestEvaluate(t *testing.T) {
	const peak = 100.0
	one := &result{w: &workload{key: "mlp"}, lanes: ms(4.0, 4.2, 3.8)}
	base := func(k string) *result {
		if k == "mlp" {
			return one
		}
		return nil
	}
	w := func(unit string, goals ...goal) *workload {
		return &workload{key: "x", peer: "PyTorch 1.13", short: "PyTorch", unit: unit, goals: goals, base: "mlp"}
	}
	for _, c := range []struct {
		name         string
		w            *workload
		lanes, peer  []float64
		wantGoal     string
		wantVerdict  verdict
		peakOverride float64
	}{
		{"no goal", w("Gelem/s"), []float64{2}, []float64{1}, "—", noGoal, peak},
		{"rate met", w("Gelem/s", goal{ratioAtLeast, 3}), []float64{3.3, 3.0, 3.1}, []float64{1, 1, 1}, "≥ 3x PyTorch", met, peak},
		{"rate exactly", w("Gelem/s", goal{ratioAtLeast, 2}), []float64{2}, []float64{1}, "≥ 2x PyTorch", met, peak},
		{"rate missed", w("Gelem/s", goal{ratioAtLeast, 2.8}), []float64{2.6}, []float64{1}, "≥ 2.8x PyTorch", missed, peak},
		{"rate without peer", w("Gelem/s", goal{ratioAtLeast, 2}), []float64{2}, nil, "≥ 2x PyTorch", unknown, peak},
		{"time met", w("s", goal{ratioAtMost, 0.5}), []float64{3.5}, []float64{7.5}, "≤ 0.5x PyTorch", met, peak},
		{"time missed", w("s", goal{ratioAtMost, 0.4}), []float64{4.9}, []float64{6.7}, "≤ 0.4x PyTorch", missed, peak},
		{"strictly below met", w("s", goal{ratioBelow, 1}), []float64{0.8}, []float64{3}, "< 1x PyTorch", met, peak},
		{"strictly below, equal", w("s", goal{ratioBelow, 1}), []float64{3}, []float64{3}, "< 1x PyTorch", missed, peak},
		{"peak met", w("GFLOP/s", goal{peakAtLeast, 0.9}), []float64{91}, nil, "≥ 90% of peak", met, peak},
		{"peak missed", w("GFLOP/s", goal{peakAtLeast, 0.9}), []float64{84}, []float64{200}, "≥ 90% of peak", missed, peak},
		{"peak unknown", w("GFLOP/s", goal{peakAtLeast, 0.9}), []float64{84}, nil, "≥ 90% of peak", unknown, 0},
		{"peak and peer, both met", w("GFLOP/s", goal{peakAtLeast, 0.8}, goal{ratioAtLeast, 1}), []float64{85}, []float64{80}, "≥ 80% of peak, ≥ 1x PyTorch", met, peak},
		{"peak met, peer missed", w("GFLOP/s", goal{peakAtLeast, 0.8}, goal{ratioAtLeast, 1}), []float64{85}, []float64{90}, "≥ 80% of peak, ≥ 1x PyTorch", missed, peak},
		{"peak missed, peer unknown", w("GFLOP/s", goal{peakAtLeast, 0.8}, goal{ratioAtLeast, 1}), []float64{55}, nil, "≥ 80% of peak, ≥ 1x PyTorch", missed, peak},
		{"scaling met", w("s", goal{scalingAtLeast, 1.7}), []float64{2.2}, []float64{5}, "≥ 1.7x own 1 core (1.82x)", met, peak},
		{"scaling missed", w("s", goal{scalingAtLeast, 1.7}), []float64{2.5}, []float64{5}, "≥ 1.7x own 1 core (1.60x)", missed, peak},
	} {
		r := &result{w: c.w, lanes: ms(c.lanes...), peer: ms(c.peer...)}
		e := evaluate(r, c.peakOverride, base)
		if e.goal != c.wantGoal || e.verdict != c.wantVerdict {
			t.Errorf("%s: evaluate = %q, %v; want %q, %v", c.name, e.goal, e.verdict, c.wantGoal, c.wantVerdict)
		}
	}
	// A scaling goal whose 1-core row did not run cannot be judged.
	r := &result{w: &workload{key: "cnn-2core", unit: "s", goals: []goal{{scalingAtLeast, 1.7}}, base: "cnn"}, lanes: ms(3)}
	if e := evaluate(r, peak, base); e.verdict != unknown || e.goal != "≥ 1.7x own 1 core" {
		t.Errorf("scaling without its base: %q, %v; want unknown", e.goal, e.verdict)
	}
}

func TestFigure(t *testing.T) {
	for _, c := range []struct {
		v    float64
		unit string
		gemm bool
		peak float64
		want string
	}{
		{1.0912, "Gelem/s", false, 0, "1.09 Gelem/s"},
		{0.8912, "Gelem/s", false, 0, "0.891 Gelem/s"},
		{77.04, "GFLOP/s", true, 89, "77.0 GFLOP/s (87%)"},
		{75, "GFLOP/s", true, 0, "75.0 GFLOP/s"},
		{224.4, "GFLOP/s", true, 256, "224 GFLOP/s (88%)"},
		{4.913, "s", false, 0, "4.91 s"},
		{41.02, "s", false, 0, "41.0 s"},
	} {
		if got := figure(c.v, c.unit, c.gemm, c.peak); got != c.want {
			t.Errorf("figure(%v, %q, %v, %v) = %q, want %q", c.v, c.unit, c.gemm, c.peak, got, c.want)
		}
	}
}

// TestTable checks the layout: a Markdown table whose every line has the same columns, padded to
// the same width, with the ratio, goal and verdict of each row.
func TestTable(t *testing.T) {
	rows := []*result{
		{w: &workload{key: "exp", name: "exp, f32 1M", peer: "PyTorch", unit: "Gelem/s", goals: []goal{{ratioAtLeast, 3}}}, lanes: ms(2.64, 3, 1.5), peer: ms(1.09, 1, 1.5)},
		{w: &workload{key: "gemm", name: "sgemm 1024³", peer: "numpy (OpenBLAS)", short: "numpy", unit: "GFLOP/s", gemm: true, goals: []goal{{peakAtLeast, 0.9}}}, lanes: ms(75), peer: ms(77)},
		{w: &workload{key: "book", name: "book net", peer: "numpy", unit: "s", goals: []goal{{ratioAtMost, 0.4}}}, lanes: ms(4.9), peerErr: errors.New("no numpy")},
	}
	var cells [][]string
	for _, r := range rows {
		cells = append(cells, tableRow(r, 89, nil))
	}
	want := [][]string{
		{"exp, f32 1M", "PyTorch", "1.09 Gelem/s", "2.64 Gelem/s", "2.42x", "1.00-3.00x", "≥ 3x PyTorch", "no"},
		{"sgemm 1024³", "numpy (OpenBLAS)", "77.0 GFLOP/s (87%)", "75.0 GFLOP/s (84%)", "0.97x", "—", "≥ 90% of peak", "no"},
		{"book net", "numpy", "error", "4.90 s", "—", "—", "≤ 0.4x numpy", "?"},
	}
	for i := range want {
		if strings.Join(cells[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d:\n got %q\nwant %q", i, cells[i], want[i])
		}
	}
	var b bytes.Buffer
	writeTable(&b, cells)
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2+len(rows) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), 2+len(rows), b.String())
	}
	if !regexp.MustCompile(`^\| workload +\| peer +\| peer figure +\| lanes figure +\| ratio +\| turns +\| goal +\| met\? +\|$`).MatchString(lines[0]) {
		t.Errorf("header %q", lines[0])
	}
	if !regexp.MustCompile(`^(\| -+ )+\|$`).MatchString(lines[1]) {
		t.Errorf("separator %q", lines[1])
	}
	for _, l := range lines {
		if n := strings.Count(l, "|"); n != len(tableHeader)+1 {
			t.Errorf("%q: %d bars, want %d", l, n, len(tableHeader)+1)
		}
		if utf8.RuneCountInString(l) != utf8.RuneCountInString(lines[0]) {
			t.Errorf("%q is not as wide as the header", l)
		}
	}
}

// fakePeer answers every request with the next of its values and records what was asked.
type fakePeer struct {
	log    *[]string
	values []float64
	err    error
}

func (f *fakePeer) call(req map[string]any) (reply, error) {
	*f.log = append(*f.log, "peer:"+req["op"].(string))
	if f.err != nil {
		return reply{}, f.err
	}
	v := f.values[0]
	f.values = f.values[1:]
	return reply{OK: true, Value: v}, nil
}

func (f *fakePeer) close() error { return nil }

// TestRunAll checks that lanes and the peer take turns, that the medians, the derived row and
// the errors come out of it, and that a missing peer is an error on its rows, not a panic.
func TestRunAll(t *testing.T) {
	var log []string
	seq := func(name string, v ...float64) func(*ctx) (measure, error) {
		return func(*ctx) (measure, error) {
			log = append(log, "lanes:"+name)
			x := v[0]
			v = v[1:]
			return noAcc(x), nil
		}
	}
	ws := []*workload{
		{key: "a", unit: "Gelem/s", lanes: seq("a", 3, 1, 2), peerReq: map[string]any{"op": "a"}, goals: []goal{{ratioAtLeast, 1.5}}},
		{key: "b", unit: "Gelem/s", lanes: seq("b", 4, 4, 4), peerReq: map[string]any{"op": "b"}},
		{key: "a-vs-b", peer: "lanes b", unit: "Gelem/s", derive: &[2]string{"a", "b"}, goals: []goal{{ratioAtLeast, 0.8}}},
		{key: "c", unit: "s", lanes: seq("c", 1), peerReq: map[string]any{"op": "c"}},
		{key: "d", unit: "s", lanes: seq("d", 9), peerFn: func(*ctx) (measure, error) { return measure{}, errors.New("in-process peer failed") }},
	}
	peer := &fakePeer{log: &log, values: []float64{1, 1, 1, 2, 2, 2}}
	c := &ctx{mintime: time.Millisecond, peer: func(threads int) (peerConn, error) {
		if threads != 1 {
			t.Errorf("peer with %d threads", threads)
		}
		if len(peer.values) == 0 {
			return nil, errors.New("python3 not found")
		}
		return peer, nil
	}}
	o := &options{repeats: 1, kernelRepeats: 3}
	res := runAll(c, ws, o, &bytes.Buffer{})
	wantLog := "lanes:a peer:a lanes:a peer:a lanes:a peer:a lanes:b peer:b lanes:b peer:b lanes:b peer:b lanes:c lanes:d"
	if got := strings.Join(log, " "); got != wantLog {
		t.Errorf("order of the turns:\n got %s\nwant %s", got, wantLog)
	}
	if len(res) != 5 {
		t.Fatalf("%d results, want 5", len(res))
	}
	if l, _ := median(res[0].lanes); l != 2 {
		t.Errorf("median of a = %v, want 2", l)
	}
	if e := evaluate(res[0], 0, nil); e.verdict != met {
		t.Errorf("a: %+v, want met (2 / 1 >= 1.5)", e)
	}
	if e := evaluate(res[2], 0, nil); e.verdict != missed || e.goal != "≥ 0.8x lanes b" {
		t.Errorf("derived a-vs-b: %+v, want missed (2 / 4 < 0.8)", e)
	}
	if res[3].peerErr == nil || res[4].peerErr == nil {
		t.Errorf("the failed peers left no error: %v, %v", res[3].peerErr, res[4].peerErr)
	}
	_, errs := notes(res)
	if len(errs) != 2 || !strings.Contains(errs[0], "python3 not found") || !strings.Contains(errs[1], "in-process peer failed") {
		t.Errorf("errors under the table: %q", errs)
	}
	// Workloads of one group take their turns together.
	log = nil
	peer.values = []float64{1, 1, 1, 1}
	grouped := []*workload{
		{key: "g1", unit: "s", group: "g", lanes: seq("g1", 1, 1), peerReq: map[string]any{"op": "g1"}},
		{key: "g2", unit: "s", group: "g", lanes: seq("g2", 1, 1), peerReq: map[string]any{"op": "g2"}},
	}
	runAll(c, grouped, &options{repeats: 2, kernelRepeats: 5}, &bytes.Buffer{})
	if got, want := strings.Join(log, " "), "lanes:g1 peer:g1 lanes:g2 peer:g2 lanes:g1 peer:g1 lanes:g2 peer:g2"; got != want {
		t.Errorf("grouped turns:\n got %s\nwant %s", got, want)
	}
	// A derived row whose sources were not selected is left out.
	if res := runAll(c, ws[2:3], o, &bytes.Buffer{}); len(res) != 0 {
		t.Errorf("derived row without its sources: %d results", len(res))
	}
}

// TestWorkloads checks the table of workloads: unique keys, references that exist, units and
// goals that fit together, and that -list and -only see them.
func TestWorkloads(t *testing.T) {
	for _, sz := range []sizes{fullSizes, quickSizes} {
		keys := map[string]*workload{}
		for _, w := range workloads(sz) {
			if keys[w.key] != nil {
				t.Errorf("key %q twice", w.key)
			}
			keys[w.key] = w
			if w.unit != "Gelem/s" && w.unit != "GFLOP/s" && w.unit != "s" {
				t.Errorf("%s: unit %q", w.key, w.unit)
			}
			if w.derive != nil {
				for _, k := range w.derive {
					if keys[k] == nil {
						t.Errorf("%s derives from %q, which does not come before it", w.key, k)
					}
				}
				continue
			}
			if w.lanes == nil || (w.peerReq == nil) == (w.peerFn == nil) {
				t.Errorf("%s: needs a lanes side and exactly one peer side", w.key)
			}
			for _, g := range w.goals {
				switch {
				case g.kind == scalingAtLeast && (keys[w.base] == nil || keys[w.base].threads() != 1 || w.threads() < 2):
					t.Errorf("%s: a scaling goal needs a 1-core base row before it, got %q", w.key, w.base)
				case g.kind == peakAtLeast && !w.gemm:
					t.Errorf("%s: a peak goal on a row that is no matrix product", w.key)
				case w.unit == "s" && g.kind == ratioAtLeast, w.unit != "s" && (g.kind == ratioAtMost || g.kind == ratioBelow):
					t.Errorf("%s: goal %v points the wrong way for %s", w.key, g, w.unit)
				}
			}
		}
		for _, k := range []string{"exp", "sigmoid", "softmax", "gemm-1024x1024x1024", "gemm-1x4096x4096", "booknet", "mlp", "cnn", "mlp-2core", "cnn-2core", "cnn-infer"} {
			if keys[k] == nil {
				t.Errorf("no workload %q", k)
			}
		}
	}
	var out bytes.Buffer
	if err := run([]string{"-list"}, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n != len(workloads(fullSizes)) {
		t.Errorf("-list printed %d lines for %d workloads", n, len(workloads(fullSizes)))
	}
	if err := run([]string{"-only", "^nothing$"}, &out, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "matches no workload") {
		t.Errorf("-only matching nothing: %v", err)
	}
	if err := run([]string{"-repeats", "0"}, &out, &bytes.Buffer{}); err == nil {
		t.Error("-repeats 0 accepted")
	}
}

// TestQuickRun runs the program as `make compare COMPARE_FLAGS=-quick` would on one small
// workload, with the real peer when Debian's numpy is installed, and checks its report.
func TestQuickRun(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the quick run starts the Python peer")
	}
	const python = "/usr/bin/python3"
	if err := exec.Command(python, "-c", "import numpy").Run(); err != nil {
		t.Skipf("%s cannot import numpy (Debian's python3-numpy): %v", python, err)
	}
	var out, errOut bytes.Buffer
	err := run([]string{"-quick", "-only", "^gemm-100x784x50$", "-python", python}, &out, &errOut)
	if err != nil {
		t.Fatalf("%v\n%s\n%s", err, out.String(), errOut.String())
	}
	s := out.String()
	for _, re := range []string{
		`(?m)^CPU: .+, \d+ logical CPUs`,
		`(?m)^lanes ISA: \w+`,
		`(?m)^FMA peak of one core, float32: `,
		`(?m)^Peers: numpy \d`,
		`(?m)^\| sgemm 100×784×50 \(book net layer\) +\| numpy \(OpenBLAS\) +\| [0-9.]+ GFLOP/s.*\| [0-9.]+ GFLOP/s.*\| [0-9.]+x +\| (—|[0-9.]+-[0-9.]+x) +\| ≥ 80% of peak, ≥ 1x numpy +\| (yes|no|\?) +\|$`,
	} {
		if !regexp.MustCompile(re).MatchString(s) {
			t.Errorf("the report has no match for %s:\n%s", re, s)
		}
	}
}

// TestMissingPython: a python that does not exist is an error naming it, with the lanes figure
// still in the table.
func TestMissingPython(t *testing.T) {
	var out bytes.Buffer
	err := run([]string{"-quick", "-only", "^gemm-1x784x512$", "-python", "/nonexistent/python3"}, &out, &bytes.Buffer{})
	if err == nil {
		t.Fatal("no error without the peer")
	}
	s := out.String()
	if !strings.Contains(s, "/nonexistent/python3") || !regexp.MustCompile(`\| error +\| [0-9.]+ GFLOP/s`).MatchString(s) {
		t.Errorf("report without the peer:\n%s", s)
	}
}

// TestPeerProcess drives stand-in peers through the real process plumbing: one that answers, one
// that exits, and one that never answers and is stopped after the timeout.
func TestPeerProcess(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	script := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	answers := script("answers.sh", `while read -r line; do echo '{"ok": true, "value": 2.5, "unit": "s", "acc": 0.97}'; done`)
	exits := script("exits.sh", `read -r line; echo 'Traceback: torch is missing' >&2; exit 1`)
	hangs := script("hangs.sh", `read -r line; exec sleep 30`)

	p, err := startPeer(sh, answers, 1, dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		r, err := p.call(map[string]any{"op": "mlp"})
		if err != nil || r.measure().value != 2.5 || r.measure().acc != 0.97 {
			t.Errorf("answering peer: %+v, %v", r, err)
		}
	}
	p.close()

	p, err = startPeer(sh, exits, 1, dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.call(map[string]any{"op": "mlp"}); err == nil || !strings.Contains(err.Error(), "exited") || p.alive() {
		t.Errorf("exiting peer: %v, alive %v", err, p.alive())
	}
	p.close()

	p, err = startPeer(sh, hangs, 1, dir, 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := p.call(map[string]any{"op": "cnn-train"}); err == nil || !strings.Contains(err.Error(), "-peer-timeout") {
		t.Errorf("hanging peer: %v", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("the timeout took %v", el)
	}
	if _, err := p.call(map[string]any{"op": "cnn-train"}); err == nil {
		t.Error("a stopped peer answered")
	}
	p.close()

	if _, err := startPeer(filepath.Join(dir, "no-python"), answers, 1, dir, 0); err == nil {
		t.Error("a missing python started")
	}
}

// TestHeldPaths checks the report's line on the environment variables that hold lanes and the
// peers to a code path: only those set, in a fixed order.
func TestHeldPaths(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{nil, ""},
		{map[string]string{"OPENBLAS_CORETYPE": "Haswell", "LANES_ISA": "avx2", "HOME": "/root"}, "LANES_ISA=avx2, OPENBLAS_CORETYPE=Haswell"},
		{map[string]string{"ATEN_CPU_CAPABILITY": "avx2", "LANES_ISA": "avx2", "OPENBLAS_CORETYPE": "Haswell"},
			"LANES_ISA=avx2, ATEN_CPU_CAPABILITY=avx2, OPENBLAS_CORETYPE=Haswell"},
	} {
		if got := heldPaths(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("heldPaths(%v) = %q, want %q", tc.env, got, tc.want)
		}
	}
}

// TestRoundTrip: on two cores the round trip of a cache line between two goroutines is measured
// (positive) and bounded by the time limit of a run, and a run that cannot finish stops at its
// limit rather than spinning on.
func TestRoundTrip(t *testing.T) {
	if runtime.NumCPU() < 2 {
		t.Skip("skipped: one CPU")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	d := roundTrip()
	if d <= 0 || d > 50*time.Millisecond {
		t.Fatalf("roundTrip() = %v, want a positive time under 50 ms", d)
	}
	start := time.Now()
	if d := roundTrips(1<<40, 20*time.Millisecond); d <= 0 {
		t.Fatalf("roundTrips(2^40, 20ms) = %v, want a positive mean", d)
	}
	if el := time.Since(start); el > time.Second {
		t.Fatalf("roundTrips(2^40, 20ms) took %v: it did not stop at its limit", el)
	}
	t.Logf("round trip %v", d)
}
