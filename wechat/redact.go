package wechat

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Redacted replaces every credential the client prints.
const Redacted = "REDACTED"

// runLen is the shortest run of a credential's characters that is redacted
// wherever it appears: a cut excerpt, a prefix or the middle of a token
// still grants nothing, but it identifies the token, so it goes too.
const runLen = 8

// minSecret is the shortest value treated as a credential: a 1–3 character
// "secret" would garble every message.
const minSecret = 4

var (
	// Query parameters that carry credentials: access_token, component_access_token,
	// secret, appsecret, authorizer_refresh_token… in URLs and form bodies.
	queryCredential = lazyRegexp(`(?i)((?:access_token|secret|refresh_token)=)[^&\s"'<>]*`)
	// The same names as JSON keys, in bodies that end up in messages.
	jsonCredential = lazyRegexp(`(?i)("(?:[a-z_]*access_token|secret|[a-z_]*refresh_token)"\s*:\s*")[^"]*(")`)
)

// Redact removes credentials by their names: the values of access_token,
// secret and refresh-token query parameters and of the same JSON keys. It
// knows no values; a Redactor does both, and is what every sink uses.
func Redact(s string) string {
	s = queryCredential().ReplaceAllString(s, "${1}"+Redacted)
	return jsonCredential().ReplaceAllString(s, "${1}"+Redacted+"${2}")
}

// Redactor is the one redactor: it removes the known credential values (app
// secret, access tokens, component and refresh tokens) from text in every
// form they are echoed in: any letter case, URL query or path escaped, JSON
// escaped, and any run of 8 or more of their consecutive characters; then
// what Redact finds by name. It is safe for concurrent use; the nil
// Redactor only applies Redact.
type Redactor struct {
	parent *Redactor // With's: consulted too, never copied
	mu     sync.RWMutex
	known  map[string]bool     // values added, as given
	grams  map[string]struct{} // lower-cased runLen-byte runs of every form of every value
	short  []string            // lower-cased forms of values shorter than runLen
}

// NewRedactor is a Redactor that knows secrets (empty values are ignored).
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{known: map[string]bool{}, grams: map[string]struct{}{}}
	r.Add(secrets...)
	return r
}

// Add teaches r more values, such as a token just obtained.
func (r *Redactor) Add(secrets ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range secrets {
		if len(v) < minSecret || r.known[v] {
			continue
		}
		r.known[v] = true
		for _, form := range forms(v) {
			form = asciiLower(form)
			if len(form) < runLen {
				r.short = append(r.short, form)
				continue
			}
			for i := 0; i+runLen <= len(form); i++ {
				r.grams[form[i:i+runLen]] = struct{}{}
			}
		}
	}
}

// With is r that also knows extra; r itself is unchanged. It copies
// nothing: r is consulted as it is, and values r knows already cost nothing,
// so the pipeline can call it for every request.
func (r *Redactor) With(extra ...string) *Redactor {
	n := NewRedactor()
	n.parent = r
	for _, v := range extra {
		if !r.knows(v) {
			n.Add(v)
		}
	}
	return n
}

// knows reports whether r or a parent has v.
func (r *Redactor) knows(v string) bool {
	for ; r != nil; r = r.parent {
		r.mu.RLock()
		ok := r.known[v]
		r.mu.RUnlock()
		if ok {
			return true
		}
	}
	return false
}

// forms are the spellings a value is echoed in besides letter case.
func forms(v string) []string {
	out := []string{v, url.QueryEscape(v), url.PathEscape(v)}
	if b, err := json.Marshal(v); err == nil { // HTML-escaped, as Go encodes
		out = append(out, string(b[1:len(b)-1]))
	}
	out = append(out, strings.ReplaceAll(v, "/", `\/`)) // JSON's optional escape, as PHP encodes
	return out
}

// Redact returns s without any known value and without credentials by name.
// Valid UTF-8 stays valid UTF-8.
func (r *Redactor) Redact(s string) string {
	if r == nil {
		return Redact(s)
	}
	if spans := r.spans(s); len(spans) > 0 {
		var b strings.Builder
		last := 0
		for _, sp := range spans {
			b.WriteString(s[last:sp[0]])
			b.WriteString(Redacted)
			last = sp[1]
		}
		b.WriteString(s[last:])
		s = b.String()
	}
	return Redact(s)
}

// spans are the merged byte ranges of s holding a known run (of r or a
// parent), widened to whole runes so a cut never splits a character.
func (r *Redactor) spans(s string) [][2]int {
	low := asciiLower(s)
	var hits [][2]int
	for x := r; x != nil; x = x.parent {
		x.mu.RLock()
		hits = x.hits(low, hits)
		x.mu.RUnlock()
	}
	if len(hits) == 0 {
		return nil
	}
	for k := range hits {
		for hits[k][0] > 0 && !utf8.RuneStart(s[hits[k][0]]) {
			hits[k][0]--
		}
		for hits[k][1] < len(s) && !utf8.RuneStart(s[hits[k][1]]) {
			hits[k][1]++
		}
	}
	slices.SortFunc(hits, func(a, b [2]int) int { return a[0] - b[0] })
	var merged [][2]int
	for _, h := range hits {
		if n := len(merged); n > 0 && h[0] <= merged[n-1][1] {
			merged[n-1][1] = max(merged[n-1][1], h[1])
			continue
		}
		merged = append(merged, h)
	}
	return merged
}

// hits appends the ranges of low holding one of r's own runs; r.mu is held.
func (r *Redactor) hits(low string, hits [][2]int) [][2]int {
	if len(r.grams) > 0 {
		for i := 0; i+runLen <= len(low); i++ {
			if _, ok := r.grams[low[i:i+runLen]]; ok {
				hits = append(hits, [2]int{i, i + runLen})
			}
		}
	}
	for _, f := range r.short {
		for i := 0; ; {
			j := strings.Index(low[i:], f)
			if j < 0 {
				break
			}
			hits = append(hits, [2]int{i + j, i + j + len(f)})
			i += j + 1
		}
	}
	return hits
}

// asciiLower lower-cases ASCII letters only, so byte offsets stay put.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// redactValues removes each known secret value from s, then applies Redact.
func redactValues(s string, secrets ...string) string {
	return NewRedactor(secrets...).Redact(s)
}

// sanitize returns err with every credential removed from its message and from
// the messages of the errors it wraps, keeping errors.Is/As working for the
// causes that matter (context.Canceled, net.Error timeouts, sentinels).
//
// Go's *url.Error prints the whole request URL, access_token included, so it
// is rebuilt with a redacted URL rather than wrapped.
func sanitize(err error, secrets ...string) error {
	return sanitizeWith(err, NewRedactor(secrets...))
}

func sanitizeWith(err error, r *Redactor) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) && err == error(ue) {
		return &url.Error{Op: ue.Op, URL: SafeText(r.Redact(ue.URL)), Err: sanitizeWith(ue.Err, r)}
	}
	msg := err.Error()
	// Transport errors can quote the server's bytes ("malformed HTTP
	// response …"): escaped like every other server text.
	clean := SafeText(r.Redact(msg))
	if clean == msg {
		return err
	}
	return &redactedError{msg: clean, cause: err}
}

// redactedError carries a scrubbed message. Unwrap exposes the cause only for
// errors.Is/As on well-known sentinels: its own text is never printed by us,
// and the wrapped sentinels below carry no credentials.
type redactedError struct {
	msg   string
	cause error
}

func (e *redactedError) Error() string { return e.msg }

// Is keeps cancellation and deadlines recognisable without exposing the cause's text.
func (e *redactedError) Is(target error) bool {
	switch target {
	case context.Canceled, context.DeadlineExceeded, ErrTruncated, ErrEmptyBody, ErrNotImage, ErrBadImage, ErrTooLarge, ErrRedirect:
		return errors.Is(e.cause, target)
	}
	return false
}

// Timeout reports whether the cause was a timeout, as net.Error does.
func (e *redactedError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.cause, &t) && t.Timeout()
}
