package ui

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/jpeg" // WeChat answers JPEG for opaque codes
	_ "image/png"  // and PNG for transparent ones
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"wxacode/wechat"
)

// generateCmd calls the generator for generation gen. It captures values only.
func generateCmd(ctx context.Context, g Generator, gen int, p wechat.Params) tea.Cmd {
	req := p.Request()
	return func() tea.Msg {
		if g == nil {
			return codeMsg{gen: gen, params: p, err: fmt.Errorf("no WeChat client: start with --sim or configure credentials")}
		}
		start := time.Now()
		code, err := g.Get(ctx, req)
		return codeMsg{gen: gen, params: p, code: code, err: err, elapsed: time.Since(start)}
	}
}

// renderCmd decodes the image (unless img is already decoded) and renders it into the box.
func renderCmd(key string, data []byte, img image.Image, cols, rows int, caps gfxCaps, mode string, checker bool) tea.Cmd {
	return func() tea.Msg {
		if img == nil {
			var err error
			img, _, err = image.Decode(bytes.NewReader(data))
			if err != nil {
				return previewMsg{key: key, err: fmt.Errorf("cannot decode the image: %w", err)}
			}
		}
		out, err := renderImage(img, cols, rows, caps, mode, checker)
		return previewMsg{key: key, img: img, out: out, err: err}
	}
}

// drawAfter waits for the frame with the reserved box to be painted, then
// asks for the out-of-band draw.
func drawAfter(seq int) tea.Cmd {
	return tea.Tick(30*time.Millisecond, func(time.Time) tea.Msg { return drawMsg{seq: seq} })
}

// rawImage places raw (sixel, kitty, iTerm2) at the box's top-left cell
// (0-based col,row) and puts the cursor back where the renderer left it.
func rawImage(raw string, col, row int) tea.Cmd {
	return tea.Raw("\x1b7" + ansi.CursorPosition(col+1, row+1) + raw + "\x1b8")
}

func debounce(d time.Duration, seq int) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return debounceMsg{seq: seq} })
}

func clearStatusAfter(seq int) tea.Cmd {
	return tea.Tick(6*time.Second, func(time.Time) tea.Msg { return statusClearMsg{seq: seq} })
}

func saveCmd(path string, job saveJob, overwrite bool, now time.Time) tea.Cmd {
	return func() tea.Msg {
		err := writeCode(path, job, overwrite, now)
		if isExists(err) {
			return savedMsg{path: path, job: job, exists: true}
		}
		if err == nil {
			if abs, aerr := filepath.Abs(path); aerr == nil {
				path = abs
			}
		}
		return savedMsg{path: path, job: job, err: err}
	}
}

func loadHistoryCmd(dir string) tea.Cmd {
	return func() tea.Msg {
		list, err := loadHistory(dir)
		return historyLoadedMsg{entries: list, err: err}
	}
}

func storeHistoryCmd(dir string, list []historyEntry) tea.Cmd {
	list = append([]historyEntry(nil), list...)
	return func() tea.Msg { return historySavedMsg{err: storeHistory(dir, list)} }
}

// termQueries asks for sixel support (DA1), the cell size and kitty graphics;
// replies arrive as messages and are folded into the caps.
const termQueries = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\" + "\x1b[16t" + ansi.RequestPrimaryDeviceAttributes
