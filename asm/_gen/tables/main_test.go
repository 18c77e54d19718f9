package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerate writes the table files from the repository into a temporary tree and checks them
// against the committed ones.
func TestGenerate(t *testing.T) {
	out := t.TempDir()
	if err := os.Mkdir(filepath.Join(out, "kernels"), 0o755); err != nil {
		t.Fatal(err)
	}
	repo := filepath.Join("..", "..", "..")
	if err := run(repo, out); err != nil {
		t.Fatal(err)
	}
	for _, a := range arches {
		name := filepath.Join("kernels", "table_asm_"+a.goarch+".go")
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		committed, err := os.ReadFile(filepath.Join(repo, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, committed) {
			t.Errorf("%s is not what the generator writes: run go generate ./kernels", name)
		}
		if !bytes.HasPrefix(got, []byte("// Code generated ")) || !bytes.Contains(got, []byte("//go:build !purego\n")) {
			t.Errorf("%s lacks the generated-code header or the purego constraint", name)
		}
	}
}

// TestEntries checks the matching rule: the name ignoring the case of the kernel, the type
// suffix and the ISA, and the signature with T replaced.
func TestEntries(t *testing.T) {
	fields := []field{
		{"relu", "func([]T, []T)"},
		{"leakyReLU", "func(T, []T, []T)"},
		{"sum", "func([]T) T"},
		{"gemm", "*gemmKernel[T]"},
	}
	decls := []decl{
		{"ReLUF32AVX2", "func([]float32, []float32)"},
		{"ReLUF64AVX2", "func([]float64, []float64)"},
		{"ReLUF32AVX512", "func([]float32, []float32)"}, // another ISA
		{"LeakyReLUF32AVX2", "func(float32, []float32, []float32)"},
		{"SumF32AVX2", "func([]float64) float32"},    // wrong signature
		{"GemmF32AVX2", "func([]float32, int, int)"}, // no matching field type
		{"ExpSubSumF32AVX2", "func([]float32, []float32, float32) float32"},
	}
	var got []string
	for _, e := range entries("AVX2", fields, decls) {
		got = append(got, e.ops+"."+e.field+"="+e.fn)
	}
	want := "f32.relu=ReLUF32AVX2 f32.leakyReLU=LeakyReLUF32AVX2 f64.relu=ReLUF64AVX2"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("entries = %s, want %s", g, want)
	}
}
