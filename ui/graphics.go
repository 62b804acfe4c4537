package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"

	"wxacode/preview"
	"wxacode/wechat"
)

// The preview is drawn by package preview. Half blocks go inside View; sixel,
// kitty and iTerm2 go out of band (tea.Raw) into a box View leaves blank,
// after the frame with that box is on screen, and again after every repaint.

const kittyImageID = 7

// foldReply updates the terminal capabilities from a reply to preview.Queries;
// ok is false when msg is not such a reply.
func foldReply(c preview.Caps, msg tea.Msg) (preview.Caps, bool) {
	switch msg := msg.(type) {
	case uv.PrimaryDeviceAttributesEvent:
		return c.ApplyDA1([]int(msg)), true
	case uv.CellSizeEvent:
		return c.ApplyCellSize(msg.Width, msg.Height), true
	case uv.KittyGraphicsEvent:
		return c.ApplyKitty(strings.HasPrefix(string(msg.Payload), "OK")), true
	case tea.TerminalVersionMsg:
		return c.ApplyVersion(msg.Name), true
	case uv.UnknownCsiEvent:
		if n, ok := preview.ParseColors(string(msg)); ok {
			return c.ApplyColors(n), true
		}
	}
	return c, false
}

// askTmuxCmd asks the tmux server about the terminal outside it (at most
// preview.TmuxTimeout).
func askTmuxCmd(ctx context.Context, run preview.TmuxRunner, getenv func(string) string) tea.Cmd {
	return func() tea.Msg { return tmuxMsg{client: preview.AskTmux(ctx, run, getenv)} }
}

// renderCmd renders data into box through the shared cache. Half blocks
// that cannot be scanned are drawn again in fewer rows, leaving room above
// them for what note says about it.
func renderCmd(key string, r *preview.Renderer, code *wechat.Code, box preview.Box, caps preview.Caps, opts preview.Options, note func(preview.Output) []string) tea.Cmd {
	data, img := code.Bytes, code.Image
	return func() tea.Msg {
		out, err := r.RenderDecoded(data, img, box, caps, opts)
		if n := len(note(out)); err == nil && n > 0 && box.Rows > n {
			box.Rows -= n
			out, err = r.RenderDecoded(data, img, box, caps, opts)
		}
		return previewMsg{key: key, out: out, err: err}
	}
}

// scanNote is what the preview pane says above half blocks that cannot be
// scanned, wrapped to w cells: the cells they need and the terminal size,
// from width×height up, that has room for them. nil when they scan, and for
// graphics (which draw the image itself).
func scanNote(out preview.Output, w, width, height, helpH int) []string {
	p := out.ScanProblem()
	if p == "" {
		return nil
	}
	if need := out.Scan.Need; need != (preview.Box{}) {
		ww, wh := windowFor(need, width, height, helpH)
		p += fmt.Sprintf("; a window of %d×%d has room", ww, wh)
	}
	return wrap(p, w)
}

// footprint is where an out-of-band image went and how big it is. A new
// opaque sixel with the same footprint covers every pixel of the last one, so
// it is drawn at once: no clear, no wait for a repaint.
type footprint struct {
	mode                   preview.Mode
	cols, rows, w, h, x, y int
	boxW, boxH             int
}

// drawDelay is how long a draw waits for the frame with its box: more
// than a frame at Bubble Tea's 60 fps.
const drawDelay = 30 * time.Millisecond

// rawImage places raw with its top-left corner at the 0-based cell (col, row).
func rawImage(raw string, col, row int) tea.Cmd {
	return tea.Raw(preview.Place(raw, row, col))
}
