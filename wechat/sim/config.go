// Package sim is a local model of WeChat's server side for the Mini Program
// code APIs: the token endpoints and the three code endpoints, with WeChat's
// envelope, error codes, limits and quotas, and images that any QR reader can
// decode. It is an independent check of the client: it never calls the
// client's validator to make its decisions.
package sim

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"wxacode/codeimage"
	"wxacode/wechat"
)

// Credentials the simulator accepts when none are configured. They look like
// real ones (wx + 16 hex, 32 hex) so clients' format checks pass.
const (
	DefaultAppID  = "wx51a1000000000000"
	DefaultSecret = "51a1000000000000000000000000c0de"
)

// DefaultThemeColor is WeChat green; auto_color darkens it until it scans.
const DefaultThemeColor = "#07c160"

// DefaultHomePage is the home page used when none is configured.
const DefaultHomePage = "pages/index/index"

// ExamplePages are the pages of the app's own example. With no released pages
// configured, these are the released version, so the example works out of the box.
var ExamplePages = []string{
	"pages/index/index",
	"pages/detail/detail",
	"pages/shop/item",
	"pages/user/profile",
}

// Limits are WeChat's quotas. In a Config, 0 means the documented default and
// a negative value means no limit (handy in tests).
type Limits struct {
	UnlimitedPerMinute int `toml:"unlimited_per_minute"`  // getwxacodeunlimit calls a minute (5000)
	PoolLifetime       int `toml:"pool_lifetime"`         // distinct getwxacode+createwxaqrcode codes ever (100,000)
	PoolNewPerDay      int `toml:"pool_new_per_day"`      // new pool codes a day (10,000)
	UncheckedPages     int `toml:"unchecked_pages"`       // distinct unreleased pages with check_path false (60,000)
	TokenPerDay        int `toml:"token_per_day"`         // /cgi-bin/token calls a day (2000)
	StablePerMinute    int `toml:"stable_per_minute"`     // /cgi-bin/stable_token calls a minute (10,000)
	StablePerDay       int `toml:"stable_per_day"`        // /cgi-bin/stable_token calls a day (500,000)
	StableForcePerDay  int `toml:"stable_force_per_day"`  // force_refresh a day (20)
	ClearQuotaPerMonth int `toml:"clear_quota_per_month"` // clear_quota calls a month (10)
}

// DefaultLimits are the documented figures.
func DefaultLimits() Limits {
	return Limits{
		UnlimitedPerMinute: 5000,
		PoolLifetime:       wechat.LifetimeQuota,
		PoolNewPerDay:      10000,
		UncheckedPages:     60000,
		TokenPerDay:        2000,
		StablePerMinute:    10000,
		StablePerDay:       500000,
		StableForcePerDay:  20,
		ClearQuotaPerMonth: 10,
	}
}

// withDefaults replaces zeros by the documented figures.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	fill := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	fill(&l.UnlimitedPerMinute, d.UnlimitedPerMinute)
	fill(&l.PoolLifetime, d.PoolLifetime)
	fill(&l.PoolNewPerDay, d.PoolNewPerDay)
	fill(&l.UncheckedPages, d.UncheckedPages)
	fill(&l.TokenPerDay, d.TokenPerDay)
	fill(&l.StablePerMinute, d.StablePerMinute)
	fill(&l.StablePerDay, d.StablePerDay)
	fill(&l.StableForcePerDay, d.StableForcePerDay)
	fill(&l.ClearQuotaPerMonth, d.ClearQuotaPerMonth)
	return l
}

// Faults are failures injected on purpose, for testing clients. Rates are
// probabilities from 0 to 1, drawn from a generator seeded with Seed, so a
// sequential test sees the same faults on every run. All off by default.
type Faults struct {
	Seed        int64         `toml:"seed"`
	SystemError float64       `toml:"system_error"` // errcode -1 "system error" after the token check
	Unavailable float64       `toml:"unavailable"`  // HTTP 503 with an HTML body
	Latency     time.Duration `toml:"latency"`      // added before answering
	LatencyRate float64       `toml:"latency_rate"` // share of requests delayed; 0 with Latency set means all
	Truncate    float64       `toml:"truncate"`     // Content-Length promises more bytes than are sent
	Mislabel    float64       `toml:"mislabel"`     // errors as text/plain, images as text/html
	Drop        float64       `toml:"drop"`         // connection closed without an answer
	// Tokens extends the faults to the token endpoints; by default only the
	// code endpoints fail, so a client can always get a token.
	Tokens bool `toml:"tokens"`
}

// Config describes the simulated mini program and how the simulator behaves.
type Config struct {
	AppID  string `toml:"appid"`
	Secret string `toml:"secret"`
	// SecretFrozen makes the token endpoints answer 40243.
	SecretFrozen bool `toml:"secret_frozen"`
	// Released are the pages of the released version; empty means ExamplePages.
	Released []string `toml:"released_pages"`
	// HomePage is opened by an unlimited code without page; "" means the first
	// released page.
	HomePage string `toml:"home_page"`
	// Unpublished: the app has no released version, so every check_path:true
	// request fails with 41030.
	Unpublished bool `toml:"unpublished"`
	// IPWhitelist, when not empty, lists the IPs or CIDRs allowed to fetch tokens (else 40164).
	IPWhitelist []string `toml:"ip_whitelist"`
	// ForeignTokens are tokens of other account types (a 公众号, a component):
	// the code endpoints answer them with 48001.
	ForeignTokens []string `toml:"foreign_tokens"`
	// ThemeColor is the colour auto_color picks, as #rrggbb.
	ThemeColor string `toml:"theme_color"`
	// LegacyPathLimit applies the old 128-byte limit to getwxacode's path.
	LegacyPathLimit bool `toml:"legacy_path_limit"`
	// ErrorContentType labels error bodies; WeChat mostly sends
	// "application/json; encoding=utf-8", sometimes "application/json; charset=UTF-8".
	ErrorContentType string `toml:"error_content_type"`
	// CodeImage is a file (PNG or JPEG, as WeChat sends, 280–1280 px)
	// whose bytes answer every code request instead of a drawn code: a
	// real code, to measure the designer and the preview on real images.
	// Relative to the config file; LoadConfig reads and checks it.
	CodeImage string `toml:"code_image"`
	// CodeImageBytes are CodeImage's bytes (LoadConfig sets them; a caller
	// building a Config may set them directly).
	CodeImageBytes []byte `toml:"-"`
	Limits         Limits `toml:"limits"`
	// LinkRules: the account type and other accounts' claims, for the link-rule endpoints.
	LinkRules LinkRulesConfig `toml:"link_rules"`
	Faults    Faults          `toml:"faults"`

	// Now is the simulator's time source; nil means time.Now. Tests usually
	// use (*Server).Clock instead.
	Now func() time.Time `toml:"-"`
	// Log, when set, gets one line per request (tokens redacted).
	Log io.Writer `toml:"-"`
}

// DefaultConfig is the simulator with no configuration file.
func DefaultConfig() Config {
	return Config{
		AppID:            DefaultAppID,
		Secret:           DefaultSecret,
		ThemeColor:       DefaultThemeColor,
		ErrorContentType: "application/json; encoding=utf-8",
		Limits:           DefaultLimits(),
	}
}

// LoadConfig reads a sim.toml over DefaultConfig. Unknown keys are an error,
// so a misspelt limit does not silently keep its default.
func LoadConfig(path string) (Config, error) {
	cfg := DefaultConfig()
	data, err := os.ReadFile(path)
	if err != nil {
		return cfg, fmt.Errorf("simulator config: %w", err)
	}
	md, err := toml.Decode(string(data), &cfg)
	if err != nil {
		return cfg, fmt.Errorf("simulator config %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		sort.Strings(keys)
		return cfg, fmt.Errorf("simulator config %s: unknown key(s) %s; see wechat/sim/testdata/sim.example.toml for the known ones",
			path, strings.Join(keys, ", "))
	}
	if err := cfg.Check(); err != nil {
		return cfg, fmt.Errorf("simulator config %s: %w", path, err)
	}
	if cfg.CodeImage != "" {
		img := cfg.CodeImage
		if !filepath.IsAbs(img) {
			img = filepath.Join(filepath.Dir(path), img)
		}
		if cfg.CodeImageBytes, err = readCodeImage(img); err != nil {
			return cfg, fmt.Errorf("simulator config %s: code_image: %w", path, err)
		}
	}
	return cfg, nil
}

// readCodeImage reads a code_image file and checks that a client would
// take it as an answer of the code endpoints.
func readCodeImage(path string) ([]byte, error) {
	b, err := codeimage.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if _, _, err := codeimage.Decode(b, wechat.CodeLimits("getwxacodeunlimit")); err != nil {
		return nil, fmt.Errorf("%s: %w (give a PNG or JPEG code as WeChat sends it)", path, err)
	}
	return b, nil
}

// Check reports settings that cannot work.
func (c Config) Check() error {
	var errs []error
	if c.ThemeColor != "" {
		if _, err := wechat.ParseColor(c.ThemeColor); err != nil {
			errs = append(errs, fmt.Errorf("theme_color: %w", err))
		}
	}
	for _, w := range c.IPWhitelist {
		if _, err := parseIPRule(w); err != nil {
			errs = append(errs, fmt.Errorf("ip_whitelist: %w", err))
		}
	}
	for _, p := range c.Released {
		if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "?") {
			errs = append(errs, fmt.Errorf("released_pages: %q is not a page path (write it like pages/index/index)", p))
		}
	}
	f := c.Faults
	for _, r := range []struct {
		name string
		v    float64
	}{{"system_error", f.SystemError}, {"unavailable", f.Unavailable}, {"latency_rate", f.LatencyRate},
		{"truncate", f.Truncate}, {"mislabel", f.Mislabel}, {"drop", f.Drop}} {
		if r.v < 0 || r.v > 1 {
			errs = append(errs, fmt.Errorf("faults.%s: %v is not a rate from 0 to 1", r.name, r.v))
		}
	}
	if f.Latency < 0 {
		errs = append(errs, fmt.Errorf("faults.latency: %v is negative", f.Latency))
	}
	return errors.Join(errs...)
}

// released is the released page list in effect.
func (c Config) released() []string {
	if len(c.Released) > 0 {
		return c.Released
	}
	return ExamplePages
}

// homePage is the page an unlimited code without page opens.
func (c Config) homePage() string {
	if c.HomePage != "" {
		return c.HomePage
	}
	return c.released()[0]
}
