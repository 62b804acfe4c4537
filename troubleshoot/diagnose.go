package troubleshoot

import (
	"context"
	"errors"
	"fmt"
	"net"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"wxacode/wechat"
)

// Action IDs: each names one mechanical fix. The UI binds keys to them.
const (
	ActionStripSlash   = "strip-slash"    // drop the leading / from page
	ActionQueryToScene = "query-to-scene" // move page's ?query into scene
	ActionCheckPathOff = "check-path-off" // send check_path:false
	// ActionCheckPathOffTrial and ActionCheckPathOffDevelop send
	// check_path:false with env_version trial or develop, the versions where
	// an unreleased page exists.
	ActionCheckPathOffTrial   = "check-path-off-trial"
	ActionCheckPathOffDevelop = "check-path-off-develop"
	ActionUseUnlimited        = "use-unlimited" // switch a limited/qrcode request to getwxacodeunlimit
	ActionFitScene            = "fit-scene"     // rewrite an unlimited scene that does not fit (wechat/scene's Fit)
)

// Action is one mechanical fix: the request with the fix applied, ready to re-run.
type Action struct {
	ID, Label string
	Params    wechat.Params
}

// Diagnosis explains one failed request: the hint for its errcode, findings
// about this very request, and fixes that can be applied with one key.
type Diagnosis struct {
	Hint     Hint
	Findings []string
	Actions  []Action
}

// String is the diagnosis as plain text for the command line: the hint's
// title, findings, causes, fixes and the available actions.
func (d Diagnosis) String() string {
	var b strings.Builder
	if d.Hint.Code != 0 {
		fmt.Fprintf(&b, "errcode %d: ", d.Hint.Code)
	}
	title := d.Hint.Title
	if title == "" {
		title = "no problem found"
	}
	b.WriteString(title)
	b.WriteString("\n")
	writeList(&b, "About this request", d.Findings)
	writeList(&b, "Causes", d.Hint.Causes)
	writeList(&b, "Fixes", d.Hint.Fixes)
	if len(d.Actions) > 0 {
		items := make([]string, len(d.Actions))
		for i, a := range d.Actions {
			items[i] = a.ID + ": " + a.Label
		}
		writeList(&b, "Automatic fixes", items)
	}
	return b.String()
}

// Diagnose explains err, the failure of req, and proposes fixes. req may be
// nil; err may be nil, in which case req is validated and any problems are
// diagnosed. It never panics.
func Diagnose(req wechat.Request, err error) (d Diagnosis) {
	defer func() {
		// Diagnosis is a courtesy on an error path: a bug here must not take the caller down.
		if r := recover(); r != nil {
			d = Diagnosis{Hint: Hint{Title: "could not diagnose this failure"},
				Findings: []string{fmt.Sprint("internal error while diagnosing: ", r)}}
		}
	}()
	p, hasReq := safeParams(req)
	if err == nil {
		if !hasReq {
			return Diagnosis{}
		}
		if err = req.Validate(); err == nil {
			return Diagnosis{}
		}
	}
	dg := &diagnoser{p: p, hasReq: hasReq, req: req, err: err}
	dg.run()
	dg.fitScene()
	return dg.d
}

// safeParams is ParamsOf that tolerates a nil interface or a typed nil pointer.
func safeParams(req wechat.Request) (wechat.Params, bool) {
	if req == nil {
		return wechat.Params{}, false
	}
	if v := reflect.ValueOf(req); v.Kind() == reflect.Pointer && v.IsNil() {
		return wechat.Params{}, false
	}
	switch req.(type) {
	case *wechat.UnlimitedRequest, *wechat.LimitedRequest, *wechat.QRCodeRequest:
		return wechat.ParamsOf(req), true
	}
	return wechat.Params{}, false
}

type diagnoser struct {
	p      wechat.Params
	hasReq bool
	req    wechat.Request
	err    error
	d      Diagnosis
}

func (dg *diagnoser) find(format string, args ...any) {
	dg.d.Findings = append(dg.d.Findings, fmt.Sprintf(format, args...))
}

func (dg *diagnoser) act(id, label string, p wechat.Params) {
	dg.d.Actions = append(dg.d.Actions, Action{ID: id, Label: label, Params: p})
}

func (dg *diagnoser) hint(code int) {
	if h, ok := HintFor(code); ok {
		dg.d.Hint = h
	} else {
		dg.d.Hint = unknownHint(code)
	}
}

func (dg *diagnoser) run() {
	var ve *wechat.ValidationError
	var rl *wechat.RateLimitError
	var api *wechat.APIError
	switch {
	case safeAs(dg.err, &ve) && ve != nil:
		dg.validation(ve)
	case safeAs(dg.err, &rl) && rl != nil && rl.API != nil:
		dg.hint(rl.API.Code)
		dg.apiCode(rl.API)
	case safeAs(dg.err, &api) && api != nil:
		dg.hint(api.Code)
		dg.apiCode(api)
	default:
		dg.transport()
	}
}

// safeAs is errors.As that survives an Unwrap method panicking on a typed
// nil error (errors.As would call it).
func safeAs[T any](err error, target *T) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return errors.As(err, target)
}

// safeIs is errors.Is with the same protection.
func safeIs(err, target error) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return errors.Is(err, target)
}

// validation: the client refused the request before calling; the first
// problem's errcode chooses the hint and every problem is a finding.
func (dg *diagnoser) validation(ve *wechat.ValidationError) {
	code := 0
	for _, pr := range ve.Problems {
		if pr.Code != 0 {
			code = pr.Code
			break
		}
	}
	if code != 0 {
		dg.hint(code)
	} else {
		dg.d.Hint = Hint{Title: "the request is invalid",
			Causes: []string{"wxacode checked the request against WeChat's documented rules; no call was made"},
			Fixes:  []string{"fix each problem listed"}}
	}
	for _, pr := range ve.Problems {
		dg.find("%s", pr.String())
	}
	if len(ve.Problems) == 0 {
		dg.find("%s", ve.Error())
	}
	dg.pageActions(false)
	for _, pr := range ve.Problems {
		if pr.Field == "scene" && (pr.Code == 40169 || pr.Code == 40129) {
			dg.find("run `wxacode scene fit` to map the payload into a scene that fits")
			break
		}
	}
}

// apiCode adds what is specific to this request for an errcode answer.
func (dg *diagnoser) apiCode(api *wechat.APIError) {
	p := dg.p
	switch api.Code {
	case -1:
		dg.find("WeChat reported a transient failure; wxacode retried with back-off before giving up, so wait a little and try again")
	case 40001, 40014, 42001:
		dg.token(api)
	case 40097:
		dg.envVersion()
	case 40129:
		dg.scene40129()
	case 40159:
		dg.path40159()
	case 40164:
		dg.ip40164(api)
	case 40169:
		dg.scene40169()
	case 40189:
		if dg.hasReq {
			dg.find("width is %d; WeChat accepts %d–%d (0 sends nothing and gets %d)", p.Width, wechat.MinWidth, wechat.MaxWidth, wechat.DefaultWidth)
		}
	case 41030:
		dg.page41030()
	case 45009, 45011:
		dg.rateLimit(api)
	case 45029:
		dg.useUnlimited()
	case 47001:
		dg.format47001()
	case 48001, 45063:
		dg.find("the access token used is not this mini program's own: check that appid/secret (or WXACODE_ACCESS_TOKEN, token_cmd) belong to the mini program, not a 公众号 (official account), and that third-party platforms pass the authorizer_access_token, not the component_access_token")
	case 85096:
		field, val := "path", p.Path
		if p.Kind == wechat.KindUnlimited {
			field, val = "page", p.Page
		}
		if dg.hasReq && strings.Contains(val, wechat.ReservedQueryName) {
			dg.find("%s %q contains %s; WeChat adds that parameter itself, so rename yours", field, val, wechat.ReservedQueryName)
		}
	case 40066:
		if api.Endpoint != "" {
			dg.find("the call went to %s; check the base URL has no extra path", api.Endpoint)
		}
	case 61004:
		if ip := ipFromMsg(api.Msg); ip != "" {
			dg.find("WeChat saw the third-party platform's call coming from %s: add it to the platform's IP whitelist at open.weixin.qq.com (the mini program's own whitelist does not apply here)", ip)
		}
	case 89501, 89503, 89506, 89507:
		if ip := ipFromMsg(api.Msg); ip != "" {
			dg.find("the IP in question is %s; whitelisting it in %s avoids the confirmation", ip, ipWhitelistPlace)
		}
	}
}

func (dg *diagnoser) token(api *wechat.APIError) {
	switch api.Code {
	case 40001:
		dg.find("the token was valid but is no longer the latest: someone (another server, process, SDK or a script) called /cgi-bin/token for this AppID, which mints a new token and kills the old one about 5 minutes later; processes that each refresh on their own keep invalidating each other")
		dg.find("stop the fight: use the stable token (appid+secret with /cgi-bin/stable_token, wxacode's default; every caller gets the same token) or fetch tokens from one central service via token_cmd / WXACODE_TOKEN_CMD")
		dg.find("wxacode already dropped the failed token, fetched a new one and retried once; a fixed token (WXACODE_ACCESS_TOKEN) cannot be renewed, so replace it")
	case 40014:
		dg.find("the token is malformed or not an access_token of this mini program; check WXACODE_ACCESS_TOKEN or the token command's output for quotes, spaces or a cut-off value")
	case 42001:
		dg.find("the token expired (tokens live about 2 hours); wxacode renews and retries once, so a cached or fixed token that outlived its expiry is the usual cause")
	}
}

func (dg *diagnoser) envVersion() {
	if !dg.hasReq {
		dg.find("env_version must be release, trial or develop, or left out")
		return
	}
	switch env := dg.p.EnvVersion; {
	case env == "":
		dg.find(`wxacode leaves out an empty env_version, so WeChat must have received env_version:"" (or another value) from something else: another SDK or a proxy; omit the field or send release, trial or develop`)
	case !slices.Contains(wechat.EnvVersions, env):
		dg.find("env_version is %q; WeChat accepts only release, trial or develop", env)
	default:
		dg.find("env_version %q is valid here; check that a proxy or another encoder does not rewrite it", env)
	}
}

func (dg *diagnoser) scene40129() {
	if !dg.hasReq || dg.p.Kind != wechat.KindUnlimited {
		return
	}
	sc := dg.p.Scene
	bad := 0
	for _, pr := range wechat.SceneProblems(sc) {
		if pr.Code == 40129 {
			bad++
			dg.find("%s", pr.String())
		}
	}
	if bad > 0 {
		return
	}
	if strings.ContainsAny(sc, "&<>") {
		dg.find("scene %q is valid, but contains & < or >: an encoder that HTML-escapes JSON (Go's json.Marshal default) sends them as \\u0026 \\u003c \\u003e, and WeChat reads the backslash literally; make sure whatever sends this body uses SetEscapeHTML(false)", sc)
		return
	}
	dg.find("scene %q passes the local check, so WeChat received something else: suspect \\u0026-style escaping or re-encoding by another encoder or proxy; the rid lookup (查询 rid 信息) shows what WeChat received", sc)
}

func (dg *diagnoser) scene40169() {
	if !dg.hasReq || dg.p.Kind != wechat.KindUnlimited {
		return
	}
	sc := dg.p.Scene
	n := utf8.RuneCountInString(sc)
	switch {
	case n == 0:
		dg.find("scene is empty; getwxacodeunlimit needs 1 to %d characters", wechat.MaxSceneLen)
	case n > wechat.MaxSceneLen:
		dg.find("scene is %d characters, %d over the limit of %d; run `wxacode scene fit` to shorten it", n, n-wechat.MaxSceneLen, wechat.MaxSceneLen)
	default:
		escaped := n + 5*strings.Count(sc, "&") + 5*strings.Count(sc, "<") + 5*strings.Count(sc, ">")
		if escaped > wechat.MaxSceneLen {
			dg.find("scene is %d characters here, but %d once & < > are HTML-escaped as \\u0026: another encoder sent the escaped form", n, escaped)
		} else {
			dg.find("scene is %d characters here (limit %d), so WeChat did not receive it as sent: suspect a body that is not JSON or another encoder", n, wechat.MaxSceneLen)
		}
	}
}

func (dg *diagnoser) path40159() {
	if !dg.hasReq {
		return
	}
	p := dg.p
	if p.Kind == wechat.KindUnlimited {
		dg.find("getwxacodeunlimit takes page and scene; 40159 is about path, so check the request went to the right endpoint")
		return
	}
	limit := wechat.MaxLimitedPath
	if p.Kind == wechat.KindQRCode {
		limit = wechat.MaxLegacyPath
	}
	switch n := len(p.Path); {
	case n == 0:
		dg.find("path is empty; %s needs the page path, with an optional query", p.Kind.Path())
	case n > limit:
		dg.find("path is %d bytes, over the %d-byte limit of %s (non-ASCII characters take 3 bytes)", n, limit, p.Kind.Path())
	case p.Kind == wechat.KindLimited && n > wechat.MaxLegacyPath:
		dg.find("path is %d bytes: within the current 1024 but over the old 128-byte limit, which this account may still be held to; shorten it or use getwxacodeunlimit", n)
	default:
		dg.find("path is %d bytes, within the limit; if another tool sent this, check it sends path (not page) in a JSON body", n)
	}
}

// ipPatterns are compiled on first use: at start they would cost every
// process, a preview too, their compiling.
var ipPatterns = sync.OnceValues(func() (ip, ipv4 *regexp.Regexp) {
	return regexp.MustCompile(`(?i)invalid ip\s+([0-9a-f.:]+[0-9a-f])`), regexp.MustCompile(`\b(\d{1,3}(?:\.\d{1,3}){3})\b`)
})

func ipFromMsg(msg string) string {
	ip, ipv4 := ipPatterns()
	if m := ip.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	if m := ipv4.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	return ""
}

func (dg *diagnoser) ip40164(api *wechat.APIError) {
	ip := ipFromMsg(api.Msg)
	if ip == "" {
		dg.find("WeChat did not say which IP it saw; add this machine's public egress IP in %s", ipWhitelistPlace)
		return
	}
	dg.find("WeChat saw the request coming from %s: add %s to %s", ip, ip, ipWhitelistPlace)
	dg.find("%s is the egress IP after NAT or proxies; it can differ from what ifconfig/ipconfig shows, and changes with a dynamic IP or a VPN", ip)
}

func (dg *diagnoser) page41030() {
	p := dg.p
	if !dg.hasReq || p.Kind != wechat.KindUnlimited {
		return
	}
	if dg.pageActions(true) {
		return
	}
	checkOn := p.CheckPath == nil || *p.CheckPath
	if !checkOn {
		dg.find("check_path is already false, so page %q was refused for its form or because the 60,000 unchecked-page cap is reached; check the spelling against app.json", p.Page)
		return
	}
	what := fmt.Sprintf("page %q is not in the released version", p.Page)
	if p.Page == "" {
		what = "no page was given and the app may have no released version"
	}
	dg.find("%s, and check_path is on (WeChat's default when it is not sent), so WeChat refuses it: a new page, one only in a trial or grey-release build, an app never published, or a release of the last hours", what)
	if p.EnvVersion == "trial" || p.EnvVersion == "develop" {
		dg.find("env_version %q does not relax the page check: with check_path on WeChat looks the page up in the released version whatever env_version says; send check_path:false for a page that is not released yet", p.EnvVersion)
	}
	q := clonedParams(p)
	q.CheckPath = wechat.Bool(false)
	if p.EnvVersion == "trial" || p.EnvVersion == "develop" {
		dg.act(ActionCheckPathOff, "send check_path:false (the page need not be released; at most 60,000 such pages)", q)
		return
	}
	// check_path:false alone gets a code, but it opens the released version,
	// where the page is not: it only works once the page is released.
	dg.act(ActionCheckPathOff, "send check_path:false (the code opens the released version: release the page before it is scanned)", q)
	for _, env := range []struct{ id, name string }{{ActionCheckPathOffTrial, "trial"}, {ActionCheckPathOffDevelop, "develop"}} {
		e := clonedParams(q)
		e.EnvVersion = env.name
		dg.act(env.id, fmt.Sprintf("send check_path:false, env_version %s (the code opens the %s version, where the page is)", env.name, env.name), e)
	}
}

// pageActions proposes strip-slash and query-to-scene for an unlimited page
// with a leading / or a query; it reports whether the page had either.
// explain adds findings about the page (a validation error already has them).
func (dg *diagnoser) pageActions(explain bool) bool {
	p := dg.p
	if !dg.hasReq || p.Kind != wechat.KindUnlimited {
		return false
	}
	slash := strings.HasPrefix(p.Page, "/")
	page, query, hasQuery := strings.Cut(p.Page, "?")
	if !slash && !hasQuery {
		return false
	}
	if slash && explain {
		dg.find("page %q starts with /; WeChat wants the bare path (%s)", p.Page, strings.TrimLeft(page, "/"))
	}
	moved := false
	if hasQuery {
		sc := query
		if p.Scene != "" && query != "" {
			sc = p.Scene + "&" + query
		} else if query == "" {
			sc = p.Scene
		}
		if probs := wechat.SceneProblems(sc); len(probs) == 0 {
			switch {
			case explain && query == "":
				dg.find("page %q ends with ?; WeChat refuses any ? in page, even with nothing after it", p.Page)
			case explain:
				dg.find("page %q carries a query; getwxacodeunlimit takes parameters only in scene, so ?%s belongs there (scene %q)", p.Page, query, sc)
			}
			q := clonedParams(p)
			q.Page = strings.TrimLeft(page, "/")
			q.Scene = sc
			label := fmt.Sprintf("move ?%s from page into scene (%s)", query, sc)
			if query == "" {
				// A bare trailing ? carries nothing to move: dropping it is the whole fix.
				label = "drop the empty ? from page"
			}
			if slash {
				label += " and strip the leading /"
			}
			dg.act(ActionQueryToScene, label, q)
			moved = true
		} else {
			dg.find("page %q carries a query, but scene %q would not fit (%s); run `wxacode scene fit` to encode it into %d characters", p.Page, sc, probs[0].Message, wechat.MaxSceneLen)
		}
	}
	// query-to-scene already strips the slash; offer strip-slash alone only
	// when it is the fix that remains.
	if slash && !moved {
		q := clonedParams(p)
		q.Page = strings.TrimLeft(p.Page, "/")
		dg.act(ActionStripSlash, "strip the leading / from page", q)
	}
	return true
}

func (dg *diagnoser) rateLimit(api *wechat.APIError) {
	var rl *wechat.RateLimitError
	when := ""
	if safeAs(dg.err, &rl) && rl != nil && !rl.NextMinute.IsZero() {
		when = rl.NextMinute.Local().Format("15:04:05")
	} else if !api.Time.IsZero() {
		// No rate-limit error around it (another caller built the *APIError):
		// the rid's request time still tells which minute was used up.
		when = api.Time.Truncate(time.Minute).Add(time.Minute).Local().Format("15:04:05")
	}
	switch {
	case strings.Contains(api.Endpoint, wechat.StableTokenPath):
		// Normal-mode stable_token has a large quota; 45009 there means the
		// 20 force refreshes a day are used up, which wxacode never does on its own.
		dg.find("stable_token allows 20 force refreshes (force_refresh:true) a day and this AppID has used them; wxacode never forces a refresh, so another tool or server did: stop it forcing, and wait until tomorrow")
	case isTokenEndpoint(api.Endpoint):
		dg.find("the token endpoint's daily quota is used up; it resets tomorrow, or clear it with /cgi-bin/clear_quota (10 a month); switch to the stable token and cache it")
	case dg.hasReq && dg.p.Kind == wechat.KindUnlimited || api.Endpoint == wechat.KindUnlimited.Path():
		if when != "" {
			dg.find("getwxacodeunlimit allows 5000 calls a minute; retry after %s, when the next minute starts", when)
		} else {
			dg.find("getwxacodeunlimit allows 5000 calls a minute; retry when the next minute starts")
		}
	case dg.hasReq && dg.p.Kind == wechat.KindLimited:
		dg.find("getwxacode allows 10,000 new codes a day: this is a daily quota, so retrying after the next minute%s only helps if it was a burst; otherwise wait until tomorrow or switch to getwxacodeunlimit", paren(when))
	default:
		if when != "" {
			dg.find("a per-minute limit lets calls through again at %s; a daily quota resets tomorrow", when)
		}
	}
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

func isTokenEndpoint(ep string) bool {
	return strings.Contains(ep, "token")
}

func (dg *diagnoser) useUnlimited() {
	p := dg.p
	if !dg.hasReq || !p.Kind.Limited() {
		return
	}
	page, query, _ := strings.Cut(p.Path, "?")
	page = strings.TrimLeft(page, "/")
	if query == "" {
		dg.find("path %q has no query to move into a scene; getwxacodeunlimit needs a scene of 1–%d characters, so choose one (an id) and use --kind unlimited", p.Path, wechat.MaxSceneLen)
		return
	}
	if probs := wechat.SceneProblems(query); len(probs) > 0 {
		dg.find("the query %q does not fit in a scene (%s); run `wxacode scene fit` to encode it, then use --kind unlimited", query, probs[0].Message)
		return
	}
	q := clonedParams(p)
	q.Kind, q.Path, q.Page, q.Scene = wechat.KindUnlimited, "", page, query
	if p.Kind == wechat.KindQRCode {
		q.EnvVersion, q.AutoColor, q.LineColor, q.Hyaline = "", false, nil, false
	}
	dg.find("getwxacodeunlimit has no count limit: page %q with scene %q; the mini program then reads options.query.scene and decodeURIComponent()s it instead of reading the query keys directly", page, query)
	label := fmt.Sprintf("use getwxacodeunlimit with page %s and scene %s", orHome(page), query)
	if q.EnvVersion == "trial" || q.EnvVersion == "develop" {
		// A trial/develop code usually opens a page that is not released yet, and
		// getwxacodeunlimit checks the page against the released version whatever
		// env_version says: without check_path:false the fix would just trade 45029 for 41030.
		q.CheckPath = wechat.Bool(false)
		dg.find("env_version is %q: getwxacodeunlimit checks page against the released version whatever env_version says, so the fix also sends check_path:false", q.EnvVersion)
		label += ", check_path:false"
	}
	dg.act(ActionUseUnlimited, label, q)
}

func orHome(page string) string {
	if page == "" {
		return "(home page)"
	}
	return page
}

func (dg *diagnoser) format47001() {
	if !dg.hasReq {
		dg.find("WeChat could not read the body as JSON of the expected types")
		return
	}
	body, err := dg.req.Body()
	if err != nil {
		dg.find("the body could not be encoded: %v", err)
		return
	}
	dg.find("wxacode sent valid JSON with booleans as true/false: %s", body)
	dg.find("so something between changed it, or another tool sent it: a body that is not JSON (form-encoded, toString output), or a wrong type such as is_hyaline:1 instead of true")
}

// transport diagnoses failures without an errcode: Hint.Code is 0.
func (dg *diagnoser) transport() {
	err := dg.err
	msg := wechat.Redact(safeMsg(err))
	var re *wechat.RequestError
	hasRE := safeAs(err, &re) && re != nil
	var dns *net.DNSError
	h := Hint{}
	switch {
	case safeIs(err, context.Canceled):
		h = Hint{Title: "cancelled before an answer arrived",
			Causes: []string{"the request was interrupted (Ctrl-C, closed window, or a newer request replaced it)"},
			Fixes:  []string{"run it again"}}
	case safeIs(err, wechat.ErrTruncated):
		h = Hint{Title: "the answer was cut short",
			Causes: []string{"the connection closed before the whole body arrived (fewer bytes than Content-Length)", "an unstable network or a proxy cutting large answers"},
			Fixes:  []string{"retry; wxacode retries truncated answers a few times on its own", "check proxies and the network if it keeps happening"}}
	case safeIs(err, wechat.ErrEmptyBody):
		h = Hint{Title: "empty answer",
			Causes: []string{"WeChat answered with an empty body; it does this for invalid credentials on some paths", "a proxy or the base URL swallowed the answer"},
			Fixes:  []string{"check appid and secret (`wxacode token`)", "check the base URL points at https://api.weixin.qq.com"}}
	case safeIs(err, wechat.ErrImageSize):
		h = Hint{Title: "the image is not the size of a code",
			Causes: []string{"the base URL serves something other than WeChat (codes are 280 to 1280 px wide)", "a proxy resized or replaced the answer"},
			Fixes:  []string{"check the base URL (WXACODE_BASE_URL / base_url); nothing was saved"}}
	case safeIs(err, wechat.ErrBadImage):
		h = Hint{Title: "the image does not decode completely",
			Causes: []string{"the answer started like a JPEG/PNG but is damaged or incomplete"},
			Fixes:  []string{"retry; nothing was saved"}}
	case safeIs(err, wechat.ErrNotImage):
		h = Hint{Title: "the answer is neither an image nor an errcode",
			Causes: []string{"the base URL points at something that is not WeChat (a proxy error page, a captive portal, a wrong host)"},
			Fixes:  []string{"check the base URL (WXACODE_BASE_URL / base_url)", "look at the excerpt of the answer below"}}
	case safeIs(err, wechat.ErrTooLarge):
		// Token answers are bounded too: say which answer it was.
		what := "a code"
		if hasRE && isTokenPath(re.Endpoint) {
			what = "a token answer (a few hundred bytes of JSON)"
		}
		h = Hint{Title: "the answer is too large to be " + what,
			Causes: []string{"the base URL serves something other than WeChat's API"},
			Fixes:  []string{"check the base URL (WXACODE_BASE_URL / base_url)"}}
	case hasRE && re.Status >= 500:
		h = Hint{Title: fmt.Sprintf("WeChat or a gateway answered HTTP %d", re.Status),
			Causes: []string{"a temporary failure upstream (503s have been seen on getwxacodeunlimit)"},
			Fixes:  []string{"retry later; wxacode already retried with back-off"}}
	case hasRE && re.Status != 0 && re.Status != 200:
		h = Hint{Title: fmt.Sprintf("unexpected HTTP %d", re.Status),
			Causes: []string{"WeChat answers 200 even for errors, so another status means the request did not reach WeChat's API as intended"},
			Fixes:  []string{"check the base URL and any proxy in between"}}
	case isTimeout(err):
		h = Hint{Title: "timed out",
			Causes: []string{"no answer in time: a slow network, a firewall dropping packets, or an overloaded upstream"},
			Fixes:  []string{"retry; check the network and proxy settings (HTTPS_PROXY)"}}
	case safeIs(err, syscall.ECONNREFUSED):
		h = Hint{Title: "connection refused",
			Causes: []string{"nothing listens at the base URL (a simulator that is not running, a wrong port)"},
			Fixes:  []string{"check the base URL, or start the simulator (`wxacode sim`)"}}
	case safeAs(err, &dns):
		h = Hint{Title: "host name not found",
			Causes: []string{"DNS could not resolve the base URL's host: no network, or a typo"},
			Fixes:  []string{"check the network and the base URL"}}
	case strings.Contains(msg, "access token") || strings.Contains(msg, "token command"):
		h = Hint{Title: "could not get an access token",
			Causes: []string{"the token source failed before any code was requested: missing credentials, a failing token command, or no network"},
			Fixes:  []string{"run `wxacode token` to check the credentials", "set appid and secret, WXACODE_ACCESS_TOKEN or token_cmd"}}
	default:
		h = Hint{Title: "the request failed",
			Causes: []string{"a failure below the API level: network, proxy or local problem"},
			Fixes:  []string{"read the error below; retry"}}
	}
	dg.d.Hint = h
	dg.find("%s", msg)
}

// safeMsg is err.Error() for errors whose Error method may panic (a typed nil
// *APIError, a *RateLimitError without its API error).
func safeMsg(err error) (msg string) {
	defer func() {
		if recover() != nil {
			msg = fmt.Sprintf("%T with no details", err)
		}
	}()
	return err.Error()
}

func isTimeout(err error) bool {
	if safeIs(err, context.DeadlineExceeded) {
		return true
	}
	var t interface{ Timeout() bool }
	return safeAs(err, &t) && t.Timeout()
}

// clonedParams copies p, including the pointed-to colour, so an action's
// Params never alias the original request.
func clonedParams(p wechat.Params) wechat.Params {
	if p.LineColor != nil {
		c := *p.LineColor
		p.LineColor = &c
	}
	if p.CheckPath != nil {
		p.CheckPath = wechat.Bool(*p.CheckPath)
	}
	return p
}

// isTokenPath is true for the token endpoints' paths.
func isTokenPath(p string) bool {
	switch p {
	case wechat.StableTokenPath, wechat.ClassicTokenPath, wechat.AuthorizerTokenPath:
		return true
	}
	return false
}
