package ui

import (
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"wxacode/preview"
	"wxacode/wechat"
)

// placement owns the code's picture on screen: what the terminal can show
// (caps), the rendering for the current box, and where an out-of-band image
// was drawn, so that it is drawn again, or cleared, exactly when needed.
//
// The box comes from the pane alone (layout), never from the form, and the
// image is rendered for the terminal's real cell size, so it fits the box
// in both directions and never reaches the rows below it, where a sixel
// would scroll the screen. Sync, at the end of every Update, compares where
// the image should be with where it was drawn: when they differ the old
// cells are cleared (sixel and iTerm2: blanked; kitty: deleted by id) and
// the image drawn again once its box is on screen.
type placement struct {
	caps     preview.Caps
	mode     preview.Mode // as asked (--graphics); Caps.Resolve decides auto
	renderer *preview.Renderer
	checker  bool  // transparent pixels over a checkerboard instead of white
	after    timer // Deps.After

	out     preview.Output
	outKey  string // the rendering asked for last; answers for others are dropped
	drawSeq int
	pending bool      // a draw is scheduled for drawSeq
	drawn   footprint // the out-of-band image on screen now, if any
	formSig string    // the form's row structure when the image was last checked
}

// safeCell is the cell size assumed when the terminal tells none (no CSI
// 16 t reply, no pixels in TIOCGWINSZ): small, so that an image sized for it
// takes fewer rows than the box on any common font instead of more.
const safeCellW, safeCellH = 6, 12

func newPlacement(caps preview.Caps, mode preview.Mode, after timer) placement {
	return placement{caps: caps, mode: mode, renderer: preview.NewRenderer(8), after: after}
}

// renderCaps is caps with a cell size: the terminal's, else the safe one.
func (p placement) renderCaps() preview.Caps {
	c := p.caps
	if c.CellW <= 0 || c.CellH <= 0 {
		if !(c.InTmux && c.Tmux.CellW > 0 && c.Tmux.CellH > 0) {
			c = c.ApplyCellSize(safeCellW, safeCellH)
		}
	}
	return c
}

// ApplyWinsizeCell folds the TIOCGWINSZ cell size: the fallback after CSI
// 16 t, so a reply already folded wins.
func (p *placement) ApplyWinsizeCell(w, h int) bool {
	if p.caps.CellW > 0 && p.caps.CellH > 0 {
		return false
	}
	p.caps = p.caps.ApplyCellSize(w, h)
	return p.caps.CellW > 0
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
	box, caps := p.Box(l), p.renderCaps()
	key := fmt.Sprintf("%s|%v|%v|%v", sha, box, opts, caps)
	if key == p.outKey {
		return nil
	}
	p.outKey = key
	return renderCmd(key, p.renderer, code, box, caps, opts, note)
}

// footprint is where the output goes in l; zero when shown is false
// (another pane, a prompt), when there is nothing to draw out of band, or
// when it would not fit the box (drawing it could scroll the screen).
func (p placement) footprint(l layout, shown bool) footprint {
	o := p.out
	if o.Raw == "" || !shown || o.Cols > l.boxW || o.Rows > l.boxH {
		return footprint{}
	}
	return footprint{o.Mode, o.Cols, o.Rows, o.Width, o.Height, l.boxX, l.boxY, l.boxW, l.boxH}
}

// Got takes a rendering; it returns false when msg is for an older one.
// A sixel of the footprint on screen is drawn straight over it (every pixel
// painted); anything else is left to Sync.
func (p *placement) Got(msg previewMsg, l layout, shown bool) (bool, tea.Cmd) {
	if msg.key != p.outKey {
		return false, nil // a newer code or box is being rendered
	}
	p.out = preview.Output{}
	if msg.err == nil {
		p.out = msg.out
	}
	p.drawSeq++ // any draw still pending is for the previous image
	p.pending = false
	fp := p.footprint(l, shown)
	if fp != (footprint{}) && fp.mode == preview.ModeSixel && fp == p.drawn {
		return true, rawImage(p.out.Raw, fp.x, fp.y)
	}
	if p.drawn != (footprint{}) {
		// The last image goes; Sync draws this one after the frame.
		clear := p.clear(p.drawn)
		p.drawn = footprint{}
		return true, tea.Raw(clear)
	}
	return true, nil
}

// Sync runs at the end of every Update: a drawn image that is no longer
// wanted where it is gets cleared, a wanted one not on screen gets drawn
// after the next frame, and one that the frame may move (the form's rows
// changed beside it: the renderer scrolls identical lines, and the pixels
// go with them) gets put back once that frame is out.
func (p *placement) Sync(l layout, shown bool, formSig string) tea.Cmd {
	want := p.footprint(l, shown)
	var cmds []tea.Cmd
	if p.drawn != (footprint{}) && p.drawn != want {
		cmds = append(cmds, tea.Raw(p.clear(p.drawn)))
		p.drawn = footprint{}
	}
	switch {
	case want == (footprint{}):
		p.pending = false
	case p.drawn == (footprint{}) && !p.pending:
		p.drawSeq++
		p.pending = true
		cmds = append(cmds, p.afterFrame(drawMsg{seq: p.drawSeq}))
	case p.drawn != (footprint{}) && formSig != p.formSig:
		p.drawSeq++
		cmds = append(cmds, p.afterFrame(repairMsg{seq: p.drawSeq}))
	}
	p.formSig = formSig
	return tea.Batch(cmds...)
}

// afterFrame answers msg once the frame being painted now is out: the box
// reserved in it is on screen for a draw, or the rows it may have scrolled
// are settled for a repair.
func (p placement) afterFrame(msg tea.Msg) tea.Cmd {
	return p.after.tick(drawDelay, func() tea.Msg { return msg })
}

// Draw answers a drawMsg: the image goes out once its box is on screen.
func (p *placement) Draw(msg drawMsg, l layout, shown bool) tea.Cmd {
	fp := p.footprint(l, shown)
	if msg.seq != p.drawSeq || fp == (footprint{}) {
		return nil
	}
	p.pending = false
	p.drawn = fp
	return rawImage(p.out.Raw, fp.x, fp.y)
}

// Repair puts the image back after a frame that may have scrolled it:
// the whole box blanked (the strips it left), the image drawn over it.
func (p *placement) Repair(msg repairMsg, l layout, shown bool) tea.Cmd {
	fp := p.footprint(l, shown)
	if msg.seq != p.drawSeq || fp == (footprint{}) || fp != p.drawn {
		return nil
	}
	box := fp
	box.cols, box.rows = fp.boxW, fp.boxH
	return tea.Raw(p.clear(box) + preview.Place(p.out.Raw, fp.y, fp.x))
}

// clear is what takes the image of fp off the screen without a repaint:
// kitty deletes its placements by id, sixel and iTerm2 pixels go with the
// text of the cells under them, so those cells are written blank (ECH) -
// cells the renderer also holds blank, so its picture of the screen stays true.
func (p placement) clear(fp footprint) string {
	if fp.mode == preview.ModeKitty {
		del := preview.KittyDelete(kittyImageID)
		if p.out.Passthrough {
			del = preview.Passthrough(del)
		}
		return del
	}
	return eraseCells(fp.x, fp.y, fp.cols, fp.rows)
}

// eraseCells blanks cols×rows cells from the 0-based cell (x, y), putting
// the cursor back.
func eraseCells(x, y, cols, rows int) string {
	var b strings.Builder
	b.WriteString("\x1b7")
	for r := range rows {
		b.WriteString("\x1b[" + strconv.Itoa(y+r+1) + ";" + strconv.Itoa(x+1) + "H\x1b[" + strconv.Itoa(cols) + "X")
	}
	b.WriteString("\x1b8")
	return b.String()
}

// Forget is for a repaint of the whole screen (a resize, a clear): the
// pixels are gone with it.
func (p *placement) Forget() {
	p.drawn = footprint{}
	p.pending = false
}
