package batch

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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

// startSim serves a simulator through a callLog; cfg.Now, when set, is its clock.
func startSim(t *testing.T, cfg sim.Config) (*sim.Server, *callLog, string) {
	t.Helper()
	s := sim.New(cfg)
	now := cfg.Now
	if now == nil {
		now = s.Clock().Now
	}
	cl := &callLog{next: s, now: now, per: map[string]int{}}
	ts := httptest.NewServer(cl)
	t.Cleanup(ts.Close)
	return s, cl, ts.URL
}

func simClient(s *sim.Server, base string, opts ...wechat.Option) *wechat.Client {
	return wechat.NewClient(append([]wechat.Option{
		wechat.WithBaseURL(base),
		wechat.WithTokenSource(wechat.NewStableToken(s.AppID(), s.Secret(), wechat.TokenOptions{BaseURL: base})),
	}, opts...)...)
}

// TestSimRateStaysUnderTheLimitAndNearIt runs the client's one limiter
// against the simulator with time scaled up: a simulated minute lasts 6 s
// (10 s under -race) and the simulator allows 60 calls in it (40 under -race).
// Eight workers share the limiter, set 2-3 % under the simulator's limit: the
// limiter times calls as they leave, the simulator counts them as they arrive
// by calendar minute, and a few milliseconds of jitter at a minute boundary
// would otherwise give a 45009. Scaling multiplies real delays too: the 2-3 %
// margin absorbs 150-250 ms of jitter (the first calls open their
// connections, later ones reuse them) on a loaded machine; a faster clock
// would not.
func TestSimRateStaysUnderTheLimitAndNearIt(t *testing.T) {
	limit, clientLimit, speed, windows := 60, 58, 10, 2
	if raceEnabled {
		limit, clientLimit, speed, windows = 40, 39, 6, 1
	}
	window := time.Minute / time.Duration(speed)
	start := time.Now()
	fast := func() time.Time { return start.Add(time.Since(start) * time.Duration(speed)) }
	cfg := sim.DefaultConfig()
	cfg.Now = fast
	cfg.Limits.UnlimitedPerMinute = limit
	s, cl, base := startSim(t, cfg)
	c := simClient(s, base, wechat.WithRateLimit(clientLimit), wechat.WithRateWindow(window))

	rows := windows*clientLimit + 5
	in := writeInput(t, "rows.csv", csvRows(rows, "", nil))
	out := t.TempDir()
	o := fastOpts(in, out, c)
	o.Concurrency = 8
	sum, err := Run(context.Background(), o)
	require.NoError(t, err)
	assert.Equal(t, rows, sum.Written)
	assert.Zero(t, sum.RateLimited, "no 45009")
	assert.Zero(t, sum.Failed)

	times := cl.times
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	require.Len(t, times, rows)
	// At or under: no calendar minute (how the simulator, like WeChat, counts)
	// holds more than the limit.
	perMinute := map[int64]int{}
	for _, at := range times {
		perMinute[at.Unix()/60]++
	}
	for m, n := range perMinute {
		assert.LessOrEqual(t, n, limit, "calls in simulated minute %d", m)
	}
	// Near it: windows×clientLimit calls take just over that many minutes.
	n := windows * clientLimit
	rate := float64(n) / times[n].Sub(times[0]).Minutes()
	t.Logf("achieved %.1f calls per simulated minute (simulator limit %d, client limit %d); %d calls in %s real",
		rate, limit, clientLimit, rows, time.Since(start).Round(time.Millisecond))
	assert.LessOrEqual(t, rate, float64(limit))
	assert.GreaterOrEqual(t, rate, 0.95*float64(limit))
}

// TestSimFaultsEveryRowAccountedFor injects 10% -1, 5% truncated bodies and
// 3% 503s: every row ends written, skipped or failed, and the folder holds
// only whole images.
func TestSimFaultsEveryRowAccountedFor(t *testing.T) {
	cfg := sim.DefaultConfig()
	cfg.Faults = sim.Faults{Seed: 7, SystemError: 0.10, Truncate: 0.05, Unavailable: 0.03}
	s, cl, base := startSim(t, cfg)
	c := simClient(s, base, wechat.WithRetry(2, time.Millisecond), wechat.WithRateLimit(0))
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
}

// TestSim45009PausesUntilTheNextMinute lets the simulator answer 45009 (the
// client's limiter is off) shortly before a minute turns: the few calls the
// limit allows must all happen before it does, so the lead is longer under -race.
func TestSim45009PausesUntilTheNextMinute(t *testing.T) {
	lead := 1500 * time.Millisecond
	if raceEnabled {
		lead = 4 * time.Second
	}
	real := time.Now()
	shift := real.Truncate(time.Minute).Add(time.Minute - lead).Sub(real)
	now := func() time.Time { return time.Now().Add(shift) }
	cfg := sim.DefaultConfig()
	cfg.Now = now
	cfg.Limits.UnlimitedPerMinute = 3
	s, _, base := startSim(t, cfg)
	c := simClient(s, base, wechat.WithRateLimit(0), wechat.WithClock(now))
	const rows = 6
	in := writeInput(t, "rows.csv", csvRows(rows, "", nil))
	out := t.TempDir()
	o := fastOpts(in, out, c)
	o.Concurrency = 2
	o.Now = now
	sum, err := Run(context.Background(), o)
	require.NoError(t, err)
	assert.Equal(t, rows, sum.Written)
	assert.Zero(t, sum.Failed)
	assert.Positive(t, sum.RateLimited, "the simulator's limit was hit")
	ents, _ := os.ReadDir(out)
	assert.Len(t, ents, rows+1)
}

// TestInterruptedCountsOnlyCallsMade: rows still waiting for the rate
// limiter when the run is interrupted were never sent, so the summary's
// call count is exactly what reached the simulator.
func TestInterruptedCountsOnlyCallsMade(t *testing.T) {
	cfg := sim.DefaultConfig()
	s, cl, base := startSim(t, cfg)
	c := simClient(s, base, wechat.WithRateLimit(10)) // ten now, the next a minute later
	in := writeInput(t, "rows.csv", csvRows(30, "", nil))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o := fastOpts(in, t.TempDir(), c)
	o.Concurrency = 8
	o.OnProgress = func(p Progress) {
		if p.Written >= 10 {
			cancel()
		}
	}
	sum, err := Run(ctx, o)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 10, sum.Written)
	cl.mu.Lock()
	hits := len(cl.times)
	cl.mu.Unlock()
	assert.Equal(t, 10, hits)
	assert.Equal(t, hits, sum.Calls, "workers waiting on the limiter made no call")
}
