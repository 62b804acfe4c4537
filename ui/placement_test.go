package ui

import (
	"fmt"
	"image/color"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testimage"
	"wxacode/preview"
)

// The image box comes from the pane alone and the image fits it in both
// directions for the cell size the terminal really has: never a row taller
// than the pane (a sixel reaching the rows below would scroll the screen).
// With the cell size unknown, the safe cell keeps it within the pane for
// any cell at least that big.
func TestPlacementFitsThePane(t *testing.T) {
	black, white := color.NRGBA{0, 0, 0, 255}, color.NRGBA{255, 255, 255, 255}
	terms := [][2]int{{76, 20}, {80, 24}, {120, 40}, {140, 45}, {200, 60}}
	cells := []struct {
		name       string
		known      [2]int // what the terminal said (0: nothing)
		real       [2]int // what it draws with
		helpHeight int
	}{
		{"csi 16 t 10x20", [2]int{10, 20}, [2]int{10, 20}, 1},
		{"dejavu 10 7x15", [2]int{7, 15}, [2]int{7, 15}, 1},
		{"small 6x13", [2]int{6, 13}, [2]int{6, 13}, 1},
		{"large 12x26", [2]int{12, 26}, [2]int{12, 26}, 1},
		{"unknown on 7x15", [2]int{}, [2]int{7, 15}, 1},
		{"unknown on 10x20", [2]int{}, [2]int{10, 20}, 1},
		{"full help 8x16", [2]int{8, 16}, [2]int{8, 16}, 10},
	}
	for _, size := range []int{280, 430, 1280} {
		img := testimage.QRSized("https://sim.wxacode.invalid/x", size, black, white)
		for _, term := range terms {
			for _, c := range cells {
				t.Run(fmt.Sprintf("%dpx %dx%d %s", size, term[0], term[1], c.name), func(t *testing.T) {
					l := layoutFor(term[0], term[1], c.helpHeight)
					caps := preview.Caps{Sixel: true}.ApplyCellSize(c.known[0], c.known[1])
					p := newPlacement(caps, preview.ModeSixel, nil)
					out, err := p.renderer.Render(img, p.Box(l), p.renderCaps(), preview.Options{Mode: preview.ModeSixel})
					require.NoError(t, err)
					// Rows and columns as the terminal lays the pixels out.
					rows := (out.Height + c.real[1] - 1) / c.real[1]
					cols := (out.Width + c.real[0] - 1) / c.real[0]
					assert.LessOrEqual(t, rows, l.boxH, "never taller than the pane")
					assert.LessOrEqual(t, cols, l.boxW, "never wider than the pane")
					assert.LessOrEqual(t, l.boxY+rows, term[1]-1-c.helpHeight, "ends above the status line")
					if c.known != [2]int{} {
						assert.Equal(t, rows, out.Rows, "the rows reserved are the rows drawn")
					}
				})
			}
		}
	}
}

// sixelModel is the designer with a sixel code drawn on the preview.
func sixelModel(t *testing.T, w, h int) *Model {
	t.Helper()
	d := testDeps(t, newFake())
	d.Graphics = "sixel"
	m := sized(t, New(d), w, h)
	m = press(t, typeScene(t, m, "id=42"), "ctrl+g")
	require.Equal(t, preview.ModeSixel, m.place.out.Mode)
	require.NotEqual(t, footprint{}, m.place.drawn, "drawn after its frame")
	return m
}

// raws is the out-of-band output of cmd's messages.
func raws(t *testing.T, cmd tea.Cmd) string {
	var b strings.Builder
	for _, msg := range collect(t, cmd) {
		if r, ok := msg.(tea.RawMsg); ok {
			b.WriteString(fmt.Sprint(r.Msg))
		}
	}
	return b.String()
}

// The image is cleared exactly when its place or size changes: its old
// cells blanked (ECH on each of its rows), not the whole screen.
func TestPlacementClearsWhenMovedOrResized(t *testing.T) {
	m := sixelModel(t, 120, 40)
	old := m.place.drawn
	erase := eraseCells(old.x, old.y, old.cols, old.rows)
	assert.Contains(t, erase, fmt.Sprintf("\x1b[%d;%dH\x1b[%dX", old.y+1, old.x+1, old.cols))

	// Full help: the pane is shorter, the image smaller. The old cells go
	// in the same update; the new image is drawn after the frame.
	_, cmd := m.Update(keypress("f1"))
	assert.Contains(t, raws(t, cmd), erase)
	m = run(t, m, cmd)
	require.NotEqual(t, footprint{}, m.place.drawn)
	assert.Less(t, m.place.drawn.rows, old.rows)

	// Another pane: cleared, and nothing drawn until the preview is back.
	now := m.place.drawn
	_, cmd = m.Update(keypress("alt+r"))
	assert.Contains(t, raws(t, cmd), eraseCells(now.x, now.y, now.cols, now.rows))
	assert.Equal(t, footprint{}, m.place.drawn)

	// Typing in the form with the image in place clears nothing.
	m = press(t, m, "alt+p", "esc")
	m = sized(t, m, 120, 40)
	before := m.place.drawn
	_, cmd = m.Update(keypress("7"))
	assert.NotContains(t, raws(t, cmd), "X\x1b8", "no erase for a keystroke")
	assert.Equal(t, before, m.place.drawn)
}

// An error line appearing or going in the form does not move the box, and
// once the frame is out the image is put back where it was (the renderer
// may have scrolled the rows beside the form, pixels and all): the box
// blanked and the image drawn at the same cell.
func TestErrorLineDoesNotMoveTheImage(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := sixelModel(t, size[0], size[1])
			fp := m.place.drawn
			place := fmt.Sprintf("\x1b[%d;%dH\x1bP", fp.y+1, fp.x+1)
			for _, k := range []string{"space", "backspace"} { // "id=42 " has an error line; "id=42" none
				tm, cmd := m.Update(keypress(k))
				m = tm.(*Model)
				assert.Equal(t, fp, m.place.drawn, "%s: same box, same image", k)
				var repaired string
				for _, msg := range collect(t, cmd) {
					if r, ok := msg.(repairMsg); ok {
						_, c := m.Update(r)
						repaired = raws(t, c)
					}
				}
				assert.Contains(t, repaired, eraseCells(fp.x, fp.y, fp.boxW, fp.boxH), "%s: the box blanked", k)
				assert.Contains(t, repaired, place, "%s: drawn again at the same cell", k)
			}
			assert.Equal(t, "id=42", m.form.params().Scene)
		})
	}
}

// Kitty images are deleted by id, not blanked.
func TestPlacementDeletesKittyByID(t *testing.T) {
	d := testDeps(t, newFake())
	d.Graphics = "kitty"
	m := sized(t, New(d), 120, 40)
	m = press(t, typeScene(t, m, "id=42"), "ctrl+g")
	require.NotEqual(t, footprint{}, m.place.drawn)
	_, cmd := m.Update(keypress("alt+r"))
	out := raws(t, cmd)
	assert.Contains(t, out, preview.KittyDelete(kittyImageID))
	assert.NotContains(t, out, "X\x1b8")
}

// The cell size: the terminal's CSI 16 t reply, else TIOCGWINSZ's pixels
// (Deps.CellSize), else the safe default.
func TestPlacementCellSize(t *testing.T) {
	cases := []struct {
		name    string
		reply   [2]int // CSI 16 t; 0: none
		winsize [2]int // TIOCGWINSZ; 0: no pixels
		want    [2]int
	}{
		{"reply", [2]int{9, 18}, [2]int{7, 15}, [2]int{9, 18}},
		{"winsize", [2]int{}, [2]int{7, 15}, [2]int{7, 15}},
		{"nothing", [2]int{}, [2]int{}, [2]int{safeCellW, safeCellH}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := testDeps(t, newFake())
			d.Graphics = "sixel"
			d.CellSize = func() (int, int, bool) { return c.winsize[0], c.winsize[1], c.winsize != [2]int{} }
			m := New(d)
			if c.reply != [2]int{} {
				m = send(t, m, cellSizeReply(c.reply[0], c.reply[1]))
			}
			m = run(t, m, m.Init())
			w, h := m.place.renderCaps().Cell()
			assert.Equal(t, c.want, [2]int{w, h})
		})
	}
}
