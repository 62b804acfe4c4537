package wechattest_test

import (
	"context"
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

func TestNewGetsCodes(t *testing.T) {
	tests := []struct {
		name string
		opts []wechattest.Option
		base func(string) bool
	}{
		{"in-process", nil, func(u string) bool { return u == wechattest.InProcessURL }},
		{"loopback", []wechattest.Option{wechattest.Listen()}, func(u string) bool { return strings.HasPrefix(u, "http://127.0.0.1:") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var seen atomic.Int32
			opts := append(tc.opts, wechattest.WithMiddleware(func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					seen.Add(1)
					next.ServeHTTP(w, r)
				})
			}))
			env := wechattest.New(t, opts...)
			assert.True(t, tc.base(env.BaseURL), env.BaseURL)
			code, err := env.Client.Get(context.Background(), &wechat.UnlimitedRequest{Scene: "a"})
			require.NoError(t, err)
			assert.Equal(t, wechat.FormatJPEG, code.Format)
			assert.EqualValues(t, 2, seen.Load(), "the token, then the code, through the middleware")

			// Another client on the same simulator, with its own options.
			env.Sim.Inject(sim.Fault{Kind: sim.FaultSystemError})
			_, err = env.NewClient(wechat.WithRetry(1, 0)).Get(context.Background(), &wechat.UnlimitedRequest{Scene: "a"})
			var apiErr *wechat.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, -1, apiErr.Code)
		})
	}
}

// In a bubble the simulator and the client share the fake clock: the
// simulator's per-minute limit lifts when the client's NextMinute says.
func TestNewInABubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		env := wechattest.New(t,
			wechattest.WithSimConfig(func(c *sim.Config) { c.Limits.UnlimitedPerMinute = 1 }),
			wechattest.WithClient(wechat.WithRateLimit(0)))
		ctx := context.Background()
		_, err := env.Client.Get(ctx, &wechat.UnlimitedRequest{Scene: "a"})
		require.NoError(t, err)
		_, err = env.Client.Get(ctx, &wechat.UnlimitedRequest{Scene: "a"})
		var rl *wechat.RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.Equal(t, env.Sim.Clock().Now().Truncate(time.Minute).Add(time.Minute), rl.NextMinute)
		time.Sleep(time.Until(rl.NextMinute))
		_, err = env.Client.Get(ctx, &wechat.UnlimitedRequest{Scene: "a"})
		require.NoError(t, err)
	})
}
