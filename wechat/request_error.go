package wechat

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Sentinels for answers that are neither an image nor an errcode. They are
// wrapped in a *RequestError; test them with errors.Is.
var (
	// ErrEmptyBody: HTTP 200 with nothing in it (WeChat does this for bad credentials on old paths).
	ErrEmptyBody = errors.New("empty response body")
	// ErrTruncated: fewer bytes arrived than Content-Length announced, or the connection broke mid-body.
	ErrTruncated = errors.New("response body truncated")
	// ErrNotImage: the body is neither JSON nor a JPEG/PNG.
	ErrNotImage = errors.New("response is neither an image nor an errcode answer")
	// ErrBadImage: the body starts like an image but does not decode completely.
	ErrBadImage = errors.New("image does not decode completely")
	// ErrTooLarge: the body is larger than the client is willing to hold.
	ErrTooLarge = errors.New("response body too large")
	// ErrNotSent: the code endpoint was never called (no token, or the wait
	// for the client-side rate limit ended first), so nothing was spent.
	ErrNotSent = errors.New("the request was not sent")
)

// notSent marks err as ErrNotSent without changing its message.
type notSent struct{ err error }

func (e notSent) Error() string   { return e.err.Error() }
func (e notSent) Unwrap() []error { return []error{ErrNotSent, e.err} }

// RequestError is a failure below the API level: no answer, a non-200 status,
// or an answer that is not an image and not an errcode. Its message never
// contains the access token.
type RequestError struct {
	Method   string // "" means POST
	Endpoint string // API path, e.g. /wxa/getwxacodeunlimit
	Status   int    // HTTP status; 0 when no answer arrived
	Detail   string // a short, redacted excerpt of the body or other detail
	Err      error  // the cause, already redacted
}

func (e *RequestError) Error() string {
	m := e.Method
	if m == "" {
		m = http.MethodPost
	}
	s := m + " " + e.Endpoint
	if e.Status != 0 && e.Status != http.StatusOK {
		s += fmt.Sprintf(": HTTP %d %s", e.Status, http.StatusText(e.Status))
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// Unwrap returns the cause, so errors.Is(err, context.Canceled) and the sentinels work.
func (e *RequestError) Unwrap() error { return e.Err }

// RateLimitError is errcode 45009 (or 45011): a per-minute or daily quota was
// hit. The client does not retry it; NextMinute says when a per-minute limit
// (getwxacodeunlimit's 5000/min) lets calls through again.
type RateLimitError struct {
	API        *APIError
	NextMinute time.Time
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("%s: rate limit reached; the next minute starts at %s, when a per-minute limit lets calls through again (a daily quota, such as getwxacode's 10,000 new codes a day, resets tomorrow)",
		e.API.Error(), e.NextMinute.Local().Format("15:04:05"))
}

// Unwrap returns the *APIError.
func (e *RateLimitError) Unwrap() error { return e.API }

// IsTokenError reports whether err is an errcode that means the access token
// is stale or wrong (40001, 40014, 42001): refetch and retry once.
func IsTokenError(err error) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	switch ae.Code {
	case 40001, 40014, 42001:
		return true
	}
	return false
}
