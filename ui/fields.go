package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"wxacode/wechat"
)

// fieldKind says how a field edits its value.
type fieldKind int

const (
	fieldText   fieldKind = iota // a bubbles textinput
	fieldChoice                  // one of a few options, cycled with ←/→/space
	fieldToggle                  // on or off, flipped with space/←/→
)

// field is one row of the form, shaped like a bubbles component.
type field struct {
	id      string // the JSON name, as in wechat.Problem.Field
	label   string
	kind    fieldKind
	input   textinput.Model
	options []string // fieldChoice
	display []string // what each option shows; "" uses the option itself
	idx     int
	on      bool          // fieldToggle
	applies []wechat.Kind // endpoints that take this field
	focused bool
}

func newText(id, label, placeholder string, applies ...wechat.Kind) field {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder
	in.CharLimit = 1100 // above the longest path WeChat takes, so the validator can say so
	return field{id: id, label: label, kind: fieldText, input: in, applies: applies}
}

func newChoice(id, label string, options, display []string, applies ...wechat.Kind) field {
	return field{id: id, label: label, kind: fieldChoice, options: options, display: display, applies: applies}
}

func newToggle(id, label string, on bool, applies ...wechat.Kind) field {
	return field{id: id, label: label, kind: fieldToggle, on: on, applies: applies}
}

func (f field) appliesTo(k wechat.Kind) bool { return slices.Contains(f.applies, k) }

// Focus gives the field the keyboard.
func (f *field) Focus() tea.Cmd {
	f.focused = true
	if f.kind == fieldText {
		return f.input.Focus()
	}
	return nil
}

// Blur takes the keyboard away.
func (f *field) Blur() {
	f.focused = false
	if f.kind == fieldText {
		f.input.Blur()
	}
}

// value is the field's text: the input, the chosen option, or "on"/"off".
func (f field) value() string {
	switch f.kind {
	case fieldChoice:
		return f.options[f.idx]
	case fieldToggle:
		if f.on {
			return "on"
		}
		return "off"
	}
	return f.input.Value()
}

func (f *field) setValue(s string) {
	switch f.kind {
	case fieldChoice:
		if i := slices.Index(f.options, s); i >= 0 {
			f.idx = i
		}
	case fieldToggle:
		f.on = s == "on"
	default:
		f.input.SetValue(s)
		f.input.CursorEnd()
	}
}

// Update handles a key for the focused field and reports whether the value changed.
func (f field) Update(msg tea.Msg) (field, tea.Cmd, bool) {
	if !f.focused {
		return f, nil, false
	}
	if f.kind == fieldText {
		before := f.input.Value()
		var cmd tea.Cmd
		f.input, cmd = f.input.Update(msg)
		return f, cmd, f.input.Value() != before
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return f, nil, false
	}
	switch k.String() {
	case "right", "space", "l":
		if f.kind == fieldToggle {
			f.on = !f.on
		} else {
			f.idx = (f.idx + 1) % len(f.options)
		}
		return f, nil, true
	case "left", "h":
		if f.kind == fieldToggle {
			f.on = !f.on
		} else {
			f.idx = (f.idx + len(f.options) - 1) % len(f.options)
		}
		return f, nil, true
	}
	return f, nil, false
}

// View renders the value part of the row in width cells.
func (f field) View(width int, s Styles) string {
	switch f.kind {
	case fieldChoice:
		parts := make([]string, len(f.options))
		for i, o := range f.options {
			label := o
			if f.display != nil && f.display[i] != "" {
				label = f.display[i]
			}
			if i == f.idx {
				parts[i] = s.FocusedLabel.Render("[" + label + "]")
			} else {
				parts[i] = s.Muted.Render(" " + label + " ")
			}
		}
		all := strings.Join(parts, "")
		if lipgloss.Width(all) <= width {
			return all
		}
		// Too narrow for every option: show the chosen one with arrows.
		label := f.options[f.idx]
		if f.display != nil && f.display[f.idx] != "" {
			label = f.display[f.idx]
		}
		return truncate(s.FocusedLabel.Render("‹ "+label+" ›")+s.Muted.Render(fmt.Sprintf(" %d/%d", f.idx+1, len(f.options))), width)
	case fieldToggle:
		box := "[ ] off"
		if f.on {
			box = "[x] on"
		}
		if f.focused {
			return s.FocusedLabel.Render(box)
		}
		return s.Value.Render(box)
	}
	f.input.SetWidth(max(1, width-1))
	return f.input.View()
}

// swatch is a two-cell sample of a #rrggbb colour, empty when it does not parse.
func swatch(hex string) string {
	c, err := wechat.ParseColor(hex)
	if err != nil {
		return ""
	}
	return lipgloss.NewStyle().Background(lipgloss.Color(c.Hex())).Render("  ")
}
