package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/wechat"
)

func click(x, y int) tea.Msg { return tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft} }

func wheel(x, y int, b tea.MouseButton) tea.Msg { return tea.MouseWheelMsg{X: x, Y: y, Button: b} }

// tabAt is the cell in the middle of the pane's tab.
func tabAt(t *testing.T, m *Model, p pane) (x, y int) {
	t.Helper()
	for _, tb := range m.tabs() {
		if tb.p == p {
			return (tb.x0 + tb.x1) / 2, 0
		}
	}
	t.Fatalf("no tab for pane %d", p)
	return 0, 0
}

// rowOf is the screen row of field i's own line.
func rowOf(t *testing.T, m *Model, i int) int {
	t.Helper()
	fv := m.form.View()
	for line, f := range fv.fieldOf {
		if f == i {
			return line + 1
		}
	}
	t.Fatalf("field %d is not shown", i)
	return 0
}

// valueAt is the screen column of s in field i's row.
func valueAt(t *testing.T, m *Model, i int, s string) int {
	t.Helper()
	lines := strings.Split(viewOf(m), "\n")
	row := []rune(lines[rowOf(t, m, i)])
	at := strings.Index(string(row), s)
	require.GreaterOrEqual(t, at, 0, "%q not in %q", s, string(row))
	return len([]rune(string(row)[:at]))
}

func TestMouseClickTab(t *testing.T) {
	m := newTest(t, newFake())
	for _, p := range []pane{paneScene, paneRequest, paneHint, paneHistory, panePreview} {
		m = send(t, m, click(tabAt(t, m, p)))
		assert.Equal(t, p, m.pane)
	}
	// The title itself and the gaps between tabs do nothing.
	m = send(t, m, click(2, 0))
	assert.Equal(t, panePreview, m.pane)
}

func TestMouseClickFields(t *testing.T) {
	m := newTest(t, newFake())
	// A label focuses its field.
	m = send(t, m, click(4, rowOf(t, m, fWidth)))
	assert.Equal(t, "width", m.form.focused().ID())

	// A choice's option is picked where it is drawn, and focuses the field.
	m = send(t, m, click(valueAt(t, m, fEnv, "trial")+1, rowOf(t, m, fEnv)))
	assert.Equal(t, "env_version", m.form.focused().ID())
	assert.Equal(t, "trial", m.form.params().EnvVersion)
	assert.Greater(t, m.editSeq, 0, "an edit, as a key would be: the simulator regenerates")

	// A toggle's box flips it; its label only focuses it.
	m = send(t, m, click(4, rowOf(t, m, fHyaline)))
	assert.False(t, m.form.params().Hyaline)
	m = send(t, m, click(valueAt(t, m, fHyaline, "[ ]")+1, rowOf(t, m, fHyaline)))
	assert.True(t, m.form.params().Hyaline)
	m = send(t, m, click(valueAt(t, m, fHyaline, "[x]")+1, rowOf(t, m, fHyaline)))
	assert.False(t, m.form.params().Hyaline)

	// The endpoint's five options do not fit the row (‹ unlimited › 1/5): a
	// click picks the next, limited, which carries page and scene into path.
	m.form.setParams(wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/a/a", Scene: "id=1"})
	m = send(t, m, click(valueAt(t, m, fKind, "‹ unlimited ›")+2, rowOf(t, m, fKind)))
	assert.Equal(t, wechat.KindLimited, m.form.kindValue())
	assert.Equal(t, "pages/a/a?id=1", m.form.params().Path)

	// In a text field the cursor goes under the pointer.
	m = send(t, m, click(valueAt(t, m, fPath, "?id")+1, rowOf(t, m, fPath)))
	assert.Equal(t, "path", m.form.focused().ID())
	assert.Equal(t, len("pages/a/a?"), m.form.path.input.Position())
	m = typeText(t, m, "x")
	assert.Equal(t, "pages/a/a?xid=1", m.form.params().Path)
}

// A problem line under a field focuses the field, and hands no click to
// its value.
func TestMouseClickProblemLine(t *testing.T) {
	m := newTest(t, newFake())
	m = typeScene(t, m, "a b")
	m = focusField(t, m, "kind")
	row := rowOf(t, m, fScene) + 1
	require.Contains(t, strings.Split(viewOf(m), "\n")[row], "scene (character 2)")
	m = send(t, m, click(20, row))
	assert.Equal(t, "scene", m.form.focused().ID())
	assert.Equal(t, "a b", m.form.params().Scene)
}

func TestMouseWheel(t *testing.T) {
	m := newTest(t, newFake())
	m = typeScene(t, m, "a=1&b=2")
	m = press(t, m, "alt+s")
	l := m.layout()
	x, y := l.rightX+5, 10
	m = send(t, m, wheel(x, y, tea.MouseWheelDown))
	assert.Equal(t, wheelLines, m.scroll)
	for range 50 {
		m = send(t, m, wheel(x, y, tea.MouseWheelDown))
	}
	assert.Equal(t, m.maxScroll(l), m.scroll, "it stops at the end")
	v := viewOf(m)
	assert.NotContains(t, v, "pgdn for more", "the last line is in view")
	for range 50 {
		m = send(t, m, wheel(x, y, tea.MouseWheelUp))
	}
	assert.Equal(t, 0, m.scroll)
	// Over the form, the wheel does nothing.
	m = send(t, m, wheel(5, y, tea.MouseWheelDown))
	assert.Equal(t, 0, m.scroll)

	// In the history it moves through the entries.
	m = withHistory(t, m, wechat.Params{Kind: wechat.KindUnlimited, Scene: "id=1"}, wechat.Params{Kind: wechat.KindUnlimited, Scene: "id=2"})
	m = send(t, m, wheel(x, y, tea.MouseWheelDown))
	assert.Equal(t, 1, m.histSel)
	m = send(t, m, wheel(x, y, tea.MouseWheelDown))
	assert.Equal(t, 1, m.histSel)
	m = send(t, m, wheel(x, y, tea.MouseWheelUp))
	assert.Equal(t, 0, m.histSel)
}

// A click on a history entry selects it; on the selected one, previews it.
func TestMouseClickHistory(t *testing.T) {
	m := newTest(t, newFake())
	m = withHistory(t, m, wechat.Params{Kind: wechat.KindUnlimited, Scene: "id=1"}, wechat.Params{Kind: wechat.KindUnlimited, Scene: "id=2"})
	l := m.layout()
	p := m.historyPane(l.rightW-1, l.bodyH)
	row := -1
	for i, e := range p.entryOf {
		if e == 1 {
			row = i + 1
			break
		}
	}
	require.Positive(t, row)
	m = send(t, m, click(l.rightX+10, row+1)) // its second line
	assert.Equal(t, 1, m.histSel)
	assert.Equal(t, paneHistory, m.pane)
	m = send(t, m, click(l.rightX+10, row))
	assert.Equal(t, panePreview, m.pane)
	assert.Equal(t, m.hist[1].SHA256, m.shown.sha)
}

// While a prompt is open the mouse does nothing: the prompt has the keyboard.
func TestMouseIgnoredUnderPrompt(t *testing.T) {
	m := newTest(t, newFake())
	m.form.setParams(wechat.Params{Kind: wechat.KindLimited, Path: "pages/index/index"})
	m = press(t, m, "ctrl+g")
	require.True(t, m.prompt.open())
	m = send(t, m, click(tabAt(t, m, paneScene)))
	assert.Equal(t, panePreview, m.pane)
}

func TestViewAsksForTheMouse(t *testing.T) {
	assert.Equal(t, tea.MouseModeCellMotion, New(testDeps(t, newFake())).View().MouseMode)
}
