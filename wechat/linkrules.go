package wechat

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// The link-rule endpoints (扫普通链接二维码打开小程序): a mini program's own
// token, or a platform's authorizer token.
// https://developers.weixin.qq.com/doc/oplatform/openApi/OpenApiDoc/miniprogram-management/jumpqrcode-config/getJumpQRCode.html
const (
	PathLinkRulesGet     = "/cgi-bin/wxopen/qrcodejumpget"
	PathLinkRulesAdd     = "/cgi-bin/wxopen/qrcodejumpadd"
	PathLinkRulesPublish = "/cgi-bin/wxopen/qrcodejumppublish"
)

// Documented limits of link rules.
const (
	MaxLinkRules     = 100 // a mini program's rules → 85073
	MaxDebugURLs     = 5   // test links a rule → refused
	LinkPublishMonth = 100 // publishes a month → 886000
	// maxRulesAnswer bounds qrcodejumpget's answer: 10,000 rules at most.
	maxRulesAnswer = 8 << 20
)

// qrcodejumpget's documented bounds.
const (
	MaxRulesLatest   = 10000 // rules get_type 0 lists: the latest
	MaxRulesPrefixes = 200   // prefix_list (get_type 1)
	MaxRulesPageSize = 200   // page_size (get_type 2)
)

// RulesGetType is qrcodejumpget's get_type: which rules it lists.
type RulesGetType int

// The three ways of listing.
const (
	RulesLatest   RulesGetType = 0 // the latest 10,000 rules (the default)
	RulesByPrefix RulesGetType = 1 // the rules of PrefixList
	RulesByPage   RulesGetType = 2 // one page of the rules, in the order added
)

// LinkRulesRequest is qrcodejumpget's body. The zero value, {}, lists the
// latest 10,000 rules, which is all a plain link QR's rules need: WeChat's
// documentation says the fields are needed only for the rules of 扫服务号
// 二维码打开小程序 (a service account's QR opening the mini program).
type LinkRulesRequest struct {
	AppID   string       `json:"appid,omitempty"`
	GetType RulesGetType `json:"get_type,omitempty"`
	// PrefixList is get_type 1's prefixes, at most 200.
	PrefixList []string `json:"prefix_list,omitempty"`
	// PageNum (from 1) and PageSize (1–200) are get_type 2's page.
	PageNum  int `json:"page_num,omitempty"`
	PageSize int `json:"page_size,omitempty"`
}

// Body is the JSON sent; fields left zero are omitted, so the zero value
// sends {}.
func (r LinkRulesRequest) Body() ([]byte, error) { return marshalBody(r) }

// Validate lists every problem with the request, or nil: get_type 0, 1 or 2;
// get_type 1 takes 1–200 non-empty prefixes, get_type 2 a page_num from 1
// and a page_size of 1–200; a field the get_type does not read is refused
// rather than silently ignored by WeChat.
func (r LinkRulesRequest) Validate() error {
	var ps problems
	if r.GetType < RulesLatest || r.GetType > RulesByPage {
		ps.add(Problem{Field: "get_type", Message: fmt.Sprintf("%d is not 0, 1 or 2", int(r.GetType)),
			Fix: "0: the latest 10,000 rules; 1: by prefix_list; 2: by page_num and page_size"})
	}
	n := len(r.PrefixList)
	switch {
	case r.GetType == RulesByPrefix && n == 0:
		ps.add(Problem{Field: "prefix_list", Message: "is empty: get_type 1 lists the rules of these prefixes", Fix: fmt.Sprintf("give 1 to %d prefixes", MaxRulesPrefixes)})
	case r.GetType != RulesByPrefix && n > 0:
		ps.add(Problem{Field: "prefix_list", Message: fmt.Sprintf("is read only with get_type 1 (this is get_type %d)", int(r.GetType)), Fix: "set get_type 1, or leave the prefixes out"})
	case n > MaxRulesPrefixes:
		ps.add(Problem{Field: "prefix_list", Message: fmt.Sprintf("has %d prefixes, more than %d", n, MaxRulesPrefixes), Fix: fmt.Sprintf("ask for at most %d at a time", MaxRulesPrefixes)})
	}
	for i, p := range r.PrefixList {
		if strings.TrimSpace(p) == "" {
			ps.add(Problem{Field: "prefix_list", Message: fmt.Sprintf("prefix %d is empty", i+1), Fix: "give each rule's prefix exactly as wxacode linkqr rules lists it"})
		}
	}
	if r.GetType != RulesByPage {
		for _, f := range []struct {
			name string
			v    int
		}{{"page_num", r.PageNum}, {"page_size", r.PageSize}} {
			if f.v != 0 {
				ps.add(Problem{Field: f.name, Message: fmt.Sprintf("is read only with get_type 2 (this is get_type %d)", int(r.GetType)), Fix: "set get_type 2 with page_num and page_size, or leave it out"})
			}
		}
		return ps.err("qrcodejumpget")
	}
	switch {
	case r.PageNum == 0:
		ps.add(Problem{Field: "page_num", Message: "is 0 or missing: get_type 2 lists one page", Fix: "give the page, counting from 1"})
	case r.PageNum < 0:
		ps.add(Problem{Field: "page_num", Message: fmt.Sprintf("%d is below 1", r.PageNum), Fix: "pages count from 1"})
	}
	switch {
	case r.PageSize == 0:
		ps.add(Problem{Field: "page_size", Message: "is 0 or missing: get_type 2 needs the rules a page", Fix: fmt.Sprintf("give 1 to %d", MaxRulesPageSize)})
	case r.PageSize < 1 || r.PageSize > MaxRulesPageSize:
		ps.add(Problem{Field: "page_size", Message: fmt.Sprintf("%d is outside 1–%d", r.PageSize, MaxRulesPageSize), Fix: fmt.Sprintf("give 1 to %d rules a page", MaxRulesPageSize)})
	}
	return ps.err("qrcodejumpget")
}

// OpenVersion is a rule's test range: who the draft rule opens the mini
// program for, and which version.
type OpenVersion int

// The three test ranges.
const (
	OpenDevelop OpenVersion = 1 // 开发版: developers only
	OpenTrial   OpenVersion = 2 // 体验版: administrators and testers
	OpenRelease OpenVersion = 3 // 线上版本: administrators, developers and testers
)

// String names the version.
func (v OpenVersion) String() string {
	switch v {
	case OpenDevelop:
		return "develop"
	case OpenTrial:
		return "trial"
	case OpenRelease:
		return "release"
	}
	return fmt.Sprintf("open_version %d", int(v))
}

// ParseOpenVersion reads develop, trial, release or 1, 2, 3.
func ParseOpenVersion(s string) (OpenVersion, error) {
	switch s {
	case "1", "develop":
		return OpenDevelop, nil
	case "2", "trial":
		return OpenTrial, nil
	case "3", "release":
		return OpenRelease, nil
	}
	return 0, fmt.Errorf("open version %q: use develop (1), trial (2) or release (3)", s)
}

// LinkRule is one rule as qrcodejumpget lists it and qrcodejumpadd takes it.
type LinkRule struct {
	Prefix        string        `json:"prefix"`
	PermitSubRule PermitSubRule `json:"permit_sub_rule"`
	Path          string        `json:"path"` // the page it opens, e.g. pages/index/index
	OpenVersion   OpenVersion   `json:"open_version"`
	DebugURL      []string      `json:"debug_url"`
	// State is 1 for a draft, 2 for a published rule (qrcodejumpget only).
	State int `json:"state,omitempty"`
}

// Published reports whether the rule is live for every user.
func (r LinkRule) Published() bool { return r.State == 2 }

// LinkRules is qrcodejumpget's answer.
type LinkRules struct {
	Open     int        `json:"qrcodejump_open"`      // 1: the feature is switched on
	PubQuota int        `json:"qrcodejump_pub_quota"` // publishes left this month
	ListSize int        `json:"list_size"`            // the rules in this answer
	Rules    []LinkRule `json:"rule_list"`
	// Total is every rule there is (total_count), to know the pages by.
	Total int `json:"total_count"`
}

// AddLinkRuleRequest is qrcodejumpadd's body: a new rule, or (IsEdit) a
// change to one. A rule added or changed is a draft until published.
type AddLinkRuleRequest struct {
	LinkRule
	IsEdit bool
}

// MarshalJSON sends is_edit as 0 or 1, and no state.
func (r AddLinkRuleRequest) MarshalJSON() ([]byte, error) {
	edit := 0
	if r.IsEdit {
		edit = 1
	}
	debug := r.DebugURL
	if debug == nil {
		debug = []string{}
	}
	return marshalBody(struct {
		Prefix        string        `json:"prefix"`
		PermitSubRule PermitSubRule `json:"permit_sub_rule"`
		Path          string        `json:"path"`
		OpenVersion   OpenVersion   `json:"open_version"`
		DebugURL      []string      `json:"debug_url"`
		IsEdit        int           `json:"is_edit"`
	}{r.Prefix, r.PermitSubRule, r.Path, r.OpenVersion, debug, edit})
}

// Validate lists every problem with the rule, or nil: the prefix is an
// http(s) link (85066), permit_sub_rule and open_version are known values,
// path is given, at most 5 test links, each matched by the prefix (85068).
func (r AddLinkRuleRequest) Validate() error {
	var ps problems
	for _, p := range LinkURLProblems(r.Prefix, ECLow) {
		p.Field, p.Code = "prefix", 85066
		ps.add(p)
	}
	if r.PermitSubRule != SubRulesFree && r.PermitSubRule != SubRulesOccupied {
		ps.add(Problem{Field: "permit_sub_rule", Message: fmt.Sprintf("%d is not 1 or 2", int(r.PermitSubRule)),
			Fix: "1: others may add rules under this one; 2: occupy them all"})
	}
	if r.OpenVersion < OpenDevelop || r.OpenVersion > OpenRelease {
		ps.add(Problem{Field: "open_version", Message: fmt.Sprintf("%d is not 1, 2 or 3", int(r.OpenVersion)),
			Fix: "1 develop, 2 trial, 3 release: who a draft rule opens the mini program for"})
	}
	if r.Path == "" {
		ps.add(Problem{Field: "path", Message: "is empty: the page the rule opens", Fix: "give it, for example pages/index/index"})
	} else {
		for _, p := range PageProblems(r.Path) {
			if p.Code == 41030 && p.Pos == 1 { // a leading /
				p.Field, p.Code = "path", 0
				ps.add(p)
			}
		}
	}
	if n := len(r.DebugURL); n > MaxDebugURLs {
		ps.add(Problem{Field: "debug_url", Message: fmt.Sprintf("has %d test links, more than %d", n, MaxDebugURLs), Fix: "keep 5 at most"})
	}
	if len(ps) == 0 || !hasField(ps, "prefix") {
		for _, u := range r.DebugURL {
			if m := MatchLinkRule(r.Prefix, u); !m.Matches {
				ps.add(Problem{Field: "debug_url", Code: 85068, Message: fmt.Sprintf("%q is not under the rule: %s", u, m.Reason),
					Fix: "give test links the rule matches (wxacode linkqr explain URL --rule PREFIX)"})
			}
		}
	}
	return ps.err("qrcodejumpadd")
}

// LinkRules lists the mini program's link rules (qrcodejumpget), after
// req.Validate: a *ValidationError means nothing was called. It goes
// through the pipeline of Get: one token renewal, transient failures
// retried (and counted, CountRetries), 45009 as a *RateLimitError. Server
// text in the answer (prefixes, paths, test links) is made terminal-safe.
func (c *Client) LinkRules(ctx context.Context, req LinkRulesRequest) (*LinkRules, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	body, err := req.Body()
	if err != nil {
		return nil, err
	}
	var out LinkRules
	if err := c.callJSON(ctx, linkRuleRoute(PathLinkRulesGet, true), body, maxRulesAnswer, &out); err != nil {
		return nil, err
	}
	for i := range out.Rules {
		r := &out.Rules[i]
		r.Prefix, r.Path = c.clean(r.Prefix), c.clean(r.Path)
		for j := range r.DebugURL {
			r.DebugURL[j] = c.clean(r.DebugURL[j])
		}
	}
	return &out, nil
}

// AddLinkRule adds (or with IsEdit changes) a rule (qrcodejumpadd), after
// Validate: a *ValidationError means nothing was called. Not retried on a
// transient failure: the rule may have been added.
func (c *Client) AddLinkRule(ctx context.Context, r AddLinkRuleRequest) error {
	if err := r.Validate(); err != nil {
		return err
	}
	body, err := r.MarshalJSON()
	if err != nil {
		return err
	}
	return c.callJSON(ctx, linkRuleRoute(PathLinkRulesAdd, false), body, 64<<10, nil)
}

// PublishLinkRule publishes the rule with prefix (qrcodejumppublish): from
// then on every user's scan of a matching link opens the mini program. Not
// retried on a transient failure: the publish may have counted.
func (c *Client) PublishLinkRule(ctx context.Context, prefix string) error {
	if prefix == "" {
		return &ValidationError{Kind: "qrcodejumppublish", Problems: []Problem{{Field: "prefix", Message: "is empty",
			Fix: "give the rule's prefix exactly as wxacode linkqr rules lists it"}}}
	}
	if problems := LinkURLProblems(prefix, ECLow); len(problems) > 0 {
		for i := range problems {
			problems[i].Field = "prefix"
		}
		return &ValidationError{Kind: "qrcodejumppublish", Problems: problems} // a call would only be 85095
	}
	body, err := marshalBody(struct {
		Prefix string `json:"prefix"`
	}{prefix})
	if err != nil {
		return err
	}
	return c.callJSON(ctx, linkRuleRoute(PathLinkRulesPublish, false), body, 64<<10, nil)
}

// clean is server text as every consumer gets it: credentials removed,
// control characters escaped.
func (c *Client) clean(s string) string { return SafeText(c.redactor.Redact(s)) }

// linkRuleRoute is a POST to a link-rule endpoint; only an idempotent one
// is tried again after a transient failure.
func linkRuleRoute(path string, idempotent bool) Route {
	return Route{Method: http.MethodPost, Path: path, Idempotent: idempotent}
}

// callJSON sends body on rt through send, as Get sends a code request, and
// decodes an errcode-0 answer of at most limit bytes into out (nil: only
// the errcode matters).
func (c *Client) callJSON(ctx context.Context, rt Route, body []byte, limit int64, out any) error {
	_, err := send(ctx, c, exchange[struct{}]{route: rt, body: body, limit: limit,
		decode: func(a answer) (struct{}, error) {
			if out == nil {
				return struct{}{}, nil
			}
			if err := json.Unmarshal(a.body, out); err != nil {
				return struct{}{}, &RequestError{Endpoint: rt.Path, Status: http.StatusOK, Err: ErrNotImage,
					Detail: fmt.Sprintf("not the JSON answer expected (%v); body %s", err, excerpt(a.body, a.redact))}
			}
			return struct{}{}, nil
		},
		logged: func(struct{}) (string, []any) { return "answer", nil }})
	return err
}
