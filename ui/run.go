package ui

import (
	"context"
	"errors"
	"io"
	"os"
	"runtime"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
)

// ErrInterrupted is returned by Run when the user pressed ctrl+c or the
// context was cancelled; the command maps it to exit code 130.
var ErrInterrupted = errors.New("interrupted")

// ErrNoTerminal is returned by Run when there is no terminal to draw on:
// output redirected, or no controlling terminal for the keys (a script, cron).
var ErrNoTerminal = errors.New("the designer needs a terminal: run wxacode in one; in scripts use wxacode get or wxacode batch")

// Run shows the designer on the terminal until the user quits.
func Run(ctx context.Context, d Deps) error {
	if !haveTerminal() {
		return ErrNoTerminal
	}
	return RunWith(ctx, d, nil, nil)
}

// haveTerminal reports whether stdout is a terminal and keys can be read:
// from stdin, or from the controlling terminal as Bubble Tea does when stdin
// is redirected.
func haveTerminal() bool {
	if !term.IsTerminal(os.Stdout.Fd()) {
		return false
	}
	if term.IsTerminal(os.Stdin.Fd()) || runtime.GOOS == "windows" {
		return true
	}
	f, err := os.Open("/dev/tty")
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// RunWith is Run with explicit streams (nil means the terminal).
func RunWith(ctx context.Context, d Deps, in io.Reader, out io.Writer) error {
	if d.Context == nil {
		d.Context = ctx
	}
	opts := []tea.ProgramOption{tea.WithContext(ctx)}
	if in != nil {
		opts = append(opts, tea.WithInput(in))
	}
	if out != nil {
		opts = append(opts, tea.WithOutput(out))
	}
	m := New(d)
	final, err := tea.NewProgram(m, opts...).Run()
	if fm, ok := final.(*Model); ok {
		if fm.cancel != nil {
			fm.cancel()
		}
		// A history write still in flight when the program stopped is not lost.
		if fm.deps.StateDir != "" && len(fm.hist) > 0 {
			_ = storeHistory(fm.historyDir(), fm.hist)
		}
	}
	switch {
	case errors.Is(err, tea.ErrInterrupted), errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil:
		return ErrInterrupted
	}
	return err
}
