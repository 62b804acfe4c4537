package ui

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"wxacode/preview"
	"wxacode/shell"
	"wxacode/wechat"
	"wxacode/wechat/snippet"
)

// paneView is the right column for the current pane or confirmation.
func (m *Model) paneView(l layout) []string {
	w := l.rightW - 1
	var lines []string
	switch {
	case m.prompt.mode == modeConfirmLimited:
		lines = m.confirmView(w)
	case m.pane == paneHint:
		lines = m.hintView(w)
	case m.pane == paneScene:
		lines = m.sceneView(w)
	case m.pane == paneRequest:
		lines = m.requestView(w)
	case m.pane == paneHistory:
		lines = m.historyView(w)
	default:
		lines = m.previewView(l)
	}
	if m.pane != panePreview && m.pane != paneHistory && m.prompt.mode != modeConfirmLimited && len(lines) > l.bodyH {
		// Long hints scroll: pgdn/pgup, with a marker saying there is more.
		top := min(m.scroll, len(lines)-l.bodyH+1)
		lines = lines[top:]
		if len(lines) > l.bodyH {
			lines = append(lines[:l.bodyH-1], m.styles.Muted.Render("… pgdn for more"))
		}
	}
	for i := range lines {
		lines[i] = " " + lines[i]
	}
	return lines
}

func (m *Model) previewView(l layout) []string {
	s := m.styles
	if m.cmp != nil {
		return m.compareView(l)
	}
	if m.shown == nil {
		out := []string{s.Muted.Render("No code yet: ctrl+g generates one.")}
		if m.deps.OnSim && m.deps.AutoRegenerate {
			out = append(out, s.Muted.Render("On the simulator it also regenerates when you stop typing."))
		}
		return out
	}
	c := m.shown.code
	info := fmt.Sprintf("%s %d×%d · %s · Num-Used %s · %s", strings.ToUpper(string(c.Format)), c.Width, c.Height,
		humanBytes(len(c.Bytes)), numUsed(c.NumUsed), c.Elapsed.Round(1e6))
	if m.shown.params.Kind == wechat.KindLinkQR {
		info = fmt.Sprintf("%s %d×%d · %s · drawn here, no WeChat call", strings.ToUpper(string(c.Format)), c.Width, c.Height,
			humanBytes(len(c.Bytes)))
	}
	bg := "background white (alt+b: checker)"
	if m.place.checker {
		bg = "background checker (alt+b: white)"
	}
	note := bg
	if m.place.out.Cols > 0 || m.place.out.Mode == preview.ModeNone {
		note = m.place.out.Mode.String() + " · " + bg
	}
	if !sameRequest(m.shown.params, m.form.params()) {
		note = s.Warn.Render("form changed since: ctrl+g to regenerate") + s.Muted.Render(" · "+note)
	} else {
		note = s.Muted.Render(note)
	}
	out := []string{info, note}
	switch {
	case m.place.out.Text != "":
		// Not a grey blur that looks fine: say it cannot be scanned.
		for _, line := range scanNote(m.place.out, l.rightW-1, m.width, m.height, l.helpH) {
			out = append(out, s.Warn.Render(line))
		}
		out = append(out, strings.Split(m.place.out.Text, "\n")...)
	case m.place.out.Raw != "":
		// The reserved box: blank cells the renderer never rewrites, drawn over out of band.
		for range m.place.out.Rows {
			out = append(out, strings.Repeat(" ", m.place.out.Cols))
		}
	case m.place.out.Mode == preview.ModeNone:
		out = append(out, s.Muted.Render("(graphics off: ctrl+s saves the image)"))
	default:
		out = append(out, s.Muted.Render("rendering…"))
	}
	return out
}

func (m *Model) confirmView(w int) []string {
	s := m.styles
	p := m.form.params()
	pool := groupDigits(wechat.LifetimeQuota)
	out := []string{
		s.Warn.Render("This call spends from the " + pool + " lifetime pool"),
		"",
	}
	out = append(out, wrap(fmt.Sprintf("%s (%s) shares one pool of %s codes per mini program with the other limited endpoint; it never refills.",
		p.Kind, strings.TrimPrefix(p.Kind.Path(), "/"), pool), w)...)
	out = append(out, "")
	l := m.deps.Ledger
	out = append(out, fmt.Sprintf("ledger: %d used, %d remaining", l.Used(), l.Remaining()))
	if wn := l.Warning(); wn != "" {
		out = append(out, s.Warn.Render(wn))
	}
	if l.Seen(p) {
		out = append(out, s.OK.Render("these exact parameters were generated before: WeChat does not count them again"))
	}
	if m.deps.OnSim {
		out = append(out, s.Muted.Render("(simulator: its own pretend pool)"))
	}
	out = append(out, "", s.Key.Render("y")+" / "+s.Key.Render("enter")+" generate   "+s.Key.Render("n")+" / "+s.Key.Render("esc")+" cancel")
	return out
}

func (m *Model) hintView(w int) []string {
	s := m.styles
	if m.lastErr == nil {
		return wrap("No error. After a failed request this pane shows the errcode, what it means, and one-key fixes.", w)
	}
	var out []string
	var api *wechat.APIError
	var ve *wechat.ValidationError
	switch {
	case errors.As(m.lastErr, &api):
		out = append(out, s.Error.Render(fmt.Sprintf(symErr+"errcode %d", api.Code)), "errmsg  "+m.redact(api.Msg))
		if api.RID != "" {
			out = append(out, "rid     "+m.redact(api.RID))
			if !api.Time.IsZero() {
				out = append(out, wrap("sent    "+api.Time.UTC().Format("2006-01-02 15:04:05")+" UTC (from the rid)", w)...)
			}
		}
	case errors.As(m.lastErr, &ve):
		out = append(out, s.Error.Render(symErr+"refused before sending: nothing was called"))
	default:
		for _, line := range hang(symErr, m.redact(m.lastErr.Error()), w) {
			out = append(out, s.Error.Render(line))
		}
	}
	if m.diag.Hint.Title != "" {
		out = append(out, "")
		out = append(out, wrap("why: "+m.diag.Hint.Title, w)...)
	}
	if len(m.diag.Actions) > 0 {
		out = append(out, "", s.Label.Render("one-key fixes (the form stays editable)"))
		for i, a := range m.diag.Actions {
			out = append(out, hang(fmt.Sprintf("alt+%d  ", i+1), a.Label, w)...)
		}
	}
	// The first finding is often the error itself, shown once, above.
	findings := slices.DeleteFunc(slices.Clone(m.diag.Findings), func(f string) bool { return f == m.redact(m.lastErr.Error()) })
	if len(findings) > 0 {
		out = append(out, "")
	}
	for _, f := range findings {
		out = append(out, hang("• ", f, w)...)
	}
	if len(m.diag.Hint.Causes) > 0 {
		out = append(out, "", s.Label.Render("usual causes"))
		for _, c := range m.diag.Hint.Causes {
			out = append(out, hang("- ", c, w)...)
		}
	}
	if len(m.diag.Hint.Fixes) > 0 {
		out = append(out, "", s.Label.Render("usual fixes"))
		for _, f := range m.diag.Hint.Fixes {
			out = append(out, hang("- ", f, w)...)
		}
	}
	return out
}

func (m *Model) requestView(w int) []string {
	s := m.styles
	p := m.form.params()
	if p.Kind == wechat.KindLinkQR {
		return m.linkRequestView(p, w)
	}
	body, _ := snippet.Body(p)
	method, u := "POST ", snippet.URL(m.deps.BaseURL, p.Kind, "REDACTED")
	tr, trial := p.Request().(*wechat.TrialRequest)
	if trial {
		method = "GET "
		if q := tr.Query(); q != "" {
			u += "&" + q
		}
	}
	out := wrap(method+u, w)
	if err := p.Validate(); err != nil {
		out = append(out, s.Warn.Render("(not valid yet: it would not be sent)"))
	}
	if trial {
		out = append(out, "", s.Label.Render("no body: a GET, path in the query string, URL-encoded once"))
	} else {
		out = append(out, "", s.Label.Render("body, exactly as sent"))
		out = append(out, wrap(body, w)...)
	}
	out = append(out, "", s.Label.Render("curl (alt+c copies; token from $ACCESS_TOKEN)"))
	curl, _ := snippet.Curl(m.deps.BaseURL, p)
	out = append(out, wrap(curl, w)...)
	// The same call from a cloud function, for Cloud Development teams who
	// never hold a token; code lines keep their indentation when wrapped.
	out = append(out, "", s.Label.Render("cloud function, wx-server-sdk (alt+f copies)"))
	fn, err := snippet.Cloud(p)
	if err != nil {
		return append(out, wrap(err.Error(), w)...)
	}
	for _, line := range strings.Split(strings.TrimRight(fn, "\n"), "\n") {
		out = append(out, hang(leadingSpace(line), strings.TrimLeft(line, " "), w)...)
	}
	return out
}

// linkRequestView is the Request pane of a link QR: there is no request.
func (m *Model) linkRequestView(p wechat.Params, w int) []string {
	s := m.styles
	out := wrap("No WeChat call: a link QR (普通链接二维码) is a plain QR code of the URL, drawn here. No token, no quota, no rate limit.", w)
	if err := p.Validate(); err != nil {
		out = append(out, s.Warn.Render("(not valid yet: it would not be drawn)"))
	}
	body, _ := p.Request().Body()
	out = append(out, "", s.Label.Render("what is drawn (the sidecar's request)"))
	out = append(out, wrap(string(body), w)...)
	out = append(out, "", s.Label.Render("the same from the command line"))
	out = append(out, wrap(linkQRCommand(p), w)...)
	out = append(out, "", s.Label.Render("cloud function, wx-server-sdk"))
	out = append(out, wrap("none: cloud.openapi has no call for a link QR, and none is needed. The URL opens the mini program once its prefix is a published rule (wxacode linkqr rules).", w)...)
	return out
}

// linkQRCommand is `wxacode linkqr` for p, quoted for a POSIX shell.
func linkQRCommand(p wechat.Params) string {
	args := []string{"wxacode", "linkqr", p.URL, "-o", "code.png"}
	if p.Width != 0 {
		args = append(args, "--width", strconv.Itoa(p.Width))
	}
	if p.LineColor != nil {
		args = append(args, "--line-color", p.LineColor.Hex())
	}
	if p.EC != 0 && p.EC != wechat.ECMedium {
		args = append(args, "--ec", p.EC.String())
	}
	return shell.Join(args)
}

// leadingSpace is the spaces line starts with.
func leadingSpace(line string) string { return line[:len(line)-len(strings.TrimLeft(line, " "))] }

func (m *Model) historyView(w int) []string {
	if len(m.hist) == 0 {
		return wrap("No codes yet. Every code generated is kept here (the last 50, across runs).", w)
	}
	return m.historyPane(w, m.layout().bodyH).lines
}

func describe(p wechat.Params) string {
	if p.Kind == wechat.KindLinkQR {
		return p.URL
	}
	if p.Kind == wechat.KindUnlimited {
		return orDash(p.Page) + " " + p.Scene
	}
	return p.Path
}

func sameRequest(a, b wechat.Params) bool {
	ab, _ := a.Request().Body()
	bb, _ := b.Request().Body()
	return a.Kind == b.Kind && string(ab) == string(bb)
}

func humanBytes(n int) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	return fmt.Sprintf("%.1f KB", float64(n)/1024)
}

// groupDigits writes n with a comma every three digits, as 100,000.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

func numUsed(n int) string {
	if n < 0 {
		return "–"
	}
	return fmt.Sprint(n)
}
