package cli

import (
	"io"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
)

func TestFactoryOpensTheSessionOnce(t *testing.T) {
	testenv.Isolate(t)
	f := NewFactory(NewIOStreams(nil, io.Discard, io.Discard))
	defer f.Close()
	f.conn.sim = true
	rate := 60
	f.RatePerMinute = &rate
	s, err := f.Session()
	require.NoError(t, err)
	assert.True(t, s.OnSim)
	again, err := f.Session()
	require.NoError(t, err)
	assert.Same(t, s, again)
	cfg, _, err := f.Config()
	require.NoError(t, err)
	assert.True(t, cfg.Sim.Enabled, "--sim laid over the config")
}

// A command that stops at validation opens no session: the broken debug log
// (opened with the client) is never reached.
func TestValidationOpensNoSession(t *testing.T) {
	testenv.Isolate(t)
	t.Setenv(debugLogVar, filepath.Join(t.TempDir(), "no-such-dir", "x.log"))
	code, _, stderr := runCLI(t, nil, "get", "--scene", "a b", "-o", filepath.Join(t.TempDir(), "a.jpg"))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "nothing was called")
	assert.NotContains(t, stderr, debugLogVar)
}

func TestIOStreamsOnBuffers(t *testing.T) {
	ios := NewIOStreams(nil, io.Discard, io.Discard)
	assert.False(t, ios.OutTTY)
	assert.False(t, ios.ErrTTY)
	_, _, ok := ios.OutSize()
	assert.False(t, ok)
}
