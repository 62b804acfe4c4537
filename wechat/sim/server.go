package sim

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"

	"wxacode/wechat"
)

// Server is the simulated WeChat API. It is an http.Handler; Listen also
// serves it on a TCP address. Safe for concurrent use.
type Server struct {
	cfg      Config
	limits   Limits
	clock    *Clock
	released map[string]bool
	home     string
	auto     wechat.Color // auto_color's line colour
	ips      []ipRule
	foreign  map[string]bool

	mu    sync.Mutex // guards the token and quota state below
	state state

	faultMu  sync.Mutex
	faults   Faults
	rng      *rand.Rand
	injected []Fault

	httpMu  sync.Mutex
	servers []*http.Server
}

// New builds a simulator. Zero limits take the documented defaults, empty
// credentials the defaults; an invalid theme colour or whitelist entry is
// ignored here (LoadConfig and Config.Check report them).
func New(cfg Config) *Server {
	if cfg.AppID == "" {
		cfg.AppID = DefaultAppID
	}
	if cfg.Secret == "" {
		cfg.Secret = DefaultSecret
	}
	if cfg.ErrorContentType == "" {
		cfg.ErrorContentType = "application/json; encoding=utf-8"
	}
	s := &Server{
		cfg:      cfg,
		limits:   cfg.Limits.withDefaults(),
		clock:    newClock(cfg.Now),
		released: map[string]bool{},
		home:     cfg.homePage(),
		foreign:  map[string]bool{},
		state:    newState(),
	}
	for _, p := range cfg.released() {
		s.released[p] = true
	}
	theme, err := wechat.ParseColor(cfg.ThemeColor)
	if err != nil {
		theme, _ = wechat.ParseColor(DefaultThemeColor)
	}
	s.auto = darkenForContrast(theme, 4.5)
	for _, w := range cfg.IPWhitelist {
		if rule, err := parseIPRule(w); err == nil {
			s.ips = append(s.ips, rule)
		}
	}
	for _, t := range cfg.ForeignTokens {
		s.foreign[t] = true
	}
	s.SetFaults(cfg.Faults)
	return s
}

// Clock is the simulator's clock, for tests to set or advance.
func (s *Server) Clock() *Clock { return s.clock }

// AppID is the AppID the simulator accepts.
func (s *Server) AppID() string { return s.cfg.AppID }

// Secret is the AppSecret the simulator accepts.
func (s *Server) Secret() string { return s.cfg.Secret }

// Listen serves the simulator on addr (e.g. "127.0.0.1:0") in the background
// and returns its base URL, e.g. "http://127.0.0.1:8717". At most 64 requests
// are served at once and slow clients time out (bounded.go), so a crowd of
// them can neither hold the server nor exhaust its memory.
func (s *Server) Listen(addr string) (baseURL string, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("simulator: %w", err)
	}
	hs := s.newHTTPServer() // bounded: see bounded.go
	s.httpMu.Lock()
	s.servers = append(s.servers, hs)
	s.httpMu.Unlock()
	go func() { _ = hs.Serve(ln) }()
	return "http://" + ln.Addr().String(), nil
}

// Close stops every listener started by Listen and drops open connections.
func (s *Server) Close() error {
	s.httpMu.Lock()
	servers := s.servers
	s.servers = nil
	s.httpMu.Unlock()
	var errs []error
	for _, hs := range servers {
		if err := hs.Close(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Shutdown stops the listeners gracefully, letting requests in flight finish.
func (s *Server) Shutdown(ctx context.Context) error {
	s.httpMu.Lock()
	servers := s.servers
	s.servers = nil
	s.httpMu.Unlock()
	var errs []error
	for _, hs := range servers {
		if err := hs.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// The API paths served.
const (
	pathToken       = "/cgi-bin/token"
	pathStableToken = "/cgi-bin/stable_token"
	pathClearQuota  = "/cgi-bin/clear_quota"
	pathClearQuota2 = "/cgi-bin/clear_quota/v2"
)

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := &exchange{s: s, w: w, r: r}
	var handle func(*exchange)
	code := false
	switch r.URL.Path {
	case pathToken:
		handle = s.classicToken
	case pathStableToken:
		handle = s.stableToken
	case pathClearQuota:
		handle = s.clearQuota
	case pathClearQuota2:
		handle = s.clearQuotaV2
	case wechat.KindUnlimited.Path():
		handle, code = func(x *exchange) { s.code(x, wechat.KindUnlimited) }, true
	case wechat.KindLimited.Path():
		handle, code = func(x *exchange) { s.code(x, wechat.KindLimited) }, true
	case wechat.KindQRCode.Path():
		handle, code = func(x *exchange) { s.code(x, wechat.KindQRCode) }, true
	case pathTrial:
		handle, code = s.trial, true
	case pathRulesGet, pathRulesAdd, pathRulesPublish:
		handle, code = s.rules, true
	default:
		x.fail(40066, "invalid url")
		return
	}
	x.plan = s.roll(code)
	if d := x.plan.latency; d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	switch {
	case x.plan.drop:
		x.drop()
	case x.plan.unavailable:
		x.unavailable()
	case x.plan.errcode != 0 && !code:
		// Forced errcodes on token endpoints come before any checks.
		x.fail(x.plan.errcode, x.plan.errmsg)
	default:
		handle(x)
	}
}

// code serves the three code endpoints: method, token, body, then the endpoint's own rules.
func (s *Server) code(x *exchange, kind wechat.Kind) {
	if x.r.Method != http.MethodPost {
		x.fail(43002, "require POST method")
		return
	}
	if !s.checkToken(x) {
		return
	}
	if x.plan.errcode != 0 {
		x.fail(x.plan.errcode, x.plan.errmsg)
		return
	}
	body, ok := x.body()
	if !ok {
		return
	}
	switch kind {
	case wechat.KindUnlimited:
		s.unlimited(x, body)
	case wechat.KindLimited:
		s.limited(x, body)
	default:
		s.qrcode(x, body)
	}
}
