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

// TestTailmaskDefinedOnce checks that the generated kernels reference the shared tail mask and
// define no tail mask of their own.
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
		if bytes.Contains(s, []byte("DATA ")) || bytes.Contains(s, []byte("GLOBL ")) {
			t.Errorf("%s_amd64.s defines data", k.file)
		}
		if n := bytes.Count(s, []byte(" ·tailmask+0(SB), BX\n")); n != 2 {
			t.Errorf("%s_amd64.s loads ·tailmask %d times, want 2 (the AVX2 functions)", k.file, n)
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
