package ui

import (
	"context"
	"errors"
	"io"

	tea "charm.land/bubbletea/v2"
)

// ErrInterrupted is returned by Run when the user pressed ctrl+c or the
// context was cancelled; the command maps it to exit code 130.
var ErrInterrupted = errors.New("interrupted")

// Run shows the designer on the terminal until the user quits.
func Run(ctx context.Context, d Deps) error {
	return RunWith(ctx, d, nil, nil)
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
	if fm, ok := final.(Model); ok {
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
