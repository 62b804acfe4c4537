package ui

import tea "charm.land/bubbletea/v2"

// The mouse (View turns on cell-motion reporting): a click on a tab shows
// its pane, on a form row focuses the field and hands the click to its
// value (a choice's option is picked, a toggle flipped, the text cursor
// put under the pointer), on a history entry selects it (a second click
// previews it); the wheel scrolls the text panes and moves through the
// history. The keys stay the way to do all of it.

// wheelLines is how far one notch of the wheel scrolls a text pane.
const wheelLines = 3

func (m *Model) click(ms tea.Mouse) tea.Cmd {
	if ms.Button != tea.MouseLeft || m.prompt.open() || m.tooSmall() {
		return nil
	}
	l := m.layout()
	row := ms.Y - 1 // the body's rows start under the title row
	switch {
	case ms.Y == 0:
		for _, t := range m.tabs() {
			if ms.X >= t.x0 && ms.X < t.x1 {
				return m.showPane(t.p)
			}
		}
	case row < 0 || row >= l.bodyH:
	case ms.X < l.formW:
		return m.clickForm(ms.X, row)
	case ms.X > l.formW && m.pane == paneHistory && len(m.hist) > 0:
		p := m.historyPane(l.rightW-1, l.bodyH)
		if row < len(p.entryOf) && p.entryOf[row] >= 0 {
			if p.entryOf[row] == m.histSel {
				return m.pickHistory()
			}
			m.histSel = p.entryOf[row]
		}
	}
	return nil
}

// clickForm is a click on the form's row-th line, x cells from its left.
func (m *Model) clickForm(x, row int) tea.Cmd {
	fv := m.form.View()
	line := max(0, fv.focusLine-m.layout().bodyH+1) + row // as render scrolls it
	if line >= len(fv.fieldOf) || fv.fieldOf[line] < 0 {
		return nil
	}
	i := fv.fieldOf[line]
	// Only the field's own row, right of its label, is its value; its
	// problem lines under it just focus it. The click goes to the value as
	// drawn, before focus adds its hints.
	const valueX = 2 + formLabelW
	changed := x >= valueX && (line == 0 || fv.fieldOf[line-1] != i) && m.form.click(i, x-valueX)
	var cmd tea.Cmd
	if i != m.form.focus {
		cmd = m.form.focusOn(i)
	}
	if changed {
		return tea.Batch(cmd, m.edited())
	}
	return cmd
}

func (m *Model) wheel(ms tea.Mouse) tea.Cmd {
	l := m.layout()
	if m.prompt.open() || m.tooSmall() || ms.X <= l.formW {
		return nil // the form does not scroll
	}
	d := 0
	switch ms.Button {
	case tea.MouseWheelUp:
		d = -1
	case tea.MouseWheelDown:
		d = 1
	default:
		return nil
	}
	switch m.pane {
	case panePreview:
	case paneHistory:
		m.histSel = max(0, min(m.histSel+d, len(m.hist)-1))
	default:
		m.scroll = max(0, min(m.scroll+d*wheelLines, m.maxScroll(l)))
	}
	return nil
}

// maxScroll is the text pane's last useful scroll: its last line at the
// bottom of the body.
func (m *Model) maxScroll(l layout) int {
	all := l
	all.bodyH = 1 << 20 // paneView cuts nothing this tall
	return max(0, len(m.paneView(all))-l.bodyH+1)
}
