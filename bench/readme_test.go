package bench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestREADMEPrograms builds every ```go block of the README that is a complete program (its first
// line is `package main`), so that the snippets users copy keep compiling as the API changes. The
// blocks are compiled as packages of this module that exist only in a `go build -overlay` (nothing
// is written into the source tree), with GOPROXY=off and GOTOOLCHAIN=local (nothing is
// downloaded: the module's requirements are in the module cache), and each starts with a //line
// directive, so a compile error names the README's own line. Blocks must also be gofmt-formatted.
func TestREADMEPrograms(t *testing.T) {
	t.Run("length", testREADMELength)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var progs []goBlock
	imports := map[string]bool{}
	for _, b := range goBlocks(readme) {
		if !strings.HasPrefix(b.text, "package main\n") {
			continue
		}
		progs = append(progs, b)
		if f, err := format.Source([]byte(b.text)); err == nil && string(f) != b.text {
			t.Errorf("README.md:%d: this go block is not gofmt-formatted; gofmt gives:\n%s", b.line, f)
		}
		for _, m := range importRE.FindAllStringSubmatch(b.text, -1) {
			imports[m[1]] = true
		}
	}
	// The README shows one complete program for each of the kernels, the gonum adapter and nn.
	for _, p := range []string{"kernels", "kernels/gonumblas", "nn"} {
		if !imports["github.com/lanesimd/lanes/"+p] {
			t.Errorf("no complete program (a ```go block starting with `package main`) in README.md imports github.com/lanesimd/lanes/%s", p)
		}
	}
	if len(progs) == 0 {
		t.Fatal("README.md has no complete program to build")
	}

	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("the go command is not on PATH: %v", err)
	}
	tmp := t.TempDir()
	replace := map[string]string{}
	var pkgs []string
	for _, b := range progs {
		src := filepath.Join(tmp, fmt.Sprintf("line%d.go", b.line))
		if err := os.WriteFile(src, []byte(fmt.Sprintf("//line README.md:%d:1\n%s", b.line, b.text)), 0o644); err != nil {
			t.Fatal(err)
		}
		dir := fmt.Sprintf("internal/readmeprog/line%d", b.line)
		replace[filepath.Join(root, "bench", filepath.FromSlash(dir), "main.go")] = src
		pkgs = append(pkgs, "./"+dir)
	}
	overlay, err := json.Marshal(map[string]any{"Replace": replace})
	if err != nil {
		t.Fatal(err)
	}
	overlayFile := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(tmp, "bin") + string(filepath.Separator)
	cmd := exec.Command(gotool, append([]string{"build", "-overlay", overlayFile, "-o", bin}, pkgs...)...)
	cmd.Dir = filepath.Join(root, "bench")
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOTOOLCHAIN=local", "GOFLAGS=-mod=readonly", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Logf("built %d README programs (at lines %s)", len(progs), lines(progs))
		return
	}
	failed := map[int]bool{}
	for _, m := range failedRE.FindAllStringSubmatch(string(out), -1) {
		n, _ := strconv.Atoi(m[1])
		failed[n] = true
	}
	var which []int
	for n := range failed {
		which = append(which, n)
	}
	sort.Ints(which)
	for _, n := range which {
		t.Errorf("README.md:%d: this go block does not build", n)
	}
	t.Fatalf("go build of the README's programs: %v\n%s", err, out)
}

var (
	importRE = regexp.MustCompile(`(?m)^\s*(?:[\w.]+\s+)?"([^"]+)"\s*$`)
	failedRE = regexp.MustCompile(`readmeprog/line(\d+)`)
)

// goBlock is a fenced ```go block of a Markdown file: its text and the line of its first line.
type goBlock struct {
	line int
	text string
}

// goBlocks returns the ```go blocks of a Markdown file.
func goBlocks(md []byte) []goBlock {
	var blocks []goBlock
	var cur *goBlock
	var text strings.Builder
	s := bufio.NewScanner(bytes.NewReader(md))
	for n := 1; s.Scan(); n++ {
		l := s.Text()
		switch {
		case cur == nil && strings.TrimSpace(l) == "```go":
			cur = &goBlock{line: n + 1}
			text.Reset()
		case cur != nil && strings.TrimSpace(l) == "```":
			cur.text = text.String()
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			text.WriteString(l)
			text.WriteByte('\n')
		}
	}
	return blocks
}

func lines(bs []goBlock) string {
	s := make([]string, len(bs))
	for i, b := range bs {
		s[i] = strconv.Itoa(b.line)
	}
	return strings.Join(s, ", ")
}

// readmeMaxLines keeps README.md a page for users: details belong in docs/.
const readmeMaxLines = 150

// testREADMELength fails when README.md grows past readmeMaxLines lines.
func testREADMELength(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(readme), "\n"); n > readmeMaxLines {
		t.Errorf("README.md has %d lines, more than %d: move details into docs/", n, readmeMaxLines)
	}
}
