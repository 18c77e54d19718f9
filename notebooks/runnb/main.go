// Command runnb executes the notebooks headless on the gonb kernel, checks them and renders them
// to HTML.
//
// For each notebook it runs Jupyter's nbconvert to execute every cell (the executed copy goes to
// the -out folder, never over the source), then fails it if a cell raised an error, printed
// GoNB's "exit status N" for a failing shell line, or printed a Go panic; if the notebook's
// expected outputs (expect.go) are missing or out of range; or if the rendered HTML lacks the
// notebook's pictures or cannot typeset its formulas (math.go). A failure prints the cell's
// source and output. With -expect-failure the
// roles swap: every notebook given must fail, which checks the runner itself.
//
// Usage, from the repository root (make notebooks sets the Jupyter paths):
//
//	go run ./notebooks/runnb [-python /usr/bin/python3] [-out notebooks/html] [-mathjax URL] [notebook.ipynb ...]
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

func main() {
	python := flag.String("python", "/usr/bin/python3", "the Python that has Jupyter's nbconvert and nbclient")
	out := flag.String("out", "notebooks/html", "folder for the executed notebooks, their HTML and kernel logs")
	cellTimeout := flag.Duration("cell-timeout", 5*time.Minute, "longest a cell may run (the first compiles on a cold cache)")
	total := flag.Duration("timeout", 20*time.Minute, "longest the whole run may take")
	expectFailure := flag.Bool("expect-failure", false, "pass only if every notebook given fails (checks the runner)")
	mathJax := flag.String("mathjax", debianMathJax, "the MathJax the HTML pages load to typeset their formulas (a file: URL or a path relative to -out; \"\" for nbconvert's default)")
	flag.Parse()

	paths := flag.Args()
	if len(paths) == 0 {
		var err error
		paths, err = filepath.Glob("notebooks/*.ipynb")
		if err != nil || len(paths) == 0 {
			fatalf("runnb: no notebooks given and none in notebooks/ (run from the repository root)")
		}
	}
	sort.Strings(paths)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fatalf("runnb: %v", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), *total)
	defer cancel()
	r := runner{python: *python, out: *out, cellTimeout: *cellTimeout, checkSpecs: !*expectFailure, mathJax: *mathJax}
	start := time.Now()
	failed := 0
	for _, p := range paths {
		t0 := time.Now()
		problems := r.run(ctx, p)
		took := time.Since(t0).Round(100 * time.Millisecond)
		name := filepath.Base(p)
		switch {
		case *expectFailure && len(problems) == 0:
			failed++
			fmt.Printf("FAIL %s (%v): it was meant to fail and passed\n", name, took)
		case *expectFailure && (mustFail[name] == "" || !strings.Contains(strings.Join(problems, "\n"), mustFail[name])):
			failed++
			fmt.Printf("FAIL %s (%v): its report should say %q (notebooks/runnb/expect.go), it says:\n", name, took, mustFail[name])
			for _, pr := range problems {
				fmt.Println(indent(pr))
			}
		case *expectFailure:
			fmt.Printf("ok   %s (%v): failed as it should: %s\n", name, took, firstLine(problems[0]))
		case len(problems) > 0:
			failed++
			fmt.Printf("FAIL %s (%v)\n", name, took)
			for _, pr := range problems {
				fmt.Println(indent(pr))
			}
		default:
			fmt.Printf("ok   %s (%v)\n", name, took)
		}
	}
	fmt.Printf("%d notebooks in %v, %d failed; executed copies and HTML in %s\n",
		len(paths), time.Since(start).Round(100*time.Millisecond), failed, *out)
	if failed > 0 {
		os.Exit(1)
	}
}

type runner struct {
	python      string
	out         string
	cellTimeout time.Duration
	checkSpecs  bool   // check each notebook's expected outputs (specs)
	mathJax     string // MathJax's URL in the HTML pages; "" for nbconvert's default
}

// debianMathJax is Debian's MathJax 2 (package libjs-mathjax), configured as nbconvert does.
const debianMathJax = "file:///usr/share/javascript/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"

// run executes, checks and renders one notebook, and returns what is wrong with it.
func (r runner) run(ctx context.Context, path string) []string {
	base := strings.TrimSuffix(filepath.Base(path), ".ipynb")
	if abs(filepath.Dir(path)) == abs(r.out) {
		return []string{"the output folder must not be the notebook's own folder"}
	}
	logPath := filepath.Join(r.out, base+".log")
	executed := filepath.Join(r.out, base+".ipynb")
	os.Remove(executed)

	// --allow-errors: run every cell and keep the outputs even when one fails, so that the checks
	// below can name the failing cell and the HTML shows it.
	err := r.nbconvert(ctx, logPath, "--to", "notebook", "--execute", "--allow-errors",
		fmt.Sprintf("--ExecutePreprocessor.timeout=%d", int(r.cellTimeout.Seconds())),
		"--ExecutePreprocessor.kernel_name=gonb",
		"--output-dir", r.out, "--output", base, path)
	if err != nil {
		return []string{fmt.Sprintf("nbconvert --execute: %v; the end of its log (%s):\n%s", err, logPath, tail(logPath, 25))}
	}
	nb, err := readNotebook(executed)
	if err != nil {
		return []string{err.Error()}
	}

	var problems []string
	for _, f := range nb.failures() {
		problems = append(problems, f.String())
	}
	if r.checkSpecs {
		s, ok := specs[filepath.Base(path)]
		if !ok {
			problems = append(problems, "no expected outputs for this notebook in notebooks/runnb/expect.go")
		}
		problems = append(problems, s.check(nb)...)
	}

	args := []string{"--to", "html", "--output-dir", r.out, executed}
	if r.mathJax != "" {
		args = append(args, "--HTMLExporter.mathjax_url="+r.mathJax)
	}
	if err := r.nbconvert(ctx, logPath, args...); err != nil {
		return append(problems, fmt.Sprintf("nbconvert --to html: %v; the end of its log (%s):\n%s", err, logPath, tail(logPath, 25)))
	}
	page, err := os.ReadFile(filepath.Join(r.out, base+".html"))
	if err != nil {
		return append(problems, err.Error())
	}
	if want, got := pngOutputs(nb), bytes.Count(page, []byte(`src="data:image/png;base64,`)); got < want {
		problems = append(problems, fmt.Sprintf("the HTML shows %d PNG pictures, the notebook has %d", got, want))
	}
	return append(problems, checkMath(nb, string(page), r.out)...)
}

// nbconvert runs Jupyter's nbconvert with args, appending its output to the log file.
func (r runner) nbconvert(ctx context.Context, logPath string, args ...string) error {
	log, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer log.Close()
	cmd := exec.CommandContext(ctx, r.python, append([]string{"-m", "nbconvert"}, args...)...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%w (the whole run took longer than -timeout)", ctx.Err())
		}
		return err
	}
	return nil
}

func pngOutputs(nb *notebook) int {
	n := 0
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			if _, ok := o.Data["image/png"]; ok {
				n++
			}
		}
	}
	return n
}

func abs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return filepath.Clean(a)
}

// tail returns the last n lines of a file.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(2)
}
