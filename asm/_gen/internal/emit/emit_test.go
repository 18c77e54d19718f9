package emit

import (
	"strings"
	"testing"
)

func TestComment(t *testing.T) {
	ops := map[string]bool{">=": true}
	long := strings.Repeat("word ", 30) + "len(c) >= 5*ldc+56 end"
	lines := Comment(ops, long, "\tfor i := range c {\n\t\tc[i] = 0\n\t}")
	var joined []string
	for _, l := range lines {
		if len(l) > DocWidth {
			t.Errorf("line of %d bytes: %q", len(l), l)
		}
		joined = append(joined, l)
	}
	text := strings.Join(joined, "\n")
	if !strings.Contains(text, "len(c) >= 5*ldc+56") {
		t.Errorf("the expression around >= was split:\n%s", text)
	}
	if !strings.HasSuffix(text, "\n\n\tfor i := range c {\n\t\tc[i] = 0\n\t}") {
		t.Errorf("the code block is not kept after a blank line:\n%s", text)
	}
}

func TestGroupParams(t *testing.T) {
	src := "package asm\n\nfunc F(a []float32, rs int, cs int, b []float32)\n"
	got, err := GroupParams([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if want := "func F(a []float32, rs, cs int, b []float32)"; !strings.Contains(string(got), want) {
		t.Errorf("GroupParams gave\n%s\nwant a line %q", got, want)
	}
}
