package cli

import (
	"context"
	"os"
	"time"

	"wxacode/config"
	"wxacode/preview"
	"wxacode/ui"
	"wxacode/wechat"
)

// Factory gives the command that runs what the commands share: the streams,
// the configuration and the client session. A command that calls WeChat
// registers the connection flags on its own flag set, bound to conn (only one
// command runs per Factory). Config loads once from them; Session opens the
// client on first use, so a command that stops at validation starts no
// simulator and fetches no token.
type Factory struct {
	IOStreams *IOStreams
	// RatePerMinute, when set before the first Session, replaces the
	// config's rate_per_minute (batch --rate).
	RatePerMinute *int

	conn connFlags

	loaded   bool
	cfg      config.Config
	warnings []string
	cfgErr   error

	opened  bool
	sess    *session
	sessErr error

	// err is what the command that ran returned (see catchErrors).
	err error

	// red is the run's one redactor: the session's client and token sources
	// share it, and every sink (stderr, the debug log, batch's failed file,
	// the designer) passes text through it.
	red *wechat.Redactor

	// Seams for tests, zero in a real run: more client options (a hostile
	// server's retries without real back-offs), batch's first back-off, and
	// the preview's per-file renderer (nil: showFile), how the preview
	// and the designer ask tmux (nil: preview.ExecTmux), and what runs the
	// designer (nil: ui.Run).
	// ownProcess is true when the command is the whole process (Run, not a
	// test's run), so it may tune the process (the preview's GC).
	ownProcess    bool
	clientOptions []wechat.Option
	batchBackoff  time.Duration
	render        func(path string, box preview.Box, caps preview.Caps, opts preview.Options) shown
	tmux          preview.TmuxRunner
	designer      func(context.Context, ui.Deps) error
}

// tmuxRunner is how tmux is asked about the terminal outside it.
func (f *Factory) tmuxRunner() preview.TmuxRunner {
	if f.tmux != nil {
		return f.tmux
	}
	return preview.ExecTmux(os.Getenv)
}

// NewFactory is a Factory on ios; nothing is loaded or opened yet.
func NewFactory(ios *IOStreams) *Factory { return &Factory{IOStreams: ios} }

// Config is the configuration (defaults < file < environment < connection
// flags), its warnings for stderr, and what is wrong with it.
func (f *Factory) Config() (config.Config, []string, error) {
	if !f.loaded {
		f.cfg, f.warnings, f.cfgErr = f.conn.load()
		f.loaded = true
		c := f.cfg
		f.redactor().Add(c.Secret, c.AccessToken, c.Authorizer.ComponentAccessToken, c.Authorizer.AuthorizerRefreshToken)
	}
	return f.cfg, f.warnings, f.cfgErr
}

// Session opens the client the configuration describes, once.
func (f *Factory) Session() (*session, error) {
	if !f.opened {
		f.opened = true
		cfg, _, err := f.Config()
		if err != nil {
			f.sessErr = err
			return nil, err
		}
		if f.RatePerMinute != nil {
			cfg.RatePerMinute = *f.RatePerMinute
		}
		f.sess, f.sessErr = openClient(cfg, f.redactor(), f.clientOptions...)
	}
	return f.sess, f.sessErr
}

// Close stops what Session started (the in-process simulator, the debug log).
func (f *Factory) Close() {
	if f.sess != nil {
		f.sess.Close()
	}
}

// redactor is the run's redactor, knowing the credentials in the
// environment from the start and those of the configuration once loaded.
func (f *Factory) redactor() *wechat.Redactor {
	if f.red == nil {
		f.red = wechat.NewRedactor(os.Getenv("WXACODE_SECRET"), os.Getenv("WXACODE_ACCESS_TOKEN"))
	}
	return f.red
}

// redact removes every credential the run knows from a message for stderr.
func (f *Factory) redact(s string) string { return f.redactor().Redact(s) }
