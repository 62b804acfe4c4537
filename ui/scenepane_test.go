package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/wechat"
	"wxacode/wechat/scene"
)

// TestScenePaneShowsLaunch opens the Scene pane on a screen big enough for all
// of it: every launch step from wechat/scene, the entry scenes and, for
// unlimited codes, the DevTools parameter and the onLoad snippet line by line.
func TestScenePaneShowsLaunch(t *testing.T) {
	cases := []struct {
		name   string
		params wechat.Params
		want   []string
	}{
		{"unlimited", wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/item/item", Scene: "id=42&from=qr"},
			[]string{"start page   pages/item/item", "query.scene  id%3D42%26from%3Dqr", "scene=id%3D42%26from%3Dqr",
				"进入场景 (entry scene) 1047", "entry scene: options.scene, a number, not the scene string",
				`typing scene=id=42&from=qr unencoded`}},
		{"home page", wechat.Params{Kind: wechat.KindUnlimited, Scene: "id=7"},
			[]string{"start page   the home page (page is empty)", "1. WeChat opens the home page"}},
		{"limited query", wechat.Params{Kind: wechat.KindLimited, Path: "pages/a/a?id=1&name=%E4%B8%AD"},
			[]string{"start page   pages/a/a", `query        { id: "1", name: "%E4%B8%AD" }`,
				"entry scene: options.scene, a number, not your query", "unverified: not documented"}},
		{"qrcode", wechat.Params{Kind: wechat.KindQRCode, Path: "pages/a/a"},
			[]string{"query        {}", "1011? scan a QR code", "? not documented for this code"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := testDeps(t, newFake())
			d.Initial = tc.params
			m := sized(t, New(d), 220, 70)
			m = press(t, m, "alt+s")
			v := viewOf(m)
			defer func() {
				if t.Failed() {
					t.Log("\n" + v)
				}
			}()
			has := func(s string) { assert.True(t, strings.Contains(v, s), "missing %q", s) }
			assert.False(t, strings.Contains(v, "pgdn for more"), "the whole pane fits")
			for _, w := range tc.want {
				has(w)
			}
			l := scene.ExplainParams(tc.params)
			require.NotEmpty(t, l.Steps)
			for i, step := range l.Steps {
				has(fmt.Sprintf("%d. %s", i+1, step))
			}
			for _, e := range l.EntryScenes {
				mark := " "
				if !e.Verified {
					mark = "?"
				}
				has(fmt.Sprintf("  %d%s %s", e.Value, mark, e.Meaning))
			}
			if tc.params.Kind != wechat.KindUnlimited {
				assert.False(t, strings.Contains(v, "onLoad snippet"), "DevTools is about scenes: nothing to show for a path")
				return
			}
			dt, err := scene.DevToolsFor(tc.params.Scene, tc.params.Page)
			require.NoError(t, err)
			has("onLoad snippet (page)")
			for line := range strings.SplitSeq(dt.PageSnippet, "\n") {
				has("│ " + line)
			}
		})
	}
}

// TestScenePaneScrollsToSnippet checks that at the smallest size the snippet
// is below the fold and pgdn reaches it, while alt+l still copies the parameter.
func TestScenePaneScrollsToSnippet(t *testing.T) {
	m := sized(t, New(testDeps(t, newFake())), 80, 24)
	m = typeScene(t, m, "a=1&b=2")
	m = press(t, m, "alt+s")
	v := viewOf(m)
	assert.Contains(t, v, "… pgdn for more")
	assert.NotContains(t, v, "Page({")
	var seen strings.Builder
	for range 10 {
		m = press(t, m, "pgdown")
		seen.WriteString(viewOf(m))
	}
	all := seen.String()
	for _, want := range []string{"5. options.scene", "1049  pick a 小程序码", "scene=a%3D1%26b%3D2", "Page({", "onLoad(query) {", "})"} {
		assert.Contains(t, all, want)
	}
	assert.NotContains(t, viewOf(m), "… pgdn for more", "the end of the pane is reachable")
	m = press(t, m, "pgup", "pgup", "pgup", "pgup", "pgup", "pgup", "pgup", "pgup", "pgup", "pgup")
	assert.Equal(t, v, viewOf(m), "pgup goes back to the top")
}

func TestWrapAndHang(t *testing.T) {
	cases := []struct {
		name string
		got  []string
		want []string
	}{
		{"breaks at the last space", wrap("aaa bbb ccc", 8), []string{"aaa bbb", "ccc"}},
		{"a line that ends at a word drops the space", wrap("aaaa bbbbbbbbbbbbbbb", 4), []string{"aaaa", "bbbb", "bbbb", "bbbb", "bbb"}},
		{"no space: hard cut", wrap("abcdefgh", 5), []string{"abcde", "fgh"}},
		{"hang indents continuation lines", hang("1. ", "aaa bbb ccc", 10), []string{"1. aaa bbb", "   ccc"}},
		{"hang on one line", hang("- ", "ok", 10), []string{"- ok"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, tc.got) })
	}
}
