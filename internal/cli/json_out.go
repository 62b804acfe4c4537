package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"time"

	"wxacode/troubleshoot"
)

// encodeJSON is how every --json answer looks: two-space indent, snake_case
// names, no HTML escaping (scenes and paths are full of & and =), one value
// and a newline.
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// printJSON writes v to w as encodeJSON does. It is for answers made here
// (sizes, hashes, names, times, the hint table), which hold nothing a
// server sent: like their text forms they are printed as they are, since
// the redactor's 8-character runs would also cut an appid or a hash that
// happens to share one with a credential (the simulator's appid and secret
// share "00000000").
func (f *Factory) printJSON(w io.Writer, v any) error {
	b, err := encodeJSON(v)
	if err != nil {
		return fail(exitUnexpected, "wxacode: cannot write JSON: %v", err)
	}
	_, err = w.Write(b)
	return err
}

// printServerJSON is printJSON for an answer carrying a server's text (an
// errmsg, a rid): it goes through the run's redactor, as stderr does. The
// redactor writes REDACTED inside the string it cuts, so the JSON stays
// valid.
func (f *Factory) printServerJSON(w io.Writer, v any) error {
	b, err := encodeJSON(v)
	if err != nil {
		return fail(exitUnexpected, "wxacode: cannot write JSON: %v", err)
	}
	_, err = io.WriteString(w, f.redact(string(b)))
	return err
}

// hintJSON is an errcode's troubleshooting, as `hint --json` prints it and
// as the "hint" of `get --json`'s API error.
type hintJSON struct {
	Code   int      `json:"errcode"`
	Title  string   `json:"title"`
	Causes []string `json:"causes"`
	Fixes  []string `json:"fixes"`
}

func newHintJSON(h troubleshoot.Hint) *hintJSON {
	return &hintJSON{Code: h.Code, Title: h.Title, Causes: nonNil(h.Causes), Fixes: nonNil(h.Fixes)}
}

// nonNil is s, or an empty list: JSON readers get [] rather than null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// jsonTime is t in RFC 3339 (UTC), or nil (null) when unknown.
func jsonTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}
