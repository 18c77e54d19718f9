package main

import (
	"fmt"
	"regexp"
	"strconv"
)

// An expectation is something an executed notebook's text outputs must show. Pattern must match
// somewhere in them; when it has a capture group, the number it captures in its first match
// must lie in [Min, Max].
type expectation struct {
	What     string
	Pattern  *regexp.Regexp
	Min, Max float64
	Number   bool // Pattern captures a number checked against [Min, Max]
}

// shows expects the text re (a regular expression) in the outputs.
func shows(what, re string) expectation {
	return expectation{What: what, Pattern: regexp.MustCompile(re)}
}

// between expects re's first capture group to be a number in [lo, hi].
func between(what, re string, lo, hi float64) expectation {
	p := regexp.MustCompile(re)
	if p.NumSubexp() < 1 {
		panic("between: pattern " + re + " captures nothing")
	}
	return expectation{What: what, Pattern: p, Min: lo, Max: hi, Number: true}
}

// check returns "" if text meets e, else what is wrong.
func (e expectation) check(text string) string {
	m := e.Pattern.FindStringSubmatch(text)
	if m == nil {
		return fmt.Sprintf("%s: no output matches %q", e.What, e.Pattern)
	}
	if !e.Number {
		return ""
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return fmt.Sprintf("%s: %q in %q is not a number", e.What, m[1], m[0])
	}
	if !(v >= e.Min && v <= e.Max) {
		return fmt.Sprintf("%s: %q gives %g, want it in [%g, %g]", e.What, m[0], v, e.Min, e.Max)
	}
	return ""
}

// spec is what one notebook must show: its expectations and the least number of pictures.
type spec struct {
	Expect []expectation
	Images int
}

// specs holds the checks of every notebook in notebooks/, by file name. A notebook without an
// entry fails: each one must assert what it is meant to show.
var specs = map[string]spec{
	"03_softmax.ipynb": {
		Expect: []expectation{
			shows("naive softmax on small scores", `naive softmax\(\[0\.3 2\.9 4\]\) = \[0\.01821127 0\.24519181 0\.73659691\], sum 1\.000000`),
			shows("naive softmax overflows", `e\^1010 = \+Inf\nnaive softmax\(\[1010 1000 990\]\) = \[NaN NaN NaN\]`),
			shows("kernels.Softmax float64", `kernels\.Softmax\(\[1010 1000 990\]\) = \[0\.9999546 4\.5398e-05 2\.0611e-09\]`),
			shows("kernels.Softmax float32", `float32: \[0\.9999546 4\.539787e-05 2\.06106e-09\]`),
			shows("batch of rows", `row 0: class 4 with p = 0\.5850, sum of the row = 1\.000000\nrow 1: class 9 with p = 0\.6321, sum of the row = 1\.000000\nrow 2: class 0 with p = 0\.1000, sum of the row = 1\.000000`),
			shows("temperature", `T = 0\.5: \[0\.002 0\.081 0\.000 0\.004 0\.895`),
		},
		Images: 1,
	},
}

// check returns the unmet expectations of spec s in the executed notebook nb.
func (s spec) check(nb *notebook) []string {
	var bad []string
	text := nb.Text()
	for _, e := range s.Expect {
		if msg := e.check(text); msg != "" {
			bad = append(bad, msg)
		}
	}
	if n := nb.Images(); n < s.Images {
		bad = append(bad, fmt.Sprintf("%d pictures in the outputs, want at least %d", n, s.Images))
	}
	return bad
}

// mustFail holds the notebooks of notebooks/runnb/testdata, which check the runner itself: each
// must fail (run with -expect-failure), and its report must say this.
var mustFail = map[string]string{
	"compile.ipynb": `go build`,
	"panic.ipynb":   `the Go program crashed (panic:)`,
	"shell.ipynb":   `a command failed (exit status 1)`,
}
