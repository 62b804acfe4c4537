package ui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"wxacode/preview"
	"wxacode/wechat"
)

// placement owns the code's picture on screen: what the terminal can show
// (caps), the rendering for the current box, and where an out-of-band image
// was drawn, so that it is drawn again, or cleared, exactly when needed.
type placement struct {
	caps     preview.Caps
	mode     preview.Mode // as asked (--graphics); Caps.Resolve decides auto
	renderer *preview.Renderer
	checker  bool // transparent pixels over a checkerboard instead of white

	out     preview.Output
	outKey  string // the rendering asked for last; answers for others are dropped
	drawSeq int
	drawn   footprint // the out-of-band image on screen now, if any
}

func newPlacement(caps preview.Caps, mode preview.Mode) placement {
	return placement{caps: caps, mode: mode, renderer: preview.NewRenderer(8)}
}

// Box is the image box of layout l, in cells.
func (p placement) Box(l layout) preview.Box {
	// A terminal wider than preview.MaxCells still gets a code, at that size.
	return preview.Box{Cols: min(l.boxW, preview.MaxCells), Rows: min(l.boxH, preview.MaxCells)}
}

// Invalidate forgets the rendering so the next Render makes a new one.
func (p *placement) Invalidate() { p.outKey = "" }

// Render renders code into l's box, unless that exact rendering is the
// current one. note says what goes above half blocks that cannot be scanned.
func (p *placement) Render(code *wechat.Code, sha string, l layout, note func(preview.Output) []string) tea.Cmd {
	opts := preview.Options{Mode: p.mode, ImageID: kittyImageID}
	if p.checker {
		opts.Background = preview.BackgroundChecker
	}
	box := p.Box(l)
	key := fmt.Sprintf("%s|%v|%v|%v", sha, box, opts, p.caps)
	if key == p.outKey {
		return nil
	}
	p.outKey = key
	return renderCmd(key, p.renderer, code, box, p.caps, opts, note)
}

// footprint is where the output would be drawn in l; zero when shown is
// false (another pane, a prompt) or there is nothing to draw out of band.
func (p placement) footprint(l layout, shown bool) footprint {
	if p.out.Raw == "" || !shown {
		return footprint{}
	}
	return footprint{p.out.Mode, p.out.Cols, p.out.Rows, p.out.Width, p.out.Height, l.boxX, l.boxY, l.boxW, l.boxH}
}

// Got takes a rendering; it returns false when msg is for an older one.
// The command clears what the last image left and draws once the box is
// painted, or draws at once over an image of the same footprint.
func (p *placement) Got(msg previewMsg, l layout, shown bool) (bool, tea.Cmd) {
	if msg.key != p.outKey {
		return false, nil // a newer code or box is being rendered
	}
	if msg.err != nil {
		p.out = preview.Output{}
		return true, nil
	}
	p.out = msg.out
	if p.out.Raw == "" {
		return true, nil
	}
	p.drawSeq++ // any draw still pending is for the previous image
	if fp := p.footprint(l, shown); fp.mode == preview.ModeSixel && fp == p.drawn {
		// Same box, same size, every pixel painted: straight over the last one.
		return true, rawImage(p.out.Raw, fp.x, fp.y)
	}
	return true, tea.Batch(p.ClearScreen(), drawAfter(p.drawSeq))
}

// Draw answers a drawMsg: the image goes out once its box is on screen.
func (p *placement) Draw(msg drawMsg, l layout, shown bool) tea.Cmd {
	fp := p.footprint(l, shown)
	if msg.seq != p.drawSeq || fp == (footprint{}) {
		return nil
	}
	p.drawn = fp
	return rawImage(p.out.Raw, fp.x, fp.y)
}

// Redraw repaints after the right-hand side changed while an out-of-band
// image may be on screen: pixels are not cells, so the renderer cannot erase
// them. Kitty placements are deleted explicitly; the image comes back once
// the preview's blank box is painted again (when shown).
func (p *placement) Redraw(shown bool) tea.Cmd {
	if p.out.Raw == "" {
		return nil
	}
	cmds := []tea.Cmd{p.ClearScreen()}
	if p.out.Mode == preview.ModeKitty {
		del := preview.KittyDelete(kittyImageID)
		if p.out.Passthrough {
			del = preview.Passthrough(del)
		}
		cmds = append(cmds, tea.Raw(del))
	}
	if shown {
		p.drawSeq++
		cmds = append(cmds, drawAfter(p.drawSeq))
	}
	return tea.Batch(cmds...)
}

// Keep forgets the drawn image once a frame may have written into its
// box: another pane, a prompt, a new layout, or a preview that failed and
// left text where the image was. The next image then goes the slow way,
// after a clear and a repaint.
func (p *placement) Keep(l layout, shown bool) {
	if p.drawn != (footprint{}) && p.footprint(l, shown) != p.drawn {
		p.drawn = footprint{}
	}
}

// ClearScreen repaints everything; out-of-band pixels are gone with it.
func (p *placement) ClearScreen() tea.Cmd {
	p.drawn = footprint{}
	return tea.ClearScreen
}
