package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/wechat/sim"
)

// WXACODE_DEBUG=FILE appends a line per call to FILE (0600), for any command;
// stdout and stderr are unchanged, and no token or secret is written.
func TestDebugLog(t *testing.T) {
	testenv.Isolate(t)
	dir := t.TempDir()
	logPath := filepath.Join(dir, "debug.log")
	t.Setenv(debugLogVar, logPath)
	out := filepath.Join(dir, "a.jpg")
	code, stdout, stderr := runCLI(t, nil, "get", "--scene", "id=42", "--page", "pages/index/index", "-o", out)
	require.Equal(t, exitOK, code, stderr)
	assert.NotContains(t, stdout+stderr, "msg=code", "the log goes to its file only")
	code, _, _ = runCLI(t, nil, "get", "--scene", "id=43", "--page", "pages/not/released", "-o", out)
	require.Equal(t, exitAPI, code)

	data, err := os.ReadFile(logPath)
	require.NoError(t, err)
	log := string(data)
	lines := strings.Split(strings.TrimSpace(log), "\n")
	require.Len(t, lines, 2, log)
	assert.Contains(t, lines[0], "endpoint=/wxa/getwxacodeunlimit")
	assert.Contains(t, lines[0], "format=jpeg")
	assert.Contains(t, lines[1], "errcode=41030")
	assert.Contains(t, lines[1], "rid=")
	assert.NotContains(t, log, "access_token")
	assert.NotContains(t, log, sim.DefaultSecret, "the simulator's app secret")
	st, err := os.Stat(logPath)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())

	// An existing log readable by others keeps its mode (not ours to
	// chmod) and the user is told how to make it private.
	loose := filepath.Join(dir, "loose.log")
	require.NoError(t, os.WriteFile(loose, nil, 0o644))
	require.NoError(t, os.Chmod(loose, 0o644))
	t.Setenv(debugLogVar, loose)
	code, _, stderr = runCLI(t, nil, "get", "--scene", "id=44", "--page", "pages/index/index", "-o", out)
	require.Equal(t, exitOK, code, stderr)
	st, err = os.Stat(loose)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), st.Mode().Perm())
	assert.Contains(t, stderr, "readable by others (mode 0644)")
	assert.Contains(t, stderr, "chmod 600 "+loose)

	t.Setenv(debugLogVar, filepath.Join(dir, "no-such-dir", "x.log"))
	code, _, stderr = runCLI(t, nil, "get", "--scene", "id=42", "-o", out)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, debugLogVar)
}
