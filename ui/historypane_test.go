package ui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/codefile"
	"wxacode/wechat"
)

// withHistory generates one code for each of params, the last one first in
// the history, and opens the History pane.
func withHistory(t *testing.T, m *Model, params ...wechat.Params) *Model {
	t.Helper()
	for _, p := range params {
		m.form.setParams(p)
		m = press(t, m, "ctrl+g")
		if m.prompt.open() { // a limited endpoint asks first
			m = press(t, m, "y")
		}
		require.Nil(t, m.lastErr)
	}
	require.Len(t, m.hist, len(params))
	return press(t, m, "alt+y")
}

// Codes that differ only in env, colour or transparency: before, their
// entries read the same; now each says what it was made with.
func TestHistoryShowsWhatDiffers(t *testing.T) {
	red, _ := wechat.ParseColor("#ff0000")
	base := wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=1"}
	variants := []struct {
		name string
		edit func(p *wechat.Params)
		want string
	}{
		{"plain", func(*wechat.Params) {}, "env release · black"},
		{"env", func(p *wechat.Params) { p.EnvVersion = "trial" }, "env trial"},
		{"colour", func(p *wechat.Params) { p.LineColor = &red }, "#ff0000"},
		{"auto colour", func(p *wechat.Params) { p.AutoColor = true }, "auto colour"},
		{"hyaline", func(p *wechat.Params) { p.Hyaline = true }, "transparent"},
		{"width", func(p *wechat.Params) { p.Width = 280 }, "280px"},
		{"check_path", func(p *wechat.Params) { p.CheckPath = wechat.Bool(false) }, "check_path off"},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := sized(t, New(testDeps(t, newFake())), size[0], size[1])
			var params []wechat.Params
			for _, v := range variants {
				p := base
				v.edit(&p)
				params = append(params, p)
			}
			m = withHistory(t, m, params...)
			w := m.layout().rightW - 1
			seen := map[string]string{}
			for i := range m.hist {
				v := variants[len(variants)-1-i] // the last generated is first
				text := strings.ReplaceAll(strings.Join(m.entryLines(i, w), "\n"), nbsp, " ")
				assert.Contains(t, text, v.want, v.name)
				if other, ok := seen[text]; ok {
					t.Errorf("%s reads like %s:\n%s", v.name, other, text)
				}
				seen[text] = v.name
			}
		})
	}
}

var choiceArrows = regexp.MustCompile(`‹ [^‹›]* ›`)

// One › on the screen: the selected history entry's, not also the form's
// focused field's; the comparison labels its sides without it.
func TestHistoryOneCursor(t *testing.T) {
	m := newTest(t, newFake())
	m = withHistory(t, m, wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=1"},
		wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=1", EnvVersion: "trial"})
	// A choice too wide for its row shows ‹ value ›: arrows, not a cursor.
	cursors := func(v string) int { return strings.Count(choiceArrows.ReplaceAllString(v, ""), "›") }
	assert.Equal(t, 1, cursors(viewOf(m)), viewOf(m))
	m = press(t, m, "alt+m", "down")
	v := viewOf(m)
	assert.Equal(t, 1, cursors(v), v)
	assert.Contains(t, v, "compare: selected | marked (*)")
	assert.Contains(t, v, "env        release | trial")
	// Back on the form, its marker is back.
	m = press(t, m, "alt+p")
	assert.Contains(t, viewOf(m), "› endpoint")
}

// enter previews the selected entry; alt+e puts its request back into the
// form, which then matches the code shown.
func TestHistoryPreviewAndLoad(t *testing.T) {
	m := newTest(t, newFake())
	first := wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=1", EnvVersion: "trial", Hyaline: true}
	second := wechat.Params{Kind: wechat.KindQRCode, Path: "pages/index/index?id=2", Width: 300}
	m = withHistory(t, m, first, second)
	m = focusField(t, m, "path")
	m = press(t, m, "down", "enter")
	assert.Equal(t, panePreview, m.pane)
	assert.Equal(t, m.hist[1].SHA256, m.shown.sha, "the older entry on show")
	assert.Equal(t, wechat.KindQRCode, m.form.kindValue(), "enter leaves the form alone")
	assert.Contains(t, viewOf(m), "form changed since")

	m = press(t, m, "alt+y", "alt+e")
	assert.Equal(t, panePreview, m.pane)
	assert.True(t, sameRequest(first, m.form.params()), "the form is the entry's request: %+v", m.form.params())
	assert.Equal(t, "kind", m.form.focused().ID(), "path is hidden for unlimited: focus moved to a visible field")
	v := viewOf(m)
	assert.Contains(t, v, "loaded 21:30:00 into the form")
	assert.NotContains(t, v, "form changed since")
	assert.Len(t, m.hist, 2, "loading calls nothing")
}

// Side by side when graphics can show it; with half blocks the selected
// entry alone, the differences listed in the History pane.
func TestHistoryCompareSideBySide(t *testing.T) {
	a := wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=1"}
	b := wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=2", Width: 860}
	t.Run("sixel", func(t *testing.T) {
		d := testDeps(t, newFake())
		d.Graphics = "sixel"
		m := sized(t, New(d), 120, 40)
		m = send(t, m, cellSizeReply(8, 16))
		m = withHistory(t, m, a, b)
		m = press(t, m, "alt+m", "down", "enter")
		require.NotNil(t, m.cmp, "status: %s", m.status.text)
		require.NotNil(t, m.cmp.img)
		assert.Equal(t, panePreview, m.pane)
		// Both at 860 px high, the 430 px one scaled up, a gap between.
		assert.Equal(t, 860+860/12+860, m.cmp.img.Bounds().Dx())
		assert.Equal(t, 860, m.cmp.img.Bounds().Dy())
		assert.NotEmpty(t, m.place.out.Raw)
		assert.Greater(t, m.place.out.Cols, 2*m.place.out.Rows, "wider than tall")
		v := viewOf(m)
		assert.Contains(t, v, "left 21:30:00 pages/index/index id=1 · right * 21:30:00 pages/index/ind")
		// ctrl+s saves the left one, the selected entry.
		m = press(t, m, "ctrl+s")
		assert.Equal(t, m.hist[1].SHA256, codefile.ContentSHA256(m.prompt.job.Data))
		m = press(t, m, "esc")
		// A new code ends the comparison.
		m = press(t, m, "ctrl+g")
		assert.Nil(t, m.cmp)
	})
	t.Run("blocks", func(t *testing.T) {
		m := newTest(t, newFake())
		m = withHistory(t, m, a, b)
		m = press(t, m, "alt+m", "down", "enter")
		assert.Nil(t, m.cmp)
		assert.Equal(t, m.hist[1].SHA256, m.shown.sha)
		assert.Contains(t, viewOf(m), "side by side needs sixel, kitty or iTerm2 graphics")
		m = press(t, m, "alt+y")
		assert.Contains(t, viewOf(m), "scene      id=1 | id=2")
	})
}

// A long history keeps the selected entry in view and says where it is.
func TestHistoryScrollsWithSelection(t *testing.T) {
	m := sized(t, New(testDeps(t, newFake())), 80, 24)
	var params []wechat.Params
	for i := range 20 {
		params = append(params, wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: fmt.Sprintf("n=%d", i)})
	}
	m = withHistory(t, m, params...)
	assert.Contains(t, viewOf(m), "1–")
	for range 15 {
		m = press(t, m, "down")
	}
	v := viewOf(m)
	assert.Contains(t, v, "› 21:30:00 unlimited pages/index/index n=4", v)
	assert.Contains(t, v, "of 20")
	assert.NotContains(t, v, "index n=19", "the newest scrolled away")
}

// Two codes in quick succession write the history twice, at once: the
// older list landing last must not drop the newer entry, nor its image.
func TestHistoryWritesInOrder(t *testing.T) {
	m := newTest(t, newFake())
	m = withHistory(t, m, wechat.Params{Kind: wechat.KindUnlimited, Scene: "id=1"}, wechat.Params{Kind: wechat.KindUnlimited, Scene: "id=2"})
	w, dir := &historyWriter{}, t.TempDir()
	older := storeHistoryCmd(w, 1, dir, m.hist[1:])
	newer := storeHistoryCmd(w, 2, dir, m.hist)
	require.Nil(t, newer().(historySavedMsg).err)
	require.Nil(t, older().(historySavedMsg).err)
	list, err := loadHistory(dir)
	require.NoError(t, err)
	require.Len(t, list, 2, "the newer list stays")
	assert.Equal(t, m.hist[0].SHA256, list[0].SHA256)
}
