package main

// ADAPTER (temporary): wechat.HintFor / wechat.Hints / wechat.Diagnose
// (hints issue) have not landed on main yet. These three functions are the
// only place cmd_get and cmd_hint reach them; replace their bodies with the
// wechat calls and delete the table when they land.

import (
	"sort"

	"wxacode/wechat"
)

// hintInfo mirrors wechat.Hint.
type hintInfo struct {
	Code   int
	Title  string
	Causes []string
	Fixes  []string
}

var interimHints = map[int]hintInfo{
	40001: {40001, "access_token invalid or not the latest", []string{"another server refreshed the token with /cgi-bin/token, which invalidates the old one", "the token belongs to another app"},
		[]string{"use stable tokens (token_mode = \"stable\") everywhere, or one central token service (token_cmd)"}},
	40164: {40164, "this machine's IP is not in the API IP whitelist", []string{"the token endpoints check the caller's IP"},
		[]string{"add the IP from the errmsg under 开发管理 → 开发设置 → IP白名单 in the mini program admin console"}},
	40169: {40169, "scene is empty or longer than 32 characters", nil, []string{"keep the scene to 1-32 characters; store longer data server-side and put its key in the scene"}},
	40129: {40129, "scene contains characters WeChat does not accept", nil, []string{"use only A-Z a-z 0-9 !#$&'()*+,/:;=?@-._~"}},
	41030: {41030, "page is invalid", []string{"the page is not in the released version", "page starts with / or carries a ?query"},
		[]string{"release the page, or send check_path=false with env_version trial/develop", "drop the leading / and move the query into scene"}},
	47001: {47001, "the request body is not valid JSON or a field has the wrong type", nil, []string{"send a JSON body with the documented types"}},
}

func hintFor(code int) (hintInfo, bool) { h, ok := interimHints[code]; return h, ok }

func knownHints() []hintInfo {
	out := make([]hintInfo, 0, len(interimHints))
	for _, h := range interimHints {
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// diagnose returns the hint for err's errcode and findings about req.
func diagnose(req wechat.Request, err error) (hintInfo, []string) {
	_ = req
	if code := errCode(err); code != 0 {
		h, _ := hintFor(code)
		return h, nil
	}
	return hintInfo{}, nil
}
