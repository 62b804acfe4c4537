package cli

import (
	"context"
	"os"

	"wxacode/batch"
	"wxacode/config"
	"wxacode/ui"
	"wxacode/wechat"
)

// uiDeps fills the designer's dependencies from an open session and the
// configuration, so the TUI is configured exactly like get and batch.
// (For cmd_tui.go, replacing its interim openTUISession and tuiStateDir.)
func uiDeps(ctx context.Context, s *session, cfg config.Config, initial wechat.Params) ui.Deps {
	d := ui.Deps{
		Generator:      s.Client,
		Context:        ctx,
		OnSim:          s.OnSim,
		AutoRegenerate: s.OnSim, // free on the simulator, quota-neutral but rate-limited on WeChat
		AppID:          s.AppID,
		TokenSource:    s.TokenSource,
		BaseURL:        s.BaseURL,
		SaveDir:        cfg.SaveDir,
		NameTemplate:   cfg.NameTemplate,
		StateDir:       config.StateDir(),
		Graphics:       cfg.Graphics,
		Env:            os.Getenv,
		Initial:        initial,
	}
	if s.Ledger != nil {
		d.Ledger = s.Ledger
	}
	return d
}

// batchDeps is what batch.Options needs from a session: the client (whose
// limiter is the only one) and the ledger, or a nil Quota when there is none.
// (For batch_wiring.go, replacing its interim batchGenerator.)
func batchDeps(s *session) (batch.Generator, batch.Quota) {
	if s.Ledger == nil {
		return s.Client, nil
	}
	return s.Client, s.Ledger
}
