package wechat

import (
	"fmt"
	"strings"
)

// RuleMatch says whether a link opens a link rule's mini program, and why.
// The rules (扫普通链接二维码打开小程序, "二维码跳转规则"):
//  1. the link's scheme and domain are the rule's;
//  2. the link's path is the rule's, or under it when the rule ends with /
//     (sub-path matching, since May 2017);
//  3. a rule with parameters (after ?) matches links whose parameters
//     start with the rule's (prefix matching).
type RuleMatch struct {
	Prefix  string `json:"prefix"`
	URL     string `json:"url"`
	Matches bool   `json:"matches"`
	// How: "exact", "sub-path" or "query-prefix" when it matches.
	How    string `json:"how,omitempty"`
	Reason string `json:"reason"`
	// Inferred is set when the answer rests on a reading the documentation
	// does not spell out (a rule with no path, a rule without parameters and
	// a link with some).
	Inferred string `json:"inferred,omitempty"`
}

// splitLink cuts an http(s) URL's text into scheme, host, path, query (after
// ?, before #) and whether there was a ?; ok is false without scheme://host.
func splitLink(s string) (scheme, host, path, query string, hasQuery, ok bool) {
	scheme, rest, found := strings.Cut(s, "://")
	if !found || scheme == "" {
		return "", "", "", "", false, false
	}
	rest, _, _ = strings.Cut(rest, "#")
	i := strings.IndexAny(rest, "/?")
	if i < 0 {
		i = len(rest)
	}
	host, rest = rest[:i], rest[i:]
	if host == "" {
		return "", "", "", "", false, false
	}
	path, query, hasQuery = strings.Cut(rest, "?")
	return strings.ToLower(scheme), strings.ToLower(host), path, query, hasQuery, true
}

// MatchLinkRule matches link against the rule prefix, as WeChat documents it.
func MatchLinkRule(prefix, link string) RuleMatch {
	m := RuleMatch{Prefix: prefix, URL: link}
	rs, rh, rp, rq, rHasQ, ok := splitLink(prefix)
	if !ok {
		m.Reason = "the rule is not a scheme://domain/… link"
		return m
	}
	ls, lh, lp, lq, lHasQ, ok := splitLink(link)
	switch {
	case !ok:
		m.Reason = "the link is not a scheme://domain/… link"
		return m
	case ls != rs:
		m.Reason = fmt.Sprintf("the scheme differs (%s, the rule's is %s): 协议不一致", ls, rs)
		return m
	case lh != rh:
		m.Reason = fmt.Sprintf("the domain differs (%s, the rule's is %s): 域名不一致", lh, rh)
		return m
	}
	samePath := lp == rp || (lp == "" || lp == "/") && (rp == "" || rp == "/")
	if rp == "" {
		m.Inferred = "the rule has no path: taken as /, the same as the domain's root (undocumented)"
	}
	if rHasQ {
		switch {
		case !samePath:
			m.Reason = fmt.Sprintf("the path %s is not the rule's %s: a rule with parameters matches its own path only", show(lp), show(rp))
		case !lHasQ:
			m.Reason = "the link has no parameters (?…) and the rule has: 参数不满足前缀匹配"
		case !strings.HasPrefix(lq, rq):
			m.Reason = fmt.Sprintf("the parameters %q do not start with the rule's %q: 参数不满足前缀匹配", lq, rq)
		default:
			m.Matches, m.How = true, "query-prefix"
			m.Reason = fmt.Sprintf("same scheme, domain and path, and the parameters %q start with the rule's %q", lq, rq)
		}
		return m
	}
	switch {
	case samePath:
		m.Matches, m.How = true, "exact"
		m.Reason = "same scheme, domain and path"
		if lHasQ {
			m.Reason += "; the rule has no parameters, so the link's are free"
			m.Inferred = strings.TrimPrefix(m.Inferred+"; a rule without parameters taken to match the same path with any parameters (undocumented)", "; ")
		}
	case strings.HasSuffix(rp, "/") && strings.HasPrefix(lp, rp):
		m.Matches, m.How = true, "sub-path"
		m.Reason = fmt.Sprintf("the path %s is under the rule's %s, which ends with / (子路径匹配)", show(lp), show(rp))
	case strings.HasPrefix(lp, rp+"/"):
		m.Reason = fmt.Sprintf("the path %s is under %s, but the rule does not end with /, so sub-paths do not match (规则没有以/结尾): add the /", show(lp), show(rp))
	case strings.HasPrefix(lp, rp):
		m.Reason = fmt.Sprintf("the path %s only starts with the rule's %s: not a sub-path (不属于子路径)", show(lp), show(rp))
	default:
		m.Reason = fmt.Sprintf("the path %s is not the rule's %s nor under it", show(lp), show(rp))
	}
	return m
}

func show(path string) string {
	if path == "" {
		return "(none)"
	}
	return path
}

// PermitSubRule is a rule's permit_sub_rule: whether it occupies every
// longer rule its prefix matches (前缀占用规则).
type PermitSubRule int

// The two values WeChat takes.
const (
	// SubRulesFree (1, 不占用): other mini programs may add rules under this one.
	SubRulesFree PermitSubRule = 1
	// SubRulesOccupied (2, 占用): no other account may add a rule this one's prefix matches.
	SubRulesOccupied PermitSubRule = 2
)

// Explain says what the value means for a rule prefix.
func (p PermitSubRule) Explain(prefix string) string {
	switch p {
	case SubRulesFree:
		return fmt.Sprintf("permit_sub_rule 1 (不占用): another mini program may add a longer rule that %s matches (say %sx); links matching that rule open it, not this one", prefix, prefix)
	case SubRulesOccupied:
		return fmt.Sprintf("permit_sub_rule 2 (占用): no other mini program may add a rule that %s matches (they get 85072); every link this rule matches is this mini program's", prefix)
	}
	return fmt.Sprintf("permit_sub_rule %d is not 1 (free) or 2 (occupied)", int(p))
}
