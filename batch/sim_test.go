package batch

import (
	"context"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
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

// callLog wraps the simulator and records when each code call arrived, on the
// simulator's clock, and how often each body was asked for.
type callLog struct {
	next  http.Handler
	now   func() time.Time
	mu    sync.Mutex
	times []time.Time
	per   map[string]int
}

func (c *callLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/wxa/") || strings.HasPrefix(r.URL.Path, "/cgi-bin/wxaapp/") {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		c.mu.Lock()
		c.times = append(c.times, c.now())
		c.per[string(body)]++
		c.mu.Unlock()
	}
	c.next.ServeHTTP(w, r)
}

// calls is a copy of the arrival times, in order.
func (c *callLog) calls() []time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := slices.Clone(c.times)
	slices.SortFunc(out, time.Time.Compare)
	return out
}

// startSim wires the simulator (cfg) and a client (opts) in-process through a
// callLog, so it works inside a synctest bubble: the simulator, the client
// and the batch then all run on the bubble's fake clock.
func startSim(t *testing.T, cfg sim.Config, opts ...wechat.Option) (*wechattest.Env, *callLog) {
	t.Helper()
	cl := &callLog{per: map[string]int{}}
	env := wechattest.New(t, wechattest.WithSim(cfg), wechattest.WithClient(opts...),
		wechattest.WithMiddleware(func(next http.Handler) http.Handler { cl.next = next; return cl }))
	cl.now = env.Sim.Clock().Now
	return env, cl
}

// TestSimRateStaysUnderTheLimitAndNearIt runs the client's one limiter, shared
// by eight workers, against the simulator on the bubble's fake clock with the
// real one-minute window, and the client's limit equal to the simulator's:
// on virtual time there is no jitter for a margin to absorb. The limit is
// smaller than WeChat's 5000: the simulator draws 230-400 codes a second on
// a 2-core machine (BenchmarkServe), so 5000 a minute would take 15-25 s of
// real time per window; virtual time makes the limit's size irrelevant to
// what is checked.
func TestSimRateStaysUnderTheLimitAndNearIt(t *testing.T) {
	limit, windows := 50, 2
	if raceEnabled {
		limit, windows = 20, 2 // the race detector makes drawing ~15x slower
	}
	synctest.Test(t, func(t *testing.T) {
		time.Sleep(30 * time.Second) // start mid-minute: windows and calendar minutes differ
		cfg := sim.DefaultConfig()
		cfg.Limits.UnlimitedPerMinute = limit
		env, cl := startSim(t, cfg, wechat.WithRateLimit(limit))

		rows := windows*limit + 5
		in := writeInput(t, "rows.csv", csvRows(rows, "", nil))
		o := fastOpts(in, t.TempDir(), env.Client)
		o.Base.Width = wechat.MinWidth // the cheapest code to draw
		o.Concurrency = 8
		sum, err := Run(context.Background(), o)
		require.NoError(t, err)
		assert.Equal(t, rows, sum.Written)
		assert.Zero(t, sum.RateLimited, "no 45009")
		assert.Zero(t, sum.Failed)

		times := cl.calls()
		require.Len(t, times, rows)
		// At or under: no calendar minute (how the simulator, like WeChat,
		// counts) holds more than the limit.
		perMinute := map[int64]int{}
		for _, at := range times {
			perMinute[at.Unix()/60]++
		}
		for m, n := range perMinute {
			assert.LessOrEqual(t, n, limit, "calls in minute %d", m)
		}
		// Near it: each window lets exactly the limit through, the next
		// call waiting until the first of the window leaves it.
		n := windows * limit
		assert.Equal(t, time.Duration(windows)*time.Minute, times[n].Sub(times[0]))
		rate := float64(n) / times[n].Sub(times[0]).Minutes()
		assert.InDelta(t, float64(limit), rate, 0.001, "calls per minute")
	})
}

// TestSimFaultsEveryRowAccountedFor injects 10% -1, 5% truncated bodies and
// 3% 503s: every row ends written, skipped or failed, and the folder holds
// only whole images. The retries' back-off runs on the bubble's clock.
func TestSimFaultsEveryRowAccountedFor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := sim.DefaultConfig()
		cfg.Faults = sim.Faults{Seed: 7, SystemError: 0.10, Truncate: 0.05, Unavailable: 0.03}
		env, cl := startSim(t, cfg, wechat.WithRetry(2, time.Millisecond), wechat.WithRateLimit(0))
		c := env.Client
		rows := 200
		if raceEnabled {
			rows = 60 // the race detector makes drawing and decoding ~15× slower
		}
		in := writeInput(t, "rows.csv", csvRows(rows, ",hyaline", func(i int) string {
			if i%5 == 0 {
				return ",true"
			}
			return ","
		}))
		out := t.TempDir()
		o := fastOpts(in, out, c)
		o.Retries = 6
		sum, err := Run(context.Background(), o)
		require.NoError(t, err)
		assert.Equal(t, rows, sum.Written+sum.Skipped+sum.Failed)
		assert.Equal(t, rows, sum.Written, "with retries every row gets through")
		assert.Greater(t, len(cl.times), rows, "faults happened and were retried")
		assert.Equal(t, rows, assertOnlyWholeImages(t, out))
		m := readManifest(t, out)
		assert.Len(t, m, rows)
		pngs := 0
		for _, e := range m {
			if e.Format == "png" {
				pngs++
				assert.True(t, strings.HasSuffix(e.File, ".png"))
			}
		}
		assert.Equal(t, rows/5, pngs, "hyaline codes are PNG, named .png")
		t.Logf("%d rows, %d calls reached the simulator, %d by batch", rows, len(cl.times), sum.Calls)
	})
}

// TestSim45009PausesUntilTheNextMinute lets the simulator answer 45009 (the
// client's limiter is off) two seconds before a minute turns, on the bubble's
// clock: the calls the limit allows go at once, every worker then waits, and
// the rest go exactly when the minute turns.
func TestSim45009PausesUntilTheNextMinute(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const limit, rows = 3, 6
		boundary := time.Now().Truncate(time.Minute).Add(time.Minute)
		time.Sleep(time.Until(boundary) - 2*time.Second)
		cfg := sim.DefaultConfig()
		cfg.Limits.UnlimitedPerMinute = limit
		env, cl := startSim(t, cfg, wechat.WithRateLimit(0))
		in := writeInput(t, "rows.csv", csvRows(rows, "", nil))
		out := t.TempDir()
		o := fastOpts(in, out, env.Client)
		o.Concurrency = 2
		sum, err := Run(context.Background(), o)
		require.NoError(t, err)
		assert.Equal(t, rows, sum.Written)
		assert.Zero(t, sum.Failed)
		assert.Positive(t, sum.RateLimited, "the simulator's limit was hit")
		ents, _ := os.ReadDir(out)
		assert.Len(t, ents, rows+1)

		var before, after []time.Time
		for _, at := range cl.calls() {
			if at.Before(boundary) {
				before = append(before, at)
			} else {
				after = append(after, at)
			}
		}
		assert.Len(t, before, limit+sum.RateLimited, "the allowed calls, then each 45009 that paused the run")
		require.Len(t, after, rows-limit)
		for _, at := range after {
			assert.Equal(t, boundary, at, "the pause ends when the minute turns, not later")
		}
	})
}

// TestInterruptedCountsOnlyCallsMade: rows still waiting for the rate
// limiter when the run is interrupted were never sent, so the summary's
// call count is exactly what reached the simulator.
func TestInterruptedCountsOnlyCallsMade(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		env, cl := startSim(t, sim.DefaultConfig(), wechat.WithRateLimit(10)) // ten now, the next a minute later
		in := writeInput(t, "rows.csv", csvRows(30, "", nil))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		o := fastOpts(in, t.TempDir(), env.Client)
		o.Concurrency = 8
		o.OnProgress = func(p Progress) {
			if p.Written >= 10 {
				cancel()
			}
		}
		start := time.Now()
		sum, err := Run(ctx, o)
		require.ErrorIs(t, err, context.Canceled)
		assert.Less(t, time.Since(start), time.Minute, "interrupted while the limiter held the rest (virtual time)")
		assert.Equal(t, 10, sum.Written)
		hits := len(cl.calls())
		assert.Equal(t, 10, hits)
		assert.Equal(t, hits, sum.Calls, "workers waiting on the limiter made no call")
	})
}
