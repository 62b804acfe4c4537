package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/troubleshoot"
	"wxacode/wechat/sim"
)

// decodeJSON parses a command's whole stdout as one JSON object, and only that.
func decodeJSON(t *testing.T, stdout string) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(stdout))
	require.NoError(t, dec.Decode(&m), "stdout is JSON: %q", stdout)
	var extra any
	require.Error(t, dec.Decode(&extra), "one JSON value and nothing after it: %q", stdout)
	return m
}

func keys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestHintJSON(t *testing.T) {
	for _, code := range []int{41030, 40164, 45009} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			c, stdout, stderr := runCLI(t, nil, "hint", fmt.Sprint(code), "--json")
			require.Equal(t, exitOK, c, stderr)
			m := decodeJSON(t, stdout)
			assert.ElementsMatch(t, []string{"errcode", "title", "causes", "fixes"}, keys(m))
			h, _ := troubleshoot.HintFor(code)
			assert.Equal(t, float64(code), m["errcode"])
			assert.Equal(t, h.Title, m["title"])
			assert.Len(t, m["causes"], len(h.Causes))
			assert.Len(t, m["fixes"], len(h.Fixes))
		})
	}
	// An unknown code is still a usage error, and stdout stays empty.
	c, stdout, stderr := runCLI(t, nil, "hint", "1", "--json")
	assert.Equal(t, exitUsage, c)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "no hint for errcode 1")
}

func TestTokenJSON(t *testing.T) {
	testenv.Isolate(t)
	_, base := startFake(t, serveErr(-1, "unused"))
	for i, fromCache := range []bool{false, true} {
		c, stdout, stderr := runCLI(t, nil, "token", "--base-url", base, "--json")
		require.Equal(t, exitOK, c, stderr)
		m := decodeJSON(t, stdout)
		assert.ElementsMatch(t, []string{"source", "appid", "host", "age", "expires_at", "from_cache"}, keys(m))
		assert.Equal(t, "stable_token (appid + secret)", m["source"])
		assert.Equal(t, fakeAppID, m["appid"])
		assert.Equal(t, base, m["host"])
		assert.Equal(t, fromCache, m["from_cache"], "run %d", i)
		assert.GreaterOrEqual(t, m["age"], 0.0)
		exp, err := time.Parse(time.RFC3339, m["expires_at"].(string))
		require.NoError(t, err)
		assert.WithinDuration(t, time.Now().Add(2*time.Hour), exp, 5*time.Minute)
		assert.NotContains(t, stdout+stderr, fakeToken)
		assert.NotContains(t, stdout+stderr, fakeSecret)
	}

	// A fixed token: its age and expiry are unknown, null.
	t.Setenv("WXACODE_ACCESS_TOKEN", fakeToken)
	c, stdout, stderr := runCLI(t, nil, "token", "--json")
	require.Equal(t, exitOK, c, stderr)
	m := decodeJSON(t, stdout)
	assert.Equal(t, "fixed (access_token; cannot be renewed)", m["source"])
	assert.Nil(t, m["age"])
	assert.Nil(t, m["expires_at"])
	assert.NotContains(t, stdout+stderr, fakeToken)

	// On the simulator: its appid shares a run of zeros with its secret, and
	// an answer made here is not cut by the redactor.
	t.Setenv("WXACODE_ACCESS_TOKEN", "")
	c, stdout, stderr = runCLI(t, nil, "token", "--sim", "--json")
	require.Equal(t, exitOK, c, stderr)
	m = decodeJSON(t, stdout)
	assert.Equal(t, sim.DefaultAppID, m["appid"])
	assert.NotContains(t, stdout, sim.DefaultSecret)

	// --show prints the token, which --json never holds.
	c, stdout, stderr = runCLI(t, nil, "token", "--json", "--show")
	assert.Equal(t, exitUsage, c)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "--json never holds the token")
}
