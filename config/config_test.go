package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func writeFile(t *testing.T, path, body string, mode os.FileMode) string {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	require.NoError(t, os.WriteFile(path, []byte(body), mode))
	require.NoError(t, os.Chmod(path, mode))
	return path
}

func TestExampleLoadsWithNoUnknownKeys(t *testing.T) {
	testenv.Isolate(t)
	data, err := os.ReadFile("../config.example.toml")
	require.NoError(t, err)
	var c Config
	md, err := toml.Decode(string(data), &c)
	require.NoError(t, err)
	assert.Empty(t, md.Undecoded())

	cfg, warnings, err := Load("../config.example.toml", nil)
	require.NoError(t, err)
	assert.Empty(t, warnings, "the example holds no secret and uses stable tokens")
	def := Default()
	def.File = "../config.example.toml"
	assert.Equal(t, def, cfg, "the example documents the defaults")

	// Every key of Config appears in the example.
	for _, key := range []string{"appid", "secret", "access_token", "token_cmd", "token_mode", "base_url",
		"save_dir", "name_template", "graphics", "rate_per_minute", "timeout", "[authorizer]",
		"component_appid", "component_access_token", "component_token_cmd", "authorizer_appid", "authorizer_refresh_token",
		"[defaults]", "kind", "page", "scene", "path", "width", "env_version", "check_path",
		"auto_color", "line_color", "hyaline", "[sim]", "enabled", "config"} {
		assert.Contains(t, string(data), key)
	}
}

func TestUnknownKeysRejected(t *testing.T) {
	testenv.Isolate(t)
	dir := t.TempDir()
	for name, body := range map[string]string{
		"top":      "appid = \"wx1\"\nsecrte = \"x\"\n",
		"defaults": "[defaults]\nwidht = 400\n",
		"sim":      "[sim]\nconfg = \"a.toml\"\n",
	} {
		p := writeFile(t, filepath.Join(dir, name+".toml"), body, 0o600)
		_, _, err := Load(p, nil)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "unknown key", name)
	}
}

func TestBadValuesListed(t *testing.T) {
	testenv.Isolate(t)
	p := writeFile(t, filepath.Join(t.TempDir(), "c.toml"), "token_mode = \"fast\"\ngraphics = \"png\"\nbase_url = \"api.weixin.qq.com\"\n", 0o600)
	_, _, err := Load(p, nil)
	require.Error(t, err)
	for _, want := range []string{"token_mode", "graphics", "base_url"} {
		assert.Contains(t, err.Error(), want)
	}
	p = writeFile(t, filepath.Join(t.TempDir(), "c.toml"), "timeout = \"soon\"\n", 0o600)
	_, _, err = Load(p, nil)
	require.ErrorContains(t, err, "30s")
}

func TestPrecedence(t *testing.T) {
	file := `appid = "wx-file"
secret = "file-secret"
base_url = "http://file.example"
rate_per_minute = 100
timeout = "5s"
token_cmd = "echo file"
[defaults]
kind = "limited"
width = 500
check_path = false
`
	tests := []struct {
		name  string
		file  string
		env   map[string]string
		check func(t *testing.T, c Config)
	}{
		{"defaults only", "", nil, func(t *testing.T, c Config) {
			assert.Equal(t, Default(), c)
		}},
		{"file over defaults", file, nil, func(t *testing.T, c Config) {
			assert.Equal(t, "wx-file", c.AppID)
			assert.Equal(t, "file-secret", c.Secret)
			assert.Equal(t, "http://file.example", c.BaseURL)
			assert.Equal(t, 100, c.RatePerMinute)
			assert.Equal(t, Duration(5*time.Second), c.Timeout)
			assert.Equal(t, "limited", c.Defaults.Kind)
			assert.Equal(t, 500, c.Defaults.Width)
			require.NotNil(t, c.Defaults.CheckPath)
			assert.False(t, *c.Defaults.CheckPath)
			assert.Equal(t, "stable", c.TokenMode, "keys the file leaves out keep their default")
			assert.Equal(t, "auto", c.Graphics)
		}},
		{"env over file", file, map[string]string{
			EnvAppID: "wx-env", EnvSecret: "env-secret", EnvBaseURL: "http://env.example",
			EnvTokenCmd: "echo env", EnvAccessToken: "env-token",
		}, func(t *testing.T, c Config) {
			assert.Equal(t, "wx-env", c.AppID)
			assert.Equal(t, "env-secret", c.Secret)
			assert.Equal(t, "http://env.example", c.BaseURL)
			assert.Equal(t, "echo env", c.TokenCmd)
			assert.Equal(t, "env-token", c.AccessToken)
			assert.Equal(t, 100, c.RatePerMinute, "env does not touch other keys")
		}},
		{"empty env var counts as unset", file, map[string]string{EnvAppID: "  "}, func(t *testing.T, c Config) {
			assert.Equal(t, "wx-file", c.AppID)
		}},
		{"env over defaults", "", map[string]string{EnvAppID: "wx-env"}, func(t *testing.T, c Config) {
			assert.Equal(t, "wx-env", c.AppID)
			assert.Equal(t, 5000, c.RatePerMinute)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			testenv.Isolate(t)
			path := ""
			if tt.file != "" {
				path = writeFile(t, filepath.Join(t.TempDir(), "c.toml"), tt.file, 0o600)
			}
			c, _, err := Load(path, envOf(tt.env))
			require.NoError(t, err)
			c.File = ""
			tt.check(t, c)
		})
	}
}

func TestConfigPathSources(t *testing.T) {
	home := testenv.Isolate(t)
	// No file anywhere: fine.
	c, w, err := Load("", nil)
	require.NoError(t, err)
	assert.Empty(t, w)
	assert.Empty(t, c.File)

	// The default file is read.
	def := DefaultPath()
	assert.Equal(t, filepath.Join(home, "config", "wxacode", "config.toml"), def)
	writeFile(t, def, "appid = \"wx-default\"\n", 0o600)
	c, _, err = Load("", nil)
	require.NoError(t, err)
	assert.Equal(t, "wx-default", c.AppID)
	assert.Equal(t, def, c.File)

	// WXACODE_CONFIG beats the default path; the flag beats WXACODE_CONFIG.
	envFile := writeFile(t, filepath.Join(home, "env.toml"), "appid = \"wx-envfile\"\n", 0o600)
	flagFile := writeFile(t, filepath.Join(home, "flag.toml"), "appid = \"wx-flagfile\"\n", 0o600)
	env := envOf(map[string]string{EnvConfig: envFile})
	c, _, err = Load("", env)
	require.NoError(t, err)
	assert.Equal(t, "wx-envfile", c.AppID)
	c, _, err = Load(flagFile, env)
	require.NoError(t, err)
	assert.Equal(t, "wx-flagfile", c.AppID)

	// A missing explicit file is an error, from the flag or the environment.
	_, _, err = Load(filepath.Join(home, "nope.toml"), nil)
	require.ErrorContains(t, err, "does not exist")
	_, _, err = Load("", envOf(map[string]string{EnvConfig: filepath.Join(home, "nope.toml")}))
	require.ErrorContains(t, err, "does not exist")
}

func TestSecretFilePermissionWarning(t *testing.T) {
	testenv.Isolate(t)
	dir := t.TempDir()
	tests := []struct {
		name string
		body string
		mode os.FileMode
		warn bool
	}{
		{"secret 0644", "secret = \"s\"\n", 0o644, true},
		{"secret 0640", "secret = \"s\"\n", 0o640, true},
		{"secret 0600", "secret = \"s\"\n", 0o600, false},
		{"access_token 0604", "access_token = \"t\"\n", 0o604, true},
		{"refresh token 0644", "[authorizer]\nauthorizer_refresh_token = \"r\"\n", 0o644, true},
		{"no secret 0644", "appid = \"wx1\"\n", 0o644, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, filepath.Join(dir, strings.Repeat("x", i+1)+".toml"), tt.body, tt.mode)
			_, w, err := Load(p, nil)
			require.NoError(t, err)
			if !tt.warn {
				assert.Empty(t, w)
				return
			}
			require.Len(t, w, 1)
			assert.Contains(t, w[0], "chmod 600 "+p)
			assert.NotContains(t, w[0], "\"s\"")
		})
	}
}

func TestClassicWarns(t *testing.T) {
	testenv.Isolate(t)
	p := writeFile(t, filepath.Join(t.TempDir(), "c.toml"), "token_mode = \"classic\"\n", 0o600)
	_, w, err := Load(p, nil)
	require.NoError(t, err)
	require.Len(t, w, 1)
	assert.Contains(t, w[0], "invalidates")
}

func TestSimBothSpellings(t *testing.T) {
	testenv.Isolate(t)
	dir := t.TempDir()
	p := writeFile(t, filepath.Join(dir, "a.toml"), "sim = true\n", 0o600)
	c, _, err := Load(p, nil)
	require.NoError(t, err)
	assert.True(t, c.Sim.Enabled)

	p = writeFile(t, filepath.Join(dir, "b.toml"), "[sim]\nenabled = true\nconfig = \"sim.toml\"\n", 0o600)
	c, _, err = Load(p, nil)
	require.NoError(t, err)
	assert.True(t, c.Sim.Enabled)
	assert.Equal(t, filepath.Join(dir, "sim.toml"), c.Sim.Config, "relative to the config file")

	p = writeFile(t, filepath.Join(dir, "c.toml"), "sim = \"yes\"\n", 0o600)
	_, _, err = Load(p, nil)
	require.Error(t, err)
}

func TestDirs(t *testing.T) {
	home := testenv.Isolate(t)
	assert.Equal(t, filepath.Join(home, "state", "wxacode"), StateDir())
	assert.Equal(t, filepath.Join(home, "cache", "wxacode"), CacheDir())
	t.Setenv("XDG_STATE_HOME", "")
	assert.Equal(t, filepath.Join(home, ".local", "state", "wxacode"), StateDir())
}

func TestHasCredentials(t *testing.T) {
	assert.False(t, Default().HasCredentials())
	for _, c := range []Config{{AppID: "a"}, {AccessToken: "t"}, {TokenCmd: "x"}, {Authorizer: Authorizer{AuthorizerAppID: "a"}}} {
		assert.True(t, c.HasCredentials())
	}
}

func TestConfigNeverPrintsSecrets(t *testing.T) {
	c := Default()
	c.Secret, c.AccessToken = "sekrit-1234", "tok-5678"
	c.Authorizer = Authorizer{ComponentAccessToken: "ctok-999", AuthorizerRefreshToken: "rtok-000"}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s", c, c, c, c), fmt.Sprint(&c)} {
		for _, secret := range []string{"sekrit-1234", "tok-5678", "ctok-999", "rtok-000"} {
			assert.NotContains(t, s, secret)
		}
		assert.Contains(t, s, "REDACTED")
	}
}

// TestBaseURLIsParsed: every base_url is parsed as a URL with an http or
// https scheme and a host, so a broken one fails the config check (exit 2)
// instead of every call.
func TestBaseURLIsParsed(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want string // "" = valid
	}{
		{"https://api.weixin.qq.com", ""},
		{"http://127.0.0.1:8717", ""},
		{"http://[::1]:8717", ""},
		{"http://[::1", "not a URL"},
		{"api.weixin.qq.com", "scheme"},
		{"ftp://api.weixin.qq.com", "scheme"},
		{"http://", "no host"},
		{"http://:80", "no host"},
		{"https://user:pw@api.weixin.qq.com", "no user"},
		{"https://api.weixin.qq.com/?a=b", "no query"},
		{"http://host:port", "not a URL"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			c := Default()
			c.BaseURL = tc.url
			err := c.Check()
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "base_url")
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
