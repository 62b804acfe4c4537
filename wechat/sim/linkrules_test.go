package sim_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/wechattest"
	"wxacode/wechat"
	"wxacode/wechat/sim"
)

func apiCode(t *testing.T, err error) int {
	t.Helper()
	var api *wechat.APIError
	require.ErrorAs(t, err, &api)
	return api.Code
}

// The rules' life through the client: add (a draft), list, publish, and
// every errcode the simulator answers.
func TestLinkRulesThroughTheClient(t *testing.T) {
	env := wechattest.New(t, wechattest.WithSimConfig(func(c *sim.Config) {
		c.LinkRules = sim.LinkRulesConfig{Unverified: []string{"nofile.example.com"}, Blacklist: []string{"bad.example.com"},
			Taken: []string{"https://taken.example.com/"}}
	}))
	c, ctx := env.Client, context.Background()
	add := func(prefix string, edit bool, debug ...string) error {
		return c.AddLinkRule(ctx, wechat.AddLinkRuleRequest{LinkRule: wechat.LinkRule{Prefix: prefix, PermitSubRule: wechat.SubRulesFree,
			Path: "pages/index/index", OpenVersion: wechat.OpenTrial, DebugURL: debug}, IsEdit: edit})
	}
	rules, err := c.LinkRules(ctx, wechat.LinkRulesRequest{})
	require.NoError(t, err)
	assert.Empty(t, rules.Rules)
	assert.Equal(t, 100, rules.PubQuota)

	require.NoError(t, add("https://example.com/shop/", false, "https://example.com/shop/1", "https://example.com/shop/2?x=1"))
	rules, err = c.LinkRules(ctx, wechat.LinkRulesRequest{})
	require.NoError(t, err)
	require.Len(t, rules.Rules, 1)
	r := rules.Rules[0]
	assert.Equal(t, "https://example.com/shop/", r.Prefix)
	assert.Equal(t, wechat.OpenTrial, r.OpenVersion)
	assert.Equal(t, []string{"https://example.com/shop/1", "https://example.com/shop/2?x=1"}, r.DebugURL)
	assert.False(t, r.Published())

	assert.Equal(t, 85071, apiCode(t, add("https://example.com/shop/", false)))
	assert.Equal(t, 85095, apiCode(t, add("https://example.com/other/", true)), "is_edit 1 changes a rule: there is none to change")
	rules, _ = c.LinkRules(ctx, wechat.LinkRulesRequest{})
	assert.Len(t, rules.Rules, 1, "and none was added")
	require.NoError(t, add("https://example.com/shop/", true), "is_edit changes it")
	require.NoError(t, c.PublishLinkRule(ctx, "https://example.com/shop/"))
	rules, _ = c.LinkRules(ctx, wechat.LinkRulesRequest{})
	assert.True(t, rules.Rules[0].Published())
	assert.Equal(t, 99, rules.PubQuota)
	assert.Equal(t, 85095, apiCode(t, c.PublishLinkRule(ctx, "https://example.com/nope")))

	env.Sim.Clock().Advance(2e9) // a new second for the 5-a-second limit
	assert.Equal(t, 85069, apiCode(t, add("https://nofile.example.com/", false)))
	assert.Equal(t, 85070, apiCode(t, add("https://bad.example.com/", false)))
	assert.Equal(t, 85072, apiCode(t, add("https://taken.example.com/a", false)))
	env.Sim.Clock().Advance(2e9)
	for i := 0; i < 5; i++ {
		_ = add("https://example.com/shop/", true)
	}
	assert.Equal(t, 44990, apiCode(t, add("https://example.com/shop/", true)), "more than 5 a second")

	// The client refuses what it knows is wrong: nothing is sent.
	err = add("https://example.com/a/b", false, "https://example.com/a/b/123")
	var ve *wechat.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, 85068, ve.Problems[0].Code)
}

func TestLinkRulesLimits(t *testing.T) {
	env := wechattest.New(t)
	c, ctx := env.Client, context.Background()
	for i := 0; i < 100; i++ {
		if i%5 == 0 {
			env.Sim.Clock().Advance(1e9)
		}
		require.NoError(t, c.AddLinkRule(ctx, wechat.AddLinkRuleRequest{LinkRule: wechat.LinkRule{Prefix: "https://example.com/" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "/",
			PermitSubRule: wechat.SubRulesOccupied, Path: "pages/index/index", OpenVersion: wechat.OpenRelease}}))
	}
	env.Sim.Clock().Advance(1e9)
	err := c.AddLinkRule(ctx, wechat.AddLinkRuleRequest{LinkRule: wechat.LinkRule{Prefix: "https://example.com/full/", PermitSubRule: 1, Path: "p", OpenVersion: 1}})
	assert.Equal(t, 85073, apiCode(t, err))
	for i := 0; i < 100; i++ {
		require.NoError(t, c.PublishLinkRule(ctx, "https://example.com/aa/"))
	}
	assert.Equal(t, 886000, apiCode(t, c.PublishLinkRule(ctx, "https://example.com/aa/")))

	env = wechattest.New(t, wechattest.WithSimConfig(func(c *sim.Config) { c.Unpublished = true; c.LinkRules.Personal = false }))
	require.NoError(t, env.Client.AddLinkRule(ctx, wechat.AddLinkRuleRequest{LinkRule: wechat.LinkRule{Prefix: "https://e.com/", PermitSubRule: 1, Path: "p", OpenVersion: 1}}))
	assert.Equal(t, 85074, apiCode(t, env.Client.PublishLinkRule(ctx, "https://e.com/")))
	env = wechattest.New(t, wechattest.WithSimConfig(func(c *sim.Config) { c.LinkRules.Personal = true }))
	err = env.Client.AddLinkRule(ctx, wechat.AddLinkRuleRequest{LinkRule: wechat.LinkRule{Prefix: "https://e.com/", PermitSubRule: 1, Path: "p", OpenVersion: 1}})
	assert.Equal(t, 85075, apiCode(t, err))
}

// qrcodejumpget's get_type 1 (by prefix) and 2 (by page): total_count is
// every rule, list_size the rules in the answer; the last page may be
// short, and a page past it is empty.
func TestLinkRulesPages(t *testing.T) {
	env := wechattest.New(t)
	c, ctx := env.Client, context.Background()
	var prefixes []string
	for i := range 7 {
		if i%5 == 0 {
			env.Sim.Clock().Advance(time.Second) // 5 adds a second
		}
		p := fmt.Sprintf("https://example.com/r%d/", i+1)
		prefixes = append(prefixes, p)
		require.NoError(t, c.AddLinkRule(ctx, wechat.AddLinkRuleRequest{LinkRule: wechat.LinkRule{Prefix: p, PermitSubRule: wechat.SubRulesFree,
			Path: "pages/index/index", OpenVersion: wechat.OpenRelease}}))
	}
	page := func(n, size int) wechat.LinkRulesRequest {
		return wechat.LinkRulesRequest{AppID: "wx_service_account", GetType: wechat.RulesByPage, PageNum: n, PageSize: size}
	}
	for _, tc := range []struct {
		name string
		req  wechat.LinkRulesRequest
		want []string
	}{
		{"latest", wechat.LinkRulesRequest{}, prefixes},
		{"first page", page(1, 3), prefixes[0:3]},
		{"middle page", page(2, 3), prefixes[3:6]},
		{"last page, short", page(3, 3), prefixes[6:]},
		{"past the last page", page(4, 3), nil},
		{"far past it", page(1<<40, 200), nil},
		{"one page of all", page(1, 200), prefixes},
		{"pages of one", page(7, 1), prefixes[6:]},
		{"by prefix, in the order added", wechat.LinkRulesRequest{GetType: wechat.RulesByPrefix,
			PrefixList: []string{prefixes[4], "https://example.com/none/", prefixes[1]}}, []string{prefixes[1], prefixes[4]}},
		{"by prefix, exactly", wechat.LinkRulesRequest{GetType: wechat.RulesByPrefix, PrefixList: []string{"https://example.com/r1"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rules, err := c.LinkRules(ctx, tc.req)
			require.NoError(t, err)
			var got []string
			for _, r := range rules.Rules {
				got = append(got, r.Prefix)
			}
			assert.Equal(t, tc.want, got)
			assert.Equal(t, len(tc.want), rules.ListSize)
			assert.Equal(t, 7, rules.Total, "total_count: every rule")
			assert.Equal(t, 1, rules.Open)
		})
	}
}
