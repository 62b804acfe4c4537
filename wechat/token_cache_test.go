package wechat

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cacheFileOf is the one cache file of source for testAppID in dir.
func cacheFileOf(t *testing.T, dir, source string) string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, source+"-"+testAppID+"-*.json"))
	require.NoError(t, err)
	require.Len(t, files, 1)
	return files[0]
}

// stableServer answers stable_token for testAppID with the given secret only.
func stableServer(t *testing.T, secret string, expiresIn string, n *atomic.Int32) string {
	t.Helper()
	f := newFake(t)
	f.handle(StableTokenPath, func(w http.ResponseWriter, r *http.Request) {
		var body struct{ AppID, Secret string }
		_ = json.NewDecoder(r.Body).Decode(&body)
		if body.AppID != testAppID || body.Secret != secret {
			serveErr(40125, "invalid appsecret", "application/json")(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"%s-%d","expires_in":%s}`, testToken, n.Add(1), expiresIn)
	})
	return f.URL
}

// TestTokenCacheKey: the cache is keyed by appid, host and a fingerprint of
// the secret, and says when a token came from it.
func TestTokenCacheKey(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var n, m atomic.Int32
	hostA := stableServer(t, testSecret, "7200", &n)
	hostB := stableServer(t, testSecret, "7200", &m)
	opts := TokenOptions{BaseURL: hostA, CacheDir: dir}

	first, err := NewStableToken(testAppID, testSecret, opts).Token(ctx)
	require.NoError(t, err)
	assert.False(t, first.FromCache)
	again, err := NewStableToken(testAppID, testSecret, opts).Token(ctx)
	require.NoError(t, err)
	assert.True(t, again.FromCache, "a second run reads the file")
	assert.Equal(t, first.Value, again.Value)
	assert.EqualValues(t, 1, n.Load())

	data, err := os.ReadFile(cacheFileOf(t, dir, "stable_token"))
	require.NoError(t, err)
	assert.Contains(t, string(data), SecretFingerprint(testSecret))
	assert.NotContains(t, string(data), testSecret)

	// A wrong secret does not report success from the cached token.
	_, err = NewStableToken(testAppID, "wrong-secret", opts).Token(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "40125")

	// Another host does not get host A's token.
	other, err := NewStableToken(testAppID, testSecret, TokenOptions{BaseURL: hostB, CacheDir: dir}).Token(ctx)
	require.NoError(t, err)
	assert.False(t, other.FromCache)
	assert.EqualValues(t, 1, m.Load())
	assert.Len(t, SecretFingerprint("x"), 8)
}

// TestTokenExpiryClamped: expires_in beyond WeChat's 7200 s (or absurd) is
// held to 7200 s, from an answer, a command and a cache file.
func TestTokenExpiryClamped(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	for _, exp := range []string{"9999999999999", "7201", `"99999999"`, "1e300"} {
		t.Run(exp, func(t *testing.T) {
			var n atomic.Int32
			dir := t.TempDir()
			tok, err := NewStableToken(testAppID, testSecret, TokenOptions{BaseURL: stableServer(t, testSecret, exp, &n), CacheDir: dir, Now: clock.Now}).Token(ctx)
			require.NoError(t, err)
			assert.Equal(t, clock.Now().Add(2*time.Hour), tok.Expires)
		})
	}
	tok, err := NewCommandToken(`echo '{"access_token":"cmd-tok","expires_in":9999999999999}'`, TokenOptions{Now: clock.Now}).Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, clock.Now().Add(2*time.Hour), tok.Expires)

	// A cache file claiming a year is held to two hours from when it was obtained.
	var n atomic.Int32
	dir := t.TempDir()
	opts := TokenOptions{BaseURL: stableServer(t, testSecret, "7200", &n), CacheDir: dir, Now: clock.Now}
	_, err = NewStableToken(testAppID, testSecret, opts).Token(ctx)
	require.NoError(t, err)
	file := cacheFileOf(t, dir, "stable_token")
	var f cacheFile
	data, _ := os.ReadFile(file)
	require.NoError(t, json.Unmarshal(data, &f))
	f.ExpiresAt = f.ObtainedAt.Add(365 * 24 * time.Hour)
	data, _ = json.Marshal(f)
	require.NoError(t, os.WriteFile(file, data, 0o600))
	tok, err = NewStableToken(testAppID, testSecret, opts).Token(ctx)
	require.NoError(t, err)
	assert.True(t, tok.FromCache)
	assert.Equal(t, f.ObtainedAt.Add(2*time.Hour), tok.Expires.UTC())
}

// TestTokenCacheFolderPrivate: a 0777 folder we own is tightened to 0700
// with a warning; one owned by another user is refused (memory only).
func TestTokenCacheFolderPrivate(t *testing.T) {
	ctx := context.Background()
	var n atomic.Int32
	base := stableServer(t, testSecret, "7200", &n)
	dir := filepath.Join(t.TempDir(), "cache")
	require.NoError(t, os.Mkdir(dir, 0o700))
	require.NoError(t, os.Chmod(dir, 0o777))
	var warnings []string
	warn := func(s string) { warnings = append(warnings, s) }
	_, err := NewStableToken(testAppID, testSecret, TokenOptions{BaseURL: base, CacheDir: dir, Warn: warn}).Token(ctx)
	require.NoError(t, err)
	st, err := os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), st.Mode().Perm())
	require.Len(t, warnings, 1)
	assert.Contains(t, warnings[0], "0777")
	assert.Contains(t, warnings[0], "0700")
	st, err = os.Stat(cacheFileOf(t, dir, "stable_token"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())

	t.Run("not ours", func(t *testing.T) {
		if os.Getuid() != 0 {
			t.Skip("needs root to make a folder owned by another user")
		}
		theirs := filepath.Join(t.TempDir(), "theirs")
		require.NoError(t, os.Mkdir(theirs, 0o777))
		require.NoError(t, os.Chmod(theirs, 0o777))
		require.NoError(t, os.Chown(theirs, 65534, 65534))
		var warned []string
		tok, err := NewStableToken(testAppID, testSecret, TokenOptions{BaseURL: base, CacheDir: theirs,
			Warn: func(s string) { warned = append(warned, s) }}).Token(ctx)
		require.NoError(t, err, "the token still works, kept in memory")
		assert.NotEmpty(t, tok.Value)
		require.Len(t, warned, 1)
		assert.Contains(t, warned[0], "refusing")
		entries, err := os.ReadDir(theirs)
		require.NoError(t, err)
		assert.Empty(t, entries, "nothing written there")
		st, err := os.Stat(theirs)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o777), st.Mode().Perm(), "another user's folder is not changed")
	})
}
