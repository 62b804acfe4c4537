package ui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
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
}

// NewStyles builds the styles for a dark (isDark) or light terminal background.
func NewStyles(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	accent := ld(lipgloss.Color("#1a7f37"), lipgloss.Color("#3fb950"))
	muted := ld(lipgloss.Color("245"), lipgloss.Color("243"))
	errc := ld(lipgloss.Color("#cf222e"), lipgloss.Color("#ff7b72"))
	warn := ld(lipgloss.Color("#9a6700"), lipgloss.Color("#d29922"))
	input := textinput.DefaultStyles(isDark)
	// A steady cursor: no blink ticks, so no repaint near an out-of-band image.
	input.Cursor.Blink = false
	return Styles{
		Title:        lipgloss.NewStyle().Bold(true).Foreground(accent),
		Tab:          lipgloss.NewStyle().Foreground(muted),
		ActiveTab:    lipgloss.NewStyle().Bold(true).Underline(true),
		Label:        lipgloss.NewStyle().Foreground(muted),
		FocusedLabel: lipgloss.NewStyle().Bold(true).Foreground(accent),
		Value:        lipgloss.NewStyle(),
		Muted:        lipgloss.NewStyle().Foreground(muted),
		Hidden:       lipgloss.NewStyle().Foreground(muted).Faint(true),
		Error:        lipgloss.NewStyle().Foreground(errc),
		Warn:         lipgloss.NewStyle().Foreground(warn),
		OK:           lipgloss.NewStyle().Foreground(accent),
		Status:       lipgloss.NewStyle().Foreground(muted),
		StatusSim:    lipgloss.NewStyle().Bold(true).Foreground(warn),
		Key:          lipgloss.NewStyle().Bold(true),
		Input:        input,
		Help:         help.DefaultStyles(isDark),
	}
}
