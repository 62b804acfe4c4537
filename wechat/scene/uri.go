// Package scene explains what a mini program receives for a scene and helps
// make payloads fit. It has no UI; the scene rules themselves are
// wechat.SceneProblems, never repeated here.
//
//   - EncodeURIComponent, DecodeURIComponent: JavaScript's codec
//     (the one URI codec of wxacode), cross-checked against node in the tests.
//   - Explain, ExplainPath, ExplainQRCode, ExplainParams: the launch (Launch).
//   - DevToolsFor: the DevTools compile condition and onLoad snippets.
//   - Analyze: a raw value from logs, decoded step by step, with findings.
//   - Fit, AppendMapping, ReadMapping: make a payload fit, never silently.
package scene

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// URIError is JavaScript's URIError: a malformed escape or an unencodable character.
type URIError struct {
	// Pos is the 0-based byte offset in the input where the bad sequence starts.
	Pos    int
	Kind   string // machine-readable: see the URIError* constants
	Reason string
}

// URIError kinds.
const (
	URIErrorBadEscape       = "bad_escape"       // % not followed by two hex digits
	URIErrorBadLead         = "bad_lead"         // %80–%BF or %F8–%FF cannot start a character
	URIErrorTruncated       = "truncated"        // a multi-byte character cut short
	URIErrorBadContinuation = "bad_continuation" // the next escape is not %80–%BF
	URIErrorInvalidSequence = "invalid_sequence" // overlong, surrogate or above U+10FFFF
	URIErrorInvalidUTF8     = "invalid_utf8"     // encoding: the Go string is not UTF-8
)

// Error reads like JavaScript's: "URIError: <reason> at byte <pos>".
func (e *URIError) Error() string { return fmt.Sprintf("URIError: %s at byte %d", e.Reason, e.Pos) }

// unreserved is what encodeURIComponent leaves alone: A-Z a-z 0-9 - _ . ! ~ * ' ( ).
func unreserved(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
		strings.IndexByte("-_.!~*'()", c) >= 0
}

const hexUpper = "0123456789ABCDEF"

// EncodeURIComponent is JavaScript's encodeURIComponent on a Go string. Go
// strings are UTF-8, so a lone surrogate can only appear as invalid UTF-8,
// which JavaScript could not hold either: that is a URIError, as in JS.
// (url.QueryEscape differs: it writes space as + and escapes ~ ' ! ( ) *.)
func EncodeURIComponent(s string) (string, error) {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if unreserved(c) {
				b.WriteByte(c)
			} else {
				b.WriteByte('%')
				b.WriteByte(hexUpper[c>>4])
				b.WriteByte(hexUpper[c&15])
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			return "", &URIError{Pos: i, Kind: URIErrorInvalidUTF8, Reason: "URI malformed (invalid UTF-8 or lone surrogate)"}
		}
		for j := 0; j < size; j++ {
			c := s[i+j]
			b.WriteByte('%')
			b.WriteByte(hexUpper[c>>4])
			b.WriteByte(hexUpper[c&15])
		}
		i += size
	}
	return b.String(), nil
}

// MustEncode is EncodeURIComponent for strings known to be valid UTF-8. It
// never panics: an invalid byte is encoded as U+FFFD (%EF%BF%BD), which is what
// encoding/json sends in its place, so the result is what a phone would see.
func MustEncode(s string) string {
	out, err := EncodeURIComponent(s)
	if err != nil {
		out, _ = EncodeURIComponent(replaceInvalid(s))
	}
	return out
}

// replaceInvalid replaces every invalid byte with U+FFFD, one per byte, as encoding/json does.
func replaceInvalid(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r) // range yields RuneError for each invalid byte
	}
	return b.String()
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// DecodeURIComponent is JavaScript's decodeURIComponent: every %XX escape is
// decoded (reserved characters too), escapes must form valid UTF-8 sequences
// (no overlongs, no surrogates), and anything else is a URIError. '+' stays '+'.
// Unescaped input characters are passed through unchanged.
func DecodeURIComponent(s string) (string, error) {
	if strings.IndexByte(s, '%') < 0 {
		return s, nil
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] != '%' {
			b.WriteByte(s[i])
			i++
			continue
		}
		first, ok := escapeAt(s, i)
		if !ok {
			return "", &URIError{Pos: i, Kind: URIErrorBadEscape, Reason: "URI malformed (% not followed by two hex digits)"}
		}
		if first < 0x80 {
			b.WriteByte(first)
			i += 3
			continue
		}
		n := utf8SeqLen(first)
		if n == 0 {
			return "", &URIError{Pos: i, Kind: URIErrorBadLead, Reason: fmt.Sprintf("URI malformed (%%%02X cannot start a UTF-8 sequence)", first)}
		}
		seq := []byte{first}
		start := i
		i += 3
		for k := 1; k < n; k++ {
			if i >= len(s) {
				return "", &URIError{Pos: start, Kind: URIErrorTruncated, Reason: "URI malformed (UTF-8 sequence cut short)"}
			}
			if s[i] != '%' {
				return "", &URIError{Pos: start, Kind: URIErrorBadContinuation, Reason: "URI malformed (UTF-8 sequence not continued by a %XX escape)"}
			}
			c, ok := escapeAt(s, i)
			if !ok {
				return "", &URIError{Pos: i, Kind: URIErrorBadEscape, Reason: "URI malformed (% not followed by two hex digits)"}
			}
			if c&0xC0 != 0x80 {
				return "", &URIError{Pos: start, Kind: URIErrorBadContinuation, Reason: "URI malformed (invalid UTF-8 continuation byte)"}
			}
			seq = append(seq, c)
			i += 3
		}
		// utf8.Valid rejects overlongs and surrogates, as the ECMAScript Decode algorithm does.
		if !utf8.Valid(seq) {
			return "", &URIError{Pos: start, Kind: URIErrorInvalidSequence, Reason: "URI malformed (overlong, surrogate or out-of-range UTF-8 sequence)"}
		}
		b.Write(seq)
	}
	return b.String(), nil
}

func escapeAt(s string, i int) (byte, bool) {
	if i+2 >= len(s) {
		return 0, false
	}
	hi, ok1 := unhex(s[i+1])
	lo, ok2 := unhex(s[i+2])
	return hi<<4 | lo, ok1 && ok2
}

func utf8SeqLen(b byte) int {
	switch {
	case b&0xE0 == 0xC0:
		return 2
	case b&0xF0 == 0xE0:
		return 3
	case b&0xF8 == 0xF0:
		return 4
	}
	return 0
}
