package batch

import (
	"context"
	"errors"
	"math"
	"slices"
	"sync"
	"time"

	"wxacode/wechat"
)

// MaxConcurrency caps the calls auto concurrency keeps in flight: at
// WeChat's 5000 a minute, 128 covers 1.5 s a call.
const MaxConcurrency = 128

// autoStart is where auto concurrency starts, before any latency is known:
// the old fixed default.
const autoStart = 8

// latencySamples is how many recent call latencies the percentile is taken over.
const latencySamples = 64

// headroom is how much more than rate × latency is kept in flight: latency
// varies call to call, and a slot left idle is throughput lost. Calls past
// the rate wait in the client's limiter, never at WeChat.
const headroom = 1.25

// gate keeps at most limit calls in flight. With auto set, the limit follows
// Little's law, in flight = rate × latency (a moving 90th percentile of the
// recent calls' time on the wire, wechat.Code.Elapsed, which leaves out the
// limiter's wait), and backs off when WeChat or the network pushes back.
type gate struct {
	mu       sync.Mutex
	auto     bool
	limit    int
	inFlight int
	wake     chan struct{} // closed when a slot frees or the limit grows

	perSec   float64 // the limiter's calls per second; 0: no limit known
	lat      [latencySamples]time.Duration
	nLat     int
	ceiling  int       // after a back-off, growth above it is slow (one per limit calls)
	credit   int       // successes counted toward the next slow step
	backedAt time.Time // the last back-off: one per latency, not one per failed call
	now      func() time.Time
	peak     int
}

// newGate is a fixed gate of n (n > 0), or auto (n == 0) sized for
// perMinute calls a minute.
func newGate(n, perMinute int, now func() time.Time) *gate {
	g := &gate{limit: n, wake: make(chan struct{}), now: now, ceiling: MaxConcurrency}
	if n <= 0 {
		g.auto, g.limit = true, autoStart
		g.perSec = float64(perMinute) / 60
	}
	return g
}

// workers is how many goroutines may call at once.
func (g *gate) workers() int {
	if g.auto {
		return MaxConcurrency
	}
	return g.limit
}

// acquire waits for a slot.
func (g *gate) acquire(ctx context.Context) error {
	for {
		g.mu.Lock()
		if g.inFlight < g.limit {
			g.inFlight++
			g.peak = max(g.peak, g.inFlight)
			g.mu.Unlock()
			return nil
		}
		wake := g.wake
		g.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// release frees the slot and learns from the call: its latency, its
// retries inside the client after a transient failure (-1, 5xx, a timeout
// or a reset was met and retried; a token renewal's retry is not one) and
// how it ended.
func (g *gate) release(c *wechat.Code, err error, retried int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inFlight--
	if g.auto {
		switch {
		case pushedBack(err) || retried > 0:
			g.backOff()
		case err == nil && c != nil && c.Elapsed > 0:
			g.learn(c.Elapsed)
		}
	}
	close(g.wake)
	g.wake = make(chan struct{})
}

// pushedBack reports whether err is WeChat or the network asking for less:
// -1, 5xx, a timeout, a reset, a rate limit.
func pushedBack(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var api *wechat.APIError
	if errors.As(err, &api) {
		return api.Code == -1 || api.Code == 45009 || api.Code == 45011
	}
	var ve *wechat.ValidationError
	return !errors.As(err, &ve) && !errors.Is(err, wechat.ErrNotSent)
}

// learn adds a latency sample and moves the limit toward rate × latency:
// halfway at once below the ceiling, one step per limit calls above it.
func (g *gate) learn(d time.Duration) {
	g.lat[g.nLat%latencySamples] = d
	g.nLat++
	want := MaxConcurrency
	if g.perSec > 0 {
		want = int(math.Ceil(g.perSec*g.p90().Seconds()*headroom)) + 1
	}
	want = min(max(want, 1), MaxConcurrency)
	switch {
	case want > g.limit && g.limit < g.ceiling:
		g.limit += max(1, (min(want, g.ceiling)-g.limit+1)/2)
	case want > g.limit:
		if g.credit++; g.credit >= g.limit {
			g.credit = 0
			g.limit++
		}
	case want < g.limit:
		g.limit -= max(1, (g.limit-want)/8) // shrink gently: one slow call must not empty the pipe
	}
}

// backOff cuts the limit by a quarter, at most once per observed latency
// (the calls already in flight met the same trouble), and makes growth
// above the new limit slow.
func (g *gate) backOff() {
	now := g.now()
	if !g.backedAt.IsZero() && now.Sub(g.backedAt) < max(g.p90(), 100*time.Millisecond) {
		return
	}
	g.backedAt = now
	g.limit = max(1, g.limit*3/4)
	g.ceiling, g.credit = g.limit, 0
}

// p90 is the 90th percentile of the recent latencies; 0 before any.
func (g *gate) p90() time.Duration {
	n := min(g.nLat, latencySamples)
	if n == 0 {
		return 0
	}
	s := slices.Clone(g.lat[:n])
	slices.Sort(s)
	return s[(n*9+9)/10-1] // the ceil(0.9 n)-th smallest
}

// size is the limit now (the calls allowed in flight) and the most in flight so far.
func (g *gate) size() (limit, peak int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.limit, g.peak
}
