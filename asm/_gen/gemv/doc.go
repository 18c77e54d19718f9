package main

import "strings"

// docWidth is the longest doc comment line, without its "// ": comments stay within 100 columns.
const docWidth = 96

// comment lays out a doc comment: each paragraph is wrapped to docWidth, except one that starts
// with a tab (a code block), which is kept as it is; paragraphs are separated by blank lines.
func comment(paragraphs ...string) []string {
	var lines []string
	for i, p := range paragraphs {
		if i > 0 {
			lines = append(lines, "")
		}
		if strings.HasPrefix(p, "\t") {
			lines = append(lines, strings.Split(p, "\n")...)
			continue
		}
		line := ""
		for _, w := range wrapUnits(p) {
			switch {
			case line == "":
				line = w
			case len(line)+1+len(w) > docWidth:
				lines = append(lines, line)
				line = w
			default:
				line += " " + w
			}
		}
		lines = append(lines, line)
	}
	return lines
}

// wrapUnits splits a paragraph into what wrapping keeps on one line: words, and expressions
// around an operator such as "lda >= len(y)" or "len(x) x len(y)".
func wrapUnits(p string) []string {
	var units []string
	glue := false
	for _, w := range strings.Fields(p) {
		switch {
		case glueOps[w] && len(units) > 0:
			units[len(units)-1] += " " + w
			glue = true
		case glue:
			units[len(units)-1] += " " + w
			glue = false
		default:
			units = append(units, w)
		}
	}
	return units
}

var glueOps = map[string]bool{"=": true, "==": true, ">=": true, "<=": true, "<": true, ">": true, "x": true, "+=": true}
