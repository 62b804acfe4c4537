package cli

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/wechat"
)

func TestTokenCommand(t *testing.T) {
	testenv.Isolate(t)
	_, base := startFake(t, serveErr(-1, "unused"))
	code, stdout, stderr := runCLI(t, nil, "token", "--base-url", base)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "source: stable_token (appid + secret)")
	assert.Contains(t, stdout, "appid: "+fakeAppID)
	assert.Contains(t, stdout, "host: "+base)
	assert.Regexp(t, `obtained: .* \(age \d+s\)`, stdout)
	assert.Regexp(t, `expires: .* \(in (1h59m|2h0m)`, stdout)
	assert.Contains(t, stdout, fmt.Sprintf("token: REDACTED (%d characters; --show prints it)", len(fakeToken)))
	assert.NotContains(t, stdout+stderr, fakeToken)
	assert.NotContains(t, stdout+stderr, fakeSecret)

	code, stdout, _ = runCLI(t, nil, "token", "--base-url", base, "--show")
	require.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "token: "+fakeToken)
	assert.NotContains(t, stdout, fakeSecret)

	// The stable token was cached in a 0600 file in the (test) cache dir.
	matches, _ := filepath.Glob(filepath.Join(os.Getenv("XDG_CACHE_HOME"), "wxacode", "*"))
	for _, m := range matches {
		st, err := os.Stat(m)
		require.NoError(t, err)
		if !st.IsDir() {
			assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), m)
		}
	}
}

func TestTokenOnTheSimulator(t *testing.T) {
	testenv.Isolate(t)
	code, stdout, stderr := runCLI(t, nil, "token")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stderr, "on the simulator (no credentials are configured")
	assert.Contains(t, stdout, "from the simulator")
}

func TestTokenRefused(t *testing.T) {
	testenv.Isolate(t)
	srv := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"errcode":40164,"errmsg":"invalid ip 203.0.113.9 ipv6 ::ffff:203.0.113.9, not in whitelist rid: 6743ab12-1b2c3d4e-5f607182"}`)
	})
	base := startRaw(t, srv)
	t.Setenv("WXACODE_APPID", fakeAppID)
	t.Setenv("WXACODE_SECRET", fakeSecret)
	code, stdout, stderr := runCLI(t, nil, "token", "--base-url", base)
	assert.Equal(t, exitAPI, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "errcode 40164")
	assert.Contains(t, stderr, "203.0.113.9")
	assert.NotContains(t, stderr, fakeSecret)
}

func TestTokenFixedAndCommand(t *testing.T) {
	testenv.Isolate(t)
	t.Setenv("WXACODE_ACCESS_TOKEN", fakeToken)
	code, stdout, stderr := runCLI(t, nil, "token")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "source: fixed")
	assert.Contains(t, stdout, "expires: unknown")
	assert.NotContains(t, stdout+stderr, fakeToken)

	t.Setenv("WXACODE_ACCESS_TOKEN", "")
	code, stdout, stderr = runCLI(t, nil, "token", "--token-cmd", "echo "+fakeToken, "--show")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "source: command")
	assert.Contains(t, stdout, "token: "+fakeToken)

	code, _, stderr = runCLI(t, nil, "token", "--token-cmd", "exit 3")
	assert.Equal(t, exitUnexpected, code)
	assert.NotEmpty(t, stderr)

	code, _, stderr = runCLI(t, nil, "token", "stray")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "unexpected argument")
}

func TestHintCommand(t *testing.T) {
	code, stdout, _ := runCLI(t, nil, "hint", "41030")
	require.Equal(t, exitOK, code)
	assert.True(t, strings.HasPrefix(stdout, "errcode 41030: "), stdout)
	assert.Contains(t, stdout, "Fixes:")
	for _, c := range []string{"40001", "40164", "40169", "40129", "47001"} {
		code, stdout, _ := runCLI(t, nil, "hint", c)
		assert.Equal(t, exitOK, code, c)
		assert.Contains(t, stdout, "errcode "+c+": ")
	}
	for _, args := range [][]string{{"hint", "abc"}, {"hint", "99999"}, {"hint"}, {"hint", "1", "2"}} {
		code, stdout, stderr := runCLI(t, nil, args...)
		assert.Equal(t, exitUsage, code, args)
		assert.Empty(t, stdout)
		assert.Contains(t, stderr, "known codes: ", args)
		assert.Contains(t, stderr, "41030", args)
	}
}

func TestNoCredentialsButBaseURL(t *testing.T) {
	testenv.Isolate(t)
	t.Setenv("WXACODE_BASE_URL", "http://127.0.0.1:1")
	code, _, stderr := runCLI(t, nil, "token")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "no credentials")
	assert.Contains(t, stderr, "WXACODE_APPID")
}

func TestOpenClientTokenSources(t *testing.T) {
	testenv.Isolate(t)
	cfgs := []struct {
		name string
		env  map[string]string
		file string
		want string
		err  string
	}{
		{name: "fixed wins", env: map[string]string{"WXACODE_ACCESS_TOKEN": "t0123", "WXACODE_APPID": "wx1", "WXACODE_SECRET": "s0123"}, want: wechat.SourceFixed},
		{name: "command", env: map[string]string{"WXACODE_TOKEN_CMD": "echo x", "WXACODE_APPID": "wx1", "WXACODE_SECRET": "s0123"}, want: wechat.SourceCommand},
		{name: "authorizer", file: "[authorizer]\ncomponent_appid = \"wxc\"\ncomponent_access_token = \"ct\"\nauthorizer_appid = \"wxa\"\nauthorizer_refresh_token = \"rt\"\n", want: wechat.SourceAuthorizer},
		{name: "authorizer with component_token_cmd", file: "[authorizer]\ncomponent_appid = \"wxc\"\ncomponent_token_cmd = \"echo ct0123\"\nauthorizer_appid = \"wxa\"\nauthorizer_refresh_token = \"rt\"\n", want: wechat.SourceAuthorizer},
		{name: "authorizer incomplete", file: "[authorizer]\ncomponent_appid = \"wxc\"\n", err: "authorizer_appid"},
		{name: "stable", env: map[string]string{"WXACODE_APPID": "wx1", "WXACODE_SECRET": "s0123"}, want: wechat.SourceStable},
		{name: "classic", env: map[string]string{"WXACODE_APPID": "wx1", "WXACODE_SECRET": "s0123"}, file: "token_mode = \"classic\"\n", want: wechat.SourceClassic},
		{name: "appid without secret", env: map[string]string{"WXACODE_APPID": "wx1"}, err: "WXACODE_SECRET"},
		{name: "secret without appid", env: map[string]string{"WXACODE_SECRET": "s0123"}, err: "WXACODE_APPID"},
		{name: "sim from file", env: map[string]string{"WXACODE_APPID": "wx1", "WXACODE_SECRET": "s0123"}, file: "sim = true\n", want: "stable_token from the simulator"},
	}
	for _, tt := range cfgs {
		t.Run(tt.name, func(t *testing.T) {
			testenv.Isolate(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			cf := &connFlags{}
			if tt.file != "" {
				cf.config = filepath.Join(t.TempDir(), "c.toml")
				require.NoError(t, os.WriteFile(cf.config, []byte(tt.file), 0o600))
			}
			cfg, _, err := cf.load()
			require.NoError(t, err)
			s, err := openClient(cfg, nil)
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			defer s.Close()
			assert.True(t, strings.HasPrefix(s.TokenSource, tt.want), s.TokenSource)
			assert.NotNil(t, s.Ledger)
			assert.Equal(t, s.Sim != nil, s.OnSim)
		})
	}
}

// TestSecretEchoedByServer: even when the token endpoint echoes the request,
// neither token nor secret reaches the output of token or get.
func TestSecretEchoedByServer(t *testing.T) {
	testenv.Isolate(t)
	base := startRaw(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"errcode":40125,"errmsg":"invalid appsecret %s rid: 6743ab12-1b2c3d4e-5f607182"}`, fakeSecret)
	}))
	t.Setenv("WXACODE_APPID", fakeAppID)
	t.Setenv("WXACODE_SECRET", fakeSecret)
	for _, args := range [][]string{
		{"token", "--base-url", base},
		{"token", "--base-url", base, "--show"},
		{"get", "--base-url", base, "--scene", "a", "-o", filepath.Join(t.TempDir(), "a.jpg")},
	} {
		code, stdout, stderr := runCLI(t, nil, args...)
		assert.Equal(t, exitAPI, code, stderr)
		assert.Contains(t, stderr, "40125")
		assert.NotContains(t, stdout+stderr, fakeSecret, args)
	}
}

// TestComponentTokenCmd: the command's output is the component_access_token
// sent to the authorizer token endpoint, and it is never printed.
func TestComponentTokenCmd(t *testing.T) {
	home := testenv.Isolate(t)
	const component = "COMPONENT_TOKEN_0123456789"
	var gotComponent string
	base := startRaw(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.Equal(t, wechat.AuthorizerTokenPath, r.URL.Path)
		gotComponent = r.URL.Query().Get("component_access_token")
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"authorizer_access_token":%q,"expires_in":7200}`, fakeToken)
	}))
	cfgPath := filepath.Join(home, "c.toml")
	require.NoError(t, os.WriteFile(cfgPath, []byte("[authorizer]\ncomponent_appid = \"wxc\"\ncomponent_token_cmd = \"echo "+component+"\"\nauthorizer_appid = \"wxa\"\nauthorizer_refresh_token = \"rt0123\"\n"), 0o600))
	code, stdout, stderr := runCLI(t, nil, "token", "--config", cfgPath, "--base-url", base)
	require.Equal(t, exitOK, code, stderr)
	assert.Equal(t, component, gotComponent)
	assert.Contains(t, stdout, "source: authorizer")
	assert.Contains(t, stdout, "appid: wxa")
	assert.NotContains(t, stdout+stderr, component)
	assert.NotContains(t, stdout+stderr, fakeToken)

	// A failing command is reported when a token is needed (a fresh cache
	// here: the one above still holds a valid authorizer token).
	t.Run("failing command", func(t *testing.T) {
		home := testenv.Isolate(t)
		cfgPath := filepath.Join(home, "c.toml")
		require.NoError(t, os.WriteFile(cfgPath, []byte("[authorizer]\ncomponent_appid = \"wxc\"\ncomponent_token_cmd = \"echo ticket service down >&2; exit 3\"\nauthorizer_appid = \"wxa\"\nauthorizer_refresh_token = \"rt0123\"\n"), 0o600))
		code, _, stderr := runCLI(t, nil, "token", "--config", cfgPath, "--base-url", base)
		assert.NotEqual(t, exitOK, code)
		assert.Contains(t, stderr, "component token")
		assert.Contains(t, stderr, "[authorizer] component_token_cmd")
		assert.Contains(t, stderr, "ticket service down")
	})
}
