package sim

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChecklist has one or more rows for every item of section 9 of the spec
// that a single request can show; the stateful items have their own tests.
func TestChecklist(t *testing.T) {
	const home = "https://sim.wxacode.invalid/release/pages/index/index?scene="
	long := func(n int) string { return strings.Repeat("p", n) }
	tests := []struct {
		item    int
		name    string
		mods    func(*Config)
		method  string // default POST
		path    string
		token   string // "" = a fresh valid classic token; "-" = none
		body    string
		want    int    // errcode; 0 = image
		content string // X-Sim-Content of an image
		msg     string // part of errmsg
	}{
		{item: 1, name: "unknown path", path: "/cgi-bin/wxa/getwxacode", body: `{"path":"a"}`, want: 40066, msg: "invalid url"},
		{item: 1, name: "unknown path GET", method: "GET", path: "/nothing", want: 40066},
		{item: 3, name: "text/plain body still parsed", path: pathB, body: `{"scene":"a=1"}`, content: home + "a%3D1"},
		{item: 3, name: "non-JSON body", path: pathB, body: `scene=a&page=pages/index/index`, want: 47001, msg: "data format error"},
		{item: 3, name: "Java toString body", path: pathB, body: `UnlimitedRequest(scene=1, page=null)`, want: 47001},
		{item: 3, name: "JSON array body", path: pathB, body: `["scene"]`, want: 47001},
		{item: 3, name: "trailing garbage", path: pathB, body: `{"scene":"a"} x`, want: 47001},
		{item: 3, name: "empty body", path: pathB, body: ``, want: 44002, msg: "empty post data"},
		{item: 3, name: "blank body", path: pathA, body: "  \n", want: 44002},
		{item: 3, name: "GET on code endpoint", method: "GET", path: pathB, want: 43002, msg: "require POST method"},
		{item: 4, name: `\u0026 in scene is literal`, path: pathB, body: `{"scene":"a=1\u0026b=2"}`, want: 40129},
		{item: 4, name: `\u0026 lengthens scene`, path: pathB, body: `{"scene":"` + strings.Repeat("a", 27) + `\u0026"}`, want: 40169},
		{item: 4, name: `\u0026 in path loses its backslash`, path: pathA, body: `{"path":"pages/index/detail?id=133\u0026n=1"}`, content: "pages/index/detail?id=133u0026n=1"},
		{item: 4, name: `other escapes decoded`, path: pathB, body: `{"scene":"a\/b"}`, content: home + "a%2Fb"},
		{item: 5, name: "path on B opens home page", path: pathB, body: `{"scene":"id=1","path":"pages/detail/detail"}`, content: home + "id%3D1"},
		{item: 5, name: "unknown keys ignored", path: pathA, body: `{"path":"pages/a","isHyaline":true,"foo":[1,{"x":null}]}`, content: "pages/a"},
		{item: 6, name: "access_token missing", path: pathB, token: "-", body: `{"scene":"a"}`, want: 41001, msg: "access_token missing"},
		{item: 7, name: "token never issued", path: pathB, token: "2", body: `{"scene":"a"}`, want: 40001, msg: "not latest"},
		{item: 7, name: "real-looking unknown token", path: pathA, token: "91_" + strings.Repeat("x", 136), body: `{"path":"a"}`, want: 40001},
		{item: 7, name: "malformed token", path: pathC, token: "not a token!", body: `{"path":"a"}`, want: 40014, msg: "invalid access_token"},
		{item: 9, name: "component token", path: pathB, token: "component_token", mods: func(c *Config) { c.ForeignTokens = []string{"component_token"} },
			body: `{"scene":"a"}`, want: 48001, msg: "api unauthorized"},
		{item: 10, name: "system error fault", path: pathB, mods: func(c *Config) { c.Faults.SystemError = 1 }, body: `{"scene":"a"}`, want: -1, msg: "system error"},
		{item: 10, name: "token check before fault", path: pathB, token: "-", mods: func(c *Config) { c.Faults.SystemError = 1 }, body: `{"scene":"a"}`, want: 41001},
		{item: 11, name: "scene absent", path: pathB, body: `{"page":"pages/index/index"}`, want: 40169, msg: "invalid length for scene"},
		{item: 11, name: "scene empty", path: pathB, body: `{"scene":""}`, want: 40169},
		{item: 11, name: "scene null", path: pathB, body: `{"scene":null}`, want: 40169},
		{item: 11, name: "scene 33 chars", path: pathB, body: `{"scene":"` + strings.Repeat("a", 33) + `"}`, want: 40169},
		{item: 11, name: "scene 32 chars", path: pathB, body: `{"scene":"` + strings.Repeat("a", 32) + `"}`, content: home + strings.Repeat("a", 32)},
		{item: 11, name: "scene as object", path: pathB, body: `{"scene":{"id":1}}`, want: 40169},
		{item: 11, name: "33 Chinese characters: length first", path: pathB, body: `{"scene":"` + strings.Repeat("码", 33) + `"}`, want: 40169},
		{item: 12, name: "space", path: pathB, body: `{"scene":"a b"}`, want: 40129, msg: "invalid scene"},
		{item: 12, name: "percent", path: pathB, body: `{"scene":"%E4%B8%AD"}`, want: 40129},
		{item: 12, name: "Chinese", path: pathB, body: `{"scene":"码"}`, want: 40129},
		{item: 12, name: "every allowed punctuation", path: pathB, body: `{"scene":"!#$&'()*+,/:;=?@-._~"}`,
			content: home + "!%23%24%26'()*%2B%2C%2F%3A%3B%3D%3F%40-._~"},
		{item: 12, name: "JSON number through a double", path: pathB, body: `{"scene":412213075488489472}`, content: home + "412213075488489500"},
		{item: 13, name: "env_version empty", path: pathB, body: `{"scene":"a","env_version":""}`, want: 40097, msg: "invalid args"},
		{item: 13, name: "env_version capitalised", path: pathB, body: `{"scene":"a","env_version":"Release"}`, want: 40097},
		{item: 13, name: "env_version number", path: pathA, body: `{"path":"a","env_version":1}`, want: 40097},
		{item: 13, name: "env_version trial", path: pathB, body: `{"scene":"a","env_version":"trial"}`, content: "https://sim.wxacode.invalid/trial/pages/index/index?scene=a"},
		{item: 13, name: "scene checked before env", path: pathB, body: `{"scene":"","env_version":""}`, want: 40169},
		{item: 14, name: "is_hyaline 1", path: pathB, body: `{"scene":"a","is_hyaline":1}`, want: 47001},
		{item: 14, name: "check_path string", path: pathB, body: `{"scene":"a","check_path":"false"}`, want: 47001},
		{item: 14, name: "auto_color 0", path: pathB, body: `{"scene":"a","auto_color":0}`, want: 47001},
		{item: 14, name: "is_hyaline 1 on A", path: pathA, body: `{"path":"a","is_hyaline":1}`, want: 47001},
		{item: 15, name: "scancode_time in page", path: pathB, body: `{"scene":"a","page":"pages/scancode_time/x"}`, want: 85096, msg: "not allow include scancode_time field"},
		{item: 16, name: "leading slash", path: pathB, body: `{"scene":"a","page":"/pages/index/index"}`, want: 41030, msg: "invalid page"},
		{item: 16, name: "query in page", path: pathB, body: `{"scene":"a","page":"pages/index/index?id=1"}`, want: 41030},
		{item: 16, name: "leading slash with check_path false", path: pathB, body: `{"scene":"a","page":"/pages/new/new","check_path":false}`, want: 41030},
		{item: 16, name: "unreleased page", path: pathB, body: `{"scene":"a","page":"pages/new/new"}`, want: 41030},
		{item: 16, name: "unreleased page, develop", path: pathB, body: `{"scene":"a","page":"pages/new/new","env_version":"develop"}`, want: 41030},
		{item: 16, name: "unreleased page, check_path true", path: pathB, body: `{"scene":"a","page":"pages/new/new","check_path":true}`, want: 41030},
		{item: 16, name: "unreleased page, check_path false", path: pathB, body: `{"scene":"a","page":"pages/new/new","check_path":false,"env_version":"develop"}`,
			content: "https://sim.wxacode.invalid/develop/pages/new/new?scene=a"},
		{item: 16, name: "example page released", path: pathB, body: `{"scene":"a","page":"pages/shop/item"}`, content: "https://sim.wxacode.invalid/release/pages/shop/item?scene=a"},
		{item: 16, name: "configured pages replace the example", path: pathB, mods: func(c *Config) { c.Released = []string{"pages/home/home"} },
			body: `{"scene":"a","page":"pages/shop/item"}`, want: 41030},
		{item: 16, name: "configured home page", path: pathB, mods: func(c *Config) { c.Released = []string{"pages/home/home"} },
			body: `{"scene":"a"}`, content: "https://sim.wxacode.invalid/release/pages/home/home?scene=a"},
		{item: 16, name: "unpublished app", path: pathB, mods: func(c *Config) { c.Unpublished = true }, body: `{"scene":"a"}`, want: 41030},
		{item: 16, name: "unpublished app, check_path false", path: pathB, mods: func(c *Config) { c.Unpublished = true }, body: `{"scene":"a","check_path":false}`, content: home + "a"},
		{item: 18, name: "width string accepted", path: pathB, body: `{"scene":"a","width":"300"}`, content: home + "a"},
		{item: 18, name: "width not a number", path: pathB, body: `{"scene":"a","width":"wide"}`, want: 47001},
		{item: 18, name: "line_color strings", path: pathB, body: `{"scene":"a","line_color":{"r":"10","g":"20","b":"30"}}`, content: home + "a"},
		{item: 18, name: "line_color not an object", path: pathB, body: `{"scene":"a","line_color":"#000"}`, want: 47001},
		{item: 19, name: "path missing", path: pathA, body: `{"width":430}`, want: 40159, msg: "invalid length for path"},
		{item: 19, name: "path empty", path: pathA, body: `{"path":""}`, want: 40159},
		{item: 19, name: "page instead of path", path: pathA, body: `{"page":"pages/index/index"}`, want: 40159},
		{item: 19, name: "path 1024 bytes", path: pathA, body: `{"path":"` + long(1024) + `"}`, content: long(1024)},
		{item: 19, name: "path 1025 bytes", path: pathA, body: `{"path":"` + long(1025) + `"}`, want: 40159},
		{item: 19, name: "path counted in bytes", path: pathA, body: `{"path":"` + strings.Repeat("码", 342) + `"}`, want: 40159},
		{item: 19, name: "legacy 128 limit", path: pathA, mods: func(c *Config) { c.LegacyPathLimit = true }, body: `{"path":"` + long(129) + `"}`, want: 40159},
		{item: 19, name: "legacy 128 limit, 128 ok", path: pathA, mods: func(c *Config) { c.LegacyPathLimit = true }, body: `{"path":"` + long(128) + `"}`, content: long(128)},
		{item: 19, name: "scancode_time in path", path: pathA, body: `{"path":"pages/a?scancode_time=1"}`, want: 85096},
		{item: 19, name: "bad env on A", path: pathA, body: `{"path":"pages/a","env_version":""}`, want: 40097},
		{item: 19, name: "query-only path (mini game)", path: pathA, body: `{"path":"?foo=bar"}`, content: "?foo=bar"},
		{item: 22, name: "C path 128 bytes", path: pathC, body: `{"path":"` + long(128) + `"}`, content: long(128)},
		{item: 22, name: "C path 129 bytes", path: pathC, body: `{"path":"` + long(129) + `"}`, want: 40159},
		{item: 22, name: "C path 43 Chinese = 129 bytes", path: pathC, body: `{"path":"` + strings.Repeat("码", 43) + `"}`, want: 40159},
		{item: 22, name: "C scancode_time", path: pathC, body: `{"path":"a?scancode_time=1"}`, want: 85096, msg: "page or path not allow include scancode_time field"},
		{item: 22, name: "C leading slash tolerated", path: pathC, body: `{"path":"/pages/index/index?id=1"}`, content: "/pages/index/index?id=1"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%02d %s", tc.item, tc.name), func(t *testing.T) {
			var mods []func(*Config)
			if tc.mods != nil {
				mods = append(mods, tc.mods)
			}
			s := newSim(t, mods...)
			token := tc.token
			switch token {
			case "":
				token = classic(t, s)
			case "-":
				token = ""
			}
			method := tc.method
			if method == "" {
				method = "POST"
			}
			target := tc.path
			if token != "" {
				target += "?access_token=" + url.QueryEscape(token)
			}
			a := do(t, s, method, target, tc.body)
			require.Equal(t, 200, a.status)
			if tc.want != 0 {
				requireErr(t, a, tc.want)
				assert.Contains(t, a.errmsg, tc.msg)
				return
			}
			requireImage(t, a)
			assert.Equal(t, tc.content, a.header.Get(ContentHeader))
		})
	}
}
