package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
)

// TestAppIDAndSecretFileFlags: --appid overrides the environment, --secret-file
// supplies the secret without it ever being a flag value, and neither the
// secret nor the token is printed.
func TestAppIDAndSecretFileFlags(t *testing.T) {
	home := testenv.Isolate(t)
	t.Setenv("WXACODE_APPID", "wxfromenvironment01")
	var got map[string]any
	base := startRaw(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.Equal(t, "/cgi-bin/stable_token", r.URL.Path)
		got = nil
		_ = json.NewDecoder(r.Body).Decode(&got)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":%q,"expires_in":7200}`, fakeToken)
	}))
	secretFile := filepath.Join(home, "secret")
	require.NoError(t, os.WriteFile(secretFile, []byte(fakeSecret+"\n"), 0o600))

	code, stdout, stderr := runCLI(t, nil, "token", "--base-url", base, "--appid", fakeAppID, "--secret-file", secretFile)
	require.Equal(t, exitOK, code, stderr)
	assert.Equal(t, fakeAppID, got["appid"])
	assert.Equal(t, fakeSecret, got["secret"])
	assert.Contains(t, stdout, "appid: "+fakeAppID)
	assert.NotContains(t, stderr, "warning")
	assert.NotContains(t, stdout+stderr, fakeSecret)
	assert.NotContains(t, stdout+stderr, fakeToken)

	// A secret file others can read works but warns with the fix.
	require.NoError(t, os.Chmod(secretFile, 0o644))
	code, stdout, stderr = runCLI(t, nil, "token", "--base-url", base, "--appid", fakeAppID, "--secret-file", secretFile)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stderr, "chmod 600 "+secretFile)
	assert.NotContains(t, stdout+stderr, fakeSecret)
}

func TestSecretFileProblems(t *testing.T) {
	home := testenv.Isolate(t)
	empty := filepath.Join(home, "empty")
	require.NoError(t, os.WriteFile(empty, []byte("\n"), 0o600))
	for name, tt := range map[string]struct {
		path, want string
	}{
		"missing": {filepath.Join(home, "nope"), "--secret-file"},
		"empty":   {empty, "is empty"},
	} {
		t.Run(name, func(t *testing.T) {
			for _, cmd := range []string{"token", "get"} {
				args := []string{cmd, "--appid", fakeAppID, "--secret-file", tt.path}
				if cmd == "get" {
					args = append(args, "--scene", "a", "-o", filepath.Join(home, "c.jpg"))
				}
				code, stdout, stderr := runCLI(t, nil, args...)
				assert.Equal(t, exitUsage, code, stderr)
				assert.Empty(t, stdout)
				assert.Contains(t, stderr, tt.want)
				assert.NoFileExists(t, filepath.Join(home, "c.jpg"))
			}
		})
	}
}

func TestNoSecretFlag(t *testing.T) {
	testenv.Isolate(t)
	for _, args := range [][]string{
		{"token", "--secret", fakeSecret},
		{"token", "-secret=" + fakeSecret},
		{"get", "--scene", "a", "--secret", fakeSecret, "-o", "x.jpg"},
		{"batch", "--in", "x.csv", "--secret", fakeSecret},
		{"--secret", fakeSecret},
	} {
		code, stdout, stderr := runCLI(t, nil, args...)
		assert.Equal(t, exitUsage, code, args)
		assert.Empty(t, stdout)
		assert.Contains(t, stderr, "the secret is never a flag", args)
		assert.Contains(t, stderr, "--secret-file FILE", args)
		assert.Equal(t, 1, strings.Count(stderr, "the secret is never a flag"), args)
		assert.NotContains(t, stderr, fakeSecret, args)
	}
	// "secret" as a value, and --secret-file, are not the flag.
	_, _, stderr := runCLI(t, nil, "get", "--secret-file", "/nonexistent", "--scene", "secret")
	assert.NotContains(t, stderr, "the secret is never a flag")
	// wxacode sim has a real --secret: its own test secret.
	code, _, stderr := runCLI(t, nil, "sim", "--secret", "s3cret", "--addr", "0.0.0.0:1")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "loopback only")
	assert.NotContains(t, stderr, "the secret is never a flag")
}
