package wechat

import (
	"errors"
	"log/slog"
)

// WithLogger logs every attempt at a code or link-rule endpoint at debug
// level: endpoint, attempt, the body (what a GET's request says, though it
// sends none), and the outcome (for a code its format, size and time; or
// errcode, errmsg, rid). The access token and secret never appear: the URL
// is not logged, and error texts are already redacted.
func WithLogger(l *slog.Logger) Option { return func(c *Client) { c.log = l } }

// loggedCode is what the log says of a code that arrived.
func loggedCode(code *Code) (string, []any) {
	return "code", []any{"format", code.Format, "bytes", len(code.Bytes), "width", code.Width,
		"height", code.Height, "num_used", code.NumUsed, "elapsed", code.Elapsed}
}

// logAttempt logs one attempt at path: on success (err nil) msg with ok's
// attributes, else the error.
func (c *Client) logAttempt(path string, attempt int, body []byte, msg string, ok []any, err error) {
	if c.log == nil {
		return
	}
	// Error texts are scrubbed already; the redactor runs again on every
	// text here because the log is a sink of its own (the body, too, could
	// echo a credential pasted into a field).
	red := c.redactor.Redact
	attrs := []any{"endpoint", path, "attempt", attempt, "body", red(string(body))}
	var apiErr *APIError
	switch {
	case err == nil:
		c.log.Debug(msg, append(attrs, ok...)...)
	case errors.Is(err, ErrNotSent):
		// A token endpoint's errcode lands here too: it is not the called endpoint's answer.
		attrs = append(attrs, "error", red(err.Error()), "sent", false)
		c.log.Debug("not sent", attrs...)
	case errors.As(err, &apiErr):
		attrs = append(attrs, "errcode", apiErr.Code, "errmsg", red(apiErr.Msg), "rid", red(apiErr.RID))
		c.log.Debug("errcode", attrs...)
	default:
		attrs = append(attrs, "error", red(err.Error()), "sent", true)
		c.log.Debug("failed", attrs...)
	}
}
