package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/internal/wechattest"
	"wxacode/wechat"
)

func TestLinkQRRulesOnTheSimulator(t *testing.T) {
	testenv.Isolate(t)
	env := wechattest.New(t, wechattest.Listen())
	t.Setenv("WXACODE_BASE_URL", env.BaseURL)
	t.Setenv("WXACODE_APPID", env.Sim.AppID())
	t.Setenv("WXACODE_SECRET", env.Sim.Secret())

	code, stdout, stderr := runCLI(t, nil, "linkqr", "add", "https://example.com/shop/", "--path", "pages/shop/shop",
		"--debug-url", "https://example.com/shop/1", "--open-version", "trial", "--permit-sub-rule", "2")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "https://example.com/shop/: added, a draft")
	assert.NotContains(t, stderr, env.Sim.Secret())

	code, stdout, _ = runCLI(t, nil, "linkqr", "add", "https://example.com/shop/", "--path", "pages/shop/shop")
	assert.Equal(t, 3, code)
	assert.Empty(t, stdout)

	code, stdout, stderr = runCLI(t, nil, "linkqr", "publish", "https://example.com/shop/")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "https://example.com/shop/: published\n", stdout)

	code, stdout, stderr = runCLI(t, nil, "linkqr", "rules")
	require.Equal(t, 0, code, stderr)
	for _, w := range []string{"link QRs: on; 1 rule(s); 99 publish(es) left this month", "https://example.com/shop/  [published]",
		"page: pages/shop/shop", "permit_sub_rule: 2  open_version: trial", "test link: https://example.com/shop/1"} {
		assert.Contains(t, stdout, w)
	}

	code, _, stderr = runCLI(t, nil, "linkqr", "publish", "https://example.com/nope/")
	assert.Equal(t, 3, code)
	assert.Contains(t, stderr, "errcode 85095")
	assert.Contains(t, stderr, "copy the prefix exactly from wxacode linkqr rules")
	assert.Contains(t, stderr, "more: wxacode hint 85095")

	code, _, stderr = runCLI(t, nil, "linkqr", "add", "https://example.com/a/b", "--path", "p", "--debug-url", "https://example.com/a/b/1", "--permit-sub-rule", "3")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "nothing was called")
	assert.Contains(t, stderr, "[errcode 85068]")
	assert.Contains(t, stderr, `--permit-sub-rule "3"`)
	assert.Equal(t, 1, strings.Count(stderr, "permit"), "said once")

	code, _, stderr = runCLI(t, nil, "linkqr", "publish")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "exactly one PREFIX")
}

// getBodies records the bodies of the qrcodejumpget calls reaching the
// simulator (a wechattest.WithMiddleware).
type getBodies struct {
	mu     sync.Mutex
	bodies []string
}

func (g *getBodies) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == wechat.PathLinkRulesGet {
			b, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(b))
			g.mu.Lock()
			g.bodies = append(g.bodies, string(b))
			g.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

func (g *getBodies) take() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := g.bodies
	g.bodies = nil
	return out
}

// linkRulesEnv is a simulator holding rules r1 … rN (https://example.com/rI/),
// the command line pointed at it, with what reaches it counted and the
// qrcodejumpget bodies kept.
func linkRulesEnv(t *testing.T, n int) (*wechattest.Counter, *getBodies) {
	t.Helper()
	testenv.Isolate(t)
	counter, bodies := &wechattest.Counter{}, &getBodies{}
	env := wechattest.New(t, wechattest.Listen(), wechattest.WithMiddleware(counter.Wrap), wechattest.WithMiddleware(bodies.wrap))
	for i := range n {
		if i%5 == 0 {
			env.Sim.Clock().Advance(time.Second) // 5 adds a second
		}
		require.NoError(t, env.Client.AddLinkRule(context.Background(), wechat.AddLinkRuleRequest{LinkRule: wechat.LinkRule{
			Prefix: fmt.Sprintf("https://example.com/r%d/", i+1), PermitSubRule: wechat.SubRulesFree, Path: "pages/index/index", OpenVersion: wechat.OpenRelease}}))
	}
	bodies.take()
	t.Setenv("WXACODE_BASE_URL", env.BaseURL)
	t.Setenv("WXACODE_APPID", env.Sim.AppID())
	t.Setenv("WXACODE_SECRET", env.Sim.Secret())
	return counter, bodies
}

// --prefix, --page, --all and --body-appid on the simulator's seven rules:
// the body each sends, what is printed, and how many calls --all makes.
func TestLinkQRRulesPages(t *testing.T) {
	counter, bodies := linkRulesEnv(t, 7)
	rule := func(i int) string { return fmt.Sprintf("https://example.com/r%d/  [draft]", i) }
	for _, tc := range []struct {
		name   string
		args   []string
		bodies []string
		want   []string
		rules  []int // the rules listed, in order
	}{
		{"no flags", nil, []string{`{}`},
			[]string{"link QRs: on; 7 rule(s); 100 publish(es) left this month"}, []int{1, 2, 3, 4, 5, 6, 7}},
		{"a page", []string{"--page", "2", "--page-size", "3"}, []string{`{"get_type":2,"page_num":2,"page_size":3}`},
			[]string{"rules 4–6 of 7 (page 2 of 3, 3 a page)"}, []int{4, 5, 6}},
		{"the last page", []string{"--page", "3", "--page-size", "3"}, []string{`{"get_type":2,"page_num":3,"page_size":3}`},
			[]string{"rules 7–7 of 7 (page 3 of 3, 3 a page)"}, []int{7}},
		{"past the last page", []string{"--page", "4", "--page-size", "3"}, []string{`{"get_type":2,"page_num":4,"page_size":3}`},
			[]string{"page 4 is past the last (3): 7 rule(s) in all, 3 a page"}, nil},
		{"a page of the default size", []string{"--page", "1"}, []string{`{"get_type":2,"page_num":1,"page_size":200}`},
			[]string{"rules 1–7 of 7 (page 1 of 1, 200 a page)"}, []int{1, 2, 3, 4, 5, 6, 7}},
		{"every page", []string{"--all", "--page-size", "3"}, []string{`{"get_type":2,"page_num":1,"page_size":3}`,
			`{"get_type":2,"page_num":2,"page_size":3}`, `{"get_type":2,"page_num":3,"page_size":3}`},
			[]string{"7 rule(s) from 3 page(s) of 3"}, []int{1, 2, 3, 4, 5, 6, 7}},
		{"every page, ending on a full one", []string{"--all", "--page-size", "7"}, []string{`{"get_type":2,"page_num":1,"page_size":7}`},
			[]string{"7 rule(s) from 1 page(s) of 7"}, []int{1, 2, 3, 4, 5, 6, 7}},
		{"by prefix", []string{"--prefix", "https://example.com/r5/", "--prefix", "https://example.com/none/", "--prefix", "https://example.com/r2/"},
			[]string{`{"get_type":1,"prefix_list":["https://example.com/r5/","https://example.com/none/","https://example.com/r2/"]}`},
			[]string{"2 rule(s) for the 3 prefix(es) asked, of 7 in all", "no rule: https://example.com/none/"}, []int{2, 5}},
		{"the body's appid", []string{"--body-appid", "wx_service", "--page", "3", "--page-size", "2"},
			[]string{`{"appid":"wx_service","get_type":2,"page_num":3,"page_size":2}`}, []string{"rules 5–6 of 7"}, []int{5, 6}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, nil, append([]string{"linkqr", "rules"}, tc.args...)...)
			require.Equal(t, 0, code, stderr)
			assert.Equal(t, tc.bodies, bodies.take())
			for _, w := range tc.want {
				assert.Contains(t, stdout, w)
			}
			var listed []int
			for i := 1; i <= 7; i++ {
				if strings.Contains(stdout, rule(i)) {
					listed = append(listed, i)
				}
			}
			assert.Equal(t, tc.rules, listed)
			if len(tc.rules) > 1 {
				assert.Less(t, strings.Index(stdout, rule(tc.rules[0])), strings.Index(stdout, rule(tc.rules[1])), "in the order added")
			}
		})
	}
	assert.Equal(t, 7, counter.Path(wechat.PathLinkRulesAdd), "only the set-up added")
}

// Bad rules flags are exit 2, in the flags' words, and nothing reaches
// the simulator: not even a token request.
func TestLinkQRRulesFlagProblems(t *testing.T) {
	counter, _ := linkRulesEnv(t, 0)
	many := make([]string, 0, 2*201)
	for i := range 201 {
		many = append(many, "--prefix", fmt.Sprintf("https://example.com/%d/", i))
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--page", "0"}, "--page: is 0 or missing: get_type 2 lists one page; give the page, counting from 1"},
		{[]string{"--page", "-2"}, "--page: -2 is below 1; pages count from 1"},
		{[]string{"--page", "1", "--page-size", "201"}, "--page-size: 201 is outside 1–200; give 1 to 200 rules a page"},
		{[]string{"--all", "--page-size", "0"}, "--page-size: is 0 or missing"},
		{[]string{"--page-size", "10"}, "--page-size is the rules a page of --page or --all"},
		{[]string{"--prefix", "https://e.com/", "--page", "1"}, "give one or the other"},
		{[]string{"--prefix", "https://e.com/", "--all"}, "give one or the other"},
		{[]string{"--all", "--page", "2"}, "--all walks every page from the first: leave out --page"},
		{[]string{"--prefix", ""}, "--prefix: prefix 1 is empty"},
		{many, "--prefix: has 201 prefixes, more than 200; ask for at most 200 at a time"},
		{[]string{"--page", "two"}, "--page"},
	} {
		t.Run(strings.Join(tc.args[:min(4, len(tc.args))], " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, nil, append([]string{"linkqr", "rules"}, tc.args...)...)
			assert.Equal(t, 2, code, stderr)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tc.want)
			assert.Zero(t, counter.Total(), "nothing was called")
		})
	}
}

// --all is bounded whatever the answers say: a server that always answers
// a full page and a total_count of a billion is asked for 50 pages of 200,
// the 10,000 rules get_type 0 would list, and no more.
func TestLinkQRRulesAllIsBounded(t *testing.T) {
	testenv.Isolate(t)
	var calls atomic.Int32
	base := startRaw(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		var req wechat.LinkRulesRequest
		_ = json.NewDecoder(r.Body).Decode(&req)
		list := wechat.LinkRules{Open: 1, PubQuota: 100, Total: 1e9}
		for i := range req.PageSize + 5 { // more than a page holds, too
			list.Rules = append(list.Rules, wechat.LinkRule{Prefix: fmt.Sprintf("https://example.com/p%d-%d/", req.PageNum, i), PermitSubRule: 1, Path: "p", OpenVersion: 3, State: 2})
		}
		list.ListSize = len(list.Rules)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(list)
	}))
	t.Setenv("WXACODE_BASE_URL", base)
	t.Setenv("WXACODE_ACCESS_TOKEN", "fixed-token-for-the-test")
	code, stdout, stderr := runCLI(t, nil, "linkqr", "rules", "--all")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, int32(50), calls.Load())
	assert.Contains(t, stdout, "10000 rule(s) from 50 page(s) of 200; total_count says 1000000000")
	assert.Equal(t, 10000, strings.Count(stdout, "  [published]"))
}
