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

// linkRules is the simulator's rule store, guarded by Server.mu. Each
// handler reads and changes it in one critical section, and rules are held
// by value, so an add, a publish and a get are each one step for the others:
// a publish cannot mark a rule that an edit racing it has just replaced.
type linkRules struct {
	order     []string
	byPrefix  map[string]linkRule
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
		s.rulesGet(x, obj)
	case pathRulesAdd:
		s.rulesAdd(x, obj)
	default:
		s.rulesPublish(x, obj)
	}
}

// qrcodejumpget's documented bounds.
const (
	rulesLatest      = 10000 // get_type 0
	rulesPrefixesMax = 200   // get_type 1
	rulesPageMax     = 200   // get_type 2
)

// rulesGet lists the rules: get_type 0 the latest 10,000, 1 those of
// prefix_list (exact prefixes), 2 page page_num of page_size in the order
// added (past the last page: none). total_count is every rule the app has.
// The appid is read but not used: the simulator serves one mini program.
func (s *Server) rulesGet(x *exchange, obj map[string]json.RawMessage) {
	getType, ok1 := num(obj, "get_type")
	pageNum, ok2 := num(obj, "page_num")
	pageSize, ok3 := num(obj, "page_size")
	_, ok4 := str(obj, "appid")
	prefixes, ok5 := strs(obj, "prefix_list")
	if !(ok1 && ok2 && ok3 && ok4 && ok5) {
		x.fail(47001, "data format error")
		return
	}
	// The bounds are documented, the errcode for crossing them is not:
	// 40097 is a guess, WeChat's usual answer to a bad argument.
	switch {
	case getType < 0 || getType > 2,
		getType == 1 && (len(prefixes) == 0 || len(prefixes) > rulesPrefixesMax),
		getType == 2 && (pageNum < 1 || pageSize < 1 || pageSize > rulesPageMax):
		x.fail(40097, "invalid args")
		return
	}
	s.mu.Lock()
	st := &s.state.links
	pick := st.order[max(0, len(st.order)-rulesLatest):]
	switch getType {
	case 1:
		want := map[string]bool{}
		for _, p := range prefixes {
			want[p] = true
		}
		pick = nil
		for _, p := range st.order {
			if want[p] {
				pick = append(pick, p)
			}
		}
	case 2:
		pick = nil
		// Compared as pages first: a huge page_num must not overflow the offset.
		if pages := (len(st.order) + pageSize - 1) / pageSize; pageNum <= pages {
			from := (pageNum - 1) * pageSize
			pick = st.order[from:min(from+pageSize, len(st.order))]
		}
	}
	list := make([]linkRule, 0, len(pick))
	for _, p := range pick {
		r := st.byPrefix[p]
		r.DebugURL = append([]string{}, r.DebugURL...)
		list = append(list, r)
	}
	left := rulesPublishPerM
	if st.published.window == monthKey(s.clock.Now()) {
		left -= st.published.n
	}
	total := len(st.order)
	s.mu.Unlock()
	x.ok(map[string]any{"errcode": 0, "errmsg": "ok", "rule_list": list, "qrcodejump_open": 1,
		"qrcodejump_pub_quota": left, "list_size": len(list), "total_count": total})
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

// strs reads a list of strings; absent is none.
func strs(obj map[string]json.RawMessage, k string) ([]string, bool) {
	v, ok := obj[k]
	if !ok || string(v) == "null" {
		return nil, true
	}
	var out []string
	return out, json.Unmarshal(v, &out) == nil
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
	if code, msg := s.addRule(obj); code != 0 {
		x.fail(code, msg) // after addRule: fail takes s.mu for the rid
		return
	}
	x.ok(map[string]any{"errcode": 0, "errmsg": "ok"})
}

// addRule checks and stores one rule, holding s.mu from the rate count to
// the store; the checks between read only the body and the configuration.
// It answers the errcode and errmsg, 0 when the rule was stored.
func (s *Server) addRule(obj map[string]json.RawMessage) (int, string) {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.state.links
	if !st.second.add(strconv.FormatInt(now.Unix(), 10), rulesAddPerSec) {
		return 44990, "emergency control"
	}
	if s.cfg.LinkRules.Personal {
		return 85075, "personal account not allowed"
	}
	prefix, ok1 := str(obj, "prefix")
	path, ok2 := str(obj, "path")
	permit, ok3 := num(obj, "permit_sub_rule")
	openV, ok4 := num(obj, "open_version")
	edit, ok5 := num(obj, "is_edit")
	debug, ok6 := strs(obj, "debug_url")
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return 47001, "data format error"
	}
	if _, _, _, _, _, ok := linkParts(prefix); !ok {
		return 85066, "illegal link"
	}
	host := hostOf(prefix)
	for _, d := range s.cfg.LinkRules.Blacklist {
		if strings.EqualFold(d, host) {
			return 85070, "link in blacklist"
		}
	}
	for _, t := range s.cfg.LinkRules.Taken {
		if t == prefix || ruleCovers(t, prefix) {
			return 85072, "link has been taken by other app"
		}
	}
	for _, d := range s.cfg.LinkRules.Unverified {
		if strings.EqualFold(d, host) {
			return 85069, "check confirm file fail"
		}
	}
	if path == "" || permit < 1 || permit > 2 || openV < 1 || openV > 3 || edit < 0 || edit > 1 || len(debug) > rulesDebugMax {
		return 40097, "invalid args"
	}
	for _, d := range debug {
		if !ruleCovers(prefix, d) {
			return 85068, "test link not match rule"
		}
	}
	_, exists := st.byPrefix[prefix]
	switch {
	case exists && edit == 0:
		return 85071, "link has been added"
	case !exists && edit == 1:
		// is_edit 1 changes an existing rule (the documentation); what WeChat
		// answers for a prefix with no rule is undocumented: 85095 "data
		// error" is a guess.
		return 85095, "data error"
	case !exists && len(st.order) >= rulesMax:
		return 85073, "number of rules reached limit"
	}
	if st.byPrefix == nil {
		st.byPrefix = map[string]linkRule{}
	}
	if !exists {
		st.order = append(st.order, prefix)
	}
	// Added or changed, a rule is a draft until published.
	st.byPrefix[prefix] = linkRule{Prefix: prefix, PermitSubRule: permit, Path: path, OpenVersion: openV, DebugURL: append([]string{}, debug...), State: 1}
	return 0, ""
}

func (s *Server) rulesPublish(x *exchange, obj map[string]json.RawMessage) {
	prefix, ok := str(obj, "prefix")
	if !ok {
		x.fail(47001, "data format error")
		return
	}
	if code, msg := s.publishRule(prefix); code != 0 {
		x.fail(code, msg)
		return
	}
	x.ok(map[string]any{"errcode": 0, "errmsg": "ok"})
}

// publishRule publishes the rule with prefix, holding s.mu from the lookup
// to the state change, so no add can replace the rule in between.
func (s *Server) publishRule(prefix string) (int, string) {
	now := s.clock.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &s.state.links
	r, exists := st.byPrefix[prefix]
	switch {
	case s.cfg.LinkRules.Personal:
		return 85075, "personal account not allowed"
	case !exists:
		return 85095, "data error"
	case s.cfg.Unpublished:
		return 85074, "not published"
	case !st.published.add(monthKey(now), rulesPublishPerM):
		return 886000, "publish limit of this month reached"
	}
	r.State = 2
	st.byPrefix[prefix] = r
	return 0, ""
}
