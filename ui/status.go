package ui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"wxacode/wechat"
)

// statusLine is the transient message above the help: set with a TTL, it
// expires through a tick whose seq must still be the latest.
type statusLine struct {
	text  string
	isErr bool
	seq   int
	ttl   time.Duration // 0: 6 s; negative: until replaced
}

// Set shows s (already redacted) and returns the tick that clears it.
func (s *statusLine) Set(text string, isErr bool) tea.Cmd {
	s.seq++
	s.text, s.isErr = text, isErr
	return clearStatusAfter(s.ttl, s.seq)
}

// Update clears the message when its own expiry arrives.
func (s statusLine) Update(msg tea.Msg) statusLine {
	if m, ok := msg.(statusClearMsg); ok && m.seq == s.seq {
		s.text = ""
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

// View is the message first (on a narrow terminal it is what must not be
// cut off), then the info.
func (s statusLine) View(st Styles, info statusInfo) string {
	var parts []string
	if info.onSim {
		parts = append(parts, st.StatusSim.Render("SIMULATOR")+st.Status.Render(" "+info.appID))
	} else {
		parts = append(parts, st.Status.Render("appid "+orDash(info.appID)))
	}
	tok := "token " + orDash(info.tokenSource)
	if !info.tokenExpires.IsZero() {
		tok += ", expires " + info.tokenExpires.Local().Format("15:04")
	}
	parts = append(parts, st.Status.Render(tok))
	parts = append(parts, st.Status.Render(fmt.Sprintf("%d/min", info.rate)))
	parts = append(parts, st.Status.Render(fmt.Sprintf("pool %d/%d", info.poolUsed, wechat.LifetimeQuota)))
	line := strings.Join(parts, st.Muted.Render(" · "))
	switch {
	case info.busy:
		line = st.Warn.Render("generating…") + "  " + line
	case s.text != "" && s.isErr:
		line = st.Error.Render(s.text) + "  " + line
	case s.text != "":
		line = st.OK.Render(s.text) + "  " + line
	}
	return line
}

func clearStatusAfter(ttl time.Duration, seq int) tea.Cmd {
	if ttl < 0 {
		return nil
	}
	if ttl == 0 {
		ttl = 6 * time.Second
	}
	return tea.Tick(ttl, func(time.Time) tea.Msg { return statusClearMsg{seq: seq} })
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}
