package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// View draws the whole screen in the alternate screen buffer.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion // clicks and the wheel; shift+drag still selects text
	v.WindowTitle = "wxacode"
	return v
}

func (m *Model) render() string {
	if m.tooSmall() {
		return m.smallView()
	}
	l := m.layout()
	fv := m.form.View()
	left, focusLine := fv.lines, fv.focusLine
	if focusLine >= l.bodyH {
		// Too many problems listed for the height: keep the focused field in view.
		left = left[focusLine-l.bodyH+1:]
	}
	right := m.paneView(l)
	var b strings.Builder
	b.WriteString(fit(m.titleView(), m.width))
	sep := m.styles.Muted.Render("│")
	for i := range l.bodyH {
		b.WriteByte('\n')
		var lt, rt string
		if i < len(left) {
			lt = left[i]
		}
		if i < len(right) {
			rt = right[i]
		}
		b.WriteString(fit(lt, l.formW) + sep + fit(rt, l.rightW))
	}
	b.WriteByte('\n')
	b.WriteString(fit(m.statusView(), m.width))
	b.WriteByte('\n')
	b.WriteString(m.footerView())
	return b.String()
}

func (m *Model) smallView() string {
	msg := fmt.Sprintf("wxacode needs at least %d×%d cells; this terminal is %d×%d.\nEnlarge the window (ctrl+c quits).",
		minWidth, minHeight, m.width, m.height)
	lines := wrap(msg, max(10, m.width-2))
	return strings.Join(lines, "\n")
}

func (m *Model) titleView() string {
	s := m.styles
	parts := []string{s.Title.Render(appTitle)}
	for _, t := range m.tabs() {
		if t.p == m.pane {
			parts = append(parts, s.ActiveTab.Render(t.name))
		} else {
			parts = append(parts, s.Tab.Render(t.name))
		}
	}
	return strings.Join(parts, tabGap)
}

const (
	appTitle = "wxacode designer"
	tabGap   = "  "
)

// tab is one pane's name in the title row and the cells it takes there,
// for clicks.
type tab struct {
	p      pane
	name   string
	x0, x1 int // [x0, x1)
}

func (m *Model) tabs() []tab {
	tabs := []tab{{p: panePreview, name: "Preview"}, {p: paneHint, name: "Hint"}, {p: paneScene, name: "Scene"},
		{p: paneRequest, name: "Request"}, {p: paneHistory, name: "History"}}
	x := ansi.StringWidth(appTitle)
	for i := range tabs {
		t := &tabs[i]
		if t.p == paneHint && m.lastErr != nil {
			t.name += "!"
		}
		if t.p == paneHistory && len(m.hist) > 0 {
			t.name += fmt.Sprintf("(%d)", len(m.hist))
		}
		x += len(tabGap)
		t.x0, t.x1 = x, x+ansi.StringWidth(t.name)
		x = t.x1
	}
	return tabs
}

// statusView is the line above the help (status.go): the message first,
// then target, token, rate and quota; prompts take it over.
func (m *Model) statusView() string {
	if v := m.prompt.View(m.styles); v != "" {
		return v
	}
	return m.status.View(m.styles, m.width, statusInfo{onSim: m.deps.OnSim, appID: m.deps.AppID,
		tokenSource: m.tokenSource, tokenExpires: m.tokenExpires, rate: m.calls.count(), poolUsed: m.deps.Ledger.Used(),
		busy: m.busy})
}

// footerView is the help footer; while saving, what the prompt says about
// the name (a problem and its fix) takes its first line, so it shows right
// under the name.
func (m *Model) footerView() string {
	helpView := m.help.View(m.helpMap())
	note, l := m.prompt.Note()
	if note == "" {
		return helpView
	}
	sym, st := m.styles.level(l)
	lines := strings.Split(helpView, "\n")
	lines[0] = fit(st.Render(sym+m.redact(note)), m.width)
	return strings.Join(lines, "\n")
}

func (m *Model) helpMap() helpMap {
	c, t := m.form.kind.KeyMap(), m.form.checkPath.KeyMap()
	return helpMap{m.keys, m.prompt.keys, []key.Binding{c.Prev, c.Next, t.Toggle}}
}
