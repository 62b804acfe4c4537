package wechat

import (
	"context"
	"sync"
	"time"
)

// DefaultRateLimit is getwxacodeunlimit's documented limit, calls per minute.
const DefaultRateLimit = 5000

// limiter is a sliding-window log: at most n calls in any 60 s window. WeChat
// counts calls per minute, and a window never lets a burst of 2n straddle a
// minute boundary the way a fixed counter would. One limiter is shared by all
// goroutines using a Client.
type limiter struct {
	mu    sync.Mutex
	n     int
	times []time.Time // ring of the last n call times
	next  int         // ring index of the oldest entry once full
	now   func() time.Time
	// window is the span the n calls are counted over; 0 means a minute.
	// Only tests shorten it (WithRateWindow), together with a faster simulator clock.
	window time.Duration
	// sleep waits for d or until ctx ends; replaced in tests.
	sleep func(ctx context.Context, d time.Duration) error
}

func newLimiter(perMinute int, now func() time.Time) *limiter {
	return &limiter{n: perMinute, now: now, sleep: sleepCtx}
}

// reserve records a call and returns 0 if one is allowed now; otherwise it
// records nothing and returns how long to wait before asking again.
func (l *limiter) reserve() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.times) < l.n {
		l.times = append(l.times, now)
		return 0
	}
	oldest := l.times[l.next]
	window := l.window
	if window <= 0 {
		window = time.Minute
	}
	if wait := oldest.Add(window).Sub(now); wait > 0 {
		return wait
	}
	l.times[l.next] = now
	l.next = (l.next + 1) % l.n
	return 0
}

// Wait blocks until a call is allowed or ctx ends.
func (l *limiter) Wait(ctx context.Context) error {
	if l == nil || l.n <= 0 {
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

// sleepCtx waits for d or until ctx ends.
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

// WithRateWindow shortens the limiter's one-minute window, so a test can run
// a simulator whose clock runs faster through many "minutes" in seconds. The
// limit stays WithRateLimit calls per window. Not for production use.
func WithRateWindow(d time.Duration) Option { return func(c *Client) { c.rateWindow = d } }
