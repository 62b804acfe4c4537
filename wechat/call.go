package wechat

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"time"
)

// call is one HTTP exchange with a WeChat endpoint. The code and token
// endpoints share everything but what is in here.
type call struct {
	method    string // http.MethodGet or http.MethodPost
	path      string // API path, for messages
	url       string // the full URL, credentials included: never shown
	body      []byte // sent as application/json; nil sends none
	limit     int64  // the most of the answer's body that is read
	userAgent string
	secrets   []string // values scrubbed from every error (token, secret…)
	// redactor knows the credentials of the whole session (the app secret
	// on a code call, say); nil: only secrets.
	redactor *Redactor
}

// answer is an HTTP 200 that is not an errcode: the caller decodes it.
type answer struct {
	header  http.Header
	body    []byte
	elapsed time.Duration // from sending to the last byte, on the injected clock
	redact  *Redactor     // the call's: for excerpts, which are redacted before they are cut
}

// do is the request pipeline of every endpoint: build the request, send it,
// read the bounded body, turn a non-200 status or an errcode into an error,
// and hand the rest to decode. Every error it returns, decode's included, is
// a *RequestError or an *APIError naming c.path, with c.secrets scrubbed.
func do[T any](ctx context.Context, hc *http.Client, now func() time.Time, c call, decode func(answer) (T, error)) (T, error) {
	var zero T
	c = c.withRedactor()
	var rd *bytes.Reader
	if c.body != nil {
		rd = bytes.NewReader(c.body)
	}
	req, err := newRequest(ctx, c.method, c.url, rd)
	if err != nil {
		return zero, c.scrub(&RequestError{Err: err})
	}
	if c.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", c.userAgent)
	start := now()
	resp, err := noRedirects(hc).Do(req)
	if err != nil {
		return zero, c.scrub(&RequestError{Err: err})
	}
	defer resp.Body.Close()
	data, err := readBody(resp, c.limit)
	if err != nil {
		return zero, c.scrub(&RequestError{Status: resp.StatusCode, Err: err})
	}
	if isRedirect(resp.StatusCode) {
		return zero, c.scrub(redirectError(resp))
	}
	a := answer{header: resp.Header, body: data, elapsed: now().Sub(start), redact: c.redactor}
	if resp.StatusCode != http.StatusOK {
		// A gateway page, or an errcode with a 4xx status: keep the errcode if there is one.
		if apiErr, ok := ParseAPIError(data); ok && apiErr != nil && resp.StatusCode < 500 {
			return zero, c.scrub(apiErr)
		}
		return zero, c.scrub(&RequestError{Status: resp.StatusCode, Detail: excerpt(data, c.redactor)})
	}
	// Images never parse as JSON, so an errcode is told apart before decoding.
	if apiErr, ok := ParseAPIError(data); ok && apiErr != nil {
		return zero, c.scrub(apiErr)
	}
	v, err := decode(a)
	if err != nil {
		return zero, c.scrub(err)
	}
	return v, nil
}

// withRedactor gives c its own redactor: the session's plus c.secrets.
func (c call) withRedactor() call {
	c.redactor = c.redactor.With(c.secrets...)
	return c
}

// newRequest keeps a nil *bytes.Reader from becoming a non-nil io.Reader.
func newRequest(ctx context.Context, method, url string, body *bytes.Reader) (*http.Request, error) {
	if body == nil {
		return http.NewRequestWithContext(ctx, method, url, nil)
	}
	return http.NewRequestWithContext(ctx, method, url, body)
}

// scrub stamps err with the call's method and path and removes the call's
// secrets from every text it carries. do sets c.redactor first.
func (c call) scrub(err error) error {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		if apiErr.Endpoint == "" {
			apiErr.Endpoint = c.path
		}
		apiErr.Msg = c.clean(apiErr.Msg)
		apiErr.RID = c.clean(apiErr.RID)
		return err
	}
	var re *RequestError
	if errors.As(err, &re) {
		if re.Endpoint == "" {
			re.Endpoint = c.path
		}
		if re.Method == "" {
			re.Method = methodName(c.method)
		}
		re.Detail = c.clean(re.Detail)
		re.Err = sanitizeWith(re.Err, c.redactor)
		return err
	}
	return &RequestError{Method: methodName(c.method), Endpoint: c.path, Err: sanitizeWith(err, c.redactor)}
}

// clean is what becomes of server text in our errors: credentials removed,
// then control characters shown escaped (SafeText).
func (c call) clean(s string) string { return SafeText(c.redactor.Redact(s)) }

// methodName is RequestError.Method's spelling of method: "" for POST.
func methodName(method string) string {
	if method == http.MethodPost {
		return ""
	}
	return method
}
