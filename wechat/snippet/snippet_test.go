package snippet

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/wechat"
)

var (
	no  = false
	yes = true
)

// requests are one of each kind, with every optional field set or left out.
var requests = map[string]wechat.Params{
	"unlimited, defaults":        {Kind: wechat.KindUnlimited, Scene: "id=42"},
	"unlimited, every field":     {Kind: wechat.KindUnlimited, Scene: "a=1&b=中", Page: "pages/index/index", CheckPath: &no, EnvVersion: "trial", Width: 1280, AutoColor: false, LineColor: &wechat.Color{R: 26, G: 173, B: 25}, Hyaline: true},
	"unlimited, check_path true": {Kind: wechat.KindUnlimited, Scene: "x", Page: "pages/detail/detail", CheckPath: &yes, EnvVersion: "develop"},
	"unlimited, auto_color":      {Kind: wechat.KindUnlimited, Scene: `q"'\`, AutoColor: true},
	"limited":                    {Kind: wechat.KindLimited, Path: "pages/detail/detail?id=42", Width: 600, EnvVersion: "release", Hyaline: true},
	"qrcode":                     {Kind: wechat.KindQRCode, Path: "pages/index/index?from=poster", Width: 430},
	// A quote, a comma and a colon inside a value: spacing the literal
	// must not reach into strings.
	"limited, JSON punctuation in the path": {Kind: wechat.KindLimited, Path: `pages/a/a?q=",":x,"y":{z}`},
}

func TestCamel(t *testing.T) {
	for in, want := range map[string]string{
		"scene": "scene", "check_path": "checkPath", "env_version": "envVersion", "auto_color": "autoColor",
		"line_color": "lineColor", "is_hyaline": "isHyaline", "width": "width", "path": "path",
	} {
		assert.Equal(t, want, Camel(in), in)
	}
}

// TestCloudCall: the call is the kind's wx-server-sdk method with exactly
// the body's keys, camelCased, in order; checkPath: false is written when
// it is false, an omitted field stays omitted.
func TestCloudCall(t *testing.T) {
	for _, c := range []struct {
		name, method string
		has, hasNot  []string
	}{
		{"unlimited, defaults", "wxacode.getUnlimited", []string{`scene: "id=42",`}, []string{"checkPath", "page:", "envVersion", "width", "lineColor"}},
		{"unlimited, every field", "wxacode.getUnlimited", []string{`scene: "a=1&b=中",`, `checkPath: false,`, `envVersion: "trial",`, `width: 1280,`, `lineColor: {"r": "26", "g": "173", "b": "25"},`, `isHyaline: true,`, `.png'`}, []string{"check_path", "autoColor"}},
		{"limited", "wxacode.get", []string{`path: "pages/detail/detail?id=42",`, `envVersion: "release",`}, []string{"scene", "checkPath"}},
		{"qrcode", "wxacode.createQRCode", []string{`path: "pages/index/index?from=poster",`, `width: 430,`, `.jpg'`}, []string{"isHyaline:", "envVersion"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := Cloud(requests[c.name])
			require.NoError(t, err)
			assert.Contains(t, s, "const cloud = require('wx-server-sdk')")
			assert.Contains(t, s, "cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })")
			assert.Contains(t, s, "await cloud.openapi."+c.method+"({")
			assert.Contains(t, s, `"openapi": ["`+c.method+`"]`)
			assert.Contains(t, s, "result.buffer")
			for _, h := range c.has {
				assert.Contains(t, s, h)
			}
			for _, h := range c.hasNot {
				assert.NotContains(t, s, h)
			}
			assert.NotContains(t, s, "access_token")
		})
	}
}

func TestCloudRefusesKindsWithoutACall(t *testing.T) {
	_, err := Cloud(wechat.Params{Kind: wechat.Kind("linkqr"), Path: "x"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "has no wx-server-sdk call")
}

func TestCurl(t *testing.T) {
	s, err := Curl("", requests["unlimited, every field"])
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(s, `curl -sS -X POST "https://api.weixin.qq.com/wxa/getwxacodeunlimit?access_token=$ACCESS_TOKEN"`), s)
	body, err := Body(requests["unlimited, every field"])
	require.NoError(t, err)
	out, err := exec.Command("sh", "-c", "printf %s "+strings.SplitN(strings.SplitN(s, " -d ", 2)[1], " -o ", 2)[0]).Output()
	require.NoError(t, err)
	assert.Equal(t, body, string(out), "the shell hands curl exactly the body")
}

// TestCloudRunsInWxServerSDK runs each cloud function we write in Node
// against the real wx-server-sdk (the version .ci/wx-server-sdk pins), its
// network stubbed at @cloudbase/node-sdk (testdata/run-cloud-function.js),
// and checks that the SDK's own camelCase → snake_case conversion sends
// exactly our HTTPS body to the method we named, and that result.buffer
// reaches cloud.uploadFile.
func TestCloudRunsInWxServerSDK(t *testing.T) {
	node := testenv.Tool(t, "node", "nodejs")
	modules := testenv.WxServerSDK(t)
	harness, err := filepath.Abs(filepath.Join("testdata", "run-cloud-function.js"))
	require.NoError(t, err)
	for name, p := range requests {
		t.Run(name, func(t *testing.T) {
			s, err := Cloud(p)
			require.NoError(t, err)
			js, _, ok := strings.Cut(s, "// config.json")
			require.True(t, ok)
			fn := filepath.Join(t.TempDir(), "index.js")
			require.NoError(t, os.WriteFile(fn, []byte(js), 0o600))
			cmd := exec.Command(node, harness, fn)
			cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, string(out))
			var seen struct {
				API    string          `json:"api"`
				Body   json.RawMessage `json:"body"`
				Upload struct {
					CloudPath string `json:"cloudPath"`
					Bytes     int    `json:"bytes"`
				} `json:"upload"`
			}
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &seen), string(out))
			assert.Equal(t, "wxacode."+CloudMethod(p.Kind), seen.API)
			body, err := Body(p)
			require.NoError(t, err)
			assert.JSONEq(t, body, string(seen.Body), "what wx-server-sdk sends is our HTTPS body")
			assert.Positive(t, seen.Upload.Bytes, "result.buffer reaches uploadFile")
		})
	}
}
