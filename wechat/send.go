package wechat

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// exchange is one call that needs an access token, as send makes it: the
// code endpoints (Get) and the link-rule endpoints (callJSON) differ only in
// what is in here.
type exchange[T any] struct {
	route Route
	body  []byte // the request's body: sent on a POST, logged either way
	limit int64  // the most of an answer that is read
	// decode turns an HTTP 200 that is no errcode into the result.
	decode func(answer) (T, error)
	// logged is the debug log's message and attributes for a success.
	logged func(T) (string, []any)
}

// send is the one loop around do for token-authorised calls: the token
// first, the limiter when the route is paced, one renewal on a token error
// (40001, 40014, 42001), 45009 and 45011 as *RateLimitError, back-off on
// transient failures of idempotent routes, CountAttempts, CountRetries and
// the debug log for every attempt. Errors never contain the access token.
func send[T any](ctx context.Context, c *Client, x exchange[T]) (T, error) {
	var zero T
	renewed := false
	// sent: some attempt reached the endpoint, so a later one that did not
	// must not make the whole call look unsent (ErrNotSent).
	sent := false
	for try := 1; ; try++ {
		attempt := try // counts toward the transient-failure budget…
		if renewed {
			attempt-- // …except the retry after a token renewal
		}
		v, used, err := once(ctx, c, x)
		if err == nil {
			msg, attrs := x.logged(v)
			c.logAttempt(x.route.Path, try, x.body, msg, attrs, nil)
		} else {
			c.logAttempt(x.route.Path, try, x.body, "", nil, err)
		}
		if err == nil || !errors.Is(err, ErrNotSent) {
			countAttempt(ctx)
		}
		if err != nil && !errors.Is(err, ErrNotSent) {
			sent = true
		}
		if ns, ok := err.(notSent); ok && sent {
			err = ns.err
		}
		if err == nil {
			return v, nil
		}
		if IsTokenError(err) && !renewed && c.tokens != nil {
			renewed = true
			c.tokens.Invalidate(used)
			next, terr := c.tokens.Token(ctx)
			if terr != nil || next.Value == used {
				// Nothing new to try (a fixed token, or the source insists): report the original error.
				return zero, err
			}
			continue
		}
		if rl := rateLimited(err, c.now()); rl != err {
			return zero, rl // not retried: the limit holds until the next minute (or day)
		}
		if !x.route.Idempotent || attempt >= c.maxAttempts || !retryable(ctx, err) {
			return zero, err
		}
		countRetry(ctx)
		if serr := c.sleep(ctx, backoff(c.retryBase, attempt)); serr != nil {
			return zero, &RequestError{Method: methodName(x.route.Method), Endpoint: x.route.Path, Err: serr,
				Detail: "gave up retrying after: " + err.Error()}
		}
	}
}

// once makes one HTTP call. It returns the token value it used, so a token
// error can invalidate exactly that token.
func once[T any](ctx context.Context, c *Client, x exchange[T]) (T, string, error) {
	var zero T
	rt := x.route
	// The token first: a fetch between the limiter's slot and the call would
	// make the call reach WeChat later than the limiter counted it, and a
	// slot taken early lets the next window's calls crowd the same minute.
	// Tokens are renewed 5 minutes before expiry, so the wait cannot outlive it.
	tok, err := c.Token(ctx)
	if err != nil {
		return zero, "", notSent{fmt.Errorf("get access token: %w", err)}
	}
	if rt.Paced {
		if err := c.limiter.Wait(ctx); err != nil {
			return zero, "", notSent{&RequestError{Method: methodName(rt.Method), Endpoint: rt.Path, Err: err,
				Detail: "waiting for the client-side rate limit"}}
		}
	}
	secret := tok.Value
	c.redactor.Add(secret)
	target := c.baseURL + rt.Path + "?access_token=" + url.QueryEscape(secret)
	if rt.Query != "" {
		target += "&" + rt.Query
	}
	var body []byte
	if rt.Method == http.MethodPost {
		body = x.body
	}
	v, err := do(ctx, c.http, c.now, call{
		method:    rt.Method,
		path:      rt.Path,
		url:       target,
		body:      body,
		limit:     x.limit,
		userAgent: c.userAgent,
		secrets:   []string{secret},
		redactor:  c.redactor,
	}, x.decode)
	return v, secret, err
}
