package ui

import (
	"testing"
	"testing/synctest"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"

	"wxacode/wechat"
)

// The mouse through a running program: a click on env's option and on a
// tab, the wheel in the Scene pane, a click on a history entry.
func TestFlowMouse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := simDeps(t)
		d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "a=1&b=2"}
		tm := startFlow(t, d)
		waitScreen(t, tm, "[default] release trial develop")
		m := tm.model()
		tm.Send(click(valueAt(t, m, fEnv, "trial")+1, rowOf(t, m, fEnv)))
		waitScreen(t, tm, "‹ trial › 3/4")
		tm.Send(click(tabAt(t, m, paneRequest)))
		waitScreen(t, tm, `"env_version":"trial"`)

		tm.Send(click(tabAt(t, m, paneScene)))
		waitScreen(t, tm, "pgdn for more")
		tm.Send(wheel(80, 10, tea.MouseWheelDown))
		tm.waitFor("scrolled by the wheel", func(m *Model) bool { return m.scroll == wheelLines })

		keys(tm, "ctrl+g")
		waitScreen(t, tm, "History(1)")
		tm.Send(click(tabAt(t, tm.model(), paneHistory)))
		waitScreen(t, tm, "env"+nbsp+"trial")
		l := m.layout()
		tm.Send(click(l.rightX+10, 1)) // the selected entry's first line: previews it
		waitScreen(t, tm, "JPEG 430×430")
		fm := tm.final(t)
		assert.Equal(t, panePreview, fm.pane)
		assert.Equal(t, "trial", fm.shown.params.EnvVersion)
	})
}

// Two codes that differ only in env: the History pane tells them apart,
// enter previews the older, alt+e puts it back into the form.
func TestFlowHistoryLoad(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := simDeps(t)
		d.Initial = wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=1"}
		tm := generated(t, d, "History(1)")
		keys(tm, "tab", "tab", "tab", "t") // endpoint → page → scene → env: trial
		waitScreen(t, tm, "‹ trial › 3/4")
		keys(tm, "ctrl+g")
		waitScreen(t, tm, "History(2)")
		keys(tm, "alt+y")
		waitScreen(t, tm, "env"+nbsp+"trial")
		waitScreen(t, tm, "env"+nbsp+"release")
		keys(tm, "down", "enter")
		waitScreen(t, tm, "form changed since")
		keys(tm, "alt+y", "alt+e")
		waitScreen(t, tm, "loaded 21:30:00 into the form")
		fm := tm.final(t)
		assert.Equal(t, "", fm.form.params().EnvVersion, "the older entry's env")
		assert.True(t, sameRequest(fm.shown.params, fm.form.params()))
		assert.Len(t, fm.hist, 2)
	})
}
