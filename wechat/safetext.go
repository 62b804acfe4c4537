package wechat

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// SafeText makes text from a server safe to print on a terminal: every
// control character is shown escaped instead of acted on: C0 (ESC, so no
// OSC title or CSI clear screen; CR and LF too, so one message cannot draw a
// fake line of output), DEL, C1, and the bidirectional overrides that
// reorder what is shown. Invalid UTF-8 bytes are shown as \xNN. Printable
// text, Chinese included, is left alone.
//
// It is applied where server text enters the client's error values (see
// call.scrub), so every consumer, the CLI and the designer alike, gets
// safe text without having to remember it at each print.
func SafeText(s string) string {
	if safe(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// safe reports whether s needs no escaping (the common case, no allocation).
func safe(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || r < 0x20 || r == 0x7f || unsafeRune(r) {
			return false
		}
		i += n
	}
	return true
}

// unsafeRune: C1 controls and the bidirectional embeddings, overrides and isolates.
func unsafeRune(r rune) bool {
	return r >= 0x80 && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f
}
