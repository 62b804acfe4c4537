package batch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/wechattest"
	"wxacode/wechat"
	"wxacode/wechat/sim"
)

// requestCounter counts the HTTP requests reaching the simulator, by endpoint family.
type requestCounter struct {
	next          http.Handler
	codes, tokens atomic.Int64
}

func (c *requestCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.Contains(r.URL.Path, "token") {
		c.tokens.Add(1)
	} else {
		c.codes.Add(1)
	}
	c.next.ServeHTTP(w, r)
}

// simCounted is the simulator and a client in-process (so a synctest bubble
// holds them), with every request counted.
func simCounted(t *testing.T, opts ...wechat.Option) (*wechattest.Env, *requestCounter) {
	t.Helper()
	rc := &requestCounter{}
	env := wechattest.New(t, wechattest.WithSim(sim.DefaultConfig()), wechattest.WithClient(opts...),
		wechattest.WithMiddleware(func(next http.Handler) http.Handler { rc.next = next; return rc }))
	return env, rc
}

func inject(s *sim.Server, n, code int, msg string) {
	for range n {
		s.Inject(sim.Fault{Kind: sim.FaultErrcode, Code: code, Msg: msg})
	}
}

// TestStopsAfterThreeMinuteWindowsOf45009: getwxacodeunlimit answering 45009
// forever stops the whole run after three minute windows in a row (not five
// a row, for days), every row left unfinished for the next run, which
// resumes once the quota is back.
func TestStopsAfterThreeMinuteWindowsOf45009(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		env, rc := simCounted(t, wechat.WithRateLimit(0))
		const rows = 50
		inject(env.Sim, 100000, 45009, "reach max api minute quota limit")
		in := writeInput(t, "rows.csv", csvRows(rows, "", nil))
		out := t.TempDir()
		o := fastOpts(in, out, env.Client)
		start := time.Now()
		sum, err := Run(context.Background(), o)
		var stop *StopError
		require.ErrorAs(t, err, &stop)
		assert.Equal(t, 45009, stop.Code)
		assert.Contains(t, err.Error(), "3 minute windows in a row")
		assert.Contains(t, err.Error(), "run the same command again to resume")
		assert.Equal(t, rows, sum.Pending, "no row failed: all are left for the next run")
		assert.Zero(t, sum.Failed)
		assert.LessOrEqual(t, time.Since(start), 3*time.Minute, "three windows, virtual time")
		assert.LessOrEqual(t, rc.codes.Load(), int64(3*o.Concurrency), "about one request a worker a window")
		assert.NoFileExists(t, out+"/failed.csv")

		// The quota is back (a simulator without the queued 45009s).
		env2, _ := simCounted(t, wechat.WithRateLimit(0))
		sum, err = Run(context.Background(), fastOpts(in, out, env2.Client))
		require.NoError(t, err)
		assert.Equal(t, rows, sum.Written, "resume works once the quota is back")
	})
}

// TestA45009WindowThatServesResetsTheCount: windows of 45009 with codes
// served between them never stop the run.
func TestA45009WindowThatServesResetsTheCount(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := newFake()
		var n atomic.Int64
		g.final = func(wechat.Request) error {
			if n.Add(1)%2 == 1 { // every other call: 45009, then the next window serves
				return &wechat.APIError{Code: 45009, Msg: "reach max api minute quota limit"}
			}
			return nil
		}
		in := writeInput(t, "rows.csv", csvRows(6, "", nil))
		o := fastOpts(in, t.TempDir(), g)
		o.Concurrency = 1
		sum, err := Run(context.Background(), o)
		require.NoError(t, err)
		assert.Equal(t, 6, sum.Written)
		assert.Equal(t, 6, sum.RateLimited)
	})
}

// TestStopsOn40001RightAfterAFreshToken: every code request answering 40001
// stops the run after the client's one renewal, instead of a token fetch per
// row (a token fight, or wrong credentials); the next run resumes.
func TestStopsOn40001RightAfterAFreshToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		env, rc := simCounted(t, wechat.WithRateLimit(0))
		const rows = 40
		inject(env.Sim, 100000, 40001, "invalid credential, access_token is invalid or not latest")
		in := writeInput(t, "rows.csv", csvRows(rows, "", nil))
		out := t.TempDir()
		o := fastOpts(in, out, env.Client)
		o.Concurrency = 1
		sum, err := Run(context.Background(), o)
		var stop *StopError
		require.ErrorAs(t, err, &stop)
		assert.Equal(t, 40001, stop.Code)
		assert.Contains(t, err.Error(), "token fight")
		assert.Equal(t, rows, sum.Pending)
		assert.LessOrEqual(t, rc.tokens.Load(), int64(2), "the first token and the one renewal, not one a row")
		// The call, and its retry when the renewal gave a new token (a stable
		// token source may hand back the same one: nothing new to try).
		assert.LessOrEqual(t, rc.codes.Load(), int64(2), "one row tried, not every row")
		assert.Equal(t, int(rc.codes.Load()), sum.Requests)

		env2, _ := simCounted(t, wechat.WithRateLimit(0))
		sum, err = Run(context.Background(), fastOpts(in, out, env2.Client))
		require.NoError(t, err)
		assert.Equal(t, rows, sum.Written)
	})
}

// TestSummaryCountsEveryHTTPRequest: with -1 forever, the client retries
// inside each call and batch retries the calls; the summary's Requests is
// what reached the simulator, and Retries all but each row's first.
func TestSummaryCountsEveryHTTPRequest(t *testing.T) {
	for _, tc := range []struct {
		name   string
		faults sim.Faults
	}{
		{name: "-1 forever", faults: sim.Faults{SystemError: 1}},
		{name: "503 forever", faults: sim.Faults{Unavailable: 1}},
		{name: "a third -1", faults: sim.Faults{Seed: 3, SystemError: 0.3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				env, rc := simCounted(t, wechat.WithRateLimit(0), wechat.WithRetry(4, time.Millisecond))
				env.Sim.SetFaults(tc.faults)
				const rows = 3
				in := writeInput(t, "rows.csv", csvRows(rows, "", nil))
				o := fastOpts(in, t.TempDir(), env.Client)
				o.Concurrency = 1
				sum, err := Run(context.Background(), o)
				require.NoError(t, err)
				assert.Equal(t, int(rc.codes.Load()), sum.Requests, "every HTTP request counted")
				assert.Equal(t, sum.Requests-rows, sum.Retries)
				assert.GreaterOrEqual(t, sum.Requests, sum.Calls)
			})
		})
	}
}

// TestCredentialProblemStopsOnlyForCredentials: what stops the whole run,
// and what stays a matter of one row.
func TestCredentialProblemStopsOnlyForCredentials(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		stop bool
	}{
		{"40001 after the renewal", &wechat.APIError{Code: 40001, Msg: "invalid credential"}, true},
		{"42001 after the renewal", &wechat.APIError{Code: 42001, Msg: "access_token expired"}, true},
		{"token endpoint refuses the secret", fmt.Errorf("get access token: %w", errors.Join(wechat.ErrNotSent, &wechat.APIError{Code: 40125, Msg: "invalid appsecret"})), true},
		{"token endpoint busy", fmt.Errorf("get access token: %w", errors.Join(wechat.ErrNotSent, &wechat.APIError{Code: -1, Msg: "system error"})), false},
		{"a row's page", &wechat.APIError{Code: 41030, Msg: "invalid page"}, false},
		{"transport", errors.New("connection reset"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := credentialProblem(tc.err)
			if !tc.stop {
				assert.Nil(t, got)
				return
			}
			require.NotNil(t, got)
			assert.Contains(t, got.Error(), "run the same command again to resume")
		})
	}
}
