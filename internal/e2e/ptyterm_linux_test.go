//go:build linux

package e2e

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

// ptyTerm stands in for a sixel-capable xterm on the master side of a pty:
// it reads all the program writes, stamping each read with its arrival time,
// answers the terminal queries, and turns the stream into events: a finished
// frame (synchronized output, mode 2026) with the text it draws, and a
// finished sixel image. It draws nothing.

type eventKind int

const (
	evFrame eventKind = iota
	evSixel
)

type termEvent struct {
	kind eventKind
	at   time.Time         // arrival of the event's last byte
	text string            // frame: the characters drawn, escape sequences removed
	sum  [sha256.Size]byte // sixel: the whole sequence, to tell images apart
	size int               // bytes in the frame or sixel sequence
}

type readMark struct {
	end int // offset just past the read in buf
	at  time.Time
}

type ptyTerm struct {
	master       *os.File
	cellW, cellH int

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced after every read
	buf      []byte
	marks    []readMark
	pos      int // bytes scanned
	inFrame  bool
	frameAt  int // offset where the open frame started
	text     strings.Builder
	events   []termEvent
	lastRead time.Time
	err      error // the read error that ended the stream
}

func newPTYTerm(master *os.File, cellW, cellH int) *ptyTerm {
	t := &ptyTerm{master: master, cellW: cellW, cellH: cellH, changed: make(chan struct{}), lastRead: time.Now()}
	go t.read()
	return t
}

func (t *ptyTerm) read() {
	chunk := make([]byte, 1<<16)
	for {
		n, err := t.master.Read(chunk)
		at := time.Now()
		t.mu.Lock()
		var replies []byte
		if n > 0 {
			t.buf = append(t.buf, chunk[:n]...)
			t.marks = append(t.marks, readMark{len(t.buf), at})
			t.lastRead = at
			replies = t.scan()
		}
		if err != nil {
			t.err = err
		}
		close(t.changed)
		t.changed = make(chan struct{})
		t.mu.Unlock()
		if len(replies) > 0 {
			_, _ = t.master.Write(replies) // a failed write ends the session anyway
		}
		if err != nil {
			return
		}
	}
}

// timeOf is when the byte at off was read.
func (t *ptyTerm) timeOf(off int) time.Time {
	i := sort.Search(len(t.marks), func(i int) bool { return t.marks[i].end > off })
	return t.marks[i].at
}

// scan consumes complete sequences and text from buf, returning the replies
// to queries it met.
func (t *ptyTerm) scan() []byte {
	var replies []byte
	for t.pos < len(t.buf) {
		b := t.buf[t.pos:]
		if b[0] != 0x1b {
			i := bytes.IndexByte(b, 0x1b)
			if i < 0 {
				i = len(b)
			}
			if t.inFrame {
				for _, c := range b[:i] {
					if c >= 0x20 && c != 0x7f {
						t.text.WriteByte(c)
					}
				}
			}
			t.pos += i
			continue
		}
		n := escLen(b)
		if n == 0 {
			break // incomplete: wait for the next read
		}
		replies = append(replies, t.handle(b[:n], t.pos+n)...)
		t.pos += n
	}
	return replies
}

// handle acts on one escape sequence ending at offset end.
func (t *ptyTerm) handle(seq []byte, end int) string {
	s := string(seq)
	switch {
	case s == "\x1b[?2026h":
		t.inFrame, t.frameAt = true, end-len(seq)
		t.text.Reset()
	case s == "\x1b[?2026l":
		if t.inFrame {
			t.events = append(t.events, termEvent{kind: evFrame, at: t.timeOf(end - 1), text: t.text.String(), size: end - t.frameAt})
		}
		t.inFrame = false
	case isSixel(seq):
		t.events = append(t.events, termEvent{kind: evSixel, at: t.timeOf(end - 1), sum: sha256.Sum256(seq), size: len(seq)})
	// What xterm (VT340, 256 registers) answers, plus mode 2026, which
	// gives frames their boundaries.
	case s == "\x1b[c", s == "\x1b[0c":
		return "\x1b[?63;1;2;4;6;9;15;22c"
	case s == "\x1b[16t":
		return fmt.Sprintf("\x1b[6;%d;%dt", t.cellH, t.cellW)
	case s == "\x1b[>0q", s == "\x1b[>q":
		return "\x1bP>|XTerm(390)\x1b\\"
	case s == "\x1b[?1;1;0S":
		return "\x1b[?1;0;256S"
	case strings.HasPrefix(s, "\x1b[?") && strings.HasSuffix(s, "$p"):
		mode, value := s[3:len(s)-2], "0"
		if mode == "2026" {
			value = "2" // known and reset: the program may turn it on
		}
		return "\x1b[?" + mode + ";" + value + "$y"
	case strings.HasPrefix(s, "\x1b]11;?"):
		return "\x1b]11;rgb:2020/2020/2020\x1b\\"
	case strings.HasPrefix(s, "\x1b]10;?"):
		return "\x1b]10;rgb:e0e0/e0e0/e0e0\x1b\\"
	}
	return ""
}

// isSixel says whether a DCS sequence is sixel data: ESC P params q … ESC \.
func isSixel(seq []byte) bool {
	if len(seq) < 3 || seq[1] != 'P' {
		return false
	}
	i := 2
	for i < len(seq) && (seq[i] >= '0' && seq[i] <= '9' || seq[i] == ';') {
		i++
	}
	return i < len(seq) && seq[i] == 'q'
}

// escLen is the length of the escape sequence at the start of b, 0 when it
// is not complete yet.
func escLen(b []byte) int {
	if len(b) < 2 {
		return 0
	}
	switch b[1] {
	case '[':
		for i := 2; i < len(b); i++ {
			if b[i] >= 0x40 && b[i] <= 0x7e {
				return i + 1
			}
		}
		return 0
	case ']':
		for i := 2; i < len(b); i++ {
			switch {
			case b[i] == 0x07:
				return i + 1
			case b[i] == 0x1b && i+1 < len(b) && b[i+1] == '\\':
				return i + 2
			}
		}
		return 0
	case 'P', '_', '^', 'X':
		i := bytes.Index(b[2:], []byte("\x1b\\"))
		if i < 0 {
			return 0
		}
		return i + 4
	case '(', ')', '*', '+', '#', '%', ' ':
		if len(b) < 3 {
			return 0
		}
		return 3
	}
	return 2
}

// send writes keys to the terminal, as typing does. It returns the time
// just before the write and the number of events seen so far.
func (t *ptyTerm) send(keys string) (time.Time, int, error) {
	t.mu.Lock()
	from := len(t.events)
	t.mu.Unlock()
	at := time.Now()
	_, err := t.master.Write([]byte(keys))
	return at, from, err
}

var errTimeout = errors.New("timed out")

// waitFor returns the first event from index from on that ok accepts, and
// its index.
func (t *ptyTerm) waitFor(from int, timeout time.Duration, ok func(termEvent) bool) (termEvent, int, error) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		t.mu.Lock()
		for i := from; i < len(t.events); i++ {
			if ok(t.events[i]) {
				e := t.events[i]
				t.mu.Unlock()
				return e, i, nil
			}
		}
		from = len(t.events)
		ch, err := t.changed, t.err
		t.mu.Unlock()
		if err != nil {
			return termEvent{}, 0, fmt.Errorf("the program's terminal closed: %w", err)
		}
		select {
		case <-ch:
		case <-timer.C:
			return termEvent{}, 0, errTimeout
		}
	}
}

// bytesAt is when the last byte of the first s was read; zero if s
// has not been read.
func (t *ptyTerm) bytesAt(s string) time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	i := bytes.Index(t.buf, []byte(s))
	if i < 0 {
		return time.Time{}
	}
	return t.timeOf(i + len(s) - 1)
}

// waitBytes returns once s has been read.
func (t *ptyTerm) waitBytes(s string, timeout time.Duration) error {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		t.mu.Lock()
		found, ch, err := bytes.Contains(t.buf, []byte(s)), t.changed, t.err
		t.mu.Unlock()
		switch {
		case found:
			return nil
		case err != nil:
			return fmt.Errorf("the program's terminal closed: %w", err)
		}
		select {
		case <-ch:
		case <-timer.C:
			return errTimeout
		}
	}
}

// waitQuiet returns once nothing has been written for quiet.
func (t *ptyTerm) waitQuiet(quiet, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		t.mu.Lock()
		since := time.Since(t.lastRead)
		t.mu.Unlock()
		if since >= quiet {
			return nil
		}
		if time.Now().After(deadline) {
			return errTimeout
		}
		time.Sleep(quiet - since)
	}
}

// eventsSince copies the events from index from on.
func (t *ptyTerm) eventsSince(from int) []termEvent {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]termEvent(nil), t.events[from:]...)
}
