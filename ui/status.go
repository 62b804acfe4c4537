package ui

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

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

// statusLine is the transient message above the help: set with a TTL, it
// expires through a tick whose seq must still be the latest. A message about
// the form as it was (form) also goes with the next edit.
type statusLine struct {
	text  string
	level level
	form  bool // about the form as it was: the next edit clears it
	seq   int
	ttl   time.Duration // 0: 6 s; negative: until replaced
	after timer
}

// Set shows text (already redacted) at level l and returns the tick that
// clears it.
func (s *statusLine) Set(l level, text string) tea.Cmd {
	s.seq++
	s.text, s.level, s.form = text, l, false
	return clearStatusAfter(s.after, s.ttl, s.seq)
}

// SetForm is Set for a message about the form as it is now ("applied: …",
// "not sent: …", the last request's error): FormChanged clears it, since
// after an edit it no longer describes what is on screen.
func (s *statusLine) SetForm(l level, text string) tea.Cmd {
	cmd := s.Set(l, text)
	s.form = true
	return cmd
}

// FormChanged clears a message that was about the form before this edit.
func (s *statusLine) FormChanged() {
	if s.form {
		s.text, s.form = "", false
	}
}

// Update clears the message when its own expiry arrives.
func (s statusLine) Update(msg tea.Msg) statusLine {
	if m, ok := msg.(statusClearMsg); ok && m.seq == s.seq {
		s.text, s.form = "", false
	}
	return s
}

// statusInfo is what the line always says: target, token, rate and quota.
type statusInfo struct {
	onSim        bool
	appID        string
	tokenSource  string
	tokenExpires time.Time
	rate         int
	poolUsed     int
	busy         bool
}

// facts are the standing facts: target, token, rate and the pool, each
// with how much it is needed when the line is short.
func (info statusInfo) facts() []statusPart {
	var parts []statusPart
	if info.onSim {
		parts = append(parts, statusPart{"SIMULATOR " + info.appID, 2})
	} else {
		parts = append(parts, statusPart{"appid " + orDash(info.appID), 2})
	}
	tok := "token " + orDash(info.tokenSource)
	if !info.tokenExpires.IsZero() {
		tok += ", expires " + info.tokenExpires.Local().Format("15:04")
	}
	parts = append(parts, statusPart{tok, 0})
	parts = append(parts, statusPart{fmt.Sprintf("%d/min", info.rate), 1})
	parts = append(parts, statusPart{fmt.Sprintf("pool %d/%d", info.poolUsed, wechat.LifetimeQuota), 3})
	return parts
}

// View is the message first with its symbol (on a narrow terminal it is
// what must not be cut off), then the facts that fit. width is the
// terminal's.
func (s statusLine) View(st Styles, width int, info statusInfo) string {
	msg, l := s.text, s.level
	if info.busy {
		msg, l = "generating…", levelInfo
	}
	return fitStatus(st, width, msg, l, info.facts())
}

// statusPart is one fact of the status line; the parts with the lowest keep
// are dropped first when the line is short.
type statusPart struct {
	text string
	keep int
}

// fitStatus lays the status line out in width cells: the message first
// (symbol, then the important words, cut at its end), then the facts that
// fit, the pool count last to go.
func fitStatus(s Styles, width int, msg string, l level, facts []statusPart) string {
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

func clearStatusAfter(after timer, ttl time.Duration, seq int) tea.Cmd {
	if ttl < 0 {
		return nil
	}
	if ttl == 0 {
		ttl = 6 * time.Second
	}
	return after.tick(ttl, func() tea.Msg { return statusClearMsg{seq: seq} })
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
