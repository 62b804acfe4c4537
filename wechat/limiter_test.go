package wechat

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testimage"
)

// TestLimiterWindowEdges drives the limiter through its clock hooks: now is a
// settable clock and sleep only moves it, so every wait is known exactly.
func TestLimiterWindowEdges(t *testing.T) {
	const s = time.Second
	tests := []struct {
		name   string
		n      int
		arrive []time.Duration // when each call asks, from the start
		let    []time.Duration // when each is let through
		sleeps []time.Duration
	}{
		{name: "n at once", n: 3, arrive: []time.Duration{0, 0, 0}, let: []time.Duration{0, 0, 0}},
		{name: "the n+1th waits until the oldest leaves", n: 3,
			arrive: []time.Duration{0, 10 * s, 20 * s, 30 * s}, let: []time.Duration{0, 10 * s, 20 * s, 60 * s},
			sleeps: []time.Duration{30 * s}},
		{name: "exactly at the edge is allowed", n: 3,
			arrive: []time.Duration{0, 10 * s, 20 * s, 60 * s}, let: []time.Duration{0, 10 * s, 20 * s, 60 * s}},
		{name: "a nanosecond before the edge waits that nanosecond", n: 3,
			arrive: []time.Duration{0, 10 * s, 20 * s, 60*s - 1}, let: []time.Duration{0, 10 * s, 20 * s, 60 * s},
			sleeps: []time.Duration{1}},
		{name: "then the next oldest sets the wait", n: 3,
			arrive: []time.Duration{0, 10 * s, 20 * s, 30 * s, 30 * s}, let: []time.Duration{0, 10 * s, 20 * s, 60 * s, 70 * s},
			sleeps: []time.Duration{30 * s, 10 * s}},
		{name: "a burst of 2n spans two windows", n: 2,
			arrive: []time.Duration{0, 0, 0, 0, 0}, let: []time.Duration{0, 0, 60 * s, 60 * s, 120 * s},
			sleeps: []time.Duration{60 * s, 60 * s}},
		{name: "one a minute", n: 1, arrive: []time.Duration{0, 0, 90 * s}, let: []time.Duration{0, 60 * s, 120 * s},
			sleeps: []time.Duration{60 * s, 30 * s}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			start := clock.Now()
			var slept []time.Duration
			l := newLimiter(tc.n, clock.Now, func(_ context.Context, d time.Duration) error {
				slept = append(slept, d)
				clock.Add(d) // time passes only as the limiter asks
				return nil
			})
			var let []time.Duration
			for _, at := range tc.arrive {
				if now := clock.Now().Sub(start); now < at {
					clock.Add(at - now)
				}
				require.NoError(t, l.Wait(context.Background()))
				let = append(let, clock.Now().Sub(start))
			}
			assert.Equal(t, tc.let, let)
			assert.Equal(t, tc.sleeps, slept)
		})
	}
}

func TestLimiterWaitHonoursCtx(t *testing.T) {
	t.Run("cancelled before", func(t *testing.T) {
		clock := newFakeClock()
		l := newLimiter(1, clock.Now, func(context.Context, time.Duration) error {
			t.Fatal("no wait once ctx has ended")
			return nil
		})
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		assert.ErrorIs(t, l.Wait(ctx), context.Canceled)
		assert.NoError(t, l.Wait(context.Background()), "and the cancelled call took no slot")
	})
	t.Run("deadline while waiting", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			l := newLimiter(1, time.Now, sleepCtx)
			require.NoError(t, l.Wait(context.Background()))
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			start := time.Now()
			assert.ErrorIs(t, l.Wait(ctx), context.DeadlineExceeded)
			assert.Equal(t, 20*time.Second, time.Since(start), "on the bubble's clock: gave up at the deadline")
		})
	})
	t.Run("nil is no limit", func(t *testing.T) {
		var l *limiter
		assert.NoError(t, l.Wait(context.Background()))
	})
}

func TestLimiterSharedByGoroutines(t *testing.T) {
	clock := newFakeClock()
	l := newLimiter(100, clock.Now, sleepCtx)
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 250 {
		wg.Go(func() {
			if l.reserve() == 0 {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 100, allowed)
}

// TestClientRateLimitAppliesToUnlimitedOnly runs a client on the bubble's
// fake clock: the third unlimited call at 2/min waits exactly a minute, and a
// caller that gives up first spends nothing.
func TestClientRateLimitAppliesToUnlimitedOnly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		img := testimage.JPEG(testimage.Checker(8, 8))
		f := newInProcFake(t)
		for _, k := range Kinds {
			f.handle(k.Path(), serveImage(img, "image/jpeg", -1))
		}
		c := f.client(WithRateLimit(2))
		ctx := context.Background()
		start := time.Now()
		for range 2 {
			_, err := c.Get(ctx, &UnlimitedRequest{Scene: "a"})
			require.NoError(t, err)
		}
		assert.Zero(t, time.Since(start), "two at once")

		// A caller that waits 20 s of the minute gives up; nothing was sent.
		short, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		_, err := c.Get(short, &UnlimitedRequest{Scene: "a"})
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.ErrorIs(t, err, ErrNotSent, "given up while waiting for the limiter: nothing was spent")
		assert.Len(t, f.requests(KindUnlimited.Path()), 2)

		// The pool endpoints are not limited by it.
		for range 3 {
			_, err := c.Get(ctx, &LimitedRequest{Path: "p"})
			require.NoError(t, err)
		}
		assert.Equal(t, 20*time.Second, time.Since(start))

		// The next unlimited call goes when the first two leave the window.
		code, err := c.Get(ctx, &UnlimitedRequest{Scene: "a"})
		require.NoError(t, err)
		assert.Equal(t, time.Minute, time.Since(start))
		assert.Equal(t, start.Add(time.Minute), code.Received)

		// Off when 0.
		c0 := f.client(WithRateLimit(0))
		for range 5 {
			_, err := c0.Get(ctx, &UnlimitedRequest{Scene: "a"})
			require.NoError(t, err)
		}
		assert.Equal(t, time.Minute, time.Since(start))
	})
}
