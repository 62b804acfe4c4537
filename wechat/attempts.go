package wechat

import (
	"context"
	"sync/atomic"
)

type attemptsKey struct{}

// CountAttempts returns a context under which Get (and the link-rule calls,
// which share its loop) adds one to n for every HTTP request it sends,
// retries and the retry after a token renewal included, so a caller can
// report the requests it really made rather than its calls of Get.
func CountAttempts(ctx context.Context, n *atomic.Int64) context.Context {
	return context.WithValue(ctx, attemptsKey{}, n)
}

// countAttempt records one request sent under ctx (see CountAttempts).
func countAttempt(ctx context.Context) {
	if n, ok := ctx.Value(attemptsKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
}

type retriesKey struct{}

// CountRetries returns a context under which Get (and the link-rule calls)
// adds one to n each time it tries an endpoint again after a transient
// failure (-1, 5xx, a timeout, a reset): WeChat or the network pushing back. The retry after a
// token renewal does not count; nothing pushed back then.
func CountRetries(ctx context.Context, n *atomic.Int64) context.Context {
	return context.WithValue(ctx, retriesKey{}, n)
}

// countRetry records one retry under ctx (see CountRetries).
func countRetry(ctx context.Context) {
	if n, ok := ctx.Value(retriesKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
}
