package wechat

import (
	"context"
	"sync"
	"time"
)

// DefaultRateLimit is getwxacodeunlimit's documented limit, calls per minute.
const DefaultRateLimit = 5000

// rateWindow is the span WeChat counts the limit over.
const rateWindow = time.Minute

// limiter is a sliding-window log: at most n calls in any 60 s window. WeChat
// counts calls per calendar minute, and a sliding window never lets a burst
// of 2n straddle a minute boundary the way a fixed counter would. One
// limiter is shared by all goroutines using a Client.
type limiter struct {
	mu    sync.Mutex
	n     int
	times []time.Time // ring of the last n call times
	next  int         // ring index of the oldest entry once full
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// newLimiter reads time from now and waits with sleep: the Client's clock
// and sleep, so tests drive both.
func newLimiter(perMinute int, now func() time.Time, sleep func(context.Context, time.Duration) error) *limiter {
	return &limiter{n: perMinute, now: now, sleep: sleep}
}

// reserve records a call and returns 0 if one is allowed now; otherwise it
// records nothing and returns how long to wait before asking again. A call
// exactly one window after the oldest is allowed: the window is half-open.
func (l *limiter) reserve() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.times) < l.n {
		l.times = append(l.times, now)
		return 0
	}
	if wait := l.times[l.next].Add(rateWindow).Sub(now); wait > 0 {
		return wait
	}
	l.times[l.next] = now
	l.next = (l.next + 1) % l.n
	return 0
}

// Wait blocks until a call is allowed or ctx ends. A nil limiter (the limit
// turned off) never waits.
func (l *limiter) Wait(ctx context.Context) error {
	if l == nil {
		return ctx.Err()
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		d := l.reserve()
		if d == 0 {
			return nil
		}
		if err := l.sleep(ctx, d); err != nil {
			return err
		}
	}
}

// sleepCtx waits for d or until ctx ends. It is the one real wait in the
// client (the limiter and the retry back-off both use it through
// Client.sleep); testing/synctest's fake clock drives it in tests.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
