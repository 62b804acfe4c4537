package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"wxacode/atomicfile"
	"wxacode/codefile"
	"wxacode/config"
	"wxacode/shell"
	"wxacode/wechat"
	"wxacode/wechat/sim"
)

// session is one configured client and what the commands show about it.
// get, token, batch and the designer all open theirs through Factory.Session,
// so they are configured alike. Its Ledger is never nil.
type session struct {
	Client *wechat.Client
	// OnSim is true when the client talks to the in-process simulator.
	OnSim bool
	// AppID is the mini program the calls are for ("" for a bare token).
	AppID string
	// TokenSource says where tokens come from, for display: never the token.
	TokenSource string
	// Ledger counts the limited endpoints' lifetime pool (in memory on the simulator).
	Ledger *wechat.Ledger
	// BaseURL is the host called.
	BaseURL string
	// Sim is the in-process simulator, nil when on WeChat.
	Sim *sim.Server
	// Notice is the plain statement of where calls go, for stderr or the status line.
	Notice string
	// Warnings are things the user should know (a ledger that cannot be written).
	Warnings []string
	// Close stops the simulator, if any. Always safe to call.
	Close func()
}

// openClient builds the client cfg describes, with extra options last. With
// cfg.Sim.Enabled or no credentials at all, it starts the simulator on 127.0.0.1 inside the
// process and fetches stable tokens from it with its own appid and secret.
// Otherwise the token source is the first configured of: access_token (fixed),
// token_cmd, [authorizer], appid + secret (stable_token, or /cgi-bin/token
// with token_mode = "classic").
func openClient(cfg config.Config, red *wechat.Redactor, extra ...wechat.Option) (*session, error) {
	if red == nil {
		red = wechat.NewRedactor()
	}
	timeout := time.Duration(cfg.Timeout)
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	s := &session{Close: func() {}}
	useSim := cfg.Sim.Enabled || !cfg.HasCredentials()
	if useSim && !cfg.Sim.Enabled && cfg.BaseURL != "" {
		return nil, fmt.Errorf("base_url is %s but no credentials are set: set WXACODE_APPID and WXACODE_SECRET (a `wxacode sim` prints the ones it accepts), or drop the base URL to use the built-in simulator", cfg.BaseURL)
	}
	hc := httpClient(timeout)
	var (
		ts      wechat.TokenSource
		ledger  *wechat.Ledger
		baseURL = cfg.BaseURL
	)
	if useSim {
		simCfg := sim.DefaultConfig()
		if cfg.Sim.Config != "" {
			var err error
			if simCfg, err = sim.LoadConfig(cfg.Sim.Config); err != nil {
				return nil, fmt.Errorf("[sim] config: %w", err)
			}
		}
		srv := sim.New(simCfg)
		u, err := srv.Listen("127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("start the built-in simulator: %w", err)
		}
		s.Sim, s.OnSim, s.Close = srv, true, func() { _ = srv.Close() }
		baseURL = u
		s.AppID = srv.AppID()
		// Memory only: simulator tokens and codes must not mix with the real app's cache and ledger.
		red.Add(srv.Secret())
		ts = wechat.NewStableToken(srv.AppID(), srv.Secret(), wechat.TokenOptions{BaseURL: u, HTTP: hc, Redactor: red})
		ledger, _ = wechat.NewLedger("")
		s.TokenSource = wechat.SourceStable + " from the simulator"
		why := "no credentials are configured"
		if cfg.Sim.Enabled {
			why = "--sim or sim = true"
		}
		s.Notice = fmt.Sprintf("on the simulator (%s, in-process at %s, appid %s): nothing reaches WeChat; set appid and secret (or another token source) to call WeChat", why, u, srv.AppID())
	} else {
		var err error
		ts, s.AppID, s.TokenSource, err = tokenSource(cfg, wechat.TokenOptions{BaseURL: baseURL, HTTP: hc, CacheDir: config.CacheDir(), Redactor: red,
			Warn: func(w string) { s.Warnings = append(s.Warnings, w) }})
		if err != nil {
			return nil, err
		}
		ledger, err = openLedger(s.AppID)
		if err != nil {
			s.Warnings = append(s.Warnings, err.Error()+"; counting this run in memory only")
			ledger, _ = wechat.NewLedger("")
		}
		host := baseURL
		if host == "" {
			host = wechat.DefaultBaseURL
		}
		s.Notice = fmt.Sprintf("calling %s as %s (token: %s)", host, orDash(s.AppID), s.TokenSource)
	}
	opts := []wechat.Option{
		wechat.WithTokenSource(ts), wechat.WithHTTPClient(hc), wechat.WithRateLimit(cfg.RatePerMinute),
		wechat.WithLedger(ledger), wechat.WithUserAgent("wxacode"), wechat.WithRedactor(red),
	}
	if baseURL != "" {
		opts = append(opts, wechat.WithBaseURL(baseURL))
	}
	opts = append(opts, extra...)
	if path := os.Getenv(debugLogVar); path != "" {
		l, closeLog, warning, err := openDebugLog(path)
		if err != nil {
			s.Close()
			return nil, err
		}
		if warning != "" {
			s.Warnings = append(s.Warnings, warning)
		}
		opts = append(opts, wechat.WithLogger(slog.New(redactingHandler{l.Handler(), red.Redact})))
		closeSim := s.Close
		s.Close = func() { closeSim(); closeLog() }
	}
	s.Client = wechat.NewClient(opts...)
	s.Ledger, s.BaseURL = ledger, s.Client.BaseURL()
	return s, nil
}

// debugLogVar names a file that gets a line per call (WXACODE_DEBUG=FILE).
const debugLogVar = "WXACODE_DEBUG"

// openDebugLog appends to path. A new file is made 0600 (the log holds
// scenes and pages, never tokens); an existing one keeps its mode, with a
// warning when others can read it, because a file we did not create is not
// ours to chmod (that is how /dev/null once became 0600). The file is the
// only place it writes, so the designer's screen and the commands' output
// stay clean.
func openDebugLog(path string) (*slog.Logger, func(), string, error) {
	f, created, err := atomicfile.OpenAppend(path, 0o600)
	if err != nil {
		return nil, nil, "", fmt.Errorf("%s: %w", debugLogVar, err)
	}
	warning := ""
	if st, err := f.Stat(); err == nil && !created && st.Mode().IsRegular() && st.Mode().Perm()&0o077 != 0 {
		warning = fmt.Sprintf("%s=%s is readable by others (mode %04o); it holds scenes and pages: chmod 600 %s",
			debugLogVar, path, st.Mode().Perm(), shell.Quote(path))
	}
	l := slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return l, func() { _ = f.Close() }, warning, nil
}

// tokenSource picks the configured token source; the description never holds a secret.
func tokenSource(cfg config.Config, o wechat.TokenOptions) (ts wechat.TokenSource, appID, desc string, err error) {
	a := cfg.Authorizer
	switch {
	case cfg.AccessToken != "":
		return wechat.NewFixedToken(cfg.AccessToken), cfg.AppID, wechat.SourceFixed + " (access_token; cannot be renewed)", nil
	case cfg.TokenCmd != "":
		return wechat.NewCommandToken(cfg.TokenCmd, o), cfg.AppID, wechat.SourceCommand + " (token_cmd)", nil
	case a.Set():
		var missing []string
		for k, v := range map[string]string{"component_appid": a.ComponentAppID, "component_access_token or component_token_cmd": cmp.Or(a.ComponentAccessToken, a.ComponentTokenCmd),
			"authorizer_appid": a.AuthorizerAppID, "authorizer_refresh_token": a.AuthorizerRefreshToken} {
			if v == "" {
				missing = append(missing, k)
			}
		}
		if len(missing) > 0 {
			return nil, "", "", fmt.Errorf("[authorizer] is incomplete: set %v in the config file", sortedStrings(missing))
		}
		ac := wechat.AuthorizerConfig{ComponentAppID: a.ComponentAppID, ComponentAccessToken: a.ComponentAccessToken,
			AuthorizerAppID: a.AuthorizerAppID, AuthorizerRefreshToken: a.AuthorizerRefreshToken}
		if a.ComponentAccessToken == "" {
			// The platform's own ticket service: asked again at each renewal.
			ac.ComponentTokens = keyedSource{wechat.NewCommandToken(a.ComponentTokenCmd, wechat.TokenOptions{Now: o.Now, Redactor: o.Redactor}), "[authorizer] component_token_cmd"}
		}
		return wechat.NewAuthorizerToken(ac, o), a.AuthorizerAppID, wechat.SourceAuthorizer + " (third-party platform " + a.ComponentAppID + ")", nil
	}
	switch {
	case cfg.AppID == "":
		return nil, "", "", errors.New("secret is set but appid is not: set WXACODE_APPID or appid in the config file")
	case cfg.Secret == "":
		return nil, "", "", fmt.Errorf("appid %s has no secret: set WXACODE_SECRET or secret in the config file (never as a flag), or use access_token / token_cmd", cfg.AppID)
	}
	if cfg.TokenMode == config.TokenClassic {
		return wechat.NewClassicToken(cfg.AppID, cfg.Secret, o), cfg.AppID, wechat.SourceClassic + " (/cgi-bin/token, classic: invalidates other servers' token)", nil
	}
	return wechat.NewStableToken(cfg.AppID, cfg.Secret, o), cfg.AppID, wechat.SourceStable + " (appid + secret)", nil
}

// keyedSource names the config key in its errors, so a failing command is
// traced to the setting that runs it.
type keyedSource struct {
	wechat.TokenSource
	key string
}

func (k keyedSource) Token(ctx context.Context) (wechat.Token, error) {
	t, err := k.TokenSource.Token(ctx)
	if err != nil {
		return t, fmt.Errorf("%s: %w", k.key, err)
	}
	return t, nil
}

// openLedger opens the quota ledger of appID in the state folder.
func openLedger(appID string) (*wechat.Ledger, error) {
	dir := config.StateDir()
	if dir == "" {
		return wechat.NewLedger("")
	}
	name := "quota-" + codefile.SanitizeName(orDefault(appID, "default")) + ".json"
	return wechat.NewLedger(filepath.Join(dir, name))
}

// httpClient is wechat's one HTTP client (every stage bounded, redirects refused).
func httpClient(timeout time.Duration) *http.Client { return wechat.NewHTTPClient(timeout) }

func orDash(s string) string { return orDefault(s, "-") }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
