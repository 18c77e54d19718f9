package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func count(n int) *int { return &n }

func stream(name, s string) output { return output{OutputType: "stream", Name: name, Text: text(s)} }

func TestCellFailure(t *testing.T) {
	ok := []cell{
		{CellType: "markdown", Source: "exit status 1\npanic: not code"},
		{CellType: "code", Source: "", ExecutionCount: nil},
		{CellType: "code", Source: "%%\nfmt.Println(1)", ExecutionCount: count(1),
			Outputs: []output{stream("stdout", "1\n")}},
		// Only a whole line "exit status N" with N > 0 is GoNB's report of a failed command.
		{CellType: "code", Source: "!true", ExecutionCount: count(2),
			Outputs: []output{stream("stdout", "the exit status 1 of a program\nexit status 0\n")}},
		{CellType: "code", Source: "%%", ExecutionCount: count(3),
			Outputs: []output{stream("stdout", "don't panic: all is well\n")}},
	}
	for i, c := range ok {
		if why := c.failure(); why != "" {
			t.Errorf("cell %d (%q) failed: %s", i, c.Source, why)
		}
	}

	bad := []struct {
		c    cell
		want string
	}{
		{cell{CellType: "code", Source: "%%\nfmt.Println(1)"}, "not executed"},
		{cell{CellType: "code", Source: "!false", ExecutionCount: count(1),
			Outputs: []output{stream("stderr", "exit status 1\n")}}, "exit status 1"},
		{cell{CellType: "code", Source: "!go build ./nothing", ExecutionCount: count(1),
			Outputs: []output{stream("stderr", "no Go files\r\nexit status 17\r\n")}}, "exit status 17"},
		{cell{CellType: "code", Source: "%%\nvar a []int\n_ = a[3]", ExecutionCount: count(1),
			Outputs: []output{stream("stderr", "panic: runtime error: index out of range [3] with length 0\n\ngoroutine 1 [running]:\n")}}, "panic"},
		{cell{CellType: "code", Source: "%%", ExecutionCount: count(1),
			Outputs: []output{stream("stderr", "fatal error: all goroutines are asleep - deadlock!\n")}}, "fatal error"},
		{cell{CellType: "code", Source: "%%\nfmt.Println(x)", ExecutionCount: count(1),
			Outputs: []output{{OutputType: "error", Ename: "ERROR", Evalue: "failed to run go build: exit status 1"}}}, "failed to run go build"},
	}
	for i, b := range bad {
		why := b.c.failure()
		if why == "" || !strings.Contains(why, b.want) {
			t.Errorf("bad cell %d (%q): failure() = %q, want it to mention %q", i, b.c.Source, why, b.want)
		}
	}
}

// The failures name the cell as a reader counts them and show its source and output as text.
func TestFailuresReport(t *testing.T) {
	nb := &notebook{Cells: []cell{
		{CellType: "markdown", Source: "# title"},
		{CellType: "code", Source: "%%\nfmt.Println(1)", ExecutionCount: count(1), Outputs: []output{stream("stdout", "1\n")}},
		{CellType: "code", Source: "!false", ExecutionCount: count(2), Outputs: []output{
			{OutputType: "display_data", Data: map[string]text{"text/html": `<style>.x{}</style><div class="err">it &lt;failed&gt;</div>`}},
			stream("stderr", "exit status 1\n"),
		}},
	}}
	fs := nb.failures()
	if len(fs) != 1 {
		t.Fatalf("failures() = %v, want one", fs)
	}
	got := fs[0].String()
	for _, want := range []string{"cell 3:", "--- source\n!false", "it <failed>\n", "exit status 1"} {
		if !strings.Contains(got, want) {
			t.Errorf("report %q lacks %q", got, want)
		}
	}
	if strings.Contains(got, "<div") || strings.Contains(got, ".x{}") {
		t.Errorf("report %q shows HTML markup", got)
	}
}

// Notebook text fields come as one string or a list of lines.
func TestReadTextFields(t *testing.T) {
	const src = `{"cells": [
		{"cell_type": "code", "execution_count": 1, "source": ["%%\n", "fmt.Println(2)"],
		 "outputs": [{"output_type": "stream", "name": "stdout", "text": ["[0.3168270764 ", "0.6962790899]\n"]},
		             {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo=", "text/plain": "plot"}}]},
		{"cell_type": "code", "execution_count": 2, "source": "%%\nfmt.Println(3)",
		 "outputs": [{"output_type": "execute_result", "data": {"text/html": ["<img src=\"a.png\">", "<svg></svg>"]}}]}
	]}`
	var nb notebook
	if err := json.Unmarshal([]byte(src), &nb); err != nil {
		t.Fatal(err)
	}
	if got := string(nb.Cells[0].Source); got != "%%\nfmt.Println(2)" {
		t.Errorf("source = %q", got)
	}
	if got := nb.Text(); !strings.Contains(got, "[0.3168270764 0.6962790899]\n") || !strings.Contains(got, "plot") {
		t.Errorf("Text() = %q", got)
	}
	if got := nb.Images(); got != 3 {
		t.Errorf("Images() = %d, want 3 (a PNG, an <img> and an <svg>)", got)
	}
	if got := pngOutputs(&nb); got != 1 {
		t.Errorf("pngOutputs() = %d, want 1", got)
	}
	if err := json.Unmarshal([]byte(`{"cells": [{"cell_type": "code", "source": 7}]}`), &nb); err == nil {
		t.Error("a number as source was accepted")
	}
}

func TestExpectations(t *testing.T) {
	out := "softmax: [0.9999546 4.5398e-05 2.0611e-09]\ntest accuracy: 0.9312\n"
	cases := []struct {
		e  expectation
		ok bool
	}{
		{shows("softmax", `\[0\.9999546 4\.5398e-05 2\.0611e-09\]`), true},
		{shows("naive softmax", `NaN`), false},
		{between("accuracy", `test accuracy: ([0-9.]+)`, 0.9, 1), true},
		{between("accuracy", `test accuracy: ([0-9.]+)`, 0.95, 1), false},
		{between("accuracy", `test accuracy: ([0-9.]+)`, 0, 0.5), false},
		{between("loss", `loss: ([0-9.]+)`, 0, 1), false},
		{between("not a number", `test (accuracy)`, 0, 1), false},
	}
	for i, c := range cases {
		msg := c.e.check(out)
		if (msg == "") != c.ok {
			t.Errorf("case %d (%s, %v): check = %q, want ok=%v", i, c.e.What, c.e.Pattern, msg, c.ok)
		}
	}

	defer func() {
		if recover() == nil {
			t.Error("between with a pattern that captures nothing did not panic")
		}
	}()
	between("bad", `accuracy`, 0, 1)
}

func TestSpecCheck(t *testing.T) {
	nb := &notebook{Cells: []cell{{CellType: "code", Source: "%%", ExecutionCount: count(1), Outputs: []output{
		stream("stdout", "sum 1.000000\n"),
		{OutputType: "display_data", Data: map[string]text{"image/png": "iVBORw0KGgo="}},
	}}}}
	if bad := (spec{Expect: []expectation{shows("sum", `sum 1\.0+`)}, Images: 1}).check(nb); len(bad) != 0 {
		t.Errorf("check = %v, want nothing wrong", bad)
	}
	bad := (spec{Expect: []expectation{shows("sum", `sum 2`)}, Images: 2}).check(nb)
	if len(bad) != 2 {
		t.Errorf("check = %v, want the missing text and the missing picture", bad)
	}
}

// Every notebook in notebooks/ has its expected outputs, and every spec names a notebook there.
func TestSpecsCoverNotebooks(t *testing.T) {
	names, err := filepathGlob("../*.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, n := range names {
		have[n] = true
		if s, ok := specs[n]; !ok || len(s.Expect) == 0 {
			t.Errorf("notebooks/%s has no expected outputs in expect.go", n)
		}
	}
	for n := range specs {
		if !have[n] {
			t.Errorf("expect.go names %s, which is not in notebooks/", n)
		}
	}

	bad, err := filepathGlob("testdata/*.ipynb")
	if err != nil || len(bad) == 0 {
		t.Fatalf("no notebooks in testdata/ (%v)", err)
	}
	for _, n := range bad {
		if mustFail[n] == "" {
			t.Errorf("testdata/%s does not say in mustFail how it must fail", n)
		}
	}
	if len(bad) != len(mustFail) {
		t.Errorf("mustFail names %d notebooks, testdata/ holds %d", len(mustFail), len(bad))
	}
}

// filepathGlob returns the base names of the files matching pattern.
func filepathGlob(pattern string) ([]string, error) {
	paths, err := filepath.Glob(pattern)
	for i, p := range paths {
		paths[i] = filepath.Base(p)
	}
	return paths, err
}

// setup.sh pins the GoNB the notebooks import to the version of the gonb kernel that the Makefile
// installs: the two speak one protocol.
func TestSetupPinsKernelVersion(t *testing.T) {
	setup, err := os.ReadFile("../setup.sh")
	if err != nil {
		t.Fatal(err)
	}
	makefile, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^GONB_VERSION\s*:=\s*(\S+)`).FindSubmatch(makefile)
	if m == nil {
		t.Fatal("the Makefile sets no GONB_VERSION")
	}
	if want := "-require=github.com/janpfeifer/gonb@" + string(m[1]) + " "; !strings.Contains(string(setup), want) {
		t.Errorf("setup.sh does not pin GoNB to the kernel's version: it lacks %q", want)
	}
}
