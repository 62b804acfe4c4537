package ui

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"wxacode/wechat"
)

// level is what a status message is: each has a colour and, for readers who
// cannot tell the colours apart (or under NO_COLOR), a symbol.
type level int

const (
	levelInfo level = iota // no symbol: "not saved", "copied"
	levelOK                // ✓
	levelWarn              // !
	levelErr               // ✗
)

// symbol and style of a level.
func (s Styles) level(l level) (string, lipgloss.Style) {
	switch l {
	case levelOK:
		return symOK, s.OK
	case levelWarn:
		return symWarn, s.Warn
	case levelErr:
		return symErr, s.Error
	}
	return "", s.Value
}

// setStatus shows a transient message (an error when isErr) and schedules
// its expiry.
func (m *Model) setStatus(s string, isErr bool) tea.Cmd {
	if isErr {
		return m.setStatusAt(levelErr, s)
	}
	return m.setStatusAt(levelInfo, s)
}

// setStatusAt shows a transient message of level l and schedules its expiry.
func (m *Model) setStatusAt(l level, s string) tea.Cmd {
	m.statusSeq++
	m.status, m.statusLevel, m.statusForm = m.redact(s), l, false
	return clearStatusAfter(m.deps.StatusTTL, m.statusSeq)
}

// setFormStatus is setStatusAt for a message about the form as it is now
// ("applied: …", "not sent: …", the last request's error): the next edit
// clears it, since it no longer describes what is on screen.
func (m *Model) setFormStatus(l level, s string) tea.Cmd {
	cmd := m.setStatusAt(l, s)
	m.statusForm = true
	return cmd
}

// formChanged clears a message that was about the form before this edit.
func (m *Model) formChanged() {
	if m.statusForm {
		m.status, m.statusForm = "", false
	}
}

// statusPart is one fact of the status line; the parts with the lowest keep
// are dropped first when the line is short.
type statusPart struct {
	text string
	keep int
}

// statusLine is the line above the help: the message first (symbol, then
// the important words, cut at its end), then the facts that fit, the pool
// count last to go. width is the terminal's.
func statusLine(s Styles, width int, msg string, l level, facts []statusPart) string {
	sep := " · "
	msgText := ""
	if msg != "" {
		sym, _ := s.level(l)
		msgText = sym + msg
	}
	msgW := ansi.StringWidth(msgText)
	factsW := func(fs []statusPart) int {
		w := 0
		for i, f := range fs {
			if i > 0 {
				w += ansi.StringWidth(sep)
			}
			w += ansi.StringWidth(f.text)
		}
		return w
	}
	gap := 0
	if msgText != "" {
		gap = 2
	}
	// Drop facts, least needed first, until the whole message fits (or only
	// the most needed fact is left).
	shown := append([]statusPart(nil), facts...)
	for msgW+gap+factsW(shown) > width && len(shown) > 1 {
		low := 0
		for i, f := range shown {
			if f.keep < shown[low].keep {
				low = i
			}
		}
		shown = append(shown[:low], shown[low+1:]...)
	}
	room := width - gap - factsW(shown)
	if msgText != "" && msgW > room {
		// The message is cut at its end, which is where messages put detail;
		// below 24 cells it takes the line and the facts go.
		if room < 24 {
			shown, room, gap = nil, width, 0
		}
		msgText = ansi.Truncate(msgText, room, "…")
	}
	var b strings.Builder
	if msgText != "" {
		_, st := s.level(l)
		b.WriteString(st.Render(msgText))
		b.WriteString(strings.Repeat(" ", gap))
	}
	for i, f := range shown {
		if i > 0 {
			b.WriteString(s.Muted.Render(sep))
		}
		b.WriteString(s.Status.Render(f.text))
	}
	return b.String()
}

// statusFacts are the standing facts: target, token, rate and the pool.
func (m Model) statusFacts() []statusPart {
	var parts []statusPart
	if m.deps.OnSim {
		parts = append(parts, statusPart{"SIMULATOR " + m.deps.AppID, 2})
	} else {
		parts = append(parts, statusPart{"appid " + orDash(m.deps.AppID), 2})
	}
	tok := "token " + orDash(m.deps.TokenSource)
	if !m.deps.TokenExpires.IsZero() {
		tok += ", expires " + m.deps.TokenExpires.Local().Format("15:04")
	}
	parts = append(parts, statusPart{tok, 0})
	parts = append(parts, statusPart{fmt.Sprintf("%d/min", m.rate()), 1})
	parts = append(parts, statusPart{fmt.Sprintf("pool %d/%d", m.deps.Ledger.Used(), wechat.LifetimeQuota), 3})
	return parts
}

// statusLineView is the status line in edit mode; prompts take it over
// (promptView).
func (m Model) statusLineView() string {
	switch m.mode {
	case modeSaveName, modeConfirmOverwrite, modeConfirmMkdir:
		return m.promptView()
	}
	msg, l := m.status, m.statusLevel
	if m.busy {
		msg, l = "generating…", levelInfo
	}
	return statusLine(m.styles, m.width, msg, l, m.statusFacts())
}

// errSummary is the one-line status for a failed request: what went wrong
// first, the detail (already in the Hint pane) left out.
func errSummary(err error) string {
	var api *wechat.APIError
	if errors.As(err, &api) {
		return fmt.Sprintf("errcode %d: %s (alt+h for the hint)", api.Code, api.Msg)
	}
	var re *wechat.RequestError
	if errors.As(err, &re) {
		var parts []string
		if re.Status != 0 && re.Status != http.StatusOK {
			parts = append(parts, fmt.Sprintf("HTTP %d %s", re.Status, http.StatusText(re.Status)))
		}
		if re.Err != nil {
			parts = append(parts, re.Err.Error())
		}
		if len(parts) > 0 {
			return strings.Join(parts, ": ") + " (alt+h for the hint)"
		}
	}
	return err.Error()
}

// problemLines are a field's problems under it, each wrapped in full. Before
// anything was typed or sent, an empty field's requirement is a quiet note,
// not a red error: nothing has gone wrong yet.
func (m Model) problemLines(f field, w int) []string {
	s := m.styles
	quiet := m.editSeq == 0 && m.lastErr == nil && f.value() == ""
	prefix, st := "  "+symErr, s.Error
	if quiet {
		prefix, st = "  · ", s.Muted
	}
	var out []string
	pad := strings.Repeat(" ", ansi.StringWidth(prefix))
	for _, p := range m.form.problems[f.id] {
		// At spaces when a word fits, else inside it (a long path).
		for i, line := range strings.Split(ansi.Wrap(p, w-len(pad), ""), "\n") {
			lead := pad
			if i == 0 {
				lead = prefix
			}
			out = append(out, st.Render(lead+strings.TrimRight(line, " ")))
		}
	}
	return out
}
