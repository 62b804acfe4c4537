package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
)

// TestTokenSaysFromTheCache: `wxacode token` says when the token came from
// the cache, a different secret or host is not served from it, and a cache
// folder open to others is made private with a warning.
func TestTokenSaysFromTheCache(t *testing.T) {
	home := testenv.Isolate(t)
	_, base := startFake(t, serveErr(-1, "unused"))
	cache := filepath.Join(home, "cache", "wxacode")
	require.NoError(t, os.MkdirAll(cache, 0o700))
	require.NoError(t, os.Chmod(cache, 0o777))

	code, stdout, stderr := runCLI(t, nil, "token", "--base-url", base)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "source: stable_token (appid + secret)\n")
	assert.Contains(t, stderr, "was open to others (mode 0777); made it private (0700)")
	st, err := os.Stat(cache)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), st.Mode().Perm())

	code, stdout, stderr = runCLI(t, nil, "token", "--base-url", base)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "source: stable_token (appid + secret), from the cache\n")
	assert.NotContains(t, stderr, "open to others")

	t.Setenv("WXACODE_SECRET", fakeSecret+"-other")
	code, stdout, stderr = runCLI(t, nil, "token", "--base-url", base)
	require.Equal(t, exitOK, code, stderr)
	assert.NotContains(t, stdout, "from the cache", "another secret is not served the cached token")
}
