package wechat

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"syscall"
	"time"
)

// Retry defaults: 4 attempts, 200 ms doubling, each delay capped at 10 s.
const (
	DefaultMaxAttempts = 4
	DefaultRetryBase   = 200 * time.Millisecond
	maxRetryDelay      = 10 * time.Second
)

// retryable reports whether a failed attempt may succeed if repeated: errcode
// -1 (system error), HTTP 5xx, timeouts, connection resets and truncated
// bodies. Cancellation of the caller's ctx never is; neither are errcodes
// about the request, rate limits (45009 is handled by the caller) or token
// errors (handled separately, once).
func retryable(ctx context.Context, err error) bool {
	if err == nil || ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return false
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Code == -1
	}
	var re *RequestError
	if errors.As(err, &re) && re.Status >= 500 {
		return true
	}
	if errors.Is(err, ErrTruncated) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true // the http.Client's own timeout; the caller's ctx is still alive (checked above)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// backoff is the delay before attempt n+1 (n ≥ 1): base·2^(n-1), capped, with
// "equal jitter" (half fixed, half random) so parallel clients spread out.
func backoff(base time.Duration, n int) time.Duration {
	if base <= 0 {
		return 0
	}
	d := base
	for i := 1; i < n && d < maxRetryDelay; i++ {
		d *= 2
	}
	d = min(d, maxRetryDelay)
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(half)+1))
}
