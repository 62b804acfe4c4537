package wechat_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
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

// The link-rule endpoints go through the same loop as the code endpoints
// (send): these tests run them on the simulator, in synctest bubbles so the
// back-off and the minute run on the fake clock.

const rulePrefix = "https://example.com/shop/"

// linkRuleCalls are the three link-rule calls, each valid, so what the
// simulator answers is the fault a test injects.
var linkRuleCalls = []struct {
	name, path string
	idempotent bool
	call       func(context.Context, *wechat.Client) error
}{
	{"list", wechat.PathLinkRulesGet, true, func(ctx context.Context, c *wechat.Client) error {
		_, err := c.LinkRules(ctx, wechat.LinkRulesRequest{})
		return err
	}},
	{"add", wechat.PathLinkRulesAdd, false, func(ctx context.Context, c *wechat.Client) error {
		return c.AddLinkRule(ctx, wechat.AddLinkRuleRequest{LinkRule: wechat.LinkRule{Prefix: rulePrefix,
			PermitSubRule: wechat.SubRulesFree, Path: "pages/index/index", OpenVersion: wechat.OpenTrial}})
	}},
	{"publish", wechat.PathLinkRulesPublish, false, func(ctx context.Context, c *wechat.Client) error {
		return c.PublishLinkRule(ctx, rulePrefix)
	}},
}

// currentToken is the token the env's client calls with, to look for in texts.
func currentToken(t *testing.T, env *wechattest.Env) string {
	t.Helper()
	tok, err := env.Tokens.Token(context.Background())
	require.NoError(t, err)
	return tok.Value
}

// 45009 and 45011 on a link-rule endpoint are a *RateLimitError saying when
// the next minute starts, and are not retried, as on the code endpoints.
func TestLinkRulesRateLimited(t *testing.T) {
	for _, errcode := range []int{45009, 45011} {
		for _, lc := range linkRuleCalls {
			t.Run(fmt.Sprint(lc.name, "/", errcode), func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					var seen wechattest.Counter
					env := wechattest.New(t, wechattest.WithMiddleware(seen.Wrap))
					// The bubble starts on a minute; 15 s into it the next one is 45 s away.
					minute := time.Now().Truncate(time.Minute)
					time.Sleep(15 * time.Second)
					env.Sim.Inject(sim.Fault{Kind: sim.FaultErrcode, Code: errcode, Msg: "reach max api daily quota limit"})
					var sent, retried atomic.Int64
					ctx := wechat.CountRetries(wechat.CountAttempts(context.Background(), &sent), &retried)

					err := lc.call(ctx, env.Client)
					var rl *wechat.RateLimitError
					require.ErrorAs(t, err, &rl)
					assert.Equal(t, errcode, rl.API.Code)
					assert.Equal(t, lc.path, rl.API.Endpoint)
					assert.Equal(t, minute.Add(time.Minute), rl.NextMinute)
					assert.Contains(t, err.Error(), "next minute starts at")
					assert.Equal(t, 1, seen.Path(lc.path), "not retried")
					assert.EqualValues(t, 1, sent.Load())
					assert.Zero(t, retried.Load())
					assert.NotContains(t, err.Error(), currentToken(t, env))
				})
			})
		}
	}
}

// Transient failures of the list are retried and counted (CountRetries,
// CountAttempts) as a code call's are; add and publish are sent once, and
// counted; a token error renews the token once, which is no retry.
func TestLinkRulesRetriesCounted(t *testing.T) {
	tests := []struct {
		name        string
		call        int // index in linkRuleCalls
		fault       sim.Fault
		classic     bool // a token source that mints a new token on renewal
		wantSent    int
		wantRetries int
		wantErrcode int // 0: success
		wantStatus  int // a *RequestError's status; 0: none
	}{
		{name: "list after 503", call: 0, fault: sim.Fault{Kind: sim.FaultUnavailable}, wantSent: 2, wantRetries: 1},
		{name: "list after -1", call: 0, fault: sim.Fault{Kind: sim.FaultSystemError}, wantSent: 2, wantRetries: 1},
		{name: "list after a truncated answer", call: 0, fault: sim.Fault{Kind: sim.FaultTruncate}, wantSent: 2, wantRetries: 1},
		{name: "list after 40001", call: 0, fault: sim.Fault{Kind: sim.FaultErrcode, Code: 40001, Msg: "invalid credential"},
			classic: true, wantSent: 2},
		{name: "list after 42001", call: 0, fault: sim.Fault{Kind: sim.FaultErrcode, Code: 42001, Msg: "access_token expired"},
			classic: true, wantSent: 2},
		{name: "add after 40014", call: 1, fault: sim.Fault{Kind: sim.FaultErrcode, Code: 40014, Msg: "invalid access_token"},
			classic: true, wantSent: 2},
		{name: "add after 503 is not retried", call: 1, fault: sim.Fault{Kind: sim.FaultUnavailable}, wantSent: 1,
			wantStatus: http.StatusServiceUnavailable},
		{name: "publish after -1 is not retried", call: 2, fault: sim.Fault{Kind: sim.FaultSystemError}, wantSent: 1, wantErrcode: -1},
	}
	for _, tc := range tests {
		lc := linkRuleCalls[tc.call]
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var seen wechattest.Counter
				env := wechattest.New(t, wechattest.WithMiddleware(seen.Wrap))
				c := env.Client
				if tc.classic {
					c = env.NewClient(wechat.WithTokenSource(wechat.NewClassicToken(env.Sim.AppID(), env.Sim.Secret(), env.TokenOptions())))
				}
				env.Sim.Inject(tc.fault)
				var sent, retried atomic.Int64
				ctx := wechat.CountRetries(wechat.CountAttempts(context.Background(), &sent), &retried)

				err := lc.call(ctx, c)
				switch {
				case tc.wantErrcode != 0:
					var api *wechat.APIError
					require.ErrorAs(t, err, &api)
					assert.Equal(t, tc.wantErrcode, api.Code)
				case tc.wantStatus != 0:
					var re *wechat.RequestError
					require.ErrorAs(t, err, &re)
					assert.Equal(t, tc.wantStatus, re.Status)
				default:
					require.NoError(t, err)
				}
				assert.Equal(t, tc.wantSent, seen.Path(lc.path), "requests the simulator saw")
				assert.EqualValues(t, tc.wantSent, sent.Load(), "CountAttempts")
				assert.EqualValues(t, tc.wantRetries, retried.Load(), "CountRetries")
				if err != nil {
					assert.NotContains(t, err.Error(), currentToken(t, env))
				}
			})
		})
	}
}

// The client-side limiter models getwxacodeunlimit's 5000 a minute: the
// link-rule calls, which WeChat does not count there, neither wait for it
// nor take its slots.
func TestLinkRulesNotPacedByTheCodeLimiter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		env := wechattest.New(t, wechattest.WithClient(wechat.WithRateLimit(1)))
		ctx := context.Background()
		unlimited := &wechat.UnlimitedRequest{Scene: "a", Page: "pages/index/index", CheckPath: wechat.Bool(false)}
		start := time.Now()
		_, err := env.Client.Get(ctx, unlimited)
		require.NoError(t, err)
		for _, lc := range linkRuleCalls {
			require.NoError(t, lc.call(ctx, env.Client), lc.name)
		}
		assert.Zero(t, time.Since(start), "no link-rule call waited")
		_, err = env.Client.Get(ctx, unlimited)
		require.NoError(t, err)
		assert.Equal(t, time.Minute, time.Since(start), "the second code waited for the first's slot, and only for it")
	})
}

// Every attempt at a link-rule endpoint is in the debug log, as a code
// call's is, and the token is not.
func TestLinkRulesLogged(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var buf bytes.Buffer
		log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		env := wechattest.New(t, wechattest.WithClient(wechat.WithLogger(log)))
		env.Sim.Inject(sim.Fault{Kind: sim.FaultUnavailable})
		_, err := env.Client.LinkRules(context.Background(), wechat.LinkRulesRequest{})
		require.NoError(t, err)

		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		require.Len(t, lines, 2, buf.String())
		for _, l := range lines {
			assert.Contains(t, l, "endpoint="+wechat.PathLinkRulesGet)
		}
		assert.Contains(t, lines[0], "msg=failed")
		assert.Contains(t, lines[0], "attempt=1")
		assert.Contains(t, lines[0], "503")
		assert.Contains(t, lines[1], "msg=answer")
		assert.Contains(t, lines[1], "attempt=2")
		assert.NotContains(t, buf.String(), currentToken(t, env))
		assert.NotContains(t, buf.String(), "access_token")
	})
}
