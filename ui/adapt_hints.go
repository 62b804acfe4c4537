package ui

// ADAPTER (temporary): wechat.Diagnose (hints issue) has not landed on main
// yet. This is the smallest stand-in with the same shape (Diagnosis{Hint,
// Findings, Actions}, Action{ID, Label, Params}); replace diagnose's body with
// wechat.Diagnose and delete the local types when it lands.

import (
	"errors"
	"fmt"
	"strings"

	"wxacode/wechat"
	"wxacode/wechat/scene"
)

// fixAction is one mechanical fix: the request with it applied, ready to re-run.
type fixAction struct {
	ID, Label string
	Params    wechat.Params
}

// diagnosis is what the Hint pane shows about a failed or refused request.
type diagnosis struct {
	Title    string
	Causes   []string
	Findings []string
	Actions  []fixAction
}

var hintTitles = map[int]string{
	40001: "access_token invalid: another system may have refreshed it",
	40097: "env_version is not release, trial or develop",
	40129: "scene contains characters WeChat does not accept",
	40159: "path is empty or too long",
	40164: "this machine's IP is not in the API IP whitelist",
	40169: "scene is empty or longer than 32 characters",
	40189: "width is outside 280–1280",
	41030: "page is not valid: not released, leading /, or a query in page",
	45009: "rate limit reached for this minute",
	45029: "the 100,000 lifetime pool for limited codes is used up",
	85096: "scancode_time is a reserved parameter name",
}

// diagnose explains err for the request built from p and proposes one-key fixes.
func diagnose(p wechat.Params, err error) diagnosis {
	var d diagnosis
	var api *wechat.APIError
	var ve *wechat.ValidationError
	code := 0
	switch {
	case errors.As(err, &api):
		code = api.Code
	case errors.As(err, &ve):
		for _, pr := range ve.Problems {
			d.Findings = append(d.Findings, pr.String())
			if code == 0 {
				code = pr.Code
			}
		}
	}
	d.Title = hintTitles[code]
	if d.Title == "" && err != nil {
		d.Title = "the request failed"
	}
	d.Actions = fixesFor(p, code)
	return d
}

// fixesFor lists the mechanical fixes that apply to p, most likely first.
func fixesFor(p wechat.Params, code int) []fixAction {
	var out []fixAction
	if p.Kind == wechat.KindUnlimited {
		if strings.HasPrefix(p.Page, "/") {
			q := p
			q.Page = strings.TrimLeft(p.Page, "/")
			out = append(out, fixAction{"strip-slash", "strip the leading / from page", q})
		}
		if page, query, ok := strings.Cut(p.Page, "?"); ok {
			q := p
			q.Page = page
			if q.Scene == "" {
				q.Scene = query
			} else {
				q.Scene += "&" + query
			}
			out = append(out, fixAction{"query-to-scene", "move the query from page into scene", q})
		}
		if code == 41030 && (p.CheckPath == nil || *p.CheckPath) {
			q := p
			q.CheckPath = wechat.Bool(false)
			out = append(out, fixAction{"check-path-off", "turn check_path off (page not published yet)", q})
		}
	}
	if p.Kind.Limited() && code == 45029 {
		q := p
		q.Kind = wechat.KindUnlimited
		page, query, _ := strings.Cut(p.Path, "?")
		q.Page, q.Scene, q.Path = strings.TrimLeft(page, "/"), query, ""
		out = append(out, fixAction{"use-unlimited", "use getwxacodeunlimit (no pool) with the query as scene", q})
	}
	if fit, ok := fitScene(p.Scene); ok && p.Kind == wechat.KindUnlimited {
		q := p
		q.Scene = fit
		out = append(out, fixAction{"fit-scene", fmt.Sprintf("fit the scene into 32 characters (%s)", fit), q})
	}
	return out
}

// fitScene proposes a scene that fits, from wechat/scene's Fit. Mapping ids
// are skipped: they only work with a mapping file the user has not chosen.
func fitScene(s string) (string, bool) {
	if s == "" || len(wechat.SceneProblems(s)) == 0 {
		return "", false
	}
	for _, p := range scene.Fit(s, scene.FitOptions{}) {
		if p.Strategy != scene.StrategyAsIs && p.Strategy != scene.StrategyMappingID && p.Scene != s {
			return p.Scene, true
		}
	}
	return "", false
}

// launchParam is the DevTools launch parameter for the form's scene and page.
func launchParam(p wechat.Params) string {
	d, err := scene.DevToolsFor(p.Scene, p.Page)
	if err != nil {
		return ""
	}
	return d.LaunchParam
}
