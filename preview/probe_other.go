//go:build !unix

package preview

import (
	"os"
	"time"
)

// ProbeTTY is a no-op where raw terminal queries are not supported: the
// environment and the default cell size have to do.
func ProbeTTY(tty *os.File, c Caps, timeout time.Duration) Caps { return c }

// WinsizeCell has nothing to ask here: ok is false.
func WinsizeCell(tty *os.File) (w, h int, ok bool) { return 0, 0, false }
