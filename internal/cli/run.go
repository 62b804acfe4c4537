// Package cli is wxacode's command line: a cobra command per verb, styled by
// fang, with one Factory for the streams, configuration and client session,
// and one mapping from errors to exit codes (exitCode).
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"charm.land/fang/v2"
)

// Run runs wxacode with args (without the program name) on the given streams
// and returns the process's exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	f := NewFactory(NewIOStreams(stdin, stdout, stderr))
	defer f.Close()
	root := newRootCmd(f)
	root.SetArgs(normalizeArgs(root, args))
	// fang's own man command writes to os.Stdout; ours (cmd_man.go) to the
	// command's stdout, so it can be tested and redirected like the rest.
	err := fang.Execute(ctx, root, fang.WithVersion(version()), fang.WithoutManpage(),
		fang.WithErrorHandler(f.printError))
	return exitCode(err)
}

// printError is fang's error handler: our reports keep their wording (scripts
// and people read them), credentials are removed, and on a terminal fang's
// error badge comes first.
func (f *Factory) printError(w io.Writer, styles fang.Styles, err error) {
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
		fmt.Fprintln(w, styles.ErrorHeader.String())
	}
	fmt.Fprintln(w, strings.TrimRight(f.redact(msg), "\n"))
}
