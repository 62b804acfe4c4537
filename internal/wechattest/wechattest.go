// Package wechattest wires the WeChat simulator (wechat/sim) to a real
// wechat.Client for tests, in one call:
//
//	env := wechattest.New(t)                         // default simulator, in-process
//	code, err := env.Client.Get(ctx, &wechat.UnlimitedRequest{Scene: "a"})
//
// By default nothing listens: the client's requests are served by the
// simulator's http.Handler through an in-process transport (internal/inproc),
// so the set-up works inside a testing/synctest bubble, where the simulator's
// clock (time.Now by default) and the client's limiter, back-off and
// timeouts all run on the bubble's fake clock:
//
//	synctest.Test(t, func(t *testing.T) {
//		env := wechattest.New(t, wechattest.WithSimConfig(func(c *sim.Config) { c.Limits.UnlimitedPerMinute = 3 }))
//		…                         // a minute passes in no real time
//	})
//
// Use Listen when something needs a real address (a subprocess, a config
// file or flag holding a base URL, a test of connection-level behaviour);
// it cannot be used inside a bubble.
//
// Converting a hand-written set-up:
//
//	s := sim.New(cfg)                              env := wechattest.New(t, wechattest.Listen(),
//	base, _ := s.Listen("127.0.0.1:0")                 wechattest.WithSim(cfg),
//	defer s.Close()                                    wechattest.WithClient(wechat.WithRetry(1, 0)))
//	c := wechat.NewClient(wechat.WithBaseURL(base),  // env.Sim is s, env.BaseURL is base,
//	    wechat.WithRetry(1, 0),                      // env.Client is c; closed at cleanup.
//	    wechat.WithTokenSource(wechat.NewStableToken(
//	        sim.DefaultAppID, sim.DefaultSecret,
//	        wechat.TokenOptions{BaseURL: base})))
//
// A second client on the same simulator (other retries, another token
// source, a different base URL) is env.NewClient(opts...); a token source of
// another kind is built with env.TokenOptions().
package wechattest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"wxacode/internal/inproc"
	"wxacode/wechat"
	"wxacode/wechat/sim"
)

// InProcessURL is the base URL of an in-process Env. Any host would do: the
// transport never resolves it.
const InProcessURL = "http://wechat.sim"

// Env is a simulator and a client wired to it.
type Env struct {
	// Sim is the simulator; its Clock can be set or advanced.
	Sim *sim.Server
	// Client calls the simulator with Tokens and the WithClient options.
	Client *wechat.Client
	// Tokens is the simulator's stable token, fetched through HTTP: the
	// Client's token source unless WithClient replaced it.
	Tokens wechat.TokenSource
	// BaseURL is what to call: InProcessURL, or the loopback address with Listen.
	BaseURL string
	// HTTP reaches the simulator (in-process or over loopback), for requests
	// the client would never send and for other token sources.
	HTTP *http.Client

	clientOpts []wechat.Option
}

// Option configures New.
type Option func(*settings)

type settings struct {
	cfg        sim.Config
	mods       []func(*sim.Config)
	middleware []func(http.Handler) http.Handler
	clientOpts []wechat.Option
	listen     bool
}

// WithSim replaces the simulator's configuration (default sim.DefaultConfig()).
func WithSim(cfg sim.Config) Option { return func(s *settings) { s.cfg = cfg } }

// WithSimConfig edits the simulator's configuration, after WithSim.
func WithSimConfig(mod func(*sim.Config)) Option {
	return func(s *settings) { s.mods = append(s.mods, mod) }
}

// WithClient adds options for Client, applied after the Env's own (base URL,
// HTTP client, stable token), so they can replace any of them.
func WithClient(opts ...wechat.Option) Option {
	return func(s *settings) { s.clientOpts = append(s.clientOpts, opts...) }
}

// WithMiddleware wraps the simulator's handler, to record or rewrite what
// reaches it; the first one given is the outermost.
func WithMiddleware(mw func(next http.Handler) http.Handler) Option {
	return func(s *settings) { s.middleware = append(s.middleware, mw) }
}

// Listen serves the simulator on a loopback port instead of in-process.
func Listen() Option { return func(s *settings) { s.listen = true } }

// New starts a simulator and a client on it; everything is closed when the
// test ends.
func New(t testing.TB, opts ...Option) *Env {
	t.Helper()
	st := settings{cfg: sim.DefaultConfig()}
	for _, o := range opts {
		o(&st)
	}
	for _, m := range st.mods {
		m(&st.cfg)
	}
	e := &Env{Sim: sim.New(st.cfg), clientOpts: st.clientOpts}
	var h http.Handler = e.Sim
	for i := len(st.middleware) - 1; i >= 0; i-- {
		h = st.middleware[i](h)
	}
	if st.listen {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		e.BaseURL, e.HTTP = srv.URL, srv.Client()
	} else {
		e.BaseURL, e.HTTP = InProcessURL, inproc.Client(h)
	}
	e.Tokens = wechat.NewStableToken(e.Sim.AppID(), e.Sim.Secret(), e.TokenOptions())
	e.Client = e.NewClient()
	return e
}

// TokenOptions reach the simulator's token endpoints.
func (e *Env) TokenOptions() wechat.TokenOptions {
	return wechat.TokenOptions{BaseURL: e.BaseURL, HTTP: e.HTTP}
}

// NewClient is another client on the simulator, with the Env's options, then
// the WithClient ones, then opts (later options win).
func (e *Env) NewClient(opts ...wechat.Option) *wechat.Client {
	base := []wechat.Option{wechat.WithBaseURL(e.BaseURL), wechat.WithHTTPClient(e.HTTP), wechat.WithTokenSource(e.Tokens)}
	return wechat.NewClient(append(append(base, e.clientOpts...), opts...)...)
}
