// Package cli is wxacode's command line: a cobra command per verb, styled by
// fang, with one Factory for the streams, configuration and client session,
// and one mapping from errors to exit codes (exitCode).
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"sync"

	"charm.land/fang/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

// Run runs wxacode with args (without the program name) on the given streams
// and returns the process's exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	f := NewFactory(NewIOStreams(stdin, stdout, stderr))
	f.ownProcess = true
	return run(ctx, f, args)
}

// run is Run on a given Factory (tests set its seams).
func run(ctx context.Context, f *Factory, args []string) (code int) {
	stderr := f.IOStreams.ErrOut
	defer f.Close()
	defer func() {
		if p := recover(); p != nil {
			f.reportPanic(stderr, p, debug.Stack())
			code = exitUnexpected
		}
	}()
	root := newRootCmd(f)
	root.SetArgs(normalizeArgs(root, args))
	// fang's own man command writes to os.Stdout; ours (cmd_man.go) to the
	// command's stdout, so it can be tested and redirected like the rest.
	err := fang.Execute(ctx, root, fang.WithVersion(version()), fang.WithoutManpage(),
		fang.WithErrorHandler(func(w io.Writer, _ fang.Styles, err error) { f.report(w, err) }))
	if err == nil && f.err != nil {
		err = f.err
		f.report(f.IOStreams.ErrOut, err)
	}
	return exitCode(err)
}

// reportPanic is a panic's report: a panic value can be an error holding a
// server's text, so it and the stack go through the run's redactor too.
func (f *Factory) reportPanic(w io.Writer, p any, stack []byte) {
	fmt.Fprintf(w, "wxacode: internal error (please report it): %s\n%s", f.redact(fmt.Sprint(p)), f.redact(string(stack)))
}

// errorBadge starts a report on a terminal, as fang's does, in fixed colours:
// choosing them by the terminal's background would mean asking it, a wait of
// seconds on one that does not answer. Rendered on first use, not at every
// process's start.
var errorBadge = sync.OnceValue(func() string {
	return lipgloss.NewStyle().Bold(true).Padding(0, 1).
		Foreground(lipgloss.Color("#FFFAF1")).Background(lipgloss.Color("#EB4268")).Render("ERROR")
})

// report prints what a run returned: our reports keep their wording (scripts
// and people read them), credentials are removed, and on a terminal the
// badge comes first.
func (f *Factory) report(w io.Writer, err error) {
	msg := err.Error()
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg == "" {
			return // the command has reported
		}
		msg = ee.msg
	} else {
		msg = "wxacode: " + msg
	}
	if f.IOStreams.ErrTTY {
		fmt.Fprintf(colorprofile.NewWriter(w, os.Environ()), "\n  %s\n\n", errorBadge())
	}
	fmt.Fprintln(w, strings.TrimRight(f.redact(msg), "\n"))
}
