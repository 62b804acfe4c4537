package cli

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"wxacode/config"
	"wxacode/wechat"
)

// paramFlags gives, after the flags are parsed, base with only the request flags the
// user set laid over it, so a config default survives unless overridden.
type paramFlags func(base wechat.Params) (wechat.Params, error)

// addParamFlags registers the request flags, named as in the issue
// (--kind --page --scene --path --width --env-version --check-path
// --auto-color --line-color --hyaline), on fs. Every problem with the flag
// values is reported at once; request rules are left to
// wechat.Params.Validate, the one validator. get, batch and the designer share it.
func addParamFlags(fs *pflag.FlagSet) paramFlags {
	var (
		kind      = fs.String("kind", "", "endpoint: unlimited (getwxacodeunlimit), limited (getwxacode), qrcode (createwxaqrcode) or trial (get_qrcode, the trial version's QR) (default: [defaults] kind, else unlimited)")
		page      = fs.String("page", "", "unlimited: released page, no leading / and no ?query, e.g. pages/index/index")
		scene     = fs.String("scene", "", "unlimited: up to 32 characters of A-Z a-z 0-9 !#$&'()*+,/:;=?@-._~")
		path      = fs.String("path", "", "limited, qrcode, trial: page with query, e.g. pages/index/index?id=42 (trial: optional)")
		width     = fs.Int("width", 0, "width in pixels, 280-1280 (0: WeChat's default, 430)")
		env       = fs.String("env-version", "", "release, trial or develop (empty: omitted, WeChat uses release)")
		checkPath = &optBool{}
		autoColor = fs.Bool("auto-color", false, "let WeChat pick the line colour from the app's theme")
		lineColor = fs.String("line-color", "", "line colour, '#rrggbb' or r,g,b (empty: black)")
		hyaline   = fs.Bool("hyaline", false, "transparent background (the code is then a PNG)")
	)
	// Three states: unset (omitted, WeChat checks), true, false; a bare
	// --check-path means true, as it did with Go's flag package.
	fs.Var(checkPath, "check-path", "unlimited: true or false; false allows pages not yet released (unset: omitted, WeChat checks)")
	fs.Lookup("check-path").NoOptDefVal = "true"
	return func(base wechat.Params) (wechat.Params, error) {
		p := base
		var errs []error
		fs.Visit(func(f *pflag.Flag) {
			switch f.Name {
			case "kind":
				k, err := wechat.ParseKind(*kind)
				if err != nil {
					errs = append(errs, fmt.Errorf("--kind: %w", err))
				}
				p.Kind = k
			case "page":
				p.Page = *page
			case "scene":
				p.Scene = *scene
			case "path":
				p.Path = *path
			case "width":
				p.Width = *width
			case "env-version":
				p.EnvVersion = *env
			case "check-path":
				if checkPath.err != nil {
					errs = append(errs, checkPath.err)
				}
				p.CheckPath = checkPath.v
			case "auto-color":
				p.AutoColor = *autoColor
			case "line-color":
				c, err := parseLineColor(*lineColor)
				if err != nil {
					errs = append(errs, fmt.Errorf("--line-color: %w", err))
				}
				p.LineColor = c
			case "hyaline":
				p.Hyaline = *hyaline
			}
		})
		p.Kind = orUnlimited(p.Kind)
		return p, errors.Join(errs...)
	}
}

// requestSetup is what get, batch and the designer resolve alike from their
// flags: the configuration and the request the form or call starts from.
type requestSetup struct {
	Config   config.Config
	Warnings []string // for stderr
	Params   wechat.Params
	Problems []string // in the config, [defaults] or the flag values, one line each
}

// addRequestFlags registers the shared connection and request flags on fs,
// the running command's. The function it returns, called after parsing,
// loads the configuration (through f) and lays the request flags the user
// set over its [defaults].
func addRequestFlags(fs *pflag.FlagSet, f *Factory) func() requestSetup {
	f.conn.register(fs)
	params := addParamFlags(fs)
	return func() requestSetup {
		var r requestSetup
		var err error
		if r.Config, r.Warnings, err = f.Config(); err != nil {
			r.Problems = append(r.Problems, err.Error())
		}
		base, err := paramsFromDefaults(r.Config.Defaults)
		if err != nil {
			r.Problems = append(r.Problems, strings.Split(err.Error(), "\n")...)
		}
		if r.Params, err = params(base); err != nil {
			r.Problems = append(r.Problems, strings.Split(err.Error(), "\n")...)
		}
		return r
	}
}

// paramsFromDefaults turns the [defaults] table into the base request.
func paramsFromDefaults(d config.Defaults) (wechat.Params, error) {
	var errs []error
	k, err := wechat.ParseKind(d.Kind)
	if err != nil {
		errs = append(errs, fmt.Errorf("[defaults] kind: %w", err))
	}
	c, err := parseLineColor(d.LineColor)
	if err != nil {
		errs = append(errs, fmt.Errorf("[defaults] line_color: %w", err))
	}
	p := wechat.Params{Kind: orUnlimited(k), Page: d.Page, Scene: d.Scene, Path: d.Path, Width: d.Width,
		EnvVersion: d.EnvVersion, CheckPath: d.CheckPath, AutoColor: d.AutoColor, LineColor: c, Hyaline: d.Hyaline}
	return p, errors.Join(errs...)
}

func orUnlimited(k wechat.Kind) wechat.Kind {
	if k == "" {
		return wechat.KindUnlimited
	}
	return k
}

// parseLineColor is "" → nil (omitted, black), else wechat.ParseColor.
func parseLineColor(s string) (*wechat.Color, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	c, err := wechat.ParseColor(s)
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// optBool is a three-state boolean flag value: unset (nil), true or false.
type optBool struct {
	v   *bool
	err error
}

func (o *optBool) String() string {
	if o == nil || o.v == nil {
		return ""
	}
	return strconv.FormatBool(*o.v)
}

func (o *optBool) Set(s string) error {
	b, err := strconv.ParseBool(strings.TrimSpace(s))
	if err != nil {
		// Kept for the joined report rather than stopping flag parsing here.
		o.err = fmt.Errorf("--check-path %q: write true or false", s)
		o.v = nil
		return nil
	}
	o.v, o.err = wechat.Bool(b), nil
	return nil
}

// Type names the value in pflag's messages.
func (o *optBool) Type() string { return "bool" }

func sortedStrings(s []string) []string {
	slices.Sort(s)
	return s
}
