package wechat

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"strings"
)

// Redacted replaces every credential the client prints.
const Redacted = "REDACTED"

var (
	// Query parameters that carry credentials: access_token, component_access_token,
	// secret, appsecret, authorizer_refresh_token… in URLs and form bodies.
	queryCredential = regexp.MustCompile(`(?i)((?:access_token|secret|refresh_token)=)[^&\s"'<>]*`)
	// The same names as JSON keys, in bodies that end up in messages.
	jsonCredential = regexp.MustCompile(`(?i)("(?:[a-z_]*access_token|secret|[a-z_]*refresh_token)"\s*:\s*")[^"]*(")`)
)

// Redact removes credentials from s: the values of access_token, secret and
// refresh-token query parameters and of the same JSON keys. Use it on anything
// that might contain a URL or a request body before it is shown or logged.
func Redact(s string) string {
	s = queryCredential.ReplaceAllString(s, "${1}"+Redacted)
	return jsonCredential.ReplaceAllString(s, "${1}"+Redacted+"${2}")
}

// redactValues removes each known secret value from s, then applies Redact.
func redactValues(s string, secrets ...string) string {
	for _, v := range secrets {
		if len(v) >= 4 { // a 1–3 character "secret" would garble every message
			s = strings.ReplaceAll(s, v, Redacted)
		}
	}
	return Redact(s)
}

// sanitize returns err with every credential removed from its message and from
// the messages of the errors it wraps, keeping errors.Is/As working for the
// causes that matter (context.Canceled, net.Error timeouts, sentinels).
//
// Go's *url.Error prints the whole request URL, access_token included, so it
// is rebuilt with a redacted URL rather than wrapped.
func sanitize(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) && err == error(ue) {
		return &url.Error{Op: ue.Op, URL: redactValues(ue.URL, secrets...), Err: sanitize(ue.Err, secrets...)}
	}
	msg := err.Error()
	clean := redactValues(msg, secrets...)
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
	case context.Canceled, context.DeadlineExceeded, ErrTruncated, ErrEmptyBody, ErrNotImage, ErrBadImage:
		return errors.Is(e.cause, target)
	}
	return false
}

// Timeout reports whether the cause was a timeout, as net.Error does.
func (e *redactedError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.cause, &t) && t.Timeout()
}
