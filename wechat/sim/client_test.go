package sim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/wechattest"
	"wxacode/wechat"
	"wxacode/wechat/sim"
)

var t0 = time.Unix(0x663b1af7, 0)

// rewriter lets a test send what the real client never would (a GET, an empty
// body), so the client's handling of every errcode the simulator can produce
// is exercised over HTTP. It edits each request before the simulator sees it.
type rewriter func(*http.Request)

func (f rewriter) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f != nil {
			f(r)
		}
		next.ServeHTTP(w, r)
	})
}

func setBody(r *http.Request, body string) {
	r.Body = io.NopCloser(strings.NewReader(body))
	r.ContentLength = int64(len(body))
}

func onPath(path string, f func(*http.Request)) rewriter {
	return func(r *http.Request) {
		if r.URL.Path == path {
			f(r)
		}
	}
}

// fetchClassic gets a classic token straight from the simulator.
func fetchClassic(t *testing.T, env *wechattest.Env) string {
	t.Helper()
	resp, err := env.HTTP.Get(env.BaseURL + "/cgi-bin/token?grant_type=client_credential&appid=" + sim.DefaultAppID + "&secret=" + sim.DefaultSecret)
	require.NoError(t, err)
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	require.NotEmpty(t, tok.AccessToken)
	return tok.AccessToken
}

// TestClientAgainstSimulator runs the real client against the simulator for
// every errcode the simulator can produce. Where the client refuses a request
// before calling (a *ValidationError), the test also sends that request's
// body to the simulator and checks both agree on the errcode: the validator
// and the simulator are independent models of the same rules.
func TestClientAgainstSimulator(t *testing.T) {
	unl := func(sc string) *wechat.UnlimitedRequest { return &wechat.UnlimitedRequest{Scene: sc} }
	stableSrc := func(appID, secret string) func(t *testing.T, env *wechattest.Env) wechat.TokenSource {
		return func(t *testing.T, env *wechattest.Env) wechat.TokenSource {
			return wechat.NewStableToken(appID, secret, env.TokenOptions())
		}
	}
	fixed := func(v string) func(t *testing.T, env *wechattest.Env) wechat.TokenSource {
		return func(*testing.T, *wechattest.Env) wechat.TokenSource { return wechat.NewFixedToken(v) }
	}
	// post sends body to path with a fresh classic token, as another tool would.
	post := func(t *testing.T, env *wechattest.Env, path, body string) {
		resp, err := env.HTTP.Post(env.BaseURL+path+"?access_token="+fetchClassic(t, env), "", strings.NewReader(body))
		require.NoError(t, err)
		resp.Body.Close()
	}
	tests := []struct {
		name    string
		want    int
		local   bool // the client's validator refuses it first
		mods    func(*sim.Config)
		tokens  func(t *testing.T, env *wechattest.Env) wechat.TokenSource
		setup   func(t *testing.T, env *wechattest.Env)
		rewrite rewriter
		suffix  string // appended to the base URL the client calls
		req     wechat.Request
	}{
		// Transport and envelope.
		{name: "unknown url", want: 40066, suffix: "/cgi-bin", req: unl("a")},
		{name: "GET", want: 43002, req: unl("a"), rewrite: onPath(wechat.KindUnlimited.Path(), func(r *http.Request) { r.Method = "GET"; setBody(r, "") })},
		{name: "empty body", want: 44002, req: unl("a"), rewrite: onPath(wechat.KindUnlimited.Path(), func(r *http.Request) { setBody(r, "") })},
		{name: "not JSON", want: 47001, req: unl("a"), rewrite: onPath(wechat.KindUnlimited.Path(), func(r *http.Request) { setBody(r, "scene=a") })},
		{name: "is_hyaline as 1", want: 47001, req: unl("a"), rewrite: onPath(wechat.KindUnlimited.Path(), func(r *http.Request) { setBody(r, `{"scene":"a","is_hyaline":1}`) })},
		{name: "HTML-escaped JSON", want: 40129, req: unl("a"), rewrite: onPath(wechat.KindUnlimited.Path(), func(r *http.Request) { setBody(r, `{"scene":"a=1\u0026b=2"}`) })},
		// Tokens on the code endpoints.
		{name: "token missing", want: 41001, req: unl("a"), rewrite: onPath(wechat.KindUnlimited.Path(), func(r *http.Request) { r.URL.RawQuery = "" })},
		{name: "unknown token", want: 40001, req: unl("a"), tokens: fixed("91_" + strings.Repeat("A", 136))},
		{name: "malformed token", want: 40014, req: unl("a"), tokens: fixed("not%22a%22token")}, // printable, so wxacode sends it; not token-shaped
		{name: "expired token", want: 42001, req: unl("a"),
			tokens: func(t *testing.T, env *wechattest.Env) wechat.TokenSource {
				tok := fetchClassic(t, env)
				env.Sim.Clock().Advance(7200 * time.Second)
				return wechat.NewFixedToken(tok)
			}},
		{name: "component token", want: 48001, req: unl("a"), tokens: fixed("component"),
			mods: func(c *sim.Config) { c.ForeignTokens = []string{"component"} }},
		{name: "system error", want: -1, req: unl("a"), setup: func(t *testing.T, env *wechattest.Env) { env.Sim.Inject(sim.Fault{Kind: sim.FaultSystemError}) }},
		// getwxacodeunlimit.
		{name: "scene empty", want: 40169, local: true, req: unl("")},
		{name: "scene too long", want: 40169, local: true, req: unl(strings.Repeat("a", 33))},
		{name: "scene charset", want: 40129, local: true, req: unl("a b")},
		{name: "env_version", want: 40097, local: true, req: &wechat.UnlimitedRequest{Scene: "a", EnvVersion: "prod"}},
		{name: "scancode_time", want: 85096, local: true, req: &wechat.UnlimitedRequest{Scene: "a", Page: "pages/scancode_time/a"}},
		{name: "leading slash", want: 41030, local: true, req: &wechat.UnlimitedRequest{Scene: "a", Page: "/pages/index/index"}},
		{name: "unreleased page", want: 41030, req: &wechat.UnlimitedRequest{Scene: "a", Page: "pages/new/new", EnvVersion: "develop"}},
		{name: "per-minute limit", want: 45009, req: unl("a"), mods: func(c *sim.Config) { c.Limits.UnlimitedPerMinute = 1 },
			setup: func(t *testing.T, env *wechattest.Env) { post(t, env, wechat.KindUnlimited.Path(), `{"scene":"a"}`) }},
		// getwxacode and createwxaqrcode.
		{name: "path empty", want: 40159, local: true, req: &wechat.LimitedRequest{}},
		{name: "path too long", want: 40159, local: true, req: &wechat.LimitedRequest{Path: strings.Repeat("p", 1025)}},
		{name: "C path too long", want: 40159, local: true, req: &wechat.QRCodeRequest{Path: strings.Repeat("码", 43)}},
		{name: "C scancode_time", want: 85096, local: true, req: &wechat.QRCodeRequest{Path: "a?scancode_time=1"}},
		{name: "A bad env", want: 40097, local: true, req: &wechat.LimitedRequest{Path: "a", EnvVersion: "beta"}},
		{name: "pool exhausted", want: 45029, req: &wechat.LimitedRequest{Path: "a?id=2"}, mods: func(c *sim.Config) { c.Limits.PoolLifetime = 1 },
			setup: func(t *testing.T, env *wechattest.Env) { post(t, env, wechat.KindQRCode.Path(), `{"path":"a?id=1"}`) }},
		{name: "pool daily", want: 45009, req: &wechat.QRCodeRequest{Path: "a?id=2"}, mods: func(c *sim.Config) { c.Limits.PoolNewPerDay = 1 },
			setup: func(t *testing.T, env *wechattest.Env) { post(t, env, wechat.KindLimited.Path(), `{"path":"a?id=1"}`) }},
		// Token endpoints, through the client's token sources.
		{name: "grant_type", want: 40002, req: unl("a"),
			tokens: func(t *testing.T, env *wechattest.Env) wechat.TokenSource {
				return wechat.NewClassicToken(sim.DefaultAppID, sim.DefaultSecret, env.TokenOptions())
			},
			rewrite: onPath(wechat.ClassicTokenPath, func(r *http.Request) {
				q := r.URL.Query()
				q.Set("grant_type", "authorization_code")
				r.URL.RawQuery = q.Encode()
			})},
		{name: "stable_token with query parameters", want: 41002, req: unl("a"),
			rewrite: onPath(wechat.StableTokenPath, func(r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				var m map[string]any
				_ = json.Unmarshal(b, &m)
				q := url.Values{}
				for k, v := range m {
					if s, ok := v.(string); ok {
						q.Set(k, s)
					}
				}
				r.URL.RawQuery = q.Encode()
				setBody(r, "")
			})},
		{name: "secret missing", want: 41004, req: unl("a"),
			rewrite: onPath(wechat.StableTokenPath, func(r *http.Request) {
				setBody(r, `{"grant_type":"client_credential","appid":"`+sim.DefaultAppID+`"}`)
			})},
		{name: "wrong appid", want: 40013, req: unl("a"), tokens: stableSrc("wx0000000000000001", sim.DefaultSecret)},
		{name: "wrong secret", want: 40125, req: unl("a"), tokens: stableSrc(sim.DefaultAppID, strings.Repeat("0", 32))},
		{name: "frozen secret", want: 40243, req: unl("a"), mods: func(c *sim.Config) { c.SecretFrozen = true }},
		{name: "IP whitelist", want: 40164, req: unl("a"), mods: func(c *sim.Config) { c.IPWhitelist = []string{"203.0.113.1"} }},
		{name: "token daily quota", want: 45009, req: unl("a"), mods: func(c *sim.Config) { c.Limits.TokenPerDay = 1 },
			tokens: func(t *testing.T, env *wechattest.Env) wechat.TokenSource {
				fetchClassic(t, env)
				return wechat.NewClassicToken(sim.DefaultAppID, sim.DefaultSecret, env.TokenOptions())
			}},
		{name: "force refresh quota", want: 45009, req: unl("a"), mods: func(c *sim.Config) { c.Limits.StableForcePerDay = 1 },
			setup: func(t *testing.T, env *wechattest.Env) {
				resp, err := env.HTTP.Post(env.BaseURL+wechat.StableTokenPath, "", strings.NewReader(`{"grant_type":"client_credential","appid":"`+sim.DefaultAppID+`","secret":"`+sim.DefaultSecret+`","force_refresh":true}`))
				require.NoError(t, err)
				resp.Body.Close()
				env.Sim.Clock().Advance(31 * time.Second)
			},
			rewrite: onPath(wechat.StableTokenPath, func(r *http.Request) {
				setBody(r, `{"grant_type":"client_credential","appid":"`+sim.DefaultAppID+`","secret":"`+sim.DefaultSecret+`","force_refresh":true}`)
			})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := []wechattest.Option{wechattest.WithMiddleware(tc.rewrite.middleware)}
			if tc.mods != nil {
				opts = append(opts, wechattest.WithSimConfig(tc.mods))
			}
			env := wechattest.New(t, opts...)
			s := env.Sim
			s.Clock().Set(t0)
			ts := env.Tokens
			if tc.tokens != nil {
				ts = tc.tokens(t, env)
			}
			if tc.setup != nil {
				tc.setup(t, env)
			}
			c := env.NewClient(wechat.WithBaseURL(env.BaseURL+tc.suffix), wechat.WithTokenSource(ts), wechat.WithRetry(1, 0))
			_, err := c.Get(context.Background(), tc.req)
			require.Error(t, err)

			if tc.local {
				var ve *wechat.ValidationError
				require.ErrorAs(t, err, &ve)
				codes := []int{}
				for _, p := range ve.Problems {
					codes = append(codes, p.Code)
				}
				assert.Contains(t, codes, tc.want, "validator: %v", err)
				// The simulator, given the same body, answers with the same errcode.
				body, err := tc.req.Body()
				require.NoError(t, err)
				tok := fetchClassic(t, env)
				resp, err := env.HTTP.Post(env.BaseURL+tc.req.Kind().Path()+"?access_token="+tok, "application/json", bytes.NewReader(body))
				require.NoError(t, err)
				defer resp.Body.Close()
				data, _ := io.ReadAll(resp.Body)
				apiErr, ok := wechat.ParseAPIError(data)
				require.True(t, ok, "simulator answered %q", data)
				require.NotNil(t, apiErr)
				assert.Equal(t, tc.want, apiErr.Code, apiErr.Msg)
				return
			}
			var apiErr *wechat.APIError
			require.ErrorAs(t, err, &apiErr, "%v", err)
			assert.Equal(t, tc.want, apiErr.Code, "%v", err)
			assert.NotEmpty(t, apiErr.RID)
			assert.Equal(t, s.Clock().Now().Unix(), apiErr.Time.Unix(), "the rid carries the simulator's clock")
			if tc.want == 45009 {
				var rl *wechat.RateLimitError
				assert.ErrorAs(t, err, &rl)
			}
			assert.NotContains(t, err.Error(), sim.DefaultSecret)
		})
	}
}

// The client gets real images from the simulator, with the pool count.
func TestClientGetsCodes(t *testing.T) {
	c := wechattest.New(t).Client
	ctx := context.Background()

	code, err := c.Get(ctx, &wechat.UnlimitedRequest{Scene: "a=1&b=2", Page: "pages/detail/detail", Width: 280})
	require.NoError(t, err)
	assert.Equal(t, wechat.FormatJPEG, code.Format)
	assert.Equal(t, 280, code.Width)
	assert.Equal(t, -1, code.NumUsed)

	code, err = c.Get(ctx, &wechat.UnlimitedRequest{Scene: "a", IsHyaline: true, CheckPath: wechat.Bool(false), Page: "pages/new/new"})
	require.NoError(t, err)
	assert.Equal(t, wechat.FormatPNG, code.Format)
	assert.Equal(t, "image/jpeg", code.ContentType)

	code, err = c.Get(ctx, &wechat.LimitedRequest{Path: "pages/index/index?id=1&n=2", Width: 1280})
	require.NoError(t, err)
	assert.Equal(t, 1, code.NumUsed)
	assert.Equal(t, 1280, code.Height)

	code, err = c.Get(ctx, &wechat.QRCodeRequest{Path: "pages/index/index?id=1"})
	require.NoError(t, err)
	assert.Equal(t, 2, code.NumUsed)
}

// Faults reach the client as the errors it is built to handle, over loopback
// (a dropped connection and a short body are the real thing) and in-process
// (which must behave the same for the synctest tests to mean anything).
func TestClientAndFaults(t *testing.T) {
	for name, opts := range map[string][]wechattest.Option{"loopback": {wechattest.Listen()}, "in-process": nil} {
		t.Run(name, func(t *testing.T) { clientAndFaults(t, opts...) })
	}
}

func clientAndFaults(t *testing.T, opts ...wechattest.Option) {
	env := wechattest.New(t, opts...)
	s := env.Sim
	newClient := func(attempts int) *wechat.Client {
		return env.NewClient(wechat.WithRetry(attempts, time.Millisecond))
	}
	ctx := context.Background()
	req := &wechat.UnlimitedRequest{Scene: "a"}

	s.Inject(sim.Fault{Kind: sim.FaultTruncate})
	_, err := newClient(1).Get(ctx, req)
	assert.ErrorIs(t, err, wechat.ErrTruncated)

	s.Inject(sim.Fault{Kind: sim.FaultUnavailable})
	_, err = newClient(1).Get(ctx, req)
	var re *wechat.RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 503, re.Status)

	s.Inject(sim.Fault{Kind: sim.FaultDrop})
	_, err = newClient(1).Get(ctx, req)
	require.Error(t, err)

	s.Inject(sim.Fault{Kind: sim.FaultMislabel})
	code, err := newClient(1).Get(ctx, req)
	require.NoError(t, err, "an image labelled text/html is still an image")
	assert.Equal(t, "text/html", code.ContentType)

	// Transient faults are retried until an image arrives.
	s.Inject(sim.Fault{Kind: sim.FaultSystemError}, sim.Fault{Kind: sim.FaultUnavailable}, sim.Fault{Kind: sim.FaultTruncate}, sim.Fault{Kind: sim.FaultDrop})
	code, err = newClient(5).Get(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, wechat.FormatJPEG, code.Format)

	// A token superseded behind the client's back is renewed once.
	tok := fetchClassic(t, env)
	fetchClassic(t, env)
	s.Clock().Advance(301 * time.Second)
	renewing := &onceStale{stale: tok, next: func() string { return fetchClassic(t, env) }}
	c := env.NewClient(wechat.WithTokenSource(renewing))
	_, err = c.Get(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, 1, renewing.invalidated)
	assert.False(t, errors.Is(err, context.Canceled))
}

// onceStale hands out a stale token until told it failed.
type onceStale struct {
	stale       string
	next        func() string
	fresh       string
	invalidated int
}

func (o *onceStale) Token(context.Context) (wechat.Token, error) {
	if o.fresh != "" {
		return wechat.Token{Value: o.fresh}, nil
	}
	return wechat.Token{Value: o.stale}, nil
}

func (o *onceStale) Invalidate(failed string) {
	if failed == o.stale {
		o.invalidated++
		o.fresh = o.next()
	}
}
