package scene

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/wechat"
)

func TestExplainUnlimited(t *testing.T) {
	l := Explain("id=42&from=poster", "pages/item/item")
	assert.True(t, l.Valid())
	assert.Equal(t, "id%3D42%26from%3Dposter", l.QueryScene)
	assert.Equal(t, []Pair{{Index: 1, Key: "scene", Value: "id%3D42%26from%3Dposter", HasEq: true}}, l.Query)
	assert.Equal(t, "id=42&from=poster", l.Decoded)
	assert.True(t, l.RoundTrip)
	require.Len(t, l.Pairs, 2)
	assert.Equal(t, Pair{Index: 2, Key: "from", Value: "poster", HasEq: true}, l.Pairs[1])
	assert.Equal(t, `{ scene: "id%3D42%26from%3Dposter" }`, l.OnLoad)
	assert.Equal(t, `{ path: "pages/item/item", query: { scene: "id%3D42%26from%3Dposter" }, scene: 1047 }`, l.AppOptions)
	assert.Equal(t, []int{1047, 1048, 1049}, values(l.EntryScenes))
	assert.Contains(t, l.Game, "wx.getLaunchOptionsSync().query.scene")
	assert.Contains(t, l.Game, "wx.onShow")
	assert.Contains(t, strings.Join(l.Steps, "\n"), "options.scene")
}

func values(es []EntryScene) []int {
	out := make([]int, len(es))
	for i, e := range es {
		out[i] = e.Value
	}
	return out
}

func TestExplainHomePageAndProblems(t *testing.T) {
	l := Explain("a b", "")
	assert.True(t, l.HomePage)
	assert.Contains(t, l.Steps[1], "home page")
	assert.False(t, l.Valid())
	require.NotEmpty(t, l.Problems)
	assert.Equal(t, 40129, l.Problems[0].Code)
	assert.Equal(t, "a%20b", l.QueryScene, "still shown as it would arrive")

	l = Explain("x", "/pages/a?b=1")
	assert.Len(t, l.Problems, 2, "leading / and a query in page")

	l = Explain("bad\xff", "")
	assert.NotEmpty(t, l.Err)
	assert.False(t, l.Valid())
}

func TestSplitPairs(t *testing.T) {
	ps := SplitPairs("a=1&a=2&=x&flag&b=&&c=d=e")
	require.Len(t, ps, 7)
	notes := func(i int) string { return strings.Join(ps[i].Notes, "; ") }
	assert.Empty(t, ps[0].Notes)
	assert.Contains(t, notes(1), "duplicate key")
	assert.Contains(t, notes(2), "empty key")
	assert.Contains(t, notes(3), "no '='")
	assert.False(t, ps[3].HasEq)
	assert.Contains(t, notes(4), "empty value")
	assert.Contains(t, notes(5), "empty piece")
	assert.Equal(t, "d=e", ps[6].Value)
	assert.Contains(t, notes(6), "value holds '='")
	assert.Empty(t, SplitPairs(""))
	assert.Equal(t, `{ a: "2", "": "x", flag: "", b: "", c: "d=e" }`, jsObject(ps))
}

func TestExplainPath(t *testing.T) {
	l := ExplainPath("pages/a/a?id=1&name=%E4%B8%AD")
	assert.Equal(t, wechat.KindLimited, l.Kind)
	assert.Equal(t, "pages/a/a", l.Page)
	assert.Equal(t, `{ id: "1", name: "%E4%B8%AD" }`, l.OnLoad, "values shown as written")
	assert.Contains(t, strings.Join(l.Steps, "\n"), "decodeURIComponent")
	assert.NotEmpty(t, l.Unverified)
	assert.Empty(t, l.QueryScene)
	for _, e := range l.EntryScenes {
		assert.True(t, e.Verified)
	}

	game := ExplainPath("?foo=bar")
	assert.True(t, game.HomePage)
	assert.Equal(t, `{ foo: "bar" }`, game.OnLoad)
	assert.Contains(t, game.Game, "wx.getLaunchOptionsSync().query")

	sq := ExplainQRCode("pages/a/a")
	assert.Equal(t, []int{1047, 1048, 1049, 1011, 1012, 1013}, values(sq.EntryScenes))
	for _, e := range sq.EntryScenes {
		assert.False(t, e.Verified, "which scene a square code gives is not documented")
	}
	assert.Equal(t, "{}", sq.OnLoad)

	assert.NotEmpty(t, ExplainPath("").Problems)
	assert.NotEmpty(t, ExplainPath("pages/a?scancode_time=1").Problems)
	p := ExplainParams(wechat.Params{Kind: wechat.KindUnlimited, Scene: "s=1"})
	assert.Equal(t, "s%3D1", p.QueryScene)
}

func TestLaunchJSON(t *testing.T) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // as the command prints it
	require.NoError(t, enc.Encode(Explain("a&b", "")))
	s := buf.String()
	assert.Contains(t, s, `"query_scene":"a%26b"`)
	assert.Contains(t, s, `"entry_scenes":[{"value":1047`)
	assert.Contains(t, s, `"problems":[]`)
	assert.NotContains(t, s, `\u0026`)
	b, err := json.Marshal(Explain("a b", ""))
	require.NoError(t, err)
	assert.Contains(t, string(b), `"problems":[{"field":"scene","pos":2,`)
}

func TestDevTools(t *testing.T) {
	d, err := DevToolsFor("?duid=2&fif=4", "pages/a/a")
	require.NoError(t, err)
	assert.Equal(t, "scene=%3Fduid%3D2%26fif%3D4", d.LaunchParam)
	assert.Equal(t, 1047, d.EntryScene)
	assert.Contains(t, d.Pitfall, `"?duid"`)
	assert.Contains(t, d.PageSnippet, "onLoad(query)")
	assert.Contains(t, d.PageSnippet, "decodeURIComponent(query.scene")
	assert.Contains(t, d.GameSnippet, "wx.getLaunchOptionsSync()")
	assert.Contains(t, d.GameSnippet, "wx.onShow")
	assert.Contains(t, d.CI, `searchQuery: "scene=%3Fduid%3D2%26fif%3D4", scene: 1047`)

	d, err = DevToolsFor("abc", "")
	require.NoError(t, err)
	assert.Empty(t, d.Pitfall, "nothing to encode, nothing to get wrong")
	assert.Contains(t, strings.Join(d.Steps, "\n"), "home page")
	_, err = DevToolsFor("\xff", "")
	assert.Error(t, err)
}

// TestDevToolsSnippetInNode runs the page snippet with a query as DevTools
// passes it and checks that it recovers the scene.
func TestDevToolsSnippetInNode(t *testing.T) {
	testenv.Tool(t, "node", "nodejs")
	var cases []nodeCase
	scenes := []string{"id=42&from=poster", "?duid=2&fif=4", "a=1&b=x=y", "~'!()*"}
	for _, s := range scenes {
		d, err := DevToolsFor(s, "")
		require.NoError(t, err)
		code := "let got\nfunction Page(o) { o.onLoad({ scene: " + jsString(MustEncode(s)) + " }) }\n" +
			strings.Replace(d.PageSnippet, "    // scene ===", "    got = scene // scene ===", 1) +
			"\nfunction decodeScene() { return got }"
		cases = append(cases, nodeCase{Op: "fit", U: units(""), Code: code})
	}
	for i, r := range runNode(t, cases) {
		require.True(t, r.OK, r.E)
		assert.Equal(t, scenes[i], r.O)
	}
}
