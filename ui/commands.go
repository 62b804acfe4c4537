package ui

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"wxacode/linkqr"
	"wxacode/wechat"
)

// generateCmd calls the generator for generation gen; a link QR is drawn
// here instead (linkQRCmd). It captures values only; the answer is stamped
// with now (Deps.Now) as it arrives.
func generateCmd(ctx context.Context, g Generator, gen int, p wechat.Params, now func() time.Time) tea.Cmd {
	req := p.Request()
	if lq, ok := req.(*wechat.LinkQR); ok {
		return linkQRCmd(gen, p, *lq, now)
	}
	return func() tea.Msg {
		if g == nil {
			return codeMsg{gen: gen, params: p, at: now(),
				err: fmt.Errorf("no WeChat client: start with --sim or configure credentials")}
		}
		start := time.Now()
		code, err := g.Get(ctx, req)
		return codeMsg{gen: gen, params: p, code: code, err: err, elapsed: time.Since(start), at: now()}
	}
}

// linkQRCmd draws a link QR locally (package linkqr): no HTTP, no token, no
// quota. PNG, the lossless format, whatever it is saved as.
func linkQRCmd(gen int, p wechat.Params, r wechat.LinkQR, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		start := time.Now()
		img, err := linkqr.Encode(r, wechat.FormatPNG)
		if err != nil {
			return codeMsg{gen: gen, params: p, err: err, at: now()}
		}
		elapsed := time.Since(start)
		return codeMsg{gen: gen, params: p, elapsed: elapsed, at: now(), code: &wechat.Code{Bytes: img.Bytes,
			Format: img.Format, Width: img.Width, Height: img.Width, ContentType: "image/png", NumUsed: -1, Elapsed: elapsed}}
	}
}

func debounce(after timer, d time.Duration, seq int) tea.Cmd {
	return after.tick(d, func() tea.Msg { return debounceMsg{seq: seq} })
}

// saveCmd writes the code and its sidecar, saved at now() (Deps.Now). A
// missing folder is created only when mkdir names it (the user said yes);
// otherwise the answer asks.
func saveCmd(path string, job saveJob, overwrite bool, mkdir string, now func() time.Time) tea.Cmd {
	return func() tea.Msg {
		if rest, ok := strings.CutPrefix(path, "~/"); ok {
			if home, err := os.UserHomeDir(); err == nil {
				path = filepath.Join(home, rest)
			}
		}
		dir := filepath.Dir(path)
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			if mkdir != dir {
				return savedMsg{path: path, missingDir: dir}
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return savedMsg{path: path, err: fmt.Errorf("cannot create the folder %s: %w", dir, err)}
			}
		}
		err := writeCode(path, job, overwrite, now())
		if isExists(err) {
			return savedMsg{path: path, exists: true}
		}
		if err == nil {
			if abs, aerr := filepath.Abs(path); aerr == nil {
				path = abs
			}
		}
		return savedMsg{path: path, err: err}
	}
}

func loadHistoryCmd(dir string) tea.Cmd {
	return func() tea.Msg {
		list, err := loadHistory(dir)
		return historyLoadedMsg{entries: list, err: err}
	}
}

// storeHistoryCmd writes list as the history's version seq through w, which
// drops it when a newer version was written first.
func storeHistoryCmd(w *historyWriter, seq int, dir string, list []historyEntry) tea.Cmd {
	list = append([]historyEntry(nil), list...)
	return func() tea.Msg { return historySavedMsg{err: w.store(seq, dir, list)} }
}

// tokenInfoCmd asks for the current token (cached by the client) and keeps
// only its source and expiry.
func tokenInfoCmd(ctx context.Context, ts interface {
	Token(ctx context.Context) (wechat.Token, error)
}) tea.Cmd {
	if ts == nil {
		return nil
	}
	return func() tea.Msg {
		t, err := ts.Token(ctx)
		if err != nil {
			return nil
		}
		return tokenMsg{source: t.Source, expires: t.Expires}
	}
}

// cellSizeCmd asks TIOCGWINSZ for the cell size (Deps.CellSize).
func cellSizeCmd(ask func() (int, int, bool)) tea.Cmd {
	if ask == nil {
		return nil
	}
	return func() tea.Msg {
		if w, h, ok := ask(); ok {
			return cellSizeMsg{w, h}
		}
		return nil
	}
}
