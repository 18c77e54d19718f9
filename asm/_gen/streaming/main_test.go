package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerate runs the generator twice and checks that both runs write the same files, and the
// files committed in the asm directory.
func TestGenerate(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := run(a); err != nil {
		t.Fatal(err)
	}
	if err := run(b); err != nil {
		t.Fatal(err)
	}
	names, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	if want := 2*len(kernels) + 1; len(names) != want {
		t.Errorf("%d files written, want %d", len(names), want)
	}
	for _, n := range names {
		x, err := os.ReadFile(filepath.Join(a, n.Name()))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, n.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs", n.Name())
		}
		if !bytes.HasPrefix(x, []byte("// Code generated ")) || !bytes.Contains(x, []byte("//go:build !purego\n")) {
			t.Errorf("%s lacks the generated-code header or the purego constraint", n.Name())
		}
		committed, err := os.ReadFile(filepath.Join("..", "..", n.Name()))
		if err != nil {
			t.Error(err)
		} else if !bytes.Equal(x, committed) {
			t.Errorf("asm/%s is not what the generator writes: run go generate ./asm", n.Name())
		}
	}
}

// TestTailmaskDefinedOnce checks that no generated kernel defines a tail mask of its own (file-local
// constant tables are theirs to have) or uses another, and that the skeleton's kernels load the
// shared one.
func TestTailmaskDefinedOnce(t *testing.T) {
	dir := t.TempDir()
	if err := run(dir); err != nil {
		t.Fatal(err)
	}
	for _, k := range kernels {
		s, err := os.ReadFile(filepath.Join(dir, k.file+"_amd64.s"))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(s), "\n") {
			if (strings.HasPrefix(l, "DATA ") || strings.HasPrefix(l, "GLOBL ")) && strings.Contains(strings.ToLower(l), "mask") {
				t.Errorf("%s_amd64.s defines a mask of its own: %s", k.file, l)
			}
			if strings.Contains(l, "tailmask") && !strings.Contains(l, " ·tailmask+") {
				t.Errorf("%s_amd64.s uses a tail mask other than ·tailmask: %s", k.file, l)
			}
		}
	}
	// The seven kernels of the shared skeleton load it once in each of their two AVX2 functions.
	for _, name := range []string{"relu", "step", "max", "sum", "dot", "axpy", "scale"} {
		s, err := os.ReadFile(filepath.Join(dir, name+"_amd64.s"))
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(s, []byte(" ·tailmask+0(SB), BX\n")); n != 2 {
			t.Errorf("%s_amd64.s loads ·tailmask %d times, want 2 (the AVX2 functions)", name, n)
		}
	}
}

func TestWrap(t *testing.T) {
	s := strings.Repeat("word ", 50) + "a-very-long-word-" + strings.Repeat("x", 120)
	lines := wrap(s, 40)
	if got := strings.Join(lines, " "); got != strings.TrimSpace(strings.Join(strings.Fields(s), " ")) {
		t.Errorf("wrap lost words: %q", got)
	}
	for _, l := range lines[:len(lines)-1] {
		if len(l) > 40 {
			t.Errorf("line of %d bytes: %q", len(l), l)
		}
	}
}
