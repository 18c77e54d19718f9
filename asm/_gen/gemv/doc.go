package main

import "github.com/lanesimd/lanes/asm/_gen/internal/emit"

// comment lays out a doc comment (emit.Comment), keeping expressions such as "lda >= len(y)" or
// "len(x) x len(y)" on one line.
func comment(paragraphs ...string) []string { return emit.Comment(glueOps, paragraphs...) }

var glueOps = map[string]bool{"=": true, "==": true, ">=": true, "<=": true, "<": true, ">": true, "x": true, "+=": true}
