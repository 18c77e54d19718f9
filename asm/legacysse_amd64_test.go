package asm

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// legacySSE matches a disassembled legacy-SSE instruction (no VEX or EVEX encoding) on an XMM
// register, by the mnemonics that hand-written assembly reaches for (moving a count into a
// vector register, scalar arithmetic, clearing a register); the disassembler's names for the
// EVEX encodings it does not know are not among them.
var legacySSE = regexp.MustCompile(`\t(MOV[QD]|MOVS[SD]|MOV[AU]P[SD]|MOVOU?|PXOR|XORP[SD]|ANDN?P[SD]|ORP[SD]|` +
	`(ADD|SUB|MUL|DIV|MAX|MIN|SQRT)S[SD]|CVT[A-Z0-9]+|PSHUF[DB]|SHUFP[SD]|UNPCK[HL]P[SD]|PINSR[QD]|PEXTR[QD]|` +
	`PCMP(EQ|GT)[BWDQ]|PADD[BWDQ]|PSUB[BWDQ]) [^\t]*\b[XYZ][0-9]+\b`)

// TestNoLegacySSE assembles every amd64 assembly file of the package, disassembles it and checks
// that no kernel runs a legacy-SSE instruction: after AVX code that has not cleared the upper
// halves of the registers, one pays the SSE/AVX transition, which on an Intel Xeon (model 167)
// cost a MOVQ into a tail mask's XMM register about 250 ns a call, five times the whole kernel.
// The assembler expands the macros, so a macro's registers are checked as they are used.
func TestNoLegacySSE(t *testing.T) {
	if !legacySSE.MatchString("  exp_f64_amd64.s:133\t0x543ce5\t\t664c0f6ef9\t\tMOVQ CX, X15\t") ||
		legacySSE.MatchString("  x_amd64.s:1\t0x1\t\tc4e1f96ef9\t\tVMOVQ CX, X15\t") ||
		legacySSE.MatchString("  x_amd64.s:1\t0x1\t\t4889e5\t\tMOVQ SP, BP\t") {
		t.Fatal("the pattern does not tell MOVQ CX, X15 from VMOVQ and from a move between general registers")
	}
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to assemble and disassemble with: legacy-SSE check skipped")
	}
	files, err := filepath.Glob("*_amd64.s")
	if err != nil || len(files) < 20 {
		t.Fatalf("found %d amd64 assembly files (%v), want all of the package's", len(files), err)
	}
	dir := t.TempDir()
	include := filepath.Join(runtime.GOROOT(), "pkg", "include")
	instructions := 0
	for _, name := range files {
		obj := filepath.Join(dir, strings.TrimSuffix(name, ".s")+".o")
		run := func(args ...string) string {
			cmd := exec.Command(gotool, args...)
			cmd.Env = append(cmd.Environ(), "GOARCH=amd64", "GOOS=linux")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
			}
			return string(out)
		}
		run("tool", "asm", "-I", include, "-I", ".", "-p", "github.com/lanesimd/lanes/asm", "-o", obj, name)
		for _, line := range strings.Split(run("tool", "objdump", obj), "\n") {
			if !strings.HasPrefix(line, "  ") {
				continue
			}
			instructions++
			if legacySSE.MatchString(line) {
				t.Errorf("legacy-SSE instruction (use its V form): %s", strings.Join(strings.Fields(line), " "))
			}
		}
	}
	t.Logf("%d files, %d instructions disassembled: no legacy-SSE instruction", len(files), instructions)
}
