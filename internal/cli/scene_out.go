package cli

import (
	"fmt"
	"io"
	"strings"

	"wxacode/wechat"
)

// sceneOut prints a scene subcommand's answer, text or JSON, to stdout.
type sceneOut struct {
	w    io.Writer
	json bool
}

func (o sceneOut) printf(format string, a ...any) { fmt.Fprintf(o.w, format, a...) }

func (o sceneOut) encode(v any) {
	b, _ := encodeJSON(v) // the style of every --json (json_out.go)
	_, _ = o.w.Write(b)
}

// printSteps prints a titled, numbered list after a blank line.
func printSteps(o sceneOut, title string, steps []string) {
	o.printf("\n%s:\n", title)
	for i, st := range steps {
		o.printf("  %d. %s\n", i+1, st)
	}
}

// printProblems lists scene problems, with the errcode WeChat would send.
func printProblems(o sceneOut, ps []wechat.Problem) {
	for _, p := range ps {
		code := ""
		if p.Code != 0 {
			code = fmt.Sprintf(" [errcode %d]", p.Code)
		}
		o.printf("  %s%s\n", p, code)
	}
}

func pageLabel(page string) string {
	if page == "" {
		return "(home page)"
	}
	return page
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}
