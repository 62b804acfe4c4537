package sim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The link-rule endpoints (扫普通链接二维码打开小程序).
const (
	pathRulesGet     = "/cgi-bin/wxopen/qrcodejumpget"
	pathRulesAdd     = "/cgi-bin/wxopen/qrcodejumpadd"
	pathRulesPublish = "/cgi-bin/wxopen/qrcodejumppublish"
)

// LinkRulesConfig sets what the simulated WeChat knows about the app's link
// rules beyond its own: the account type and other accounts' claims.
type LinkRulesConfig struct {
	// Personal: the mini program belongs to a person (85075 on add and publish).
	Personal bool `toml:"personal"`
	// Unverified are domains whose verification file is not in place (85069).
	Unverified []string `toml:"unverified"`
	// Blacklist are domains WeChat blocks (85070).
	Blacklist []string `toml:"blacklist"`
	// Taken are prefixes other mini programs hold, occupying their sub-rules (85072).
	Taken []string `toml:"taken"`
}

// Link-rule limits, as documented.
const (
	rulesMax         = 100 // 85073
	rulesDebugMax    = 5
	rulesAddPerSec   = 5   // 44990
	rulesPublishPerM = 100 // 886000
)

// linkRule is one stored rule.
type linkRule struct {
	Prefix        string   `json:"prefix"`
	PermitSubRule int      `json:"permit_sub_rule"`
	Path          string   `json:"path"`
	OpenVersion   int      `json:"open_version"`
	DebugURL      []string `json:"debug_url"`
	State         int      `json:"state"`
}

// linkRules is the simulator's rule store, guarded by Server.mu.
type linkRules struct {
	order     []string
	byPrefix  map[string]*linkRule
	second    counter // qrcodejumpadd calls this second
	published counter // publishes this month
}

// rules serves the three link-rule endpoints: POST, the token, a JSON body.
func (s *Server) rules(x *exchange) {
	if x.r.Method != http.MethodPost {
		x.fail(43002, "require POST method")
		return
	}
	if !s.checkToken(x) {
		return
	}
	if x.plan.errcode != 0 {
		x.fail(x.plan.errcode, x.plan.errmsg)
		return
	}
	b, err := io.ReadAll(io.LimitReader(x.r.Body, maxBody+1))
	var obj map[string]json.RawMessage
	switch {
	case err != nil || len(b) > maxBody:
		x.fail(47001, "data format error")
		return
	case len(strings.TrimSpace(string(b))) == 0:
		if x.r.URL.Path != pathRulesGet {
			x.fail(44002, "empty post data")
			return
		}
	default:
		if json.Unmarshal(b, &obj) != nil {
			x.fail(47001, "data format error")
			return
		}
	}
	switch x.r.URL.Path {
	case pathRulesGet:
		s.rulesGet(x)
	case pathRulesAdd:
		s.rulesAdd(x, obj)
	default:
		s.rulesPublish(x, obj)
	}
}

func (s *Server) rulesGet(x *exchange) {
	s.mu.Lock()
	st := &s.state.links
	list := make([]linkRule, 0, len(st.order))
	for _, p := range st.order {
		r := *st.byPrefix[p]
		r.DebugURL = append([]string{}, r.DebugURL...)
		list = append(list, r)
	}
	left := rulesPublishPerM
	if st.published.window == monthKey(s.clock.Now()) {
		left -= st.published.n
	}
	s.mu.Unlock()
	x.ok(map[string]any{"errcode": 0, "errmsg": "ok", "rule_list": list, "qrcodejump_open": 1,
		"qrcodejump_pub_quota": left, "list_size": len(list), "total_count": len(list)})
}

// str reads a string field; absent is "".
func str(obj map[string]json.RawMessage, k string) (string, bool) {
	v, ok := obj[k]
	if !ok || string(v) == "null" {
		return "", true
	}
	var s string
	return s, json.Unmarshal(v, &s) == nil
}

// num reads a number or a numeric string (the old documentation shows strings).
func num(obj map[string]json.RawMessage, k string) (int, bool) {
	v, ok := obj[k]
	if !ok {
		return 0, true
	}
	var n json.Number
	if json.Unmarshal(v, &n) != nil {
		var s string
		if json.Unmarshal(v, &s) != nil {
			return 0, false
		}
		n = json.Number(s)
	}
	i, err := strconv.Atoi(n.String())
	return i, err == nil
}

// linkParts is the simulator's own reading of a link: scheme, host, path, query.
func linkParts(s string) (scheme, host, path, query string, hasQ bool, ok bool) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(s, " \t\r\n") {
		return "", "", "", "", false, false
	}
	return u.Scheme, strings.ToLower(u.Host), u.EscapedPath(), u.RawQuery, u.ForceQuery || u.RawQuery != "", true
}

// ruleCovers is the documented matching, the simulator's own version: same
// scheme and domain; the rule's path, or under it when the rule ends with /;
// a rule's query a prefix of the link's.
func ruleCovers(rule, link string) bool {
	rs, rh, rp, rq, rHasQ, ok1 := linkParts(rule)
	ls, lh, lp, lq, lHasQ, ok2 := linkParts(link)
	if !ok1 || !ok2 || rs != ls || rh != lh {
		return false
	}
	if rp == "" {
		rp = "/"
	}
	if lp == "" {
		lp = "/"
	}
	if rHasQ {
		return lp == rp && lHasQ && strings.HasPrefix(lq, rq)
	}
	return lp == rp || strings.HasSuffix(rp, "/") && strings.HasPrefix(lp, rp)
}

func hostOf(link string) string {
	_, h, _, _, _, _ := linkParts(link)
	return h
}

func (s *Server) rulesAdd(x *exchange, obj map[string]json.RawMessage) {
	now := s.clock.Now()
	s.mu.Lock()
	within := s.state.links.second.add(strconv.FormatInt(now.Unix(), 10), rulesAddPerSec)
	s.mu.Unlock()
	if !within {
		x.fail(44990, "emergency control")
		return
	}
	if s.cfg.LinkRules.Personal {
		x.fail(85075, "personal account not allowed")
		return
	}
	prefix, ok1 := str(obj, "prefix")
	path, ok2 := str(obj, "path")
	permit, ok3 := num(obj, "permit_sub_rule")
	openV, ok4 := num(obj, "open_version")
	edit, ok5 := num(obj, "is_edit")
	var debug []string
	ok6 := true
	if v, ok := obj["debug_url"]; ok && string(v) != "null" {
		ok6 = json.Unmarshal(v, &debug) == nil
	}
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		x.fail(47001, "data format error")
		return
	}
	if _, _, _, _, _, ok := linkParts(prefix); !ok {
		x.fail(85066, "illegal link")
		return
	}
	host := hostOf(prefix)
	for _, d := range s.cfg.LinkRules.Blacklist {
		if strings.EqualFold(d, host) {
			x.fail(85070, "link in blacklist")
			return
		}
	}
	for _, t := range s.cfg.LinkRules.Taken {
		if t == prefix || ruleCovers(t, prefix) {
			x.fail(85072, "link has been taken by other app")
			return
		}
	}
	for _, d := range s.cfg.LinkRules.Unverified {
		if strings.EqualFold(d, host) {
			x.fail(85069, "check confirm file fail")
			return
		}
	}
	if path == "" || permit < 1 || permit > 2 || openV < 1 || openV > 3 || edit < 0 || edit > 1 || len(debug) > rulesDebugMax {
		x.fail(40097, "invalid args")
		return
	}
	for _, d := range debug {
		if !ruleCovers(prefix, d) {
			x.fail(85068, "test link not match rule")
			return
		}
	}
	s.mu.Lock()
	st := &s.state.links
	if st.byPrefix == nil {
		st.byPrefix = map[string]*linkRule{}
	}
	_, exists := st.byPrefix[prefix]
	full := !exists && len(st.order) >= rulesMax
	if !(exists && edit == 0) && !full {
		if !exists {
			st.order = append(st.order, prefix)
		}
		// Added or changed, a rule is a draft until published.
		st.byPrefix[prefix] = &linkRule{Prefix: prefix, PermitSubRule: permit, Path: path, OpenVersion: openV, DebugURL: append([]string{}, debug...), State: 1}
	}
	s.mu.Unlock() // fail takes s.mu for the rid
	switch {
	case exists && edit == 0:
		x.fail(85071, "link has been added")
	case full:
		x.fail(85073, "number of rules reached limit")
	default:
		x.ok(map[string]any{"errcode": 0, "errmsg": "ok"})
	}
}

func (s *Server) rulesPublish(x *exchange, obj map[string]json.RawMessage) {
	prefix, ok := str(obj, "prefix")
	if !ok {
		x.fail(47001, "data format error")
		return
	}
	if s.cfg.LinkRules.Personal {
		x.fail(85075, "personal account not allowed")
		return
	}
	s.mu.Lock()
	st := &s.state.links
	r := st.byPrefix[prefix]
	s.mu.Unlock()
	switch {
	case r == nil:
		x.fail(85095, "data error")
		return
	case s.cfg.Unpublished:
		x.fail(85074, "not published")
		return
	}
	s.mu.Lock()
	within := st.published.add(monthKey(s.clock.Now()), rulesPublishPerM)
	if within {
		r.State = 2
	}
	s.mu.Unlock()
	if !within {
		x.fail(886000, "publish limit of this month reached")
		return
	}
	x.ok(map[string]any{"errcode": 0, "errmsg": "ok"})
}
