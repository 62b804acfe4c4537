//go:build unix

package preview

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// ProbeTTY sends Queries to the terminal on tty (normally /dev/tty), reads
// the replies until DA1 answers or timeout passes, and folds them into c;
// the cell size falls back to TIOCGWINSZ. For command-line use before
// anything else reads the terminal: in the TUI, Bubble Tea owns the input and
// the UI folds the replies itself. The terminal mode is restored.
func ProbeTTY(tty *os.File, c Caps, timeout time.Duration) Caps {
	fd := int(tty.Fd())
	if st, err := term.MakeRaw(fd); err == nil {
		defer term.Restore(fd, st) //nolint:errcheck // best effort on the way out
	} else {
		return winsizeCell(fd, c)
	}
	if _, err := tty.WriteString(Queries()); err != nil {
		return winsizeCell(fd, c)
	}
	deadline := time.Now().Add(timeout)
	var buf []byte
	chunk := make([]byte, 256)
	for time.Now().Before(deadline) {
		// Poll with a short timeout so a terminal that never answers costs
		// at most the timeout, without needing a pollable file.
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, 50)
		if err != nil && err != unix.EINTR {
			break
		}
		if n <= 0 {
			continue
		}
		m, err := unix.Read(fd, chunk)
		if m > 0 {
			buf = append(buf, chunk[:m]...)
			var done bool
			if c2, d := FoldReplies(c, buf); d {
				c, done = c2, true
			}
			if done {
				break
			}
		}
		if err != nil && err != unix.EAGAIN && err != unix.EINTR {
			break
		}
	}
	if len(buf) > 0 {
		c, _ = FoldReplies(c, buf)
	}
	return winsizeCell(fd, c)
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
