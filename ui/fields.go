package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"wxacode/wechat"
)

// The form's three kinds of field, each shaped like a bubbles component:
// Update returns the concrete type, View renders the value part of the row
// in the width given by SetWidth, a KeyMap says which keys it answers to,
// and an unfocused field ignores every message.

// fieldSpec is what every field has: its JSON name (as in
// wechat.Problem.Field), its label and the endpoints that take it.
type fieldSpec struct {
	id, label string
	applies   []wechat.Kind
}

func (s fieldSpec) ID() string                   { return s.id }
func (s fieldSpec) Label() string                { return s.label }
func (s fieldSpec) AppliesTo(k wechat.Kind) bool { return slices.Contains(s.applies, k) }

// field is what the form needs from each of its rows.
type field interface {
	ID() string
	Label() string
	AppliesTo(wechat.Kind) bool
	Value() string
	SetValue(string)
	Focus() tea.Cmd
	Blur()
	Focused() bool
	SetWidth(int)
	View() string
	// update hands msg to the field (an unfocused one ignores it) and says
	// whether the value changed.
	update(tea.Msg) (tea.Cmd, bool)
	// click handles a mouse click x cells into the value; changed as for update.
	click(x int) bool
}

// textField is a bubbles textinput that keeps its cursor in view: the
// input is told its real width, so it scrolls horizontally, and a suffix
// (the scene's n/32 counter, the colour swatch) always has its cells.
type textField struct {
	fieldSpec
	input textinput.Model
	width int
	// suffix renders what follows the input for a value; "" for none.
	suffix func(value string, s Styles) string
	styles Styles
}

func newText(id, label, placeholder string, applies ...wechat.Kind) textField {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder
	in.CharLimit = 1100 // above the longest path WeChat takes, so the validator can say so
	return textField{fieldSpec: fieldSpec{id, label, applies}, input: in}
}

func (f textField) Value() string   { return f.input.Value() }
func (f textField) Focused() bool   { return f.input.Focused() }
func (f *textField) Focus() tea.Cmd { return f.input.Focus() }
func (f *textField) Blur()          { f.input.Blur() }

// SetValue replaces the text and puts the cursor at its end.
func (f *textField) SetValue(s string) {
	f.input.SetValue(s)
	f.input.CursorEnd()
	f.fitInput()
}

// SetWidth sets the cells the field's value part may take.
func (f *textField) SetWidth(w int) {
	f.width = w
	f.fitInput()
}

// fitInput gives the input what the suffix leaves and scrolls it so the
// cursor stays visible (SetCursor recomputes the input's window).
func (f *textField) fitInput() {
	if f.width <= 0 {
		return
	}
	sw := 0
	if f.suffix != nil {
		sw = ansi.StringWidth(f.suffix(f.input.Value(), f.styles))
	}
	// The input draws one cell more than its width: the cursor after the text.
	f.input.SetWidth(max(1, f.width-sw-1))
	f.input.SetCursor(f.input.Position())
}

// Update edits the text. A paste loses its trailing line ends: a value
// copied with its newline would otherwise end in an invisible space.
func (f textField) Update(msg tea.Msg) (textField, tea.Cmd) {
	if !f.input.Focused() {
		return f, nil
	}
	if p, ok := msg.(tea.PasteMsg); ok {
		p.Content = strings.TrimRight(p.Content, "\r\n")
		msg = p
	}
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	f.fitInput()
	return f, cmd
}

func (f *textField) update(msg tea.Msg) (tea.Cmd, bool) {
	before := f.input.Value()
	var cmd tea.Cmd
	*f, cmd = f.Update(msg)
	return cmd, f.input.Value() != before
}

// click puts the cursor under the pointer, x cells into the value, when
// the whole value is in view (otherwise the click only focuses).
func (f *textField) click(x int) bool {
	runes := []rune(f.input.Value())
	if ansi.StringWidth(string(runes)) > f.input.Width() {
		return false
	}
	cells, pos := 0, 0
	for pos < len(runes) && cells+ansi.StringWidth(string(runes[pos])) <= x {
		cells += ansi.StringWidth(string(runes[pos]))
		pos++
	}
	f.input.SetCursor(pos)
	return false
}

// View is the input and its suffix, exactly the field's width.
func (f textField) View() string {
	suffix := ""
	if f.suffix != nil {
		suffix = f.suffix(f.input.Value(), f.styles)
	}
	avail := max(0, f.width-ansi.StringWidth(suffix))
	if v := f.input.Value(); !f.input.Focused() && v != "" {
		// Not being edited: the start of the value, cut with an ellipsis.
		return fit(f.input.Styles().Blurred.Text.Inline(true).Render(truncate(v, avail)), avail) + suffix
	}
	return fit(f.input.View(), avail) + suffix
}

// KeyMap is the input's own keys.
func (f textField) KeyMap() textinput.KeyMap { return f.input.KeyMap }

// choiceKeyMap is how a choice field changes its value; typing the value,
// or its first letters, picks it too.
type choiceKeyMap struct {
	Next, Prev key.Binding
}

func defaultChoiceKeyMap() choiceKeyMap {
	return choiceKeyMap{
		Next: key.NewBinding(key.WithKeys("right", "space"), key.WithHelp("→/space", "next choice")),
		Prev: key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "previous choice")),
	}
}

// choiceField is one of a few options.
type choiceField struct {
	fieldSpec
	options []string
	display []string // what each option shows; "" uses the option itself
	idx     int
	focused bool
	typed   string // letters typed so far, matched against the options' starts
	width   int
	keys    choiceKeyMap
	styles  Styles
}

func newChoice(id, label string, options, display []string, applies ...wechat.Kind) choiceField {
	return choiceField{fieldSpec: fieldSpec{id, label, applies}, options: options, display: display,
		keys: defaultChoiceKeyMap()}
}

func (f choiceField) Value() string        { return f.options[f.idx] }
func (f choiceField) Focused() bool        { return f.focused }
func (f *choiceField) SetWidth(w int)      { f.width = w }
func (f *choiceField) Focus() tea.Cmd      { f.focused, f.typed = true, ""; return nil }
func (f *choiceField) Blur()               { f.focused, f.typed = false, "" }
func (f choiceField) KeyMap() choiceKeyMap { return f.keys }

// SetValue picks the option s; an unknown s leaves the choice as it is.
func (f *choiceField) SetValue(s string) {
	if i := slices.Index(f.options, s); i >= 0 {
		f.idx = i
	}
}

func (f choiceField) label(i int) string {
	if f.display != nil && f.display[i] != "" {
		return f.display[i]
	}
	return f.options[i]
}

// Update moves through the options with the keys, or picks the first
// option whose name starts with what was typed.
func (f choiceField) Update(msg tea.Msg) (choiceField, tea.Cmd) {
	if !f.focused {
		return f, nil
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return f, nil
	}
	switch {
	case key.Matches(k, f.keys.Next):
		f.idx, f.typed = (f.idx+1)%len(f.options), ""
	case key.Matches(k, f.keys.Prev):
		f.idx, f.typed = (f.idx+len(f.options)-1)%len(f.options), ""
	case k.Text != "" && k.Mod&^tea.ModShift == 0:
		// Typing picks: "t" is trial, "dev" develop, "q" qrcode.
		if i, ok := f.match(f.typed + k.Text); ok {
			f.idx, f.typed = i, f.typed+k.Text
		} else if i, ok := f.match(k.Text); ok {
			f.idx, f.typed = i, k.Text
		}
	}
	return f, nil
}

// match is the first option whose value or label starts with s (any case).
func (f choiceField) match(s string) (int, bool) {
	s = strings.ToLower(s)
	for i, o := range f.options {
		if o != "" && strings.HasPrefix(strings.ToLower(o), s) || strings.HasPrefix(strings.ToLower(f.label(i)), s) {
			return i, true
		}
	}
	return 0, false
}

func (f *choiceField) update(msg tea.Msg) (tea.Cmd, bool) {
	before := f.idx
	var cmd tea.Cmd
	*f, cmd = f.Update(msg)
	return cmd, f.idx != before
}

// click picks the option under the pointer, x cells into the row.
func (f *choiceField) click(x int) bool {
	if !f.allFit() {
		f.idx = (f.idx + 1) % len(f.options)
		return true
	}
	at := 0
	for i := range f.options {
		w := ansi.StringWidth(f.label(i))
		if i == f.idx {
			w += 2 // the brackets
		}
		if x >= at && x < at+w {
			changed := f.idx != i
			f.idx = i
			return changed
		}
		at += w + 1
	}
	return false
}

func (f choiceField) allFit() bool {
	return ansi.StringWidth(f.allViewKeys(false)) <= f.width
}

func (f choiceField) allView() string { return f.allViewKeys(f.focused) }

// allViewKeys is every option, the chosen one in brackets, and the keys
// that change it when keys.
func (f choiceField) allViewKeys(keys bool) string {
	s := f.styles
	parts := make([]string, len(f.options))
	for i := range f.options {
		if i == f.idx {
			parts[i] = s.FocusedLabel.Render("[" + f.label(i) + "]")
		} else {
			parts[i] = s.Muted.Render(f.label(i))
		}
	}
	all := strings.Join(parts, " ")
	if keys {
		all += s.Muted.Render(" ←/→")
	}
	return all
}

// View lists the options with the chosen one in brackets and, when
// focused, the keys that change it; when that is too wide, the chosen one between arrows (and the keys, when
// focused).
func (f choiceField) View() string {
	if all := f.allView(); ansi.StringWidth(all) <= f.width {
		return all
	}
	s := f.styles
	v := s.FocusedLabel.Render("‹ "+f.label(f.idx)+" ›") + s.Muted.Render(fmt.Sprintf(" %d/%d", f.idx+1, len(f.options)))
	if f.focused {
		v += s.Muted.Render(" ←/→")
	}
	return truncate(v, f.width)
}

// toggleKeyMap flips a toggle.
type toggleKeyMap struct {
	Toggle key.Binding
}

func defaultToggleKeyMap() toggleKeyMap {
	return toggleKeyMap{Toggle: key.NewBinding(key.WithKeys("space", "left", "right", "h", "l"), key.WithHelp("space/←/→", "toggle"))}
}

// toggleField is on or off.
type toggleField struct {
	fieldSpec
	on      bool
	focused bool
	keys    toggleKeyMap
	styles  Styles
}

func newToggle(id, label string, on bool, applies ...wechat.Kind) toggleField {
	return toggleField{fieldSpec: fieldSpec{id, label, applies}, on: on, keys: defaultToggleKeyMap()}
}

func (f toggleField) On() bool             { return f.on }
func (f *toggleField) SetOn(on bool)       { f.on = on }
func (f toggleField) Focused() bool        { return f.focused }
func (f *toggleField) Focus() tea.Cmd      { f.focused = true; return nil }
func (f *toggleField) Blur()               { f.focused = false }
func (f *toggleField) SetWidth(int)        {}
func (f toggleField) KeyMap() toggleKeyMap { return f.keys }

// Value is "on" or "off".
func (f toggleField) Value() string {
	if f.on {
		return "on"
	}
	return "off"
}

func (f *toggleField) SetValue(s string) { f.on = s == "on" }

// Update flips the toggle on its key.
func (f toggleField) Update(msg tea.Msg) (toggleField, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && f.focused && key.Matches(k, f.keys.Toggle) {
		f.on = !f.on
	}
	return f, nil
}

func (f *toggleField) update(msg tea.Msg) (tea.Cmd, bool) {
	before := f.on
	var cmd tea.Cmd
	*f, cmd = f.Update(msg)
	return cmd, f.on != before
}

func (f *toggleField) click(int) bool { f.on = !f.on; return true }

// View is the box, ticked or not.
func (f toggleField) View() string {
	box := "[ ] off"
	if f.on {
		box = "[x] on"
	}
	if f.focused {
		return f.styles.FocusedLabel.Render(box)
	}
	return f.styles.Value.Render(box)
}

// swatch is a two-cell sample of a #rrggbb colour, empty when it does not parse.
func swatch(hex string) string {
	c, err := wechat.ParseColor(hex)
	if err != nil {
		return ""
	}
	return lipgloss.NewStyle().Background(lipgloss.Color(c.Hex())).Render("  ")
}
