package wechat

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fake answers with the documentation's examples (getJumpQRCode's
// rule_list, with a hostile escape sequence added to a path).
func TestLinkRulesAgainstTheDocsExample(t *testing.T) {
	f := newFake(t)
	f.handle(PathLinkRulesGet, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; encoding=utf-8")
		w.Write([]byte(`{"errcode":0,"errmsg":"ok","rule_list":[{"prefix":"https://weixin.qq.com/qrcodejump","permit_sub_rule":1,"path":"pages/index/index","open_version":1,"debug_url":["https://weixin.qq.com/qrcodejump?a=1","https://weixin.qq.com/qrcodejump?a=2"],"state":2},{"prefix":"https://weixin.qq.com/qrcodejumptest","permit_sub_rule":1,"path":"pages/index/index\u001b[2J","open_version":2,"debug_url":[],"state":1}],"qrcodejump_open":1,"list_size":2,"qrcodejump_pub_quota":20,"total_count":2}`))
	})
	f.handle(PathLinkRulesAdd, serveErr(85072, "link has been taken by other app rid: 663b1af7-1-2", "application/json"))
	f.handle(PathLinkRulesPublish, serveErr(0, "ok", "application/json"))
	c, ctx := f.client(), context.Background()

	rules, err := c.LinkRules(ctx, LinkRulesRequest{})
	require.NoError(t, err)
	assert.Equal(t, "{}", string(f.requests(PathLinkRulesGet)[0].Body), "no fields: what a plain link QR's rules need")
	assert.Equal(t, 2, rules.Total)
	assert.Equal(t, 20, rules.PubQuota)
	assert.Equal(t, 1, rules.Open)
	require.Len(t, rules.Rules, 2)
	assert.True(t, rules.Rules[0].Published())
	assert.Equal(t, OpenDevelop, rules.Rules[0].OpenVersion)
	assert.Len(t, rules.Rules[0].DebugURL, 2)
	assert.Equal(t, `pages/index/index\x1b[2J`, rules.Rules[1].Path, "control characters shown escaped")

	err = c.AddLinkRule(ctx, AddLinkRuleRequest{LinkRule: LinkRule{Prefix: "https://weixin.qq.com/qrcodejump", PermitSubRule: SubRulesOccupied,
		Path: "pages/index/index", OpenVersion: OpenRelease, DebugURL: []string{"https://weixin.qq.com/qrcodejump?a=1"}}, IsEdit: true})
	var api *APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, 85072, api.Code)
	add := f.requests(PathLinkRulesAdd)
	require.Len(t, add, 1, "not retried")
	var body map[string]any
	require.NoError(t, json.Unmarshal(add[0].Body, &body))
	assert.Equal(t, map[string]any{"prefix": "https://weixin.qq.com/qrcodejump", "permit_sub_rule": 2.0, "path": "pages/index/index",
		"open_version": 3.0, "debug_url": []any{"https://weixin.qq.com/qrcodejump?a=1"}, "is_edit": 1.0}, body)

	require.NoError(t, c.PublishLinkRule(ctx, "https://weixin.qq.com/qrcodejump"))
	assert.JSONEq(t, `{"prefix":"https://weixin.qq.com/qrcodejump"}`, string(f.requests(PathLinkRulesPublish)[0].Body))
	assert.Error(t, c.PublishLinkRule(ctx, ""))
	var ve *ValidationError
	require.ErrorAs(t, c.PublishLinkRule(ctx, "foo"), &ve, "not a link: checked, not sent")
	assert.Equal(t, "prefix", ve.Problems[0].Field)
	assert.Len(t, f.requests(PathLinkRulesPublish), 1, "only the good one was sent")
}

func TestAddLinkRuleValidate(t *testing.T) {
	ok := LinkRule{Prefix: "https://e.com/a/", PermitSubRule: 1, Path: "pages/a/a", OpenVersion: 3}
	require.NoError(t, AddLinkRuleRequest{LinkRule: ok}.Validate())
	for _, tc := range []struct {
		mod   func(*LinkRule)
		field string
		code  int
	}{
		{func(r *LinkRule) { r.Prefix = "ftp://e.com/" }, "prefix", 85066},
		{func(r *LinkRule) { r.PermitSubRule = 3 }, "permit_sub_rule", 0},
		{func(r *LinkRule) { r.OpenVersion = 0 }, "open_version", 0},
		{func(r *LinkRule) { r.Path = "" }, "path", 0},
		{func(r *LinkRule) { r.Path = "/pages/a/a" }, "path", 0},
		{func(r *LinkRule) { r.DebugURL = []string{"1", "2", "3", "4", "5", "6"} }, "debug_url", 0},
		{func(r *LinkRule) { r.DebugURL = []string{"https://e.com/b/1"} }, "debug_url", 85068},
	} {
		r := ok
		tc.mod(&r)
		err := AddLinkRuleRequest{LinkRule: r}.Validate()
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, "%+v", r)
		ps := ve.For(tc.field)
		require.NotEmpty(t, ps, "%v", err)
		assert.Equal(t, tc.code, ps[0].Code)
	}
	v, err := ParseOpenVersion("trial")
	require.NoError(t, err)
	assert.Equal(t, OpenTrial, v)
	_, err = ParseOpenVersion("4")
	assert.Error(t, err)
}

// qrcodejumpget's fields: what each request sends, and every problem the
// validator finds, each naming the field and what to do.
func TestLinkRulesRequest(t *testing.T) {
	prefixes := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "https://example.com/" + strings.Repeat("a", i+1)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		req  LinkRulesRequest
		body string            // when valid
		want map[string]string // field → a part of its problem's text
	}{
		{name: "zero", body: `{}`},
		{name: "appid only", req: LinkRulesRequest{AppID: "wx0123456789abcdef"}, body: `{"appid":"wx0123456789abcdef"}`},
		{name: "by prefix", req: LinkRulesRequest{GetType: RulesByPrefix, PrefixList: []string{"https://e.com/a?x=1&y"}},
			body: `{"get_type":1,"prefix_list":["https://e.com/a?x=1&y"]}`},
		{name: "200 prefixes", req: LinkRulesRequest{GetType: RulesByPrefix, PrefixList: prefixes(200)}},
		{name: "by page", req: LinkRulesRequest{AppID: "wx1", GetType: RulesByPage, PageNum: 3, PageSize: 200},
			body: `{"appid":"wx1","get_type":2,"page_num":3,"page_size":200}`},
		{name: "page size 1", req: LinkRulesRequest{GetType: RulesByPage, PageNum: 1, PageSize: 1}},

		{name: "get_type 3", req: LinkRulesRequest{GetType: 3}, want: map[string]string{"get_type": "3 is not 0, 1 or 2"}},
		{name: "201 prefixes", req: LinkRulesRequest{GetType: RulesByPrefix, PrefixList: prefixes(201)},
			want: map[string]string{"prefix_list": "has 201 prefixes, more than 200; ask for at most 200"}},
		{name: "get_type 1 without prefixes", req: LinkRulesRequest{GetType: RulesByPrefix},
			want: map[string]string{"prefix_list": "is empty: get_type 1"}},
		{name: "an empty prefix", req: LinkRulesRequest{GetType: RulesByPrefix, PrefixList: []string{"https://e.com/", " "}},
			want: map[string]string{"prefix_list": "prefix 2 is empty"}},
		{name: "prefixes without get_type 1", req: LinkRulesRequest{PrefixList: []string{"https://e.com/"}},
			want: map[string]string{"prefix_list": "read only with get_type 1 (this is get_type 0); set get_type 1"}},
		{name: "get_type 2 without a page", req: LinkRulesRequest{GetType: RulesByPage},
			want: map[string]string{"page_num": "is 0 or missing", "page_size": "is 0 or missing"}},
		{name: "page 0 and size 201", req: LinkRulesRequest{GetType: RulesByPage, PageNum: -1, PageSize: 201},
			want: map[string]string{"page_num": "-1 is below 1; pages count from 1", "page_size": "201 is outside 1–200"}},
		{name: "size 0 given", req: LinkRulesRequest{GetType: RulesByPage, PageNum: 1, PageSize: -5},
			want: map[string]string{"page_size": "-5 is outside 1–200"}},
		{name: "a page without get_type 2", req: LinkRulesRequest{GetType: RulesByPrefix, PrefixList: []string{"https://e.com/"}, PageNum: 2, PageSize: 10},
			want: map[string]string{"page_num": "read only with get_type 2 (this is get_type 1)", "page_size": "read only with get_type 2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.req.Validate()
			if tc.want == nil {
				require.NoError(t, err)
				if tc.body != "" {
					b, err := tc.req.Body()
					require.NoError(t, err)
					assert.Equal(t, tc.body, string(b))
				}
				return
			}
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, Kind("qrcodejumpget"), ve.Kind)
			fields := map[string]bool{}
			for _, p := range ve.Problems {
				fields[p.Field] = true
			}
			for field, text := range tc.want {
				ps := ve.For(field)
				require.NotEmpty(t, ps, "%s: %v", field, err)
				assert.Contains(t, ps[0].String(), text)
				assert.NotEmpty(t, ps[0].Fix, "says what to do")
			}
			assert.Len(t, fields, len(tc.want), "no other field: %v", err)
		})
	}
}

// An invalid qrcodejumpget is refused before anything is sent.
func TestLinkRulesRefusedBeforeTheCall(t *testing.T) {
	f := newFake(t)
	f.handle(PathLinkRulesGet, serveErr(0, "ok", "application/json"))
	_, err := f.client().LinkRules(context.Background(), LinkRulesRequest{GetType: RulesByPage, PageNum: 1, PageSize: 500})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	f.mu.Lock()
	defer f.mu.Unlock()
	assert.Empty(t, f.reqs)
}
