package wechat

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testimage"
)

func TestLimiterSlidingWindow(t *testing.T) {
	clock := newFakeClock()
	l := newLimiter(3, clock.Now)
	for i := range 3 {
		assert.Zero(t, l.reserve(), "call %d", i+1)
		clock.Add(10 * time.Second)
	}
	// 30 s after the first call: it leaves the window at 60 s.
	assert.Equal(t, 30*time.Second, l.reserve())
	clock.Add(30 * time.Second)
	assert.Zero(t, l.reserve())
	// The second call (at 10 s) is now the oldest: 10 s more.
	assert.Equal(t, 10*time.Second, l.reserve())
	clock.Add(10 * time.Second)
	assert.Zero(t, l.reserve())
}

func TestLimiterWaitUsesClockAndCtx(t *testing.T) {
	clock := newFakeClock()
	l := newLimiter(2, clock.Now)
	var slept []time.Duration
	l.sleep = func(ctx context.Context, d time.Duration) error {
		slept = append(slept, d)
		clock.Add(d) // time passes only as the limiter asks
		return nil
	}
	start := clock.Now()
	for range 5 {
		require.NoError(t, l.Wait(context.Background()))
	}
	// 5 calls at 2/min: the 3rd and 4th wait for the first minute, the 5th for the second.
	assert.Equal(t, []time.Duration{time.Minute, time.Minute}, slept)
	assert.Equal(t, 2*time.Minute, clock.Now().Sub(start))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, l.Wait(ctx), context.Canceled)

	l2 := newLimiter(1, clock.Now)
	require.NoError(t, l2.Wait(context.Background()))
	ctx, cancel = context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, l2.Wait(ctx), context.DeadlineExceeded, "real sleep honours ctx")
}

func TestLimiterSharedByGoroutines(t *testing.T) {
	clock := newFakeClock()
	l := newLimiter(100, clock.Now)
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

func TestClientRateLimitAppliesToUnlimitedOnly(t *testing.T) {
	img := testimage.JPEG(testimage.Checker(8, 8))
	f := newFake(t)
	for _, k := range Kinds {
		f.handle(k.Path(), serveImage(img, "image/jpeg", -1))
	}
	clock := newFakeClock()
	c := f.client(WithRateLimit(2), WithClock(clock.Now))
	ctx := context.Background()
	for range 2 {
		_, err := c.Get(ctx, &UnlimitedRequest{Scene: "a"})
		require.NoError(t, err)
	}
	// The third unlimited call would wait a minute of the fake clock: give up after 20 ms.
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
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
	// A minute later the window has room again.
	clock.Add(time.Minute)
	_, err = c.Get(ctx, &UnlimitedRequest{Scene: "a"})
	require.NoError(t, err)

	// Off when 0.
	c0 := f.client(WithRateLimit(0), WithClock(clock.Now))
	for range 5 {
		_, err := c0.Get(ctx, &UnlimitedRequest{Scene: "a"})
		require.NoError(t, err)
	}
	_ = http.StatusOK
}

func TestRateWindowOption(t *testing.T) {
	clock := newFakeClock()
	c := NewClient(WithRateLimit(1), WithRateWindow(time.Second), WithClock(clock.Now), WithBaseURL("http://x/"))
	assert.Equal(t, "http://x", c.BaseURL())
	assert.Zero(t, c.limiter.reserve())
	assert.Equal(t, time.Second, c.limiter.reserve())
	clock.Add(time.Second)
	assert.Zero(t, c.limiter.reserve())
}
