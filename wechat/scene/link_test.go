package scene

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/wechat"
)

var scanned = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestExplainLink(t *testing.T) {
	l := ExplainLink("https://wx.qq.com/mp?id=123&from=poster", "https://wx.qq.com/mp?id=12", scanned)
	require.True(t, l.Valid(), "%v", l.Problems)
	assert.Equal(t, "https%3A%2F%2Fwx.qq.com%2Fmp%3Fid%3D123%26from%3Dposter", l.Q)
	assert.Equal(t, l.URL, l.Decoded)
	assert.True(t, l.RoundTrip)
	assert.Equal(t, "1772366400", l.ScancodeTime)
	assert.Equal(t, []Pair{{Index: 1, Key: "q", Value: l.Q, HasEq: true}, {Index: 2, Key: "scancode_time", Value: "1772366400", HasEq: true}}, l.Query)
	require.Len(t, l.Params, 2)
	assert.Equal(t, "id", l.Params[0].Key)
	assert.Equal(t, "123", l.Params[0].Decoded)
	assert.Equal(t, []int{1011, 1012, 1013}, []int{l.EntryScenes[0].Value, l.EntryScenes[1].Value, l.EntryScenes[2].Value})
	require.NotNil(t, l.Rule)
	assert.True(t, l.Rule.Matches)
	assert.Equal(t, "query-prefix", l.Rule.How)
	assert.Len(t, l.SubRules, 2)
	assert.Contains(t, l.SubRules[1], "85072")
	steps := strings.Join(l.Steps, "\n")
	assert.Contains(t, steps, "scancode_time")
	assert.Contains(t, steps, `"undefined"`)
	assert.Contains(t, l.OnLoad, "if (!query.q) return")
	assert.Contains(t, l.AppOptions, "scene: 1011")
	assert.Contains(t, l.Game, "wx.getEnterOptionsSync()")

	l = ExplainLink("https://e.com/?a=%E4%B8%AD&b=%ZZ&c=1+2#top", "", scanned)
	assert.Nil(t, l.Rule)
	assert.Equal(t, "top", l.Fragment)
	require.Len(t, l.Params, 3)
	assert.Equal(t, "中", l.Params[0].Decoded)
	assert.NotEmpty(t, l.Params[1].Err, "a broken escape throws in the page")
	assert.Equal(t, "%ZZ", l.Params[1].Decoded)
	assert.Contains(t, strings.Join(l.Params[2].Notes, " "), "+ stays +")
	assert.False(t, l.Valid(), "%ZZ is not a URL a link QR should carry")

	l = ExplainLink("https://e.com/\xff", "", scanned)
	assert.NotEmpty(t, l.Err)
	assert.False(t, l.Valid())

	l = ExplainLink("https://www.qq.com/a/b/123", "https://www.qq.com/a/b", scanned)
	assert.False(t, l.Rule.Matches)
	assert.Contains(t, strings.Join(l.Steps, "\n"), "does NOT match")
}

// The documented examples of 常见匹配错误类型, and the matches around them.
func TestMatchLinkRule(t *testing.T) {
	for _, tc := range []struct {
		rule, link string
		how        string // "": no match
		reason     string
	}{
		{"http://www.qq.com/a/b", "https://www.qq.com/a/b", "", "协议不一致"},
		{"https://www.qq.com/a/b", "https://www.weixin.qq.com/a/b", "", "域名不一致"},
		{"https://www.qq.com/a/b?id=123", "https://www.qq.com/a/b?id=132", "", "参数不满足前缀匹配"},
		{"https://www.qq.com/a/b", "https://www.qq.com/a/bc", "", "不属于子路径"},
		{"https://www.qq.com/a/b", "https://www.qq.com/a/b/123", "", "规则没有以/结尾"},
		{"http://www.qq.com/a/", "http://www.qq.com/a/123456", "sub-path", "子路径匹配"},
		{"https://wx.qq.com/mp?id=123", "https://wx.qq.com/mp?id=1234", "query-prefix", "start with"},
		{"http://www.qq.com/mypath?", "http://www.qq.com/mypath?a=1&b=2", "query-prefix", ""},
		{"http://www.qq.com/mypath?", "http://www.qq.com/mypath", "", "no parameters"},
		{"https://wx.qq.com/mp?id=123", "https://wx.qq.com/other?id=123", "", "its own path only"},
		{"https://www.qq.com/a/b", "https://www.qq.com/a/b", "exact", "same scheme"},
		{"https://www.qq.com/a/b", "https://www.qq.com/a/b?x=1", "exact", "free"},
		{"https://WWW.QQ.com/a", "https://www.qq.com/a", "exact", ""},
		{"https://www.qq.com", "https://www.qq.com/", "exact", ""},
		{"https://www.qq.com/a", "https://www.qq.com/b", "", "nor under it"},
		{"www.qq.com/a", "https://www.qq.com/a", "", "rule is not"},
		{"https://www.qq.com/a", "nonsense", "", "link is not"},
	} {
		t.Run(tc.rule+" "+tc.link, func(t *testing.T) {
			m := wechat.MatchLinkRule(tc.rule, tc.link)
			assert.Equal(t, tc.how != "", m.Matches, m.Reason)
			assert.Equal(t, tc.how, m.How)
			assert.Contains(t, m.Reason, tc.reason)
		})
	}
	assert.NotEmpty(t, wechat.MatchLinkRule("https://www.qq.com", "https://www.qq.com/").Inferred)
}

// randLink is a random link with a query, from the same character pools as
// the scene cross-check (non-ASCII and odd ASCII included, escapes valid or not).
func randLink(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString([]string{"https://example.com/", "http://wx.qq.com/a/", "https://e.cn"}[r.IntN(3)])
	b.WriteString(randString(r, 4))
	if r.IntN(5) > 0 {
		b.WriteByte('?')
		for n := r.IntN(4); n >= 0; n-- {
			if n > 0 || r.IntN(2) == 0 {
				b.WriteString(randString(r, 3))
				b.WriteByte('=')
			}
			if r.IntN(2) == 0 {
				b.WriteString(randEscaped(r))
			} else {
				b.WriteString(randString(r, 4))
			}
			if n > 0 {
				b.WriteString([]string{"&", "&", "&&", "&"}[r.IntN(4)])
			}
		}
	}
	if r.IntN(6) == 0 {
		b.WriteString("#" + randString(r, 3))
	}
	return b.String()
}

// TestExplainLinkAgainstNode: options.q is node's encodeURIComponent(URL),
// decodeURIComponent gives the URL back, and the onLoad snippet, run in
// node on that query, builds exactly the params Go describes.
func TestExplainLinkAgainstNode(t *testing.T) {
	testenv.Tool(t, "node", "nodejs")
	r := rand.New(rand.NewPCG(11, 2026))
	var links []string
	var cases []nodeCase
	for i := 0; i < 600; i++ {
		u := randLink(r)
		if strings.Contains(u, "__proto__") {
			continue
		}
		links = append(links, u)
		l := ExplainLink(u, "", scanned)
		require.Empty(t, l.Err)
		// The snippet runs as WeChat would call it, on node's own
		// encodeURIComponent of the link; its params come back as
		// [key, value] pairs in the object's order.
		code := "const input = arguments[0]\nlet got\n" +
			"function Page(o) { o.onLoad({ q: encodeURIComponent(input), scancode_time: " + jsString(l.ScancodeTime) + " }) }\n" +
			strings.Replace(l.OnLoad, "    // link ===", "    got = { q: query.q, link, scannedAt, params: Object.entries(params) } // link ===", 1) +
			"\nfunction decodeScene() { return got }"
		cases = append(cases, nodeCase{Op: "fit", U: units(u), Code: code})
	}
	res := runNode(t, cases)
	withParams, throws := 0, 0
	for i, u := range links {
		js := res[i]
		require.True(t, js.OK, "%q: %s", u, js.E)
		var got struct {
			Q         string     `json:"q"`
			Link      string     `json:"link"`
			ScannedAt int64      `json:"scannedAt"`
			Params    [][]string `json:"params"`
		}
		raw, err := json.Marshal(js.O)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(raw, &got))
		l := ExplainLink(u, "", scanned)
		if len(l.Params) > 0 {
			withParams++
		}
		for _, p := range l.Params {
			if p.Err != "" {
				throws++
			}
		}
		if !assert.Equal(t, got.Q, l.Q, "%q", u) {
			continue
		}
		assert.Equal(t, u, got.Link)
		assert.Equal(t, l.Decoded, got.Link)
		assert.Equal(t, scanned.Unix(), got.ScannedAt)
		keys, vals := LinkParamsObject(l.Params)
		want := [][]string{}
		for _, k := range keys {
			want = append(want, []string{k, vals[k]})
		}
		assert.Equal(t, jsOrder(want), got.Params, "%q", u)
	}
	assert.Greater(t, withParams, 300)
	assert.Greater(t, throws, 50)
	t.Logf("%d links, %d with parameters, %d values decodeURIComponent throws on", len(links), withParams, throws)
}

// jsOrder puts keys in the order a JavaScript object lists them: integer
// keys first, ascending, then the others as inserted.
func jsOrder(pairs [][]string) [][]string {
	var ints, rest [][]string
	for _, p := range pairs {
		if isArrayIndex(p[0]) {
			ints = append(ints, p)
		} else {
			rest = append(rest, p)
		}
	}
	for i := 1; i < len(ints); i++ {
		for j := i; j > 0 && indexLess(ints[j][0], ints[j-1][0]); j-- {
			ints[j], ints[j-1] = ints[j-1], ints[j]
		}
	}
	return append(append([][]string{}, ints...), rest...)
}

func isArrayIndex(k string) bool {
	if k == "" || len(k) > 10 || (len(k) > 1 && k[0] == '0') {
		return false
	}
	var n uint64
	for i := 0; i < len(k); i++ {
		if k[i] < '0' || k[i] > '9' {
			return false
		}
		n = n*10 + uint64(k[i]-'0')
	}
	return n < 1<<32-1
}

func indexLess(a, b string) bool { return len(a) < len(b) || len(a) == len(b) && a < b }
