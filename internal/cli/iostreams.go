package cli

import (
	"io"

	"golang.org/x/term"
)

// IOStreams are a run's standard streams and whether stdout and stderr are
// terminals: the batch progress bar, the preview's size and terminal queries
// and the error badge depend on it. Tests pass buffers, which are not.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// OutTTY and ErrTTY say whether Out and ErrOut are terminals.
	OutTTY, ErrTTY bool
}

// NewIOStreams wraps the given streams and finds out which are terminals.
func NewIOStreams(in io.Reader, out, errOut io.Writer) *IOStreams {
	return &IOStreams{In: in, Out: out, ErrOut: errOut, OutTTY: isTerminal(out), ErrTTY: isTerminal(errOut)}
}

// OutSize is the size of the terminal that Out is; ok is false when it is none.
func (s *IOStreams) OutSize() (cols, rows int, ok bool) {
	f, isFile := s.Out.(interface{ Fd() uintptr })
	if !s.OutTTY || !isFile {
		return 0, 0, false
	}
	cols, rows, err := term.GetSize(int(f.Fd()))
	return cols, rows, err == nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}
