//go:build unix

package preview

import (
	"io"
	"os"
	"time"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// ProbeTTY sends c.Queries() to the terminal on tty (normally /dev/tty),
// reads the replies until DA1 answers or timeout passes, and folds them into
// c; the cell size falls back to TIOCGWINSZ. For command-line use before
// anything else reads the terminal: in the TUI, Bubble Tea owns the input and
// the UI folds the replies itself. The terminal mode is restored.
func ProbeTTY(tty *os.File, c Caps, timeout time.Duration) Caps {
	fd := int(tty.Fd())
	if st, err := term.MakeRaw(fd); err == nil {
		defer term.Restore(fd, st) //nolint:errcheck // best effort on the way out
	} else {
		return winsizeCell(fd, c)
	}
	if _, err := tty.WriteString(c.Queries()); err != nil {
		return winsizeCell(fd, c)
	}
	return winsizeCell(fd, readReplies(fdReader(fd), c, timeout))
}

// fdReader polls and reads a file descriptor, without needing a pollable
// *os.File.
type fdReader int

func (f fdReader) wait(d time.Duration) (bool, error) {
	fds := []unix.PollFd{{Fd: int32(f), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, int(d/time.Millisecond))
	if err == unix.EINTR {
		return false, nil
	}
	return n > 0, err
}

func (f fdReader) read(p []byte) (int, error) {
	n, err := unix.Read(int(f), p)
	switch {
	case err == unix.EAGAIN || err == unix.EINTR:
		return 0, nil
	case err == nil && n == 0:
		return 0, io.EOF // ready but empty: the terminal hung up
	}
	return max(n, 0), err
}

func winsizeCell(fd int, c Caps) Caps {
	if c.CellW > 0 && c.CellH > 0 {
		return c
	}
	ws, err := unix.IoctlGetWinsize(fd, unix.TIOCGWINSZ)
	if err != nil {
		return c
	}
	if w, h, ok := CellFromWinsize(int(ws.Col), int(ws.Row), int(ws.Xpixel), int(ws.Ypixel)); ok {
		c = c.ApplyCellSize(w, h)
	}
	return c
}

// WinsizeCell is the cell size TIOCGWINSZ gives for the terminal on tty
// (its pixel size over its cells); ok is false when the terminal leaves
// the pixel fields at 0, as many do. For the designer, which cannot read
// the terminal's replies before Bubble Tea does, the fallback after CSI 16 t.
func WinsizeCell(tty *os.File) (w, h int, ok bool) {
	ws, err := unix.IoctlGetWinsize(int(tty.Fd()), unix.TIOCGWINSZ)
	if err != nil {
		return 0, 0, false
	}
	return CellFromWinsize(int(ws.Col), int(ws.Row), int(ws.Xpixel), int(ws.Ypixel))
}
