package preview

import "time"

// replyReader is the terminal's input as the probe reads it: real in
// ProbeTTY, scripted in tests.
type replyReader interface {
	// wait blocks until input is ready or d has passed; false when nothing came.
	wait(d time.Duration) (bool, error)
	read(p []byte) (int, error)
}

// pollStep is how long one wait for a reply lasts: short, so that a terminal
// that never answers costs at most the timeout.
const pollStep = 50 * time.Millisecond

// readReplies reads what the terminal sends back after the queries until
// the DA1 reply or until timeout has passed, and folds it into c. A terminal
// that answers nothing (ssh to a dumb client, a serial line) leaves c as the
// environment guessed it.
func readReplies(r replyReader, c Caps, timeout time.Duration) Caps {
	deadline := time.Now().Add(timeout)
	var buf []byte
	chunk := make([]byte, 256)
	for time.Now().Before(deadline) {
		ready, err := r.wait(min(pollStep, time.Until(deadline)))
		if err != nil {
			break
		}
		if !ready {
			continue
		}
		n, err := r.read(chunk)
		if n > 0 {
			buf = append(buf, chunk[:n]...)
			if c2, done := FoldReplies(c, buf); done {
				return c2
			}
		}
		if err != nil {
			break
		}
	}
	if len(buf) > 0 {
		c, _ = FoldReplies(c, buf)
	}
	return c
}
