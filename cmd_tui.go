package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"wxacode/preview"
	"wxacode/ui"
	"wxacode/wechat"
	"wxacode/wechat/sim"
)

// cmdTUI starts the designer: flags give the form's first values.
func cmdTUI(ctx context.Context, args []string, io stdio) int {
	fs := flag.NewFlagSet("wxacode", flag.ContinueOnError)
	fs.SetOutput(io.err)
	useSim := fs.Bool("sim", false, "use an in-process WeChat simulator (no credentials, no quota)")
	graphics := fs.String("graphics", "auto", "preview mode: auto, sixel, kitty, iterm, blocks or none")
	rf := addRequestFlagsTUI(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(io.err, "wxacode: unknown command %q; see wxacode help\n", fs.Arg(0))
		return exitUsage
	}
	if _, err := preview.ParseMode(*graphics); err != nil {
		fmt.Fprintf(io.err, "wxacode: --graphics: %v\n", err)
		return exitUsage
	}
	p, err := rf.params(fs)
	if err != nil {
		fmt.Fprintf(io.err, "wxacode: %v\n", err)
		return exitUsage
	}
	s, err := openTUISession(*useSim)
	if err != nil {
		fmt.Fprintf(io.err, "wxacode: %v\n", err)
		return exitUnexpected
	}
	defer s.Close()
	d := ui.Deps{
		Generator:      s.Client,
		Context:        ctx,
		OnSim:          s.OnSim,
		AutoRegenerate: s.OnSim,
		AppID:          s.AppID,
		TokenSource:    s.TokenSource,
		BaseURL:        s.Client.BaseURL(),
		StateDir:       tuiStateDir(),
		SaveDir:        os.Getenv("WXACODE_SAVE_DIR"),
		Graphics:       *graphics,
		Env:            os.Getenv,
		Initial:        p,
	}
	if l := s.Client.Ledger(); l != nil {
		d.Ledger = l
	}
	err = ui.Run(ctx, d)
	switch {
	case errors.Is(err, ui.ErrInterrupted):
		return exitInterrupted
	case err != nil:
		fmt.Fprintf(io.err, "wxacode: %v\n", wechat.Redact(err.Error()))
		return exitUnexpected
	}
	return exitOK
}

// tuiSession is the client the designer talks through.
//
// INTERIM (until the cli engineer's openClient and config land): credentials
// come from WXACODE_APPID + WXACODE_SECRET or WXACODE_ACCESS_TOKEN, the host
// from WXACODE_BASE_URL; --sim, or no credentials at all, runs an in-process
// simulator. Replace with openClient(ctx, cfg, forceSim).
type tuiSession struct {
	Client      *wechat.Client
	OnSim       bool
	AppID       string
	TokenSource string
	Close       func()
}

func openTUISession(forceSim bool) (*tuiSession, error) {
	base := os.Getenv("WXACODE_BASE_URL")
	appID, secret, token := os.Getenv("WXACODE_APPID"), os.Getenv("WXACODE_SECRET"), os.Getenv("WXACODE_ACCESS_TOKEN")
	s := &tuiSession{Close: func() {}, AppID: appID}
	if forceSim || (appID == "" && token == "") {
		srv := sim.New(sim.DefaultConfig())
		u, err := srv.Listen("127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("start the simulator: %w", err)
		}
		base, appID, secret, token = u, srv.AppID(), srv.Secret(), ""
		s.OnSim, s.AppID, s.Close = true, appID, func() { srv.Close() }
	}
	opts := []wechat.Option{}
	if base != "" {
		opts = append(opts, wechat.WithBaseURL(base))
	}
	if token != "" && appID == "" {
		s.TokenSource = "fixed"
		opts = append(opts, wechat.WithTokenSource(wechat.NewFixedToken(token)))
	} else {
		s.TokenSource = "stable_token"
		opts = append(opts, wechat.WithTokenSource(wechat.NewStableToken(appID, secret, wechat.TokenOptions{BaseURL: base})))
	}
	s.Client = wechat.NewClient(opts...)
	return s, nil
}

// tuiStateDir is where the history lives: $XDG_STATE_HOME/wxacode or
// ~/.local/state/wxacode. INTERIM until config.StateDir lands.
func tuiStateDir() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "wxacode")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".local", "state", "wxacode")
}

// tuiRequestFlags are the request flags, named as in wxacode get.
//
// INTERIM: a minimal local parse until the shared request-flag helper lands.
type tuiRequestFlags struct {
	kind, page, path, scene, env, lineColor *string
	width                                   *int
	checkPath, autoColor, hyaline           *bool
}

func addRequestFlagsTUI(fs *flag.FlagSet) *tuiRequestFlags {
	return &tuiRequestFlags{
		kind:      fs.String("kind", "unlimited", "endpoint: unlimited, limited or qrcode"),
		page:      fs.String("page", "", "page (unlimited), no leading / and no query"),
		path:      fs.String("path", "", "path with optional query (limited, qrcode)"),
		scene:     fs.String("scene", "", "scene, 1–32 characters (unlimited)"),
		width:     fs.Int("width", 0, "width in pixels, 280–1280 (default 430)"),
		env:       fs.String("env-version", "", "release, trial or develop"),
		checkPath: fs.Bool("check-path", true, "check that page is released (unlimited)"),
		lineColor: fs.String("line-color", "", "line colour #rrggbb or r,g,b"),
		autoColor: fs.Bool("auto-color", false, "automatic line colour"),
		hyaline:   fs.Bool("hyaline", false, "transparent background"),
	}
}

func (f *tuiRequestFlags) params(fs *flag.FlagSet) (wechat.Params, error) {
	k, err := wechat.ParseKind(*f.kind)
	if err != nil {
		return wechat.Params{}, fmt.Errorf("--kind: %w", err)
	}
	p := wechat.Params{Kind: k, Page: *f.page, Path: *f.path, Scene: *f.scene, Width: *f.width,
		EnvVersion: *f.env, AutoColor: *f.autoColor, Hyaline: *f.hyaline}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if set["check-path"] {
		p.CheckPath = wechat.Bool(*f.checkPath)
	}
	if *f.lineColor != "" {
		c, err := wechat.ParseColor(*f.lineColor)
		if err != nil {
			return wechat.Params{}, fmt.Errorf("--line-color: %w", err)
		}
		p.LineColor = &c
	}
	return p, nil
}
