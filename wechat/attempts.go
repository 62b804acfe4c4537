package wechat

import (
	"context"
	"sync/atomic"
)

type attemptsKey struct{}

// CountAttempts returns a context under which Get adds one to n for every
// HTTP request it sends to a code endpoint, retries and the retry after a
// token renewal included, so a caller can report the requests it really made
// rather than its calls of Get.
func CountAttempts(ctx context.Context, n *atomic.Int64) context.Context {
	return context.WithValue(ctx, attemptsKey{}, n)
}

// countAttempt records one request sent under ctx (see CountAttempts).
func countAttempt(ctx context.Context) {
	if n, ok := ctx.Value(attemptsKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
}
