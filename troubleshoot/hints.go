package troubleshoot

import (
	"slices"
	"strconv"
	"strings"

	"wxacode/wechat"
)

// Hint is the troubleshooting text for one errcode: what it means, what
// usually causes it, and what fixes it. Code 0 is used for failures that have
// no errcode (transport errors, empty or truncated answers).
type Hint struct {
	Code   int
	Title  string
	Causes []string
	Fixes  []string
}

// String is the plain-text troubleshooting text `wxacode hint CODE` prints: a
// title line, then Causes and Fixes as bullet lists.
func (h Hint) String() string {
	var b strings.Builder
	if h.Code != 0 {
		b.WriteString("errcode ")
		b.WriteString(strconv.Itoa(h.Code))
		b.WriteString(": ")
	}
	b.WriteString(h.Title)
	b.WriteString("\n")
	writeList(&b, "Causes", h.Causes)
	writeList(&b, "Fixes", h.Fixes)
	return b.String()
}

func writeList(b *strings.Builder, heading string, items []string) {
	if len(items) == 0 {
		return
	}
	b.WriteString("\n")
	b.WriteString(heading)
	b.WriteString(":\n")
	for _, it := range items {
		b.WriteString("  - ")
		b.WriteString(it)
		b.WriteString("\n")
	}
}

// clone copies the slices so callers cannot change the table.
func (h Hint) clone() Hint {
	h.Causes = slices.Clone(h.Causes)
	h.Fixes = slices.Clone(h.Fixes)
	return h
}

// HintFor returns the troubleshooting hint for an errcode; ok is false for a
// code the table does not know.
func HintFor(code int) (Hint, bool) {
	h, ok := hintTable[code]
	if !ok {
		return Hint{}, false
	}
	h.Code = code
	return h.clone(), true
}

// Hints returns every hint, sorted by code.
func Hints() []Hint {
	out := make([]Hint, 0, len(hintTable))
	for code, h := range hintTable {
		h.Code = code
		out = append(out, h.clone())
	}
	slices.SortFunc(out, func(a, b Hint) int { return a.Code - b.Code })
	return out
}

// linkRulesPlace is where the admin console keeps link rules.
const linkRulesPlace = "the mini program admin console, 开发管理 → 开发设置 → 扫普通链接二维码打开小程序"

// unknownHint is what a code outside the table gets, so there is always
// something to show.
func unknownHint(code int) Hint {
	return Hint{Code: code, Title: "errcode not in wxacode's table",
		Causes: []string{"WeChat answered an errcode this program has no notes for"},
		Fixes: []string{
			"read the errmsg: it is usually specific",
			"look the code up in WeChat's global error code list (全局返回码) in the official documentation",
			"feed the rid to WeChat's rid lookup (查询 rid 信息) to see the parameters WeChat received",
		}}
}

// Where the IP whitelist lives in the mini program console; several hints and
// findings point there.
const ipWhitelistPlace = "mp.weixin.qq.com → 开发管理 → 开发设置 → IP白名单 (Development → Development settings → IP whitelist)"

// hintTable covers every errcode in the WeChat code/token spec (sections 1, 3,
// 4 and 9). The Code field is filled from the key.
var hintTable = map[int]Hint{
	-1: {Title: "system error: a transient failure on WeChat's side",
		Causes: []string{
			"WeChat's backend failed for this one call; bursts have been reported (2020-12-11, 2022-06-29, 2023-05-10)",
		},
		Fixes: []string{
			"retry with back-off; wxacode already retries -1 a few times with exponential delays",
			"if it persists for minutes, check WeChat's status announcements and try again later",
		}},
	40001: {Title: "invalid credential: the access_token is invalid or not the latest",
		Causes: []string{
			"another server, process or SDK called /cgi-bin/token for the same AppID: every call mints a new token and the old one dies about 5 minutes later (a token fight)",
			"the token belongs to another app, or is garbage (a truncated or placeholder value)",
			"on the token endpoint itself (old docs): a wrong AppSecret",
		},
		Fixes: []string{
			"use the stable token (/cgi-bin/stable_token, normal mode): every caller gets the same token, so servers stop invalidating each other; it is wxacode's default for appid+secret",
			"or let one central token service own the token and have wxacode ask it (token_cmd / WXACODE_TOKEN_CMD)",
			"wxacode drops the failed token, fetches a new one and retries exactly once; repeated 40001 means someone else keeps refreshing",
		}},
	40002: {Title: "invalid grant_type",
		Causes: []string{"a token endpoint was called with grant_type other than client_credential"},
		Fixes:  []string{"send grant_type=client_credential (wxacode always does; check any proxy or custom token command)"}},
	40013: {Title: "invalid appid",
		Causes: []string{"the AppID is unknown or mistyped (case, stray spaces or quotes, another account's id)"},
		Fixes: []string{
			"copy the AppID again from mp.weixin.qq.com → 开发管理 → 开发设置 (Development → Development settings)",
			"check WXACODE_APPID and appid in the config file for stray characters",
		}},
	40014: {Title: "invalid access_token: the token is malformed or of the wrong type",
		Causes: []string{
			"the token string is malformed (cut off, quoted, with spaces or a newline)",
			"the token is for another account or another kind of credential",
		},
		Fixes: []string{
			"fetch a fresh token; wxacode refetches and retries once on its own",
			"check the token you pass (WXACODE_ACCESS_TOKEN, token_cmd output) is the mini program's bare access_token",
		}},
	40066: {Title: "invalid url: no such API",
		Causes: []string{"the request went to a path that is not a WeChat API (e.g. /cgi-bin/wxa/getwxacode instead of /wxa/getwxacode)"},
		Fixes: []string{
			"check the base URL (WXACODE_BASE_URL / base_url): it must be https://api.weixin.qq.com with no extra path",
			"the code endpoints are /wxa/getwxacodeunlimit, /wxa/getwxacode and /cgi-bin/wxaapp/createwxaqrcode",
		}},
	40097: {Title: "invalid args: env_version is not release, trial or develop",
		Causes: []string{
			"env_version was sent with a value other than release, trial or develop",
			"env_version was sent as an empty string \"\" (some SDKs do this); WeChat rejects it instead of using the default",
		},
		Fixes: []string{
			"use release, trial or develop, or leave it out (release is the default); wxacode omits an empty env_version",
		}},
	40125: {Title: "invalid appsecret",
		Causes: []string{"the AppSecret is wrong, or was reset in the console and the old one is still configured"},
		Fixes: []string{
			"copy the AppSecret again (or reset it) in mp.weixin.qq.com → 开发管理 → 开发设置 (Development → Development settings)",
			"check WXACODE_SECRET and secret in the config file",
		}},
	40129: {Title: "invalid scene: the scene contains a character WeChat does not accept",
		Causes: []string{
			"a character outside 0-9 A-Z a-z and " + wechat.SceneCharset + ": a space, %, non-ASCII (Chinese), a backslash",
			"a JSON encoder that HTML-escapes & < > (Go's json.Marshal default) sent \\u0026 for &; WeChat reads the backslash literally",
			"a URL-encoded scene (%xx): WeChat encodes the scene itself and does not allow %",
		},
		Fixes: []string{
			"keep the scene to letters, digits and " + wechat.SceneCharset + "; map other values to ids or base62 (wxacode scene fit)",
			"encode the body without HTML escaping (json.Encoder.SetEscapeHTML(false)); wxacode already does",
		}},
	40159: {Title: "invalid length for path: path is empty, too long, or the body is not JSON",
		Causes: []string{
			"getwxacode/createwxaqrcode got no path, or an empty one",
			"the path is too long: getwxacode allows 1024 (old rule: 128) bytes, createwxaqrcode 128 bytes; non-ASCII characters take 3 bytes",
			"page was sent instead of path (page is getwxacodeunlimit's field)",
			"the body is not JSON",
		},
		Fixes: []string{
			"send path with the page and an optional query, for example pages/index/index?id=1",
			"shorten the query, or switch to getwxacodeunlimit and put a short id in the scene",
		}},
	40164: {Title: "invalid ip: the caller's IP is not in the API IP whitelist",
		Causes: []string{
			"the account has an API IP whitelist and the request's egress IP (after NAT or proxy, as WeChat saw it) is not in it",
			"the egress IP changed (dynamic IP, new server, a proxy or VPN)",
		},
		Fixes: []string{
			"add the IP shown in errmsg in " + ipWhitelistPlace,
			"use the IP from errmsg, not what ifconfig/ipconfig shows: NAT and proxies change it",
		}},
	40169: {Title: "invalid length for scene: the scene is empty or longer than 32 characters",
		Causes: []string{
			"getwxacodeunlimit got no scene, an empty one, or more than 32 characters",
			"a JSON encoder escaped & < > as \\u0026 (6 characters each), pushing the scene past 32",
			"the body was not parseable JSON",
		},
		Fixes: []string{
			"give a scene of 1 to 32 characters; store long payloads server-side and put a short id in the scene (wxacode scene fit)",
			"encode the body without HTML escaping; wxacode already does",
		}},
	40189: {Title: "invalid width: width is outside 280–1280",
		Causes: []string{"width below 280 or above 1280 (documented for getwxacode; B and C may clamp instead)"},
		Fixes:  []string{"use a width from 280 to 1280 pixels, or leave it out for the default 430"}},
	40243: {Title: "AppSecret frozen",
		Causes: []string{"the AppSecret was frozen in the console, so no token can be fetched with it"},
		Fixes:  []string{"unfreeze (or reset) the AppSecret in mp.weixin.qq.com → 开发管理 → 开发设置 (Development → Development settings)"}},
	41001: {Title: "access_token missing",
		Causes: []string{"the call had no access_token query parameter (it must be in the URL, not in the body)"},
		Fixes:  []string{"pass the token as ?access_token=…; wxacode does; check any proxy in between keeps the query string"}},
	41002: {Title: "appid missing",
		Causes: []string{
			"a token endpoint got no appid",
			"/cgi-bin/stable_token was called with query-string parameters; it only reads a JSON body",
		},
		Fixes: []string{"send appid (for stable_token in the JSON body); set WXACODE_APPID or appid in the config file"}},
	41004: {Title: "appsecret missing",
		Causes: []string{"a token endpoint got no secret"},
		Fixes:  []string{"set WXACODE_SECRET or secret in the config file"}},
	41030: {Title: "invalid page: page is malformed or not in the released version",
		Causes: []string{
			"page starts with / or contains a query (?a=1); parameters belong in scene",
			"check_path is on (the default) and the page is not in the released version: a new page, a page only in a trial or grey-release build, or an app never published",
			"env_version trial/develop with check_path on: env_version does not relax the page check",
			"the page was released very recently (propagation can take a while)",
		},
		Fixes: []string{
			"write page as the bare path, without leading / or query, for example pages/index/index",
			"for a page that is not released yet, send check_path:false (at most 60,000 such pages)",
			"check the spelling against app.json of the released version",
		}},
	42001: {Title: "access_token expired",
		Causes: []string{"the token is older than its lifetime (about 2 hours)"},
		Fixes:  []string{"fetch a new token and retry; wxacode renews and retries once, and renews cached tokens shortly before expiry"}},
	43001: {Title: "require GET method",
		Causes: []string{"a GET-only API (get_qrcode, the trial version's QR) was called with POST or another method"},
		Fixes:  []string{"call get_qrcode with GET, its path in the query string (wxacode get --kind trial does); check any proxy does not rewrite the method"}},
	43002: {Title: "require POST method",
		Causes: []string{"a POST-only API was called with GET (or another method)"},
		Fixes:  []string{"call the code endpoints with POST and a JSON body; check any proxy does not rewrite the method"}},
	44990: {Title: "too many requests: link rules take at most 5 calls a second",
		Causes: []string{"qrcodejumpadd (or another link-rule call) was called more than 5 times in one second"},
		Fixes:  []string{"wait a second and retry; add rules one after another, not in parallel"}},
	44002: {Title: "empty post data",
		Causes: []string{"the request body was empty"},
		Fixes:  []string{"send the parameters as a JSON body; check any proxy forwards the body"}},
	45009: {Title: "reach max api daily quota limit: a rate limit or quota was hit",
		Causes: []string{
			"getwxacodeunlimit: more than 5000 calls in this minute (for the app)",
			"getwxacode: more than 10,000 new codes today",
			"/cgi-bin/token: the daily quota (2000 by default) is used up",
			"stable_token: more than 20 force refreshes today",
		},
		Fixes: []string{
			"per-minute limit: wait for the next minute; spread batches out (wxacode limits itself to 5000/min)",
			"daily quota: wait for the next day, or reset it with /cgi-bin/clear_quota (10 resets a month)",
			"for the token quota: use the stable token and cache it instead of fetching per call",
		}},
	45011: {Title: "api minute-quota reached: slow down and retry next minute",
		Causes: []string{"too many calls of this API in the current minute"},
		Fixes:  []string{"back off until the next minute starts, then retry more slowly"}},
	45029: {Title: "qrcode count out of limit: the 100,000 lifetime pool is used up",
		Causes: []string{
			"getwxacode and createwxaqrcode share a lifetime pool of 100,000 distinct codes; this request's parameters are new and the pool is full",
			"repeating an already generated parameter set still works; only new ones are refused",
		},
		Fixes: []string{
			"switch to getwxacodeunlimit: page = path without query, scene = the query (it has no count limit)",
			"reuse codes already generated for the same parameters",
		}},
	45063: {Title: "no permission to generate codes: the token is not a mini program's",
		Causes: []string{"the access token is not of a mini program (or mini game), or the account lacks the permission (暂无生成权限)"},
		Fixes:  []string{"use the mini program's own access token (or a third-party authorizer token with permission set 17)"}},
	47001: {Title: "data format error: the body is not valid JSON of the right types",
		Causes: []string{
			"the body is not JSON (form-encoded, or a language's toString output)",
			"a field has the wrong type: is_hyaline, check_path or auto_color as 1/0 or \"true\" instead of true/false",
			"a camelCase cloud-call key (isHyaline) or an access_token key mixed into the body",
		},
		Fixes: []string{
			"send a JSON object with booleans as true/false and strings as strings; wxacode always does",
			"if another tool or proxy builds the body, compare it with `wxacode get` output for the same parameters",
		}},
	48001: {Title: "api unauthorized: this token may not call this API",
		Causes: []string{
			"a token of the wrong account type: a 公众号 (official account) token instead of the mini program's",
			"a third-party platform's component_access_token instead of the authorizer_access_token",
			"the third-party platform was not granted the permission set (17) for codes, or the account is not verified",
			"occasionally reported intermittently with a correct token: if the same call worked before, retry once before changing anything",
		},
		Fixes: []string{
			"use the mini program's own token (appid+secret of the mini program) or the authorizer_access_token",
			"for third-party platforms: ask the authorizer to grant the code permission set",
		}},
	48006: {Title: "forbid to clear quota: the monthly clear_quota limit is reached",
		Causes: []string{"/cgi-bin/clear_quota was called more than 10 times this month"},
		Fixes:  []string{"wait for the daily quota to reset on its own; next month clear_quota works again"}},
	61004: {Title: "access clientip is not registered (third-party platform)",
		Causes: []string{"a third-party platform (component) call came from an IP not in the platform's whitelist"},
		Fixes:  []string{"register the IP in the open platform (open.weixin.qq.com) settings of the third-party platform"}},
	85066: {Title: "bad link: the rule prefix is not a valid link",
		Causes: []string{"prefix is not an http:// or https:// link with a domain, or holds characters a link cannot",
			"the domain has no ICP filing (备案) WeChat can verify"},
		Fixes: []string{"write the prefix as https://domain/path/ (a trailing / makes sub-paths match); check it with wxacode linkqr explain URL --rule PREFIX"}},
	85068: {Title: "a test link does not match the rule",
		Causes: []string{"a debug_url is not under the rule's prefix: other scheme or domain, not a sub-path, or parameters that do not start with the rule's"},
		Fixes:  []string{"give test links the rule matches: wxacode linkqr explain DEBUG_URL --rule PREFIX says why one does not"}},
	85069: {Title: "verification file check failed",
		Causes: []string{"the verification file from the admin console was not found at the rule's domain, in the last folder of the prefix (or the site root without one)",
			"the file is served with another name or content, behind a redirect, or only over the other scheme"},
		Fixes: []string{"download the verification file in " + linkRulesPlace + " and serve it at the place the console names, then add the rule again"}},
	85070: {Title: "the link is on WeChat's blacklist",
		Causes: []string{"the prefix's domain or link is blocked by WeChat"},
		Fixes:  []string{"use another domain of yours; ask WeChat support why the domain is blocked"}},
	85071: {Title: "the rule is already added",
		Causes: []string{"this mini program already has a rule with this prefix"},
		Fixes:  []string{"to change it, add it again with is_edit 1 (wxacode linkqr add PREFIX --edit …); wxacode linkqr rules lists the rules"}},
	85072: {Title: "the rule is taken by another mini program",
		Causes: []string{"another mini program holds this prefix, or a shorter rule that occupies its sub-rules (permit_sub_rule 2)"},
		Fixes:  []string{"use a prefix of your own, or ask the mini program holding it to release it"}},
	85073: {Title: "too many rules: a mini program holds at most 100",
		Causes: []string{"the mini program already has 100 link rules"},
		Fixes:  []string{"delete rules you no longer need in " + linkRulesPlace + ", or make one rule with a trailing / cover several links"}},
	85074: {Title: "the mini program is not published",
		Causes: []string{"link rules can be published only once a version of the mini program is released"},
		Fixes:  []string{"release a version first; until then test the rule with debug_url links and open_version 1 (develop) or 2 (trial)"}},
	85075: {Title: "personal accounts cannot use link rules",
		Causes: []string{"扫普通链接二维码打开小程序 is open to organisations (companies, media, government and others), not to mini programs of a person"},
		Fixes:  []string{"use 小程序码 instead (wxacode get), or move the mini program to an organisation account"}},
	85095: {Title: "data error: the rule to publish or change was not found, or is not valid",
		Causes: []string{"qrcodejumppublish was given a prefix that is not one of the mini program's rules (a typo, a trailing / more or less)",
			"qrcodejumpadd with is_edit 1 (--edit) for a prefix that has no rule to change (the simulator's answer; WeChat does not document this one)"},
		Fixes: []string{"copy the prefix exactly from wxacode linkqr rules", "to add a new rule, leave out --edit"}},
	85096: {Title: "scancode_time is a reserved name",
		Causes: []string{"page or path contains scancode_time, which WeChat adds itself for codes opened from normal links"},
		Fixes:  []string{"rename that query parameter"}},
	886000: {Title: "the monthly publish limit is reached: 100 publishes a month",
		Causes: []string{"link rules were published 100 times this month (qrcodejump_pub_quota in wxacode linkqr rules says how many are left)"},
		Fixes:  []string{"wait for next month; publish rules together rather than one by one"}},
	89501: {Title: "IP confirmation pending: an administrator must confirm this IP",
		Causes: []string{"a token or third-party call came from a new IP and a confirmation request is already waiting for the administrator"},
		Fixes:  []string{"have the administrator confirm in WeChat, or add the IP in " + ipWhitelistPlace}},
	89503: {Title: "IP needs administrator confirmation",
		Causes: []string{"a call came from a new IP; WeChat sent the administrator a confirmation request"},
		Fixes:  []string{"have the administrator confirm in WeChat, then retry; or add the IP in " + ipWhitelistPlace}},
	89506: {Title: "IP rejected by the administrator (retry after 24 hours)",
		Causes: []string{"the administrator rejected the confirmation request for this IP"},
		Fixes:  []string{"retry after 24 hours, or add the IP in " + ipWhitelistPlace}},
	89507: {Title: "IP rejected by the administrator (retry after 1 hour)",
		Causes: []string{"the administrator rejected the confirmation request for this IP"},
		Fixes:  []string{"retry after 1 hour, or add the IP in " + ipWhitelistPlace}},
}
