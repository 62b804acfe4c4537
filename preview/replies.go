package preview

import (
	"bytes"
	"strconv"
	"strings"
)

// Query sequences. Each is answered (or ignored) by the terminal; DA1 goes
// last because every terminal answers it, so its reply marks the end of the
// answers and an unanswered query costs no timeout.
const (
	QueryKitty     = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\" // kitty graphics: 1×1 RGB probe
	QueryCellSize  = "\x1b[16t"                                   // cell size in pixels
	QueryColors    = "\x1b[?1;1;0S"                               // XTSMGRAPHICS: sixel colour registers
	QueryXTVersion = "\x1b[>0q"                                   // terminal name and version
	QueryDA1       = "\x1b[c"                                     // primary device attributes
)

// Queries returns the bytes to send to the terminal to learn what it can do.
// Feed what comes back to FoldReplies until it reports done.
func Queries() string {
	return QueryKitty + QueryCellSize + QueryColors + QueryXTVersion + QueryDA1
}

// ParseDA1 reads a primary device attributes reply, ESC [ ? 63;1;2;4 c.
func ParseDA1(s string) ([]int, bool) {
	body, ok := csiBody(s, 'c')
	if !ok || !strings.HasPrefix(body, "?") {
		return nil, false
	}
	return parseInts(body[1:])
}

// ParseCellSize reads the reply to CSI 16 t, ESC [ 6 ; height ; width t.
func ParseCellSize(s string) (w, h int, ok bool) {
	body, ok := csiBody(s, 't')
	if !ok {
		return 0, 0, false
	}
	n, ok := parseInts(body)
	if !ok || len(n) != 3 || n[0] != 6 || n[1] <= 0 || n[2] <= 0 {
		return 0, 0, false
	}
	return n[2], n[1], true
}

// ParseColors reads the XTSMGRAPHICS colour-register reply, ESC [ ? 1 ; 0 ; N S
// (status 0 = success).
func ParseColors(s string) (int, bool) {
	body, ok := csiBody(s, 'S')
	if !ok || !strings.HasPrefix(body, "?") {
		return 0, false
	}
	n, ok := parseInts(body[1:])
	if !ok || len(n) != 3 || n[0] != 1 || n[1] != 0 || n[2] <= 0 {
		return 0, false
	}
	return n[2], true
}

// ParseKittyReply reads the answer to QueryKitty, ESC _ G i=31 ; OK ESC \.
// ok is true when it is a kitty graphics reply at all; supported when it says OK.
func ParseKittyReply(s string) (supported, ok bool) {
	body, ok := stringBody(s, '_')
	if !ok || !strings.HasPrefix(body, "G") {
		return false, false
	}
	_, msg, found := strings.Cut(body, ";")
	if !found {
		return false, false
	}
	return msg == "OK", true
}

// ParseXTVersion reads the XTVERSION reply, ESC P > | name ESC \.
func ParseXTVersion(s string) (string, bool) {
	body, ok := stringBody(s, 'P')
	if !ok || !strings.HasPrefix(body, ">|") {
		return "", false
	}
	return strings.TrimSpace(body[2:]), true
}

// CellFromWinsize derives the cell size from TIOCGWINSZ (the fallback when
// CSI 16 t is not answered). Floor division because xterm includes its
// border in the pixel size. ok is false when the pixel fields are 0 (ttyd,
// many ptys).
func CellFromWinsize(cols, rows, xpixel, ypixel int) (w, h int, ok bool) {
	if cols <= 0 || rows <= 0 || xpixel <= 0 || ypixel <= 0 {
		return 0, 0, false
	}
	w, h = xpixel/cols, ypixel/rows
	if w <= 0 || h <= 0 {
		return 0, 0, false
	}
	return w, h, true
}

// FoldReplies folds every reply found in b (the bytes read back after
// sending Queries, possibly with unrelated input mixed in) into c. done is
// true once the DA1 reply has been seen: the terminal has answered all it will.
func FoldReplies(c Caps, b []byte) (Caps, bool) {
	done := false
	kittySeen := false
	for len(b) > 0 {
		i := bytes.IndexByte(b, 0x1b)
		if i < 0 || i+1 >= len(b) {
			break
		}
		b = b[i:]
		n := seqLen(b)
		if n == 0 { // incomplete: wait for more bytes
			break
		}
		seq := string(b[:n])
		b = b[n:]
		switch {
		case seq[1] == '[':
			if attrs, ok := ParseDA1(seq); ok {
				c = c.ApplyDA1(attrs)
				done = true
			} else if w, h, ok := ParseCellSize(seq); ok {
				c = c.ApplyCellSize(w, h)
			} else if n, ok := ParseColors(seq); ok {
				c = c.ApplyColors(n)
			}
		case seq[1] == '_':
			if supported, ok := ParseKittyReply(seq); ok {
				kittySeen = true
				c = c.ApplyKitty(supported)
			}
		case seq[1] == 'P':
			if v, ok := ParseXTVersion(seq); ok {
				c = c.ApplyVersion(v)
			}
		}
	}
	// A terminal that answered DA1 but not the kitty query has no kitty
	// graphics, whatever the environment claimed.
	if done && !kittySeen {
		c.Kitty = false
	}
	return c, done
}

// seqLen is the length of the escape sequence at the start of b (b[0] is ESC),
// 0 when it is incomplete. Unknown sequences count as two bytes so that
// scanning moves on.
func seqLen(b []byte) int {
	switch b[1] {
	case '[':
		for i := 2; i < len(b); i++ {
			if b[i] >= 0x40 && b[i] <= 0x7e {
				return i + 1
			}
			if b[i] < 0x20 || b[i] > 0x7e {
				return i // malformed: stop before the stray byte
			}
		}
		return 0
	case '_', 'P', ']':
		for i := 2; i < len(b); i++ {
			if b[i] == 0x07 {
				return i + 1
			}
			if b[i] == 0x1b {
				if i+1 >= len(b) {
					return 0
				}
				if b[i+1] == '\\' {
					return i + 2
				}
				return i // a new sequence starts: this one was cut off
			}
		}
		return 0
	}
	return 2
}

// csiBody returns the parameter bytes of ESC [ … final.
func csiBody(s string, final byte) (string, bool) {
	if len(s) < 3 || s[0] != 0x1b || s[1] != '[' || s[len(s)-1] != final {
		return "", false
	}
	return s[2 : len(s)-1], true
}

// stringBody returns the body of ESC <kind> … ST (or BEL).
func stringBody(s string, kind byte) (string, bool) {
	if len(s) < 3 || s[0] != 0x1b || s[1] != kind {
		return "", false
	}
	switch {
	case strings.HasSuffix(s, "\x1b\\"):
		return s[2 : len(s)-2], true
	case strings.HasSuffix(s, "\x07"):
		return s[2 : len(s)-1], true
	}
	return "", false
}

// parseInts reads "1;2;;4" as [1 2 0 4]; empty parameters are 0 as in ECMA-48.
func parseInts(s string) ([]int, bool) {
	if s == "" {
		return nil, true
	}
	parts := strings.Split(s, ";")
	out := make([]int, 0, len(parts))
	for _, p := range parts {
		if p == "" {
			out = append(out, 0)
			continue
		}
		if len(p) > 6 {
			return nil, false
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}
