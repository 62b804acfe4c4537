package batch

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/wechattest"
	"wxacode/wechat"
	"wxacode/wechat/sim"
)

// TestGateFollowsLittlesLaw feeds the gate latencies on a fixed clock: the
// limit settles at rate × p90 latency (with its headroom), capped at 128,
// and a fixed gate never moves.
func TestGateFollowsLittlesLaw(t *testing.T) {
	now := time.Unix(0, 0)
	clock := func() time.Time { return now }
	for _, tc := range []struct {
		name      string
		n, rate   int
		latency   time.Duration
		wantLimit int
	}{
		{"5000/min at 250ms", 0, 5000, 250 * time.Millisecond, 28}, // ceil(83.3 × 0.25 × 1.25) + 1
		{"5000/min at 1s", 0, 5000, time.Second, 106},
		{"5000/min at 3s: the cap", 0, 5000, 3 * time.Second, MaxConcurrency},
		{"60/min at 1s", 0, 60, time.Second, 3},
		{"60/min at 250ms", 0, 60, 250 * time.Millisecond, 2},
		{"fixed", 8, 5000, time.Second, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newGate(tc.n, tc.rate, clock)
			for range 300 {
				require.NoError(t, g.acquire(context.Background()))
				g.release(&wechat.Code{Elapsed: tc.latency}, nil, 0)
			}
			limit, _ := g.size()
			assert.Equal(t, tc.wantLimit, limit)
		})
	}
	t.Run("grows smoothly", func(t *testing.T) {
		g := newGate(0, 5000, clock)
		prev := autoStart
		for range 20 {
			g.acquire(context.Background())
			g.release(&wechat.Code{Elapsed: time.Second}, nil, 0)
			limit, _ := g.size()
			assert.LessOrEqual(t, limit-prev, (106-prev+1)/2, "at most half the gap a step")
			prev = limit
		}
	})
	t.Run("backs off once per latency", func(t *testing.T) {
		g := newGate(0, 5000, clock)
		for range 100 {
			g.acquire(context.Background())
			g.release(&wechat.Code{Elapsed: time.Second}, nil, 0)
		}
		for _, err := range []error{&wechat.APIError{Code: -1}, &wechat.RequestError{Status: 503}, context.DeadlineExceeded} {
			g.acquire(context.Background())
			g.release(nil, err, 3)
		}
		limit, _ := g.size()
		assert.Equal(t, 106*3/4, limit, "three failures within one latency: one cut")
		now = now.Add(2 * time.Second)
		g.acquire(context.Background())
		g.release(&wechat.Code{Elapsed: time.Second}, nil, 1) // succeeded after a retry inside the client
		limit, _ = g.size()
		assert.Equal(t, 106*3/4*3/4, limit)
		for range 10 { // above the cut, growth is one a limit's worth of calls
			g.acquire(context.Background())
			g.release(&wechat.Code{Elapsed: time.Second}, nil, 0)
		}
		after, _ := g.size()
		assert.Equal(t, limit, after)
		g.acquire(context.Background())
		g.release(nil, &wechat.APIError{Code: 40001}, 0) // an errcode about the request is no push-back
		g.acquire(context.Background())
		g.release(nil, errors.Join(wechat.ErrNotSent), 0)
		after, _ = g.size()
		assert.Equal(t, limit, after)
	})
}

var (
	smallCodeOnce sync.Once
	smallCode     []byte
)

// smallCodeBytes is a real 280 px code: the simulator answers every call
// with it, so the test measures batch, the client and the limiter, not drawing.
func smallCodeBytes(t *testing.T) []byte {
	smallCodeOnce.Do(func() {
		smallCode, _ = wechattest.Code(t, wechat.UnlimitedRequest{Scene: "a", Width: wechat.MinWidth})
	})
	return smallCode
}

// TestAutoConcurrencyReachesTheRate runs batch with default concurrency
// against the simulator answering after 250 ms and after 1 s, on the
// bubble's virtual clock: the first minute holds at least 95 % of the
// limit, no 45009 comes back, and at 1 s the eight workers of old (480 a
// minute at most) are outgrown.
func TestAutoConcurrencyReachesTheRate(t *testing.T) {
	rate := 600
	if raceEnabled {
		rate = 480 // still more than eight calls in flight at 1 s
	}
	code := smallCodeBytes(t)
	for _, latency := range []time.Duration{250 * time.Millisecond, time.Second} {
		t.Run(latency.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				cfg := sim.DefaultConfig()
				cfg.CodeImageBytes = code
				cfg.Limits.UnlimitedPerMinute = rate
				cfg.Faults.Latency = latency
				env, cl := startSim(t, cfg, wechat.WithRateLimit(rate))
				rows := rate + rate/5
				o := fastOpts(writeInput(t, "rows.csv", csvRows(rows, "", nil)), t.TempDir(), env.Client)
				o.Concurrency, o.Rate = 0, rate
				sum, err := Run(context.Background(), o)
				require.NoError(t, err)
				assert.Equal(t, rows, sum.Written)
				assert.Zero(t, sum.RateLimited, "no 45009")
				times := cl.calls()
				first := 0
				for _, at := range times {
					if at.Sub(times[0]) < time.Minute {
						first++
					}
				}
				assert.GreaterOrEqual(t, float64(first), 0.95*float64(rate), "calls in the first minute")
				assert.LessOrEqual(t, first, rate)
				if latency == time.Second {
					assert.Greater(t, sum.PeakInFlight, 8)
				}
				t.Logf("latency %s: %d of %d in the first minute, concurrency %d at the end, peak in flight %d", latency, first, rate, sum.Concurrency, sum.PeakInFlight)
			})
		})
	}
}

// TestAutoConcurrencyBacksOff injects -1s and 503s in the middle of a run:
// the concurrency drops below what it was, every row still lands.
func TestAutoConcurrencyBacksOff(t *testing.T) {
	rate := 600
	if raceEnabled {
		rate = 300
	}
	code := smallCodeBytes(t)
	synctest.Test(t, func(t *testing.T) {
		cfg := sim.DefaultConfig()
		cfg.CodeImageBytes = code
		cfg.Limits.UnlimitedPerMinute = rate
		cfg.Faults.Latency = time.Second
		env, _ := startSim(t, cfg, wechat.WithRateLimit(rate), wechat.WithRetry(4, 100*time.Millisecond))
		rows := rate / 2
		o := fastOpts(writeInput(t, "rows.csv", csvRows(rows, "", nil)), t.TempDir(), env.Client)
		o.Concurrency, o.Rate = 0, rate
		var mu sync.Mutex
		injected, before, lowest := false, 0, MaxConcurrency
		o.OnProgress = func(p Progress) {
			mu.Lock()
			defer mu.Unlock()
			switch {
			case !injected && p.Done >= rows/3:
				injected, before = true, p.Concurrency
				var fs []sim.Fault
				for i := range 40 {
					fs = append(fs, sim.Fault{Kind: []sim.FaultKind{sim.FaultSystemError, sim.FaultUnavailable}[i%2]})
				}
				env.Sim.Inject(fs...)
			case injected:
				lowest = min(lowest, p.Concurrency)
			}
		}
		sum, err := Run(context.Background(), o)
		require.NoError(t, err)
		assert.Equal(t, rows, sum.Written)
		assert.Zero(t, sum.RateLimited)
		require.True(t, injected)
		assert.Less(t, lowest, before, "backed off from %d", before)
		assert.Greater(t, sum.Retries, 0)
		t.Logf("concurrency %d before the faults, %d at the lowest, %d at the end", before, lowest, sum.Concurrency)
	})
}
