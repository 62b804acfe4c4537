package ui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// Styles is every style the designer uses, built for a light or dark background.
type Styles struct {
	Title, Tab, ActiveTab lipgloss.Style
	Label, FocusedLabel   lipgloss.Style
	Value, Muted, Hidden  lipgloss.Style
	Error, Warn, OK       lipgloss.Style
	Status, StatusSim     lipgloss.Style
	Key                   lipgloss.Style
	Input                 textinput.Styles
	Help                  help.Styles
	// Color is false under NO_COLOR: no colour anywhere, the colour swatch
	// included; the state symbols (✗ ! ✓) carry the meaning alone.
	Color bool
}

// The symbols that say what a message is without its colour, for readers who
// cannot tell the red, yellow and green apart (and under NO_COLOR).
const (
	symErr  = "✗ "
	symWarn = "! "
	symOK   = "✓ "
)

// palette is one background's colours. Every one is at least 4.5:1 (WCAG AA)
// against the backgrounds of its kind (TestStylesContrast: white and #f5f5f5
// for light, black, #1e1e1e and #282c34 for dark), also after a 256-colour
// terminal picks its nearest colour. No basic ANSI colour (0–15) is used:
// themes redefine those, so nothing can be promised about them.
type palette struct{ accent, muted, err, warn color.Color }

var (
	lightPalette = palette{accent: lipgloss.Color("#116329"), muted: lipgloss.Color("#595959"),
		err: lipgloss.Color("#b91c1c"), warn: lipgloss.Color("#7d4e00")}
	darkPalette = palette{accent: lipgloss.Color("#3fb950"), muted: lipgloss.Color("#a0a0a0"),
		err: lipgloss.Color("#ff7b72"), warn: lipgloss.Color("#d29922")}
)

// NewStyles builds the styles for a dark (isDark) or light terminal
// background; the designer asks the terminal (tea.RequestBackgroundColor in
// Init) and rebuilds them when it answers.
func NewStyles(isDark bool) Styles { return newStyles(isDark, true) }

// PlainStyles are the styles without any colour, for NO_COLOR: bold and
// underline still show focus, and every state keeps its symbol.
func PlainStyles() Styles { return newStyles(false, false) }

func newStyles(isDark, useColor bool) Styles {
	p := lightPalette
	if isDark {
		p = darkPalette
	}
	fg := func(c color.Color) lipgloss.Style {
		if !useColor {
			return lipgloss.NewStyle()
		}
		return lipgloss.NewStyle().Foreground(c)
	}
	plain := lipgloss.NewStyle()
	input := textinput.Styles{
		Focused: textinput.StyleState{Text: plain, Placeholder: fg(p.muted), Suggestion: fg(p.muted), Prompt: fg(p.accent).Bold(true)},
		Blurred: textinput.StyleState{Text: plain, Placeholder: fg(p.muted), Suggestion: fg(p.muted), Prompt: fg(p.muted)},
		// A steady cursor: no blink ticks, so no repaint near an out-of-band image.
		Cursor: textinput.CursorStyle{Color: p.accent, Shape: tea.CursorBlock, Blink: false},
	}
	if !useColor {
		input.Cursor.Color = lipgloss.NoColor{}
	}
	key := plain.Bold(true)
	desc := fg(p.muted)
	return Styles{
		Title:        fg(p.accent).Bold(true),
		Tab:          fg(p.muted),
		ActiveTab:    plain.Bold(true).Underline(true),
		Label:        fg(p.muted),
		FocusedLabel: fg(p.accent).Bold(true),
		Value:        plain,
		Muted:        fg(p.muted),
		Hidden:       fg(p.muted),
		Error:        fg(p.err),
		Warn:         fg(p.warn),
		OK:           fg(p.accent),
		Status:       fg(p.muted),
		StatusSim:    fg(p.warn).Bold(true),
		Key:          key,
		Input:        input,
		Help: help.Styles{ShortKey: key, ShortDesc: desc, ShortSeparator: desc, Ellipsis: desc,
			FullKey: key, FullDesc: desc, FullSeparator: desc},
		Color: useColor,
	}
}

// stylesFor is the designer's styles for the environment and background:
// none of colour when NO_COLOR is set to anything (https://no-color.org).
func stylesFor(getenv func(string) string, isDark bool) Styles {
	if getenv("NO_COLOR") != "" {
		return PlainStyles()
	}
	return NewStyles(isDark)
}
