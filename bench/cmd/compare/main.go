// Command compare measures lanes against the tools its users would otherwise pick, PyTorch and
// numpy (on OpenBLAS), on the same workloads in one run, and prints one table of ratios with the
// goal of each workload and whether this machine meets it:
//
//	make compare                              # installs the peers when missing, then runs this
//	go run ./bench/cmd/compare [-quick] [-only REGEXP] [-repeats N] [-kernel-repeats N]
//
// The workloads: the element-wise float32 kernels on 1M elements (exp, sigmoid, tanh, GELU,
// GELUTanh, SiLU, Softplus, ELU, LeakyReLU, Log) and softmax and log-softmax over rows of 1024,
// against PyTorch; float32 matrix products (1024³, the MNIST layers 100×784×50 and 128×784×512,
// the GEMVs 1×784×512 and 1×4096×4096) against numpy's a @ b; Linear+ReLU fused against lanes'
// own product-then-passes and against PyTorch; the book's two-layer net against numpy; the Keras
// MLP and the book's SimpleConvNet trained for an epoch against PyTorch, on one core and on two;
// SimpleConvNet's inference of the test set against PyTorch. -list prints them with their keys,
// which -only selects.
//
// Each workload runs lanes and its peer in turns (lanes, peer, lanes, peer, ...): -kernel-repeats
// times each for the kernels (default 5), each turn calling the kernel for at least -mintime
// (default 0.3 s) after a warm-up call; -repeats times each for the trainings and the inference
// (default 3). A figure is the median of its turns. Everything runs on one core
// (GOMAXPROCS=1; one thread for the peers: OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and
// torch.set_num_threads) except the rows marked "2 cores" (GOMAXPROCS=2, two peer threads).
//
// The table is headed by the CPU, the ISA lanes selected, and the float32 FMA peak of one core,
// measured by a loop of independent multiply-adds on the registers of that ISA (package
// bench/fmapeak), against which the matrix products also read as a percentage. The ratio is
// lanes' figure over the peer's: above 1 is lanes faster for a rate (Gelem/s, GFLOP/s), below 1
// is lanes faster for a time (s).
//
// The peers are bench/peers/peers.py under -python (default /usr/bin/python3: Debian's
// python3-numpy, python3-torch and libopenblas0-pthread), one process per thread count, started
// once and fed requests. A peer that cannot run is an error on its rows, reported under the
// table; the exit status is then 1. So is a peer turn longer than -peer-timeout (default 3
// minutes), after which that peer process is stopped and a new one serves the next workload: on a
// machine busy with other work, PyTorch's threads can take many times their usual time. -quick is a smoke run of seconds: one turn each, short
// kernel turns, and trainings on a few batches, whose figures are no measurement of record.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/klauspost/cpuid/v2"

	"github.com/lanesimd/lanes/bench/fmapeak"
	"github.com/lanesimd/lanes/kernels"
	"github.com/lanesimd/lanes/nn"
	"github.com/lanesimd/lanes/nn/mnist"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "compare:", err)
		}
		os.Exit(1)
	}
}

// options are the parsed flags.
type options struct {
	quick                  bool
	only                   *regexp.Regexp
	repeats, kernelRepeats int
	mintime, peerTimeout   time.Duration
	python, script, data   string
	list                   bool
}

func parse(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	only := fs.String("only", "", "run only the workloads whose key matches this regular expression (-list shows the keys)")
	fs.BoolVar(&o.quick, "quick", false, "a smoke run: one turn each, short kernel turns, trainings on a few batches")
	fs.IntVar(&o.repeats, "repeats", 3, "turns of each side for the trainings and the inference (the median is reported)")
	fs.IntVar(&o.kernelRepeats, "kernel-repeats", 5, "turns of each side for the kernels and matrix products")
	fs.DurationVar(&o.mintime, "mintime", 300*time.Millisecond, "how long one turn of a kernel calls it, at least")
	fs.DurationVar(&o.peerTimeout, "peer-timeout", 3*time.Minute, "the longest one turn of a peer may take (0: no limit); past it the peer is stopped and its row has an error")
	fs.StringVar(&o.python, "python", "/usr/bin/python3", "the python3 that has numpy and torch")
	fs.StringVar(&o.script, "peers", "", "the peer script (default: bench/peers/peers.py of this checkout)")
	fs.StringVar(&o.data, "data", "", "the MNIST folder (default: $LANES_DATA, else the checkout's data/)")
	fs.BoolVar(&o.list, "list", false, "list the workloads and their keys, and exit")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	re, err := regexp.Compile(*only)
	if err != nil {
		return nil, fmt.Errorf("-only: %w", err)
	}
	o.only = re
	if o.repeats < 1 || o.kernelRepeats < 1 {
		return nil, errors.New("-repeats and -kernel-repeats must be at least 1")
	}
	if o.mintime <= 0 {
		return nil, errors.New("-mintime must be positive")
	}
	if o.quick {
		o.repeats, o.kernelRepeats = 1, 1
		o.mintime = min(o.mintime, 30*time.Millisecond)
	}
	if o.script == "" {
		root, err := checkoutRoot()
		if err != nil {
			return nil, fmt.Errorf("finding bench/peers/peers.py: %w (or name it with -peers)", err)
		}
		o.script = filepath.Join(root, "bench", "peers", "peers.py")
	}
	return o, nil
}

// checkoutRoot is the folder above the working directory whose go.mod is lanes'.
func checkoutRoot() (string, error) {
	d, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil && strings.HasPrefix(string(b), "module github.com/lanesimd/lanes\n") {
			return d, nil
		}
		up := filepath.Dir(d)
		if up == d {
			return "", errors.New("the working directory is not inside the lanes checkout")
		}
		d = up
	}
}

// ctx is what the workloads run with.
type ctx struct {
	opts    *options
	mintime time.Duration
	// peer returns the peer with the given number of threads, starting it on first use.
	peer   func(threads int) (peerConn, error)
	mnistD *mnistData
	mnistE error
	loaded bool
	log    io.Writer
}

type mnistData struct {
	xTrain        *nn.ByteMatrix // converted batch by batch as Fit draws them
	xTest         *nn.Matrix
	yTrain, yTest []int
}

// data reads MNIST once (fetching it when missing, as `make data` does).
func (c *ctx) data() (*mnistData, error) {
	if c.loaded {
		return c.mnistD, c.mnistE
	}
	c.loaded = true
	dir, err := c.dataDir()
	if err != nil {
		c.mnistE = err
		return nil, err
	}
	train, test, err := mnist.Load(dir, c.log)
	if err != nil {
		c.mnistE = fmt.Errorf("MNIST: %w (`make data` fetches it)", err)
		return nil, c.mnistE
	}
	d := &mnistData{xTrain: train.Bytes(), yTrain: train.IntLabels(), xTest: test.Matrix(), yTest: test.IntLabels()}
	c.mnistD = d
	return d, nil
}

func (c *ctx) dataDir() (string, error) {
	if c.opts != nil && c.opts.data != "" {
		return filepath.Abs(c.opts.data)
	}
	return mnist.DefaultDir()
}

// peers starts the Python peers lazily, one per thread count, and closes them.
type peers struct {
	python, script, data string
	timeout              time.Duration
	procs                map[int]*pyPeer
	errs                 map[int]error
}

func (p *peers) get(threads int) (peerConn, error) {
	if pp, ok := p.procs[threads]; ok {
		if pp.alive() {
			return pp, nil
		}
		pp.close() // stopped after a timeout: the next workload gets a new one
		delete(p.procs, threads)
	}
	if err, ok := p.errs[threads]; ok {
		return nil, err
	}
	pp, err := startPeer(p.python, p.script, threads, p.data, p.timeout)
	if err != nil {
		p.errs[threads] = err
		return nil, err
	}
	p.procs[threads] = pp
	return pp, nil
}

func (p *peers) close() {
	for _, pp := range p.procs {
		pp.close()
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	o, err := parse(args, stderr)
	if err != nil {
		return err
	}
	ws := workloads(fullSizes)
	if o.quick {
		ws = workloads(quickSizes)
	}
	var sel []*workload
	for _, w := range ws {
		if o.only.MatchString(w.key) {
			sel = append(sel, w)
		}
	}
	if o.list {
		for _, w := range ws {
			fmt.Fprintf(stdout, "%-20s %s, against %s\n", w.key, w.name, w.peer)
		}
		return nil
	}
	if len(sel) == 0 {
		return fmt.Errorf("-only %q matches no workload (-list shows them)", o.only)
	}

	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	load0 := loadAverage()
	isa := kernels.ISA()
	fmt.Fprintf(stderr, "compare: measuring the FMA peak, then %d workloads (lanes ISA %s)\n", len(sel), isa)
	peaks := measurePeaks(nil)

	dataDir := ""
	c := &ctx{opts: o, mintime: o.mintime, log: stderr}
	if d, err := c.dataDir(); err == nil {
		dataDir = d
	}
	ps := &peers{python: o.python, script: o.script, data: dataDir, timeout: o.peerTimeout, procs: map[int]*pyPeer{}, errs: map[int]error{}}
	defer ps.close()
	c.peer = ps.get
	var versions reply
	var versionsErr error
	if pc, err := ps.get(1); err != nil {
		versionsErr = err
	} else {
		versions, versionsErr = pc.call(map[string]any{"op": "versions"})
	}

	results := runAll(c, sel, o, stderr)
	peaks = measurePeaks(peaks) // again: the best of both, in case other work held the core
	peak := peaks[isa].GFLOPS

	// The report.
	fmt.Fprintf(stdout, "CPU: %s (family %d, model %d), %d logical CPUs; %s, %s/%s\n",
		cpuName(), cpuid.CPU.Family, cpuid.CPU.Model, runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(stdout, "lanes ISA: %s (supported: %s)\n", isa, strings.Join(kernels.SupportedISAs(), ", "))
	fmt.Fprintf(stdout, "FMA peak of one core, float32: %s\n", peakLine(isa, peaks))
	fmt.Fprintf(stdout, "Peers: %s\n", peerLine(versions, versionsErr))
	if held := heldPaths(os.Getenv); held != "" {
		fmt.Fprintf(stdout, "Code paths held by the environment: %s\n", held)
	}
	mode := fmt.Sprintf("median of %d turns for the kernels (each at least %v), of %d for the trainings and the inference",
		o.kernelRepeats, o.mintime, o.repeats)
	if o.quick {
		mode = "QUICK SMOKE RUN (-quick): one turn each, trainings on a few batches; not figures of record"
	}
	fmt.Fprintf(stdout, "Figures: %s; lanes and the peer alternate; one core (GOMAXPROCS=1, one peer thread) unless the row says 2 cores.\n", mode)
	fmt.Fprintf(stdout, "Ratio: lanes / peer (above 1 is lanes faster for Gelem/s and GFLOP/s, below 1 for s). Load average: %s before, %s after.\n\n", load0, loadAverage())

	byKey := map[string]*result{}
	for _, r := range results {
		byKey[r.w.key] = r
	}
	base := func(k string) *result { return byKey[k] }
	var rows [][]string
	for _, r := range results {
		rows = append(rows, tableRow(r, peak, base))
	}
	writeTable(stdout, rows)
	notes, errs := notes(results)
	if len(notes) > 0 {
		fmt.Fprintln(stdout)
		for _, n := range notes {
			fmt.Fprintln(stdout, n)
		}
	}
	if len(errs) > 0 {
		fmt.Fprintln(stdout)
		for _, e := range errs {
			fmt.Fprintln(stdout, "error:", e)
		}
		return fmt.Errorf("%d workload(s) could not be measured fully (see the errors under the table)", len(errs))
	}
	return nil
}

// runAll runs the workloads in order, lanes and peer in turns, and derives the derived rows.
// Consecutive workloads of one group take their turns together.
func runAll(c *ctx, ws []*workload, o *options, log io.Writer) []*result {
	byKey := map[string]*result{}
	var out []*result
	for i := 0; i < len(ws); {
		w := ws[i]
		if w.derive != nil {
			i++
			a, b := byKey[w.derive[0]], byKey[w.derive[1]]
			if a == nil || b == nil {
				continue // its sources were not selected
			}
			res := &result{w: w, lanes: a.lanes, peer: b.lanes, lanesErr: a.lanesErr, peerErr: b.lanesErr}
			byKey[w.key] = res
			out = append(out, res)
			continue
		}
		// The group: w and the workloads of its group that follow it.
		j := i + 1
		for w.group != "" && j < len(ws) && ws[j].group == w.group && ws[j].derive == nil {
			j++
		}
		var group []*result
		for _, g := range ws[i:j] {
			res := &result{w: g}
			byKey[g.key] = res
			out = append(out, res)
			group = append(group, res)
			if g.threads() > runtime.NumCPU() {
				res.lanesErr = fmt.Errorf("%d cores needed, this machine has %d", g.threads(), runtime.NumCPU())
				res.peerErr = res.lanesErr
			}
		}
		i = j
		reps := o.kernelRepeats
		if w.unit == "s" {
			reps = o.repeats
		}
		for turn := range reps {
			for _, res := range group {
				turnOf(c, res, turn, reps, log)
			}
		}
	}
	return out
}

// turnOf runs one turn of res's workload: lanes, then its peer.
func turnOf(c *ctx, res *result, turn, reps int, log io.Writer) {
	w := res.w
	if res.lanesErr != nil && res.peerErr != nil {
		return
	}
	if res.lanesErr == nil {
		runtime.GOMAXPROCS(w.threads())
		if w.threads() > 1 {
			res.trips = append(res.trips, roundTrip())
		}
		runtime.GC()
		m, err := w.lanes(c)
		runtime.GOMAXPROCS(1)
		if err != nil {
			res.lanesErr = err
		} else {
			res.lanes = append(res.lanes, m)
		}
	}
	if res.peerErr == nil {
		m, err := measurePeer(c, w)
		if err != nil {
			res.peerErr = err
		} else {
			res.peer = append(res.peer, m)
		}
	}
	trip := ""
	if len(res.trips) > 0 {
		trip = fmt.Sprintf(" (cores' round trip %s)", tripText(res.trips[len(res.trips)-1]))
	}
	fmt.Fprintf(log, "  %-20s turn %d/%d: lanes %s, %s %s%s\n", w.key, turn+1, reps,
		last(res.lanes, res.lanesErr, w.unit), w.peerShort(), last(res.peer, res.peerErr, w.unit), trip)
}

func measurePeer(c *ctx, w *workload) (measure, error) {
	if w.peerFn != nil {
		runtime.GOMAXPROCS(w.threads())
		defer runtime.GOMAXPROCS(1)
		runtime.GC()
		return w.peerFn(c)
	}
	p, err := c.peer(w.threads())
	if err != nil {
		return measure{}, err
	}
	req := map[string]any{}
	for k, v := range w.peerReq {
		req[k] = v
	}
	req["mintime"] = c.mintime.Seconds()
	r, err := p.call(req)
	if err != nil {
		return measure{}, err
	}
	return r.measure(), nil
}

func last(ms []measure, err error, unit string) string {
	if len(ms) == 0 {
		if err != nil {
			return "error"
		}
		return "—"
	}
	return figure(ms[len(ms)-1].value, unit, false, 0)
}

// notes are the lines under the table: the test accuracies of the trainings, the peers' calls,
// and the errors.
func notes(results []*result) (lines, errs []string) {
	var calls []string
	for _, r := range results {
		w := r.w
		la, lok := medianAcc(r.lanes)
		pa, pok := medianAcc(r.peer)
		if lok && w.derive == nil { // an untrained model's accuracy (inference) is left out
			s := fmt.Sprintf("- %s: test accuracy lanes %s, %s %s", w.name, accText(la, lok), w.peerShort(), accText(pa, pok))
			lines = append(lines, s)
		}
		if len(r.peer) > 0 && r.peer[0].info != "" && w.derive == nil {
			c := fmt.Sprintf("- %s: %s", w.key, r.peer[0].info)
			if !slices.Contains(calls, c) {
				calls = append(calls, c)
			}
		}
		if w.derive != nil {
			continue
		}
		if r.lanesErr != nil {
			errs = append(errs, fmt.Sprintf("%s, lanes: %v", w.key, r.lanesErr))
		}
		if r.peerErr != nil {
			errs = append(errs, fmt.Sprintf("%s, %s: %v", w.key, w.peerShort(), r.peerErr))
		}
	}
	var trips []string
	for _, r := range results {
		if len(r.trips) > 0 {
			t := make([]string, len(r.trips))
			for i, d := range r.trips {
				t[i] = tripText(d)
			}
			trips = append(trips, fmt.Sprintf("- %s: %s", r.w.key, strings.Join(t, ", ")))
		}
	}
	if len(trips) > 0 {
		lines = append(lines, "", "Round trip of a cache line between two goroutines on the two cores, before each two-core turn of "+
			"lanes (about 50-60 ns where the cores share an L3; 300 ns and more where the host placed the vCPUs on "+
			"different core complexes, and then two cores train little or no faster than one):")
		lines = append(lines, trips...)
	}
	if len(calls) > 0 {
		lines = append(lines, "", "The peers' calls:")
		lines = append(lines, calls...)
	}
	return lines, errs
}

func accText(a float64, ok bool) string {
	if !ok || math.IsNaN(a) {
		return "—"
	}
	return fmt.Sprintf("%.4f", a)
}

func cpuName() string {
	if n := strings.TrimSpace(cpuid.CPU.BrandName); n != "" {
		return n
	}
	return "unknown CPU"
}

// measurePeaks measures the FMA peak of every ISA path this CPU supports that has a probe, and
// keeps the higher of each and its figure in prev. The probe runs in many short turns and keeps
// the fastest, so that a turn that another process interrupted does not lower the peak.
func measurePeaks(prev map[string]fmapeak.Result) map[string]fmapeak.Result {
	peaks := map[string]fmapeak.Result{}
	for _, s := range kernels.SupportedISAs() {
		r, err := fmapeak.Measure(s, 20*time.Millisecond, 25)
		if err != nil {
			continue
		}
		if p, ok := prev[s]; ok && p.GFLOPS > r.GFLOPS {
			r = p
		}
		peaks[s] = r
	}
	return peaks
}

func peakLine(isa string, peaks map[string]fmapeak.Result) string {
	if len(peaks) == 0 {
		return "no probe on this build (" + runtime.GOARCH + ", ISA " + isa + "): GEMM figures are not read as % of peak"
	}
	var parts []string
	if r, ok := peaks[isa]; ok {
		parts = append(parts, fmt.Sprintf("%.1f GFLOP/s with %d-bit FMAs (%s, the path lanes uses; GEMM percentages are of this)", r.GFLOPS, r.Bits, isa))
	} else {
		parts = append(parts, "no probe for "+isa+" (GEMM figures are not read as % of peak)")
	}
	for _, s := range kernels.SupportedISAs() {
		if r, ok := peaks[s]; ok && s != isa {
			parts = append(parts, fmt.Sprintf("%.1f with %d-bit FMAs (%s)", r.GFLOPS, r.Bits, s))
		}
	}
	return strings.Join(parts, "; ")
}

func peerLine(v reply, err error) string {
	if err != nil {
		return "unavailable: " + err.Error()
	}
	var parts []string
	if v.Numpy != "" {
		parts = append(parts, "numpy "+v.Numpy+" on "+v.BLAS)
	} else {
		parts = append(parts, "numpy unavailable: "+v.NumpyError)
	}
	if v.Torch != "" {
		parts = append(parts, "PyTorch "+v.Torch)
	} else {
		parts = append(parts, "PyTorch unavailable: "+v.TorchError)
	}
	parts = append(parts, "Python "+v.Python)
	return strings.Join(parts, ", ")
}

// heldVars are the environment variables that choose the code paths of lanes (LANES_ISA) and of
// the peers: PyTorch's ATen kernels (ATEN_CPU_CAPABILITY=default|avx2|avx512) and OpenBLAS's
// (OPENBLAS_CORETYPE=Haswell, say). `make compare COMPARE_ISA=avx2` sets all three.
var heldVars = []string{"LANES_ISA", "ATEN_CPU_CAPABILITY", "OPENBLAS_CORETYPE"}

// heldPaths lists the heldVars that getenv gives a value, as NAME=value joined by ", ", or "".
func heldPaths(getenv func(string) string) string {
	var set []string
	for _, k := range heldVars {
		if v := getenv(k); v != "" {
			set = append(set, k+"="+v)
		}
	}
	return strings.Join(set, ", ")
}

// tripText writes a round trip in ns, or says none was measured.
func tripText(d time.Duration) string {
	if d <= 0 {
		return "no answer"
	}
	return fmt.Sprintf("%d ns", d.Nanoseconds())
}

// loadAverage is the first three fields of /proc/loadavg, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
