package ui

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"wxacode/wechat"
)

// View draws the whole screen in the alternate screen buffer.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "wxacode"
	return v
}

func (m Model) render() string {
	if m.tooSmall() {
		return m.smallView()
	}
	l := m.layout()
	left, focusLine := m.formView(l)
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

func (m Model) smallView() string {
	msg := fmt.Sprintf("wxacode needs at least %d×%d cells; this terminal is %d×%d.\nEnlarge the window (ctrl+c quits).",
		minWidth, minHeight, m.width, m.height)
	lines := wrap(msg, max(10, m.width-2))
	return strings.Join(lines, "\n")
}

func (m Model) titleView() string {
	s := m.styles
	tabs := []struct {
		p    pane
		name string
	}{{panePreview, "Preview"}, {paneHint, "Hint"}, {paneScene, "Scene"}, {paneRequest, "Request"}, {paneHistory, "History"}}
	parts := []string{s.Title.Render("wxacode designer")}
	for _, t := range tabs {
		name := t.name
		if t.p == paneHint && m.lastErr != nil {
			name += "!"
		}
		if t.p == paneHistory && len(m.hist) > 0 {
			name += fmt.Sprintf("(%d)", len(m.hist))
		}
		if t.p == m.pane {
			parts = append(parts, s.ActiveTab.Render(name))
		} else {
			parts = append(parts, s.Tab.Render(name))
		}
	}
	return strings.Join(parts, "  ")
}

// formView is the left column: one row per visible field, problems under it.
func (m Model) formView(l layout) ([]string, int) {
	s := m.styles
	const labelW = 11
	valueW := l.formW - labelW - 2
	var out []string
	focusLine := 0
	k := m.form.kind()
	for i, f := range m.form.fields {
		if !f.appliesTo(k) {
			continue
		}
		marker, label := "  ", s.Label.Render(fit(f.label, labelW))
		if i == m.form.focus {
			marker, label = s.FocusedLabel.Render("› "), s.FocusedLabel.Render(fit(f.label, labelW))
		}
		val := f.View(valueW, s)
		switch f.id {
		case "scene":
			n := utf8.RuneCountInString(f.value())
			counter := fmt.Sprintf(" %d/%d", n, wechat.MaxSceneLen)
			st := s.Muted
			if n > wechat.MaxSceneLen {
				st = s.Error
			}
			val = f.View(valueW-len(counter), s) + st.Render(counter)
		case "line_color":
			if sw := swatch(f.value()); sw != "" && s.Color {
				val = f.View(valueW-3, s) + " " + sw
			}
		}
		if i == m.form.focus {
			focusLine = len(out)
		}
		out = append(out, marker+label+val)
		out = append(out, m.problemLines(f, l.formW)...)
		if f.id == "line_color" && m.form.fields[fAutoColor].on && f.value() != "" {
			out = append(out, s.Muted.Render("    (ignored while auto_color is on)"))
		}
	}
	var hidden []string
	for _, f := range m.form.fields {
		if !f.appliesTo(k) {
			hidden = append(hidden, f.label)
		}
	}
	if len(hidden) > 0 {
		out = append(out, "")
		for _, line := range wrap("not used by "+string(k)+": "+strings.Join(hidden, ", "), l.formW-2) {
			out = append(out, s.Hidden.Render("  "+line))
		}
	}
	return out, focusLine
}

// statusView is the line above the help (status.go): the message first,
// then target, token, rate and quota; prompts take it over.
func (m Model) statusView() string { return m.statusLineView() }

// rate counts the calls made in the last minute.
func (m Model) rate() int {
	if len(m.calls) == 0 {
		return 0
	}
	cut := m.deps.now().Add(-time.Minute)
	n := 0
	for _, t := range m.calls {
		if t.After(cut) {
			n++
		}
	}
	return n
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
