package wechat

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Every error the client returns is one of the types below, or wraps one of
// the sentinels; *ValidationError, which is about the request's own rules,
// lives with the validator in validate.go. None of them carries a credential:
// messages are scrubbed where the answer is read (see do in call.go).

// Sentinels for answers that are neither an image nor an errcode, wrapped in
// a *RequestError, and for a call never sent (ErrNotSent); test them with
// errors.Is.
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
	// ErrRedirect: the answer was a redirect, which API calls never follow
	// (it would resend the token or the secret to another host).
	ErrRedirect = errors.New("redirect not followed")
)

// APIError is an errcode answer from WeChat: a JSON body, with HTTP 200 or a
// 4xx status (a 5xx is a gateway failure, a *RequestError).
type APIError struct {
	Code int    // errcode
	Msg  string // errmsg without the rid / hint suffix
	RID  string // "663b1af7-1f2e3d4c-5b6a7988", or the old hint "[XXXXXXXX]" content
	// Time is the request time WeChat encodes in the rid's first group; zero when absent.
	Time time.Time
	// Endpoint is the API path that answered, for messages.
	Endpoint string
}

// Error is the errcode, errmsg and rid, as WeChat gave them (redacted).
func (e *APIError) Error() string {
	s := fmt.Sprintf("errcode %d: %s", e.Code, e.Msg)
	if e.RID != "" {
		s += " (rid " + e.RID + ")"
	}
	return s
}

var (
	ridPattern  = lazyRegexp(`[,;]?\s*rid:\s*([0-9a-fA-F]{8}(?:-[0-9a-fA-F]+)*)\s*$`)
	hintPattern = lazyRegexp(`[,;]?\s*hints?:\s*\[([^\]]*)\]\s*$`)
)

// ParseAPIError reads {"errcode":N,"errmsg":"…"}; ok is false when body is not
// such an object. errcode 0 yields (nil, true): a JSON success answer.
func ParseAPIError(body []byte) (apiErr *APIError, ok bool) {
	var raw struct {
		ErrCode *json.Number `json:"errcode"`
		ErrMsg  string       `json:"errmsg"`
	}
	if err := json.Unmarshal(body, &raw); err != nil || raw.ErrCode == nil {
		return nil, false
	}
	code, err := strconv.Atoi(raw.ErrCode.String())
	if err != nil {
		return nil, false
	}
	if code == 0 {
		return nil, true
	}
	e := &APIError{Code: code, Msg: strings.TrimSpace(raw.ErrMsg)}
	if m := ridPattern().FindStringSubmatchIndex(e.Msg); m != nil {
		e.RID = e.Msg[m[2]:m[3]]
		e.Msg = strings.TrimSpace(e.Msg[:m[0]])
		e.Time = RIDTime(e.RID)
	} else if m := hintPattern().FindStringSubmatchIndex(e.Msg); m != nil {
		e.RID = e.Msg[m[2]:m[3]]
		e.Msg = strings.TrimSpace(e.Msg[:m[0]])
	}
	return e, true
}

// RIDTime decodes the request time from a rid's first group (8 hex digits of
// Unix seconds); zero when the rid has no such group.
func RIDTime(rid string) time.Time {
	first, _, _ := strings.Cut(rid, "-")
	if len(first) != 8 {
		return time.Time{}
	}
	sec, err := strconv.ParseInt(first, 16, 64)
	if err != nil {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

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

// Error names the endpoint, the status and the cause; never a token.
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

// Error is the errcode answer with when to try again.
func (e *RateLimitError) Error() string {
	return fmt.Sprintf("%s: rate limit reached; the next minute starts at %s, when a per-minute limit lets calls through again (a daily quota, such as getwxacode's 10,000 new codes a day, resets tomorrow)",
		e.API.Error(), e.NextMinute.Local().Format("15:04:05"))
}

// Unwrap returns the *APIError.
func (e *RateLimitError) Unwrap() error { return e.API }

// rateLimited turns 45009/45011 into a *RateLimitError; other errors pass through.
func rateLimited(err error, now time.Time) error {
	var ae *APIError
	if errors.As(err, &ae) && (ae.Code == 45009 || ae.Code == 45011) {
		return &RateLimitError{API: ae, NextMinute: now.Truncate(time.Minute).Add(time.Minute)}
	}
	return err
}

// notSent marks err as ErrNotSent without changing its message.
type notSent struct{ err error }

func (e notSent) Error() string   { return e.err.Error() }
func (e notSent) Unwrap() []error { return []error{ErrNotSent, e.err} }

// errNoTokenSource: a Client built without WithTokenSource cannot call.
var errNoTokenSource = errors.New("no access token source: give appid and secret, an access token, or a token command")
