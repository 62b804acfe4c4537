package sim_test

import (
	"context"
	"testing"

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
	rules, err := c.LinkRules(ctx)
	require.NoError(t, err)
	assert.Empty(t, rules.Rules)
	assert.Equal(t, 100, rules.PubQuota)

	require.NoError(t, add("https://example.com/shop/", false, "https://example.com/shop/1", "https://example.com/shop/2?x=1"))
	rules, err = c.LinkRules(ctx)
	require.NoError(t, err)
	require.Len(t, rules.Rules, 1)
	r := rules.Rules[0]
	assert.Equal(t, "https://example.com/shop/", r.Prefix)
	assert.Equal(t, wechat.OpenTrial, r.OpenVersion)
	assert.Equal(t, []string{"https://example.com/shop/1", "https://example.com/shop/2?x=1"}, r.DebugURL)
	assert.False(t, r.Published())

	assert.Equal(t, 85071, apiCode(t, add("https://example.com/shop/", false)))
	require.NoError(t, add("https://example.com/shop/", true), "is_edit changes it")
	require.NoError(t, c.PublishLinkRule(ctx, "https://example.com/shop/"))
	rules, _ = c.LinkRules(ctx)
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
