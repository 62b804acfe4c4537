package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/preview"
)

func TestFoldReplies(t *testing.T) {
	c := preview.Caps{}
	c, ok := foldReply(c, uv.PrimaryDeviceAttributesEvent{62, 4, 22})
	require.True(t, ok)
	assert.True(t, c.Sixel)
	c, ok = foldReply(c, uv.CellSizeEvent{Width: 9, Height: 18})
	require.True(t, ok)
	w, h := c.Cell()
	assert.Equal(t, [2]int{9, 18}, [2]int{w, h})
	c, ok = foldReply(c, tea.TerminalVersionMsg{Name: "tmux 3.3a"})
	require.True(t, ok)
	assert.True(t, c.InTmux)
	_, ok = foldReply(c, tea.KeyPressMsg{Code: 'a'})
	assert.False(t, ok)
}

// A sixel preview reserves a blank box in View and is drawn out of band at
// that box's top-left cell once the frame is up.
func TestSixelDrawnOutOfBandIntoTheBox(t *testing.T) {
	d := testDeps(t, newFake())
	d.Graphics = "sixel"
	m := sized(t, New(d), 120, 40)
	m = typeScene(t, m, "id=42")
	m = press(t, m, "ctrl+g")
	require.Equal(t, preview.ModeSixel, m.place.out.Mode)
	require.NotEmpty(t, m.place.out.Raw)
	assert.NotContains(t, m.View().Content, "\x1bP", "sixel data never goes through View")

	_, cmd := m.Update(drawMsg{seq: m.place.drawSeq})
	require.NotNil(t, cmd)
	raw, ok := cmd().(tea.RawMsg)
	require.True(t, ok)
	l := m.layout()
	s := raw.Msg.(string)
	assert.True(t, strings.HasPrefix(s, "\x1b7\x1b[4;49H"), "placed at row %d col %d", l.boxY, l.boxX)
	assert.True(t, strings.HasSuffix(s, "\x1b8"))

	// An older draw request (superseded by a newer image) draws nothing.
	_, cmd = m.Update(drawMsg{seq: m.place.drawSeq - 1})
	assert.Nil(t, cmd)
	// Leaving the preview pane repaints the screen so no pixels are left behind.
	m = press(t, m, "alt+r")
	assert.Equal(t, paneRequest, m.pane)
}

func TestCopyUsesClipboard(t *testing.T) {
	m := newTest(t, newFake())
	m = typeScene(t, m, "a=1")
	m = press(t, m, "alt+c")
	assert.Contains(t, m.status.text, "copied the curl line (OSC 52)")
	m = press(t, m, "alt+l")
	assert.Contains(t, m.status.text, "copied the DevTools launch parameter")
}

// A new sixel with the same footprint as the one on screen is drawn straight
// over it: no clear and no wait for a repaint (what makes ctrl+g → preview
// one frame shorter). After anything that may have written into the box,
// the next image goes the slow way again.
func TestSameFootprintSixelDrawnAtOnce(t *testing.T) {
	d := testDeps(t, newFake())
	d.Graphics = "sixel"
	m := sized(t, New(d), 120, 40)
	m = press(t, typeScene(t, m, "id=42"), "ctrl+g")
	require.Equal(t, preview.ModeSixel, m.place.out.Mode)
	require.NotEqual(t, footprint{}, m.place.drawn, "the first image was drawn after its frame")

	again := func(m *Model) (*Model, tea.Msg) {
		m.place.outKey = "next"
		cmd := m.gotPreview(previewMsg{key: "next", out: m.place.out})
		if cmd == nil {
			return m, nil
		}
		return m, cmd()
	}
	m, msg := again(m)
	raw, ok := msg.(tea.RawMsg)
	require.True(t, ok, "drawn at once, got %T", msg)
	assert.True(t, strings.HasPrefix(raw.Msg.(string), "\x1b7\x1b[4;49H"))

	// The Request pane wrote text into the box (and the image was cleared
	// for it): back on the preview, before the frame with the box is out, a
	// new image is not drawn at once but after that frame.
	m = press(t, m, "alt+r")
	assert.Equal(t, footprint{}, m.place.drawn)
	tm, _ := m.Update(keypress("alt+p"))
	m = tm.(*Model)
	require.Equal(t, panePreview, m.pane)
	_, msg = again(m)
	assert.Nil(t, msg, "nothing drawn at once")
	assert.True(t, m.place.pending || m.place.drawn == footprint{}, "a draw after the frame")
	tm, cmd := m.Update(drawMsg{seq: m.place.drawSeq})
	m = tm.(*Model)
	require.NotNil(t, cmd)
	assert.NotEqual(t, footprint{}, m.place.drawn)
}

// A preview that fails puts text in the box: the drawn image is forgotten,
// so the next one is not drawn straight over (the text's blanking would cut
// a hole in it).
func TestFailedPreviewForgetsTheDrawnImage(t *testing.T) {
	d := testDeps(t, newFake())
	d.Graphics = "sixel"
	m := sized(t, New(d), 120, 40)
	m = press(t, typeScene(t, m, "id=42"), "ctrl+g")
	require.NotEqual(t, footprint{}, m.place.drawn)
	good := m.place.out

	m.place.outKey = "broken"
	tm, _ := m.Update(previewMsg{key: "broken", err: errors.New("cannot decode")})
	m = tm.(*Model)
	assert.Equal(t, footprint{}, m.place.drawn)
	assert.Contains(t, m.View().Content, "rendering")

	m.place.outKey = "next"
	tm, cmd := m.Update(previewMsg{key: "next", out: good})
	m = tm.(*Model)
	assert.Equal(t, footprint{}, m.place.drawn, "not drawn straight over")
	var draw bool
	for _, msg := range collect(t, cmd) {
		_, isDraw := msg.(drawMsg)
		draw = draw || isDraw
	}
	assert.True(t, draw, "drawn after the frame")
}

// Half blocks that cannot be scanned say so above the drawing, with the
// cells needed and the window that has room; in a window of that size the
// note is gone and the drawing is module-exact.
func TestPreviewSaysTooSmallToScan(t *testing.T) {
	m := sized(t, New(testDeps(t, newFake())), 80, 24)
	m = press(t, typeScene(t, m, "id=42"), "ctrl+g")
	require.Equal(t, preview.ModeBlocks, m.place.out.Mode)
	assert.Equal(t, preview.Scan{Grid: true, Need: preview.Box{Cols: 39, Rows: 20}}, m.place.out.Scan)
	view := viewOf(m)
	assert.Contains(t, view, "too small to scan: needs 39×20 cells; a")
	assert.Contains(t, view, "window of 80×25 has room")
	l := m.layout()
	assert.Equal(t, l.boxH-2, m.place.out.Rows, "two rows left for the note")

	m = sized(t, m, 80, 25)
	assert.True(t, m.place.out.Scan.Exact)
	assert.Equal(t, [2]int{39, 20}, [2]int{m.place.out.Cols, m.place.out.Rows})
	assert.NotContains(t, viewOf(m), "too small to scan")
}

func TestWindowFor(t *testing.T) {
	for _, c := range []struct {
		need          preview.Box
		width, height int
		w, h          int
	}{
		{preview.Box{Cols: 39, Rows: 20}, 80, 24, 80, 25},              // rows short
		{preview.Box{Cols: 45, Rows: 10}, 80, 24, 84, 24},              // columns short
		{preview.Box{Cols: 71, Rows: 10}, 80, 24, 120, 24},             // from 110 columns the form is wider
		{preview.Box{Cols: 96, Rows: 48}, 80, 24, 145, 53},             // a round code
		{preview.Box{Cols: 10, Rows: 10}, 60, 15, minWidth, minHeight}, // never below the minimum
	} {
		w, h := windowFor(c.need, c.width, c.height, 1)
		assert.Equal(t, [2]int{c.w, c.h}, [2]int{w, h}, "%v from %d×%d", c.need, c.width, c.height)
	}
}

// Inside tmux the designer asks tmux (Deps.Tmux, in a command from Init) and
// decides as `wxacode preview` does: preview.Caps.Resolve.
func TestDesignerAsksTmux(t *testing.T) {
	inTmux := map[string]string{"TMUX": "/tmp/tmux-0/default,1,0", "TMUX_PANE": "%2", "TERM": "tmux-256color"}
	cases := []struct {
		name   string
		answer string
		da1    []int // what the pane (tmux) says
		want   preview.Mode
		pass   bool
	}{
		{"tmux sixel, client without sixel", "RGB\txterm\tXTerm(379)\t6\t13\toff\n", []int{1, 2, 4}, preview.ModeBlocks, false},
		{"tmux sixel, client with sixel", "RGB,sixel\txterm\tXTerm(379)\t6\t13\toff\n", []int{1, 2, 4}, preview.ModeSixel, false},
		{"kitty outside, passthrough on", "RGB\txterm-kitty\tkitty(0.39.1)\t10\t21\ton\n", []int{1, 2}, preview.ModeKitty, true},
		{"kitty outside, passthrough off", "RGB\txterm-kitty\tkitty(0.39.1)\t10\t21\toff\n", []int{1, 2}, preview.ModeBlocks, false},
		{"detached", "\t\t\t\t\toff\n", []int{1, 2, 4}, preview.ModeBlocks, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := testDeps(t, newFake())
			d.Graphics = "auto"
			d.Env = func(k string) string { return inTmux[k] }
			var asked []string
			d.Tmux = func(_ context.Context, args ...string) ([]byte, error) {
				asked = args
				return []byte(c.answer), nil
			}
			m := New(d)
			m = run(t, m, m.Init())
			require.NotEmpty(t, asked, "tmux asked from Init")
			assert.Equal(t, "%2", asked[3])
			m = send(t, m, uv.PrimaryDeviceAttributesEvent(c.da1))
			m = sized(t, m, 120, 40)
			m = typeScene(t, m, "id=42")
			m = press(t, m, "ctrl+g")
			assert.Equal(t, c.want, m.place.out.Mode)
			assert.Equal(t, c.pass, m.place.out.Passthrough)
			if c.pass {
				assert.True(t, strings.HasPrefix(m.place.out.Raw, "\x1bPtmux;"))
			}
		})
	}
}

// alt+f copies the Request pane's cloud function (issue 17): the
// wx-server-sdk call for the form's request, through OSC 52.
func TestCopyCloudFunction(t *testing.T) {
	m := newTest(t, newFake())
	m = typeScene(t, m, "id=42")
	_, cmd := m.Update(keypress("alt+f"))
	var copied string
	for _, msg := range collect(t, cmd) {
		if s := fmt.Sprint(msg); strings.Contains(s, "wx-server-sdk") {
			copied = s
		}
	}
	assert.Contains(t, copied, "cloud.openapi.wxacode.getUnlimited({")
	assert.Contains(t, copied, `scene: "id=42",`)
	assert.Contains(t, m.status.text, "copied the cloud function (OSC 52)")
}
