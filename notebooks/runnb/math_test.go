package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestFormulas(t *testing.T) {
	nb := &notebook{Cells: []cell{
		{CellType: "markdown", Source: "Softmax:\n\n$$y_k = \\frac{e^{a_k}}{\\sum_i e^{a_i}}$$\n\nwith $T$ and\n$a_k$, not `$x$` nor\n```\n$y$\n```\nand $b \\over\nc$ but not $ over\n\na paragraph$"},
		{CellType: "code", Source: "// $z$"},
	}}
	want := []string{`$$y_k = \frac{e^{a_k}}{\sum_i e^{a_i}}$$`, `$T$`, `$a_k$`, "$b \\over\nc$"}
	if got := nb.formulas(); !reflect.DeepEqual(got, want) {
		t.Errorf("formulas() = %q, want %q", got, want)
	}
}

// A fake MathJax folder with the files the check looks for, and pages around it.
func TestCheckMath(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "mathjax")
	for _, f := range mathJaxFiles([]string{"TeX-AMS_CHTML-full", "Safe"}) {
		p := filepath.Join(root, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("//"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "require.min.js"), []byte("//"), 0o644)

	nb := &notebook{Cells: []cell{{CellType: "markdown", Source: "the sum $a_k + b_k < c$"}}}
	const config = `<script type="text/x-mathjax-config">tex2jax: { inlineMath: [ ['$','$'], ["\\(","\\)"] ] }</script>`
	const body = `<p>the sum $a_k + b_k &lt; c$</p>`
	page := func(mathJax, body string) string {
		return `<script src="file://` + dir + `/require.min.js"></script>` +
			`<script src="` + mathJax + `"> </script>` + config + body
	}
	good := "file://" + root + "/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
	if p := checkMath(nb, page(good, body), dir); len(p) != 0 {
		t.Errorf("a page with MathJax and its files: %q", p)
	}
	if p := checkMath(nb, page("mathjax/MathJax.js?config=TeX-AMS_CHTML-full", body), dir); len(p) != 0 {
		t.Errorf("MathJax by a relative path: %q", p)
	}
	if p := checkMath(&notebook{}, "<p>no math</p>", dir); len(p) != 0 {
		t.Errorf("a page without formulas: %q", p)
	}

	bad := []struct {
		page, want string
	}{
		{`<p>the sum $a_k + b_k &lt; c$</p>`, "loads no MathJax"},
		{page("file:///nonexistent/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe", body), "lacks MathJax.js"},
		{page("file://"+root+"/MathJax.js?config=TeX-AMS_SVG", body), "lacks config/TeX-AMS_SVG.js"},
		{page("https://cdn.example.org/mathjax/MathJax.js", body), "from the network"},
		{page(good, `<p>the sum $a<em>k + b</em>k &lt; c$</p>`), "is not in the HTML as written"},
		{strings.Replace(page(good, body), "['$','$'], ", "", 1), "does not take $...$"},
		{strings.Replace(page(good, body), dir+"/require.min.js", dir+"/missing.js", 1), "missing.js, which is missing"},
	}
	for i, b := range bad {
		p := checkMath(nb, b.page, dir)
		if !strings.Contains(strings.Join(p, "\n"), b.want) {
			t.Errorf("bad page %d: problems %q, want one that says %q", i, p, b.want)
		}
	}
}
