package main

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"regexp"
	"strings"
)

// text is a notebook string field, stored either as one string or as a list of lines.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = text(s)
		return nil
	}
	var lines []string
	if err := json.Unmarshal(b, &lines); err != nil {
		return fmt.Errorf("notebook text field: want a string or a list of strings: %w", err)
	}
	*t = text(strings.Join(lines, ""))
	return nil
}

// notebook is the part of an .ipynb file (nbformat 4) the runner reads.
type notebook struct {
	Cells []cell `json:"cells"`
}

type cell struct {
	CellType       string   `json:"cell_type"`
	Source         text     `json:"source"`
	ExecutionCount *int     `json:"execution_count"`
	Outputs        []output `json:"outputs"`
}

type output struct {
	OutputType string          `json:"output_type"` // stream, display_data, update_display_data, execute_result, error
	Name       string          `json:"name"`        // stream: stdout or stderr
	Text       text            `json:"text"`        // stream
	Data       map[string]text `json:"data"`        // display_data, execute_result
	Ename      string          `json:"ename"`       // error
	Evalue     string          `json:"evalue"`      // error
	Traceback  []string        `json:"traceback"`   // error
}

func readNotebook(path string) (*notebook, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nb notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, fmt.Errorf("%s: not a notebook: %w", path, err)
	}
	return &nb, nil
}

var (
	htmlStyle = regexp.MustCompile(`(?s)<style[^>]*>.*?</style>`)
	htmlBreak = regexp.MustCompile(`(?i)<br\s*/?>|</(div|p|pre|li|tr|h[1-6])>`)
	htmlTag   = regexp.MustCompile(`(?s)<[^>]*>`)
	ansi      = regexp.MustCompile("\x1b\\[[0-9;]*m")
)

// plain returns HTML as the text a reader sees: no styles, no tags, entities decoded.
func plain(s string) string {
	s = htmlStyle.ReplaceAllString(s, "")
	s = htmlBreak.ReplaceAllString(s, "\n")
	s = htmlTag.ReplaceAllString(s, "")
	return html.UnescapeString(s)
}

// shown returns what the output shows as text: a stream's text, an error's name, value and
// traceback, or a display's plain, markdown or (tag-stripped) HTML text.
func (o output) shown() string {
	switch o.OutputType {
	case "stream":
		return ansi.ReplaceAllString(string(o.Text), "")
	case "error":
		return ansi.ReplaceAllString(o.Ename+": "+o.Evalue+"\n"+strings.Join(o.Traceback, "\n"), "")
	}
	var parts []string
	if s, ok := o.Data["text/plain"]; ok {
		parts = append(parts, string(s))
	}
	if s, ok := o.Data["text/markdown"]; ok {
		parts = append(parts, string(s))
	}
	if s, ok := o.Data["text/html"]; ok {
		parts = append(parts, plain(string(s)))
	}
	return ansi.ReplaceAllString(strings.Join(parts, "\n"), "")
}

// Images counts the pictures among the outputs: PNG, JPEG or SVG data, or an <img>/<svg> in HTML.
func (o output) Images() int {
	n := 0
	for _, mime := range []string{"image/png", "image/jpeg", "image/svg+xml"} {
		if _, ok := o.Data[mime]; ok {
			n++
		}
	}
	if s, ok := o.Data["text/html"]; ok {
		n += strings.Count(string(s), "<img") + strings.Count(string(s), "<svg")
	}
	return n
}

// Text returns the text of every output of the cell, in order.
func (c cell) Text() string {
	var b strings.Builder
	for _, o := range c.Outputs {
		b.WriteString(o.shown())
		if !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

var (
	// GoNB runs a `!` shell line, prints `exit status N` when it fails and carries on.
	exitStatus = regexp.MustCompile(`(?m)^exit status [1-9][0-9]*\s*$`)
	// A Go program that panics or dies prints these at the start of a line on stderr.
	goCrash = regexp.MustCompile(`(?m)^(panic: |fatal error: )`)
)

// failure tells why a cell failed, or returns "" when it did not.
func (c cell) failure() string {
	if c.CellType != "code" {
		return ""
	}
	if strings.TrimSpace(string(c.Source)) != "" && c.ExecutionCount == nil {
		return "the cell was not executed"
	}
	t := c.Text()
	if m := goCrash.FindString(t); m != "" {
		return "the Go program crashed (" + strings.TrimSpace(m) + ")"
	}
	for _, o := range c.Outputs {
		if o.OutputType == "error" {
			return "the cell failed: " + strings.TrimSpace(o.Ename+": "+o.Evalue)
		}
	}
	if m := exitStatus.FindString(t); m != "" {
		return "a command failed (" + strings.TrimSpace(m) + ")"
	}
	return ""
}

// cellFailure is a failed cell: its index among all cells (from 1, as a reader counts them),
// its source and outputs, and why it failed.
type cellFailure struct {
	Index  int
	Source string
	Output string
	Why    string
}

var blankLines = regexp.MustCompile(`\n([ \t]*\n)+`)

func (f cellFailure) String() string {
	out := blankLines.ReplaceAllString(strings.TrimSpace(f.Output), "\n")
	return fmt.Sprintf("cell %d: %s\n--- source\n%s\n--- output\n%s", f.Index, f.Why,
		strings.TrimRight(f.Source, "\n"), out)
}

// failures lists the cells of nb that failed.
func (nb *notebook) failures() []cellFailure {
	var fs []cellFailure
	for i, c := range nb.Cells {
		if why := c.failure(); why != "" {
			fs = append(fs, cellFailure{Index: i + 1, Source: string(c.Source), Output: c.Text(), Why: why})
		}
	}
	return fs
}

// Text returns the text of every code cell's outputs, in order.
func (nb *notebook) Text() string {
	var b strings.Builder
	for _, c := range nb.Cells {
		if c.CellType == "code" {
			b.WriteString(c.Text())
		}
	}
	return b.String()
}

// Images counts the pictures in all outputs.
func (nb *notebook) Images() int {
	n := 0
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			n += o.Images()
		}
	}
	return n
}
