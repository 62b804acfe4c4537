// Package config reads wxacode's TOML configuration and applies the
// precedence defaults < file < environment; flags are applied by the command line (internal/cli)
// on top of what Load returns. It imports nothing from wechat, so the one
// validator and the one Params type stay there.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Token modes: how appid + secret become an access token.
const (
	// TokenStable uses /cgi-bin/stable_token in normal mode: every caller gets
	// the same token while it is valid, so other servers are never disturbed.
	TokenStable = "stable"
	// TokenClassic uses /cgi-bin/token, which invalidates the token other
	// servers of the same mini program are using (40001 for them).
	TokenClassic = "classic"
)

// Graphics modes for the preview, as accepted by the graphics key.
var GraphicsModes = []string{"auto", "sixel", "kitty", "iterm", "blocks", "none"}

// Config is everything the file and the environment can set. Field names
// follow the TOML keys (see config.example.toml, which documents each one).
type Config struct {
	AppID       string `toml:"appid"`
	Secret      string `toml:"secret"`       // never printed; env or file only, never a flag
	AccessToken string `toml:"access_token"` // a fixed token; cannot be renewed
	TokenCmd    string `toml:"token_cmd"`    // run with sh -c; stdout is the token
	TokenMode   string `toml:"token_mode"`   // "stable" (default) or "classic"

	Authorizer Authorizer `toml:"authorizer"`

	BaseURL       string   `toml:"base_url"` // "" = https://api.weixin.qq.com
	SaveDir       string   `toml:"save_dir"`
	NameTemplate  string   `toml:"name_template"`
	Graphics      string   `toml:"graphics"`
	RatePerMinute int      `toml:"rate_per_minute"`
	Timeout       Duration `toml:"timeout"`

	Defaults Defaults `toml:"defaults"`

	// Sim is both `sim = true` (always use the built-in simulator) and the
	// [sim] table; see Sim.
	Sim Sim `toml:"sim"`

	// File is the configuration file that was read ("" when none); not a key.
	File string `toml:"-"`
}

// Authorizer holds the third-party platform credentials for an
// authorizer_access_token (the [authorizer] table).
type Authorizer struct {
	ComponentAppID       string `toml:"component_appid"`
	ComponentAccessToken string `toml:"component_access_token"`
	// ComponentTokenCmd prints the component_access_token (sh -c), for
	// platforms whose ticket service owns it; used when component_access_token is empty.
	ComponentTokenCmd      string `toml:"component_token_cmd"`
	AuthorizerAppID        string `toml:"authorizer_appid"`
	AuthorizerRefreshToken string `toml:"authorizer_refresh_token"`
}

// Set reports whether any authorizer key is given.
func (a Authorizer) Set() bool {
	return a.ComponentAppID != "" || a.ComponentAccessToken != "" || a.ComponentTokenCmd != "" ||
		a.AuthorizerAppID != "" || a.AuthorizerRefreshToken != ""
}

// Defaults fill the request form, `get` and batch rows ([defaults] table).
// Values are kept as written; the command line turns them into wechat.Params
// and the one validator checks them.
type Defaults struct {
	Kind       string `toml:"kind"`
	Page       string `toml:"page"`
	Scene      string `toml:"scene"`
	Path       string `toml:"path"`
	Width      int    `toml:"width"`
	EnvVersion string `toml:"env_version"`
	CheckPath  *bool  `toml:"check_path"` // nil = omit (WeChat's default, true)
	AutoColor  bool   `toml:"auto_color"`
	LineColor  string `toml:"line_color"` // "#rrggbb" or "r,g,b"
	Hyaline    bool   `toml:"hyaline"`
}

// Default is the configuration with no file and no environment.
func Default() Config {
	return Config{
		TokenMode:     TokenStable,
		NameTemplate:  "{page}_{scene}_{width}.{ext}",
		Graphics:      "auto",
		RatePerMinute: 5000,
		Timeout:       Duration(30 * time.Second),
		Defaults:      Defaults{Kind: "unlimited"},
	}
}

// HasCredentials reports whether anything could produce a real access token.
// With none, wxacode runs on the built-in simulator.
func (c Config) HasCredentials() bool {
	return c.AppID != "" || c.Secret != "" || c.AccessToken != "" || c.TokenCmd != "" || c.Authorizer.Set()
}

// HoldsSecret reports whether c carries a value that must stay private.
func (c Config) HoldsSecret() bool {
	return c.Secret != "" || c.AccessToken != "" || c.Authorizer.ComponentAccessToken != "" || c.Authorizer.AuthorizerRefreshToken != ""
}

// Check reports values no command could use, all at once.
func (c Config) Check() error {
	var bad []string
	switch c.TokenMode {
	case TokenStable, TokenClassic:
	default:
		bad = append(bad, fmt.Sprintf("token_mode %q: use %q (default) or %q", c.TokenMode, TokenStable, TokenClassic))
	}
	ok := false
	for _, g := range GraphicsModes {
		ok = ok || c.Graphics == g
	}
	if !ok {
		bad = append(bad, fmt.Sprintf("graphics %q: use one of %s", c.Graphics, strings.Join(GraphicsModes, ", ")))
	}
	if c.RatePerMinute < 0 {
		bad = append(bad, fmt.Sprintf("rate_per_minute %d: use a positive number of calls per minute (WeChat allows 5000), or 0 for no client-side limit", c.RatePerMinute))
	}
	if c.Timeout < 0 {
		bad = append(bad, fmt.Sprintf("timeout %s: use a positive duration such as \"30s\"", c.Timeout))
	}
	if c.BaseURL != "" {
		if why := checkBaseURL(c.BaseURL); why != "" {
			bad = append(bad, fmt.Sprintf("base_url %q: %s; use a full URL such as https://api.weixin.qq.com or http://127.0.0.1:8717", c.BaseURL, why))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%s", strings.Join(bad, "; "))
	}
	return nil
}

// Duration is a time.Duration written as "30s" or "1m30s" in the file.
type Duration time.Duration

// UnmarshalText parses a Go duration.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("duration %q: write it like \"30s\" or \"1m\"", string(b))
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the duration back as text.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// String is the Go form, e.g. "30s".
func (d Duration) String() string { return time.Duration(d).String() }

// checkBaseURL says what is wrong with a base URL, "" when nothing: it must
// parse (a prefix check let "http://[::1" through, to fail on every call),
// be http or https, and name a host.
func checkBaseURL(s string) string {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "not a URL (" + err.Error() + ")"
	case u.Scheme != "http" && u.Scheme != "https":
		return "the scheme must be http or https"
	case u.Host == "" || u.Hostname() == "":
		return "no host"
	case u.Port() != "" && !allDigits(u.Port()):
		return "the port must be a number"
	case u.User != nil:
		return "no user or password in the URL"
	case u.RawQuery != "" || u.Fragment != "":
		return "no query or fragment: the paths and access_token are added to it"
	}
	return ""
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
