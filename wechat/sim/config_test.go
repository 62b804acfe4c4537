package sim

import (
	"encoding/json"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testimage"
)

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "sim.toml")
	require.NoError(t, os.WriteFile(p, []byte(text), 0o600))
	return p
}

func TestLoadExampleConfig(t *testing.T) {
	cfg, err := LoadConfig("testdata/sim.example.toml")
	require.NoError(t, err)
	want := DefaultConfig()
	want.Released = ExamplePages
	want.HomePage = DefaultHomePage
	want.IPWhitelist, want.ForeignTokens = []string{}, []string{}
	want.LinkRules = LinkRulesConfig{Unverified: []string{}, Blacklist: []string{}, Taken: []string{}}
	want.Faults.Seed = 1
	assert.Equal(t, want, cfg, "the example shows the defaults")
}

func TestLoadConfig(t *testing.T) {
	cfg, err := LoadConfig(writeConfig(t, `
released_pages = ["pages/a/a", "pages/b/b"]
ip_whitelist = ["192.0.2.0/24"]
theme_color = "#ff6600"
[limits]
unlimited_per_minute = -1
[faults]
latency = "250ms"
drop = 0.5
`))
	require.NoError(t, err)
	assert.Equal(t, []string{"pages/a/a", "pages/b/b"}, cfg.Released)
	assert.Equal(t, -1, cfg.Limits.UnlimitedPerMinute)
	assert.Equal(t, 100000, cfg.Limits.PoolLifetime, "unset keys keep their defaults")
	assert.Equal(t, 250*time.Millisecond, cfg.Faults.Latency)
	assert.Equal(t, DefaultAppID, cfg.AppID)

	cfg.Faults = Faults{}
	s := New(cfg)
	s.Clock().Set(t0)
	tok := classic(t, s)
	for i := 0; i < 3; i++ {
		requireImage(t, code(t, s, pathB, tok, `{"scene":"a","page":"pages/b/b"}`))
	}
	assert.Contains(t, code(t, s, pathB, tok, `{"scene":"a"}`).header.Get(ContentHeader), "/pages/a/a?")
}

func TestLoadConfigErrors(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"unknown key", "relased_pages = []\n[limits]\nunlimted_per_minute = 1\n", "unknown key(s) limits.unlimted_per_minute, relased_pages"},
		{"bad colour", `theme_color = "green"`, "theme_color"},
		{"bad rate", "[faults]\ndrop = 2\n", "faults.drop"},
		{"bad duration", "[faults]\nlatency = \"soon\"\n", "latency"},
		{"bad page", `released_pages = ["/pages/a/a"]`, "not a page path"},
		{"bad whitelist", `ip_whitelist = ["localhost"]`, "not an IP or CIDR"},
		{"not TOML", "appid = ", "sim.toml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadConfig(writeConfig(t, tc.text))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err := LoadConfig(filepath.Join(t.TempDir(), "missing.toml"))
	require.ErrorIs(t, err, os.ErrNotExist)
}

// The zero Config works: defaults everywhere.
func TestZeroConfig(t *testing.T) {
	s := New(Config{})
	s.Clock().Set(t0)
	tok := classic(t, s)
	requireImage(t, code(t, s, pathB, tok, `{"scene":"a"}`))
	assert.Equal(t, DefaultAppID, s.AppID())
}

func FuzzParseObject(f *testing.F) {
	for _, seed := range []string{`{}`, `{"scene":"a=1\u0026b=2"}`, `{"a":[1,2,{"b":null}],"c":true,"d":-1.5e3}`,
		`{"a":"\"\\\/\b\f\n\r\t"}`, `[]`, `{"a":1}x`, `{"a":"\ud800"}`, `{"a":01}`, "{\"a\":\"\x01\"}", `{"a":"\x"}`, ``} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		obj, err := parseObject([]byte(s))
		var ref map[string]json.RawMessage
		refErr := json.Unmarshal([]byte(s), &ref)
		isObj := strings.HasPrefix(strings.TrimLeft(s, " \t\r\n"), "{")
		// encoding/json is the reference for what is JSON (it accepts invalid UTF-8 too).
		if (err == nil) != (refErr == nil && isObj) {
			t.Fatalf("parseObject err=%v, encoding/json err=%v for %q", err, refErr, s)
		}
		if err != nil {
			return
		}
		for k, v := range obj {
			if v.kind != jString || strings.Contains(v.lit, `\u`) || strings.Contains(k, `\u`) {
				continue
			}
			var want string
			if json.Unmarshal(ref[k], &want) == nil && !strings.ContainsRune(want, '\uFFFD') {
				assert.Equal(t, want, v.lit, "without \\u escapes strings decode as in encoding/json")
			}
		}
	})
}

// TestCodeImage: with code_image set, every code request is answered with
// that file's bytes (a real code); a file a client would refuse is a
// config error that says what to give.
func TestCodeImage(t *testing.T) {
	real := filepath.Join("..", "..", "codeimage", "testdata", "realcodes")
	abs, err := filepath.Abs(filepath.Join(real, "wxacode-Mr-Pao-Cat-Atlas-1.jpg"))
	require.NoError(t, err)
	want, err := os.ReadFile(abs)
	require.NoError(t, err)
	cfg, err := LoadConfig(writeConfig(t, "code_image = "+strconvQuote(abs)))
	require.NoError(t, err)
	require.Equal(t, want, cfg.CodeImageBytes)
	s := newSim(t, func(c *Config) { c.CodeImageBytes = cfg.CodeImageBytes })
	token := classic(t, s)
	for _, c := range []struct{ path, body string }{
		{"/wxa/getwxacodeunlimit", `{"scene":"id=1","page":"pages/index/index","check_path":false}`},
		{"/wxa/getwxacode", `{"path":"pages/index/index?id=2"}`},
		{"/cgi-bin/wxaapp/createwxaqrcode", `{"path":"pages/index/index?id=3"}`},
	} {
		a := code(t, s, c.path, token, c.body)
		requireImage(t, a)
		assert.Equal(t, want, a.body, c.path)
	}
	// The request is still checked: a bad one gets its errcode, not the image.
	requireErr(t, code(t, s, "/wxa/getwxacodeunlimit", token, `{"scene":"`+strings.Repeat("x", 33)+`"}`), 40169)

	gif := filepath.Join(t.TempDir(), "code.gif")
	require.NoError(t, os.WriteFile(gif, testimage.GIF(testimage.QRSized("x", 430, color.NRGBA{A: 255}, color.NRGBA{255, 255, 255, 255})), 0o600))
	for name, c := range map[string]struct{ file, want string }{
		"missing":      {"nope.jpg", "no such file"},
		"not an image": {"../../README.md", "give a PNG or JPEG code"},
		"too small":    {filepath.Join(real, "wxacode-jin-yufeng-mp-html-1.jpg"), "280 to 1280 px"},
		"a GIF":        {gif, "give a PNG or JPEG code"},
	} {
		t.Run(name, func(t *testing.T) {
			path := c.file
			if !filepath.IsAbs(path) {
				path, _ = filepath.Abs(path)
			}
			_, err := LoadConfig(writeConfig(t, "code_image = "+strconvQuote(path)))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "code_image")
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }
