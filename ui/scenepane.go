package ui

import (
	"fmt"
	"strings"

	"wxacode/wechat"
	"wxacode/wechat/scene"
)

// sceneView is the Scene pane: what the page receives and how the launch
// goes, all from wechat/scene (the pane only lays it out).
func (m *Model) sceneView(w int) []string {
	s := m.styles
	p := m.form.params()
	if p.Kind == wechat.KindLinkQR {
		return m.linkSceneView(p.URL, w)
	}
	l := scene.ExplainParams(p)
	var out []string
	if p.Kind != wechat.KindUnlimited {
		out = append(out, wrap(fmt.Sprintf("%s codes carry no scene: the query of path arrives in onLoad(query).", p.Kind), w)...)
		if p.Kind == wechat.KindTrial {
			out = append(out, wrap("A trial QR (体验版二维码) opens the trial version, for its members only; an empty path opens the home page.", w)...)
		}
		out = append(out, hang("start page   ", startPage(l), w)...)
		out = append(out, hang("query        ", l.OnLoad, w)...)
	} else {
		out = append(out, "scene        "+p.Scene, fmt.Sprintf("length       %d/%d", len([]rune(p.Scene)), wechat.MaxSceneLen))
		out = append(out, hang("start page   ", startPage(l), w)...)
		if l.Err != "" {
			return append(out, s.Error.Render(l.Err))
		}
		out = append(out, "")
		out = append(out, label(s, "onLoad(query): query.scene is URL-encoded", w)...)
		out = append(out, wrap("query.scene  "+l.QueryScene, w)...)
		dec := "decoded      " + l.Decoded + "   (decodeURIComponent)"
		if !l.RoundTrip {
			dec += s.Warn.Render("  does not round-trip")
		}
		out = append(out, wrap(dec, w)...)
	}
	if len(l.Pairs) > 0 {
		out = append(out, "", s.Label.Render("pairs"))
		for _, kv := range l.Pairs {
			line := fmt.Sprintf("  %s = %s", kv.Key, kv.Value)
			if len(kv.Notes) > 0 {
				line += s.Muted.Render("  (" + strings.Join(kv.Notes, "; ") + ")")
			}
			out = append(out, wrap(line, w)...)
		}
	}
	out = append(out, "", s.Label.Render("launch, step by step"))
	for i, step := range l.Steps {
		out = append(out, hang(fmt.Sprintf("%d. ", i+1), step, w)...)
	}
	out = append(out, entryScenes(m.styles, l, w)...)
	if p.Kind == wechat.KindUnlimited {
		out = append(out, m.devToolsView(p, w)...)
	}
	out = append(out, "")
	for _, line := range wrap(l.Game, w) {
		out = append(out, s.Muted.Render(line))
	}
	if len(l.Unverified) > 0 {
		out = append(out, "", s.Label.Render("unverified: not documented"))
		for _, u := range l.Unverified {
			for _, line := range hang("- ", u, w) {
				out = append(out, s.Muted.Render(line))
			}
		}
	}
	return out
}

// startPage names the page the code opens, saying so when it is the home page.
func startPage(l scene.Launch) string {
	if l.HomePage {
		return "the home page (page is empty)"
	}
	return l.Page
}

// entryScenes lists options.scene, the number WeChat sets, kept apart from the
// scene string because the two are easily confused.
func entryScenes(s Styles, l scene.Launch, w int) []string {
	if len(l.EntryScenes) == 0 {
		return nil
	}
	what := "not your query"
	if l.Kind == wechat.KindUnlimited {
		what = "not the scene string"
	}
	out := append([]string{""}, label(s, "entry scene: options.scene, a number, "+what, w)...)
	guessed := false
	for _, e := range l.EntryScenes {
		mark := " "
		if !e.Verified {
			mark, guessed = "?", true
		}
		out = append(out, hang(fmt.Sprintf("  %d%s ", e.Value, mark), e.Meaning, w)...)
	}
	if guessed {
		out = append(out, s.Muted.Render("  ? not documented for this code"))
	}
	return out
}

// devToolsView is how to reproduce the scan in DevTools: the compile
// condition's launch parameter and entry scene, the unencoded-typing pitfall,
// and the page's onLoad snippet.
func (m *Model) devToolsView(p wechat.Params, w int) []string {
	s := m.styles
	d, err := scene.DevToolsFor(p.Scene, p.Page)
	if err != nil {
		return nil
	}
	out := append([]string{""}, label(s, "DevTools: compile mode → launch parameter (alt+l copies)", w)...)
	out = append(out, wrap(d.LaunchParam, w)...)
	out = append(out, fmt.Sprintf("进入场景 (entry scene) %d", d.EntryScene))
	if d.Pitfall != "" {
		for _, line := range wrap(d.Pitfall, w) {
			out = append(out, s.Warn.Render(line))
		}
	}
	out = append(out, "", s.Label.Render("onLoad snippet (page)"))
	return append(out, codeBlock(d.PageSnippet, w)...)
}

// label is a heading, wrapped rather than cut on a narrow pane.
func label(s Styles, text string, w int) []string {
	out := wrap(text, w)
	for i := range out {
		out[i] = s.Label.Render(out[i])
	}
	return out
}

// codeBlock wraps source lines keeping their indentation, continuation lines two
// cells further in, so a wrapped statement still reads as one.
func codeBlock(src string, w int) []string {
	var out []string
	for line := range strings.SplitSeq(src, "\n") {
		rest := strings.TrimLeft(line, " ")
		indent := line[:len(line)-len(rest)]
		for i, part := range wrap(rest, max(w-len(indent)-2, 8)) {
			if i > 0 {
				part = "  " + part
			}
			out = append(out, indent+part)
		}
	}
	return out
}

// launchParam is the DevTools launch parameter for the form's scene and page.
func launchParam(p wechat.Params) string {
	if p.Kind == wechat.KindLinkQR {
		return "" // no DevTools scene: the link's own page
	}
	d, err := scene.DevToolsFor(p.Scene, p.Page)
	if err != nil {
		return ""
	}
	return d.LaunchParam
}

// linkSceneView is the Scene pane of a link QR: what the rule's page receives
// when the code is scanned now (scene.ExplainLink, as `wxacode linkqr explain`).
func (m *Model) linkSceneView(url string, w int) []string {
	s := m.styles
	l := scene.ExplainLink(url, "", m.asOf)
	out := wrap("link QR (普通链接二维码): WeChat opens the page of the published rule whose prefix the URL starts with", w)
	out = append(out, "")
	out = append(out, hang("url          ", url, w)...)
	if l.Err != "" {
		return append(out, s.Error.Render(l.Err))
	}
	if len(l.Problems) > 0 {
		out = append(out, s.Error.Render(symErr+"not fit for a link QR (see the form): shown as it would arrive"))
	}
	out = append(out, "")
	out = append(out, label(s, "onLoad(query): query.q is encodeURIComponent(URL), once", w)...)
	out = append(out, hang("query.q      ", l.Q, w)...)
	dec := l.Decoded + "   (decodeURIComponent)"
	if !l.RoundTrip {
		dec += s.Warn.Render("  NOT the link")
	}
	out = append(out, hang("decoded      ", dec, w)...)
	out = append(out, hang("scancode_time ", l.ScancodeTime+"   (Unix seconds of the scan, a string: parseInt it)", w)...)
	if len(l.Params) > 0 || l.Fragment != "" {
		out = append(out, "", s.Label.Render("parameters of the link (each value decoded once)"))
		for _, p := range l.Params {
			line := fmt.Sprintf("  %s = %s", p.Key, p.Decoded)
			if !p.HasEq {
				line = "  " + p.Key + " (no =)"
			}
			if len(p.Notes) > 0 {
				line += s.Muted.Render("  (" + strings.Join(p.Notes, "; ") + ")")
			}
			out = append(out, wrap(line, w)...)
		}
		if l.Fragment != "" {
			out = append(out, wrap("  #"+l.Fragment+s.Muted.Render("  (the fragment: not a parameter)"), w)...)
		}
	}
	out = append(out, "", s.Label.Render("launch, step by step"))
	for i, step := range l.Steps {
		out = append(out, hang(fmt.Sprintf("%d. ", i+1), step, w)...)
	}
	out = append(out, "")
	out = append(out, label(s, "entry scene: options.scene, a number, not your query", w)...)
	for _, e := range l.EntryScenes {
		out = append(out, hang(fmt.Sprintf("  %d  ", e.Value), e.Meaning, w)...)
	}
	out = append(out, "", s.Label.Render("onLoad snippet (the rule's page)"))
	out = append(out, codeBlock(l.OnLoad, w)...)
	out = append(out, "")
	for _, line := range wrap(l.Game, w) {
		out = append(out, s.Muted.Render(line))
	}
	if len(l.Unverified) > 0 {
		out = append(out, "", s.Label.Render("unverified: not documented"))
		for _, u := range l.Unverified {
			for _, line := range hang("- ", u, w) {
				out = append(out, s.Muted.Render(line))
			}
		}
	}
	return out
}
