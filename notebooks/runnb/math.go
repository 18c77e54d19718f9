package main

import (
	"fmt"
	"html"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// The formulas of the notebooks are LaTeX between dollar signs in their markdown cells; nbconvert
// copies them into the HTML as they are, and MathJax, which the page loads with a <script>, turns
// them into typeset math when a browser opens it. checkMath makes sure that it can: a page whose
// MathJax is missing shows raw LaTeX.

var (
	fencedCode  = regexp.MustCompile("(?s)```.*?```")
	inlineCode  = regexp.MustCompile("`[^`]*`")
	displayMath = regexp.MustCompile(`(?s)\$\$.+?\$\$`)
	// Inline math stays within a paragraph: no blank line between the dollars.
	inlineMath = regexp.MustCompile(`\$(?:[^$\n]|\n[^$\n])+?\$`)

	scriptSrc = regexp.MustCompile(`<script[^>]*\ssrc="([^"]*)"`)
	// nbconvert's MathJax configuration, which must take single dollars for inline math.
	dollarInline = regexp.MustCompile(`inlineMath:\s*\[\s*\[\s*'\$'\s*,\s*'\$'\s*\]`)
)

// formulas returns the math of the notebook's markdown cells, delimiters included, in order:
// $$...$$ and $...$ outside code.
func (nb *notebook) formulas() []string {
	var fs []string
	for _, c := range nb.Cells {
		if c.CellType != "markdown" {
			continue
		}
		s := fencedCode.ReplaceAllString(string(c.Source), "")
		s = inlineCode.ReplaceAllString(s, "")
		fs = append(fs, displayMath.FindAllString(s, -1)...)
		s = displayMath.ReplaceAllString(s, "")
		fs = append(fs, inlineMath.FindAllString(s, -1)...)
	}
	return fs
}

// mathJaxFiles lists, relative to MathJax's folder, the files a page needs to typeset TeX with
// the given configurations (the ?config= of its URL): MathJax.js, each configuration, and, for
// the CommonHTML output, its font data and the web fonts.
func mathJaxFiles(configs []string) []string {
	files := []string{"MathJax.js"}
	chtml := false
	for _, c := range configs {
		files = append(files, filepath.Join("config", c+".js"))
		chtml = chtml || strings.Contains(c, "CHTML")
	}
	if chtml {
		files = append(files,
			"jax/output/CommonHTML/fonts/TeX/fontdata.js",
			"fonts/HTML-CSS/TeX/woff/MathJax_Main-Regular.woff",
			"fonts/HTML-CSS/TeX/woff/MathJax_Math-Italic.woff",
		)
	}
	return files
}

// localPath returns the file a script's src names on this machine (file:// URLs and paths
// relative to the page's folder), or "" for one loaded from the network.
func localPath(src, pageDir string) string {
	u, err := url.Parse(src)
	if err != nil {
		return ""
	}
	switch u.Scheme {
	case "file":
		return u.Path
	case "":
		if u.Host != "" { // //host/path
			return ""
		}
		if filepath.IsAbs(u.Path) {
			return u.Path
		}
		return filepath.Join(pageDir, u.Path)
	}
	return ""
}

// checkMath returns what keeps the HTML page (in pageDir) of nb from showing its formulas typeset:
// no MathJax loaded, MathJax or a file it needs missing, a configuration that ignores $...$, or a
// formula the markdown conversion changed (MathJax reads the page's text; a formula split by
// <em> tags stays raw). It also checks that every other script the page loads from this machine
// exists. A page without formulas needs no MathJax.
func checkMath(nb *notebook, page, pageDir string) []string {
	var problems []string
	mathJax := ""
	for _, m := range scriptSrc.FindAllStringSubmatch(page, -1) {
		src := html.UnescapeString(m[1])
		p := localPath(src, pageDir)
		if strings.Contains(src, "MathJax.js") {
			mathJax = src
			continue
		}
		if p != "" {
			if _, err := os.Stat(p); err != nil {
				problems = append(problems, fmt.Sprintf("the HTML loads the script %s, which is missing: %v", src, err))
			}
		}
	}

	formulas := nb.formulas()
	if len(formulas) == 0 {
		return problems
	}
	if mathJax == "" {
		return append(problems, fmt.Sprintf("the HTML loads no MathJax: its %d formulas (%s ...) show as raw LaTeX", len(formulas), formulas[0]))
	}
	root := localPath(mathJax, pageDir)
	if root == "" {
		return append(problems, fmt.Sprintf("the HTML loads MathJax from the network (%s): its formulas stay raw offline; give runnb -mathjax a local copy", mathJax))
	}
	root = filepath.Dir(root)
	var configs []string
	if u, err := url.Parse(mathJax); err == nil && u.Query().Get("config") != "" {
		configs = strings.Split(u.Query().Get("config"), ",")
	}
	for i, f := range mathJaxFiles(configs) {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			problems = append(problems, fmt.Sprintf("MathJax (%s) lacks %s, which its formulas need: %v (make notebooks-deps installs Debian's libjs-mathjax)", mathJax, f, err))
			if i == 0 { // no MathJax.js: the rest is missing too
				break
			}
		}
	}
	if !dollarInline.MatchString(page) {
		problems = append(problems, "the HTML's MathJax configuration does not take $...$ as inline math")
	}
	text := html.UnescapeString(page)
	for _, f := range formulas {
		if !strings.Contains(text, f) {
			problems = append(problems, fmt.Sprintf("the formula %s is not in the HTML as written (the markdown conversion changed it), so MathJax cannot typeset it", f))
		}
	}
	return problems
}
