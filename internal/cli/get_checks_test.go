package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/internal/wechattest"
)

// TestGetChecksOutputBeforeCalling is class 11 of issue 14: what would stop
// the save is found before the call, for every kind (the limited ones spend
// the 100,000 lifetime pool), with exit 2, zero calls and nothing counted.
func TestGetChecksOutputBeforeCalling(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		out  func(t *testing.T) string
		want string
	}{
		{"read-only folder", func(t *testing.T) string { return filepath.Join(testenv.ReadOnlyDir(t), "code.jpg") }, "cannot create a file in the folder "},
		{"300-character name", func(*testing.T) string { return filepath.Join(dir, strings.Repeat("n", 300)+".jpg") }, "is 304 bytes; file systems take at most 255: shorten it"},
		{"missing folder", func(*testing.T) string { return filepath.Join(dir, "no", "code.jpg") }, "does not exist; create it first"},
		{"a folder", func(*testing.T) string { return dir }, "that is a folder"},
		{"trailing slash", func(*testing.T) string { return dir + "/" }, "that is a folder"},
	} {
		for _, kind := range [][]string{
			{"--kind", "unlimited", "--scene", "id=1"},
			{"--kind", "limited", "--path", "pages/index/index?id=1"},
			{"--kind", "qrcode", "--path", "pages/index/index?id=1"},
		} {
			t.Run(tc.name+"/"+kind[1], func(t *testing.T) {
				out := tc.out(t)
				home := testenv.Isolate(t)
				cs := &countingSim{per: map[string]int{}}
				env := wechattest.New(t, wechattest.Listen(), wechattest.WithMiddleware(cs.wrap))
				t.Setenv("WXACODE_APPID", env.Sim.AppID())
				t.Setenv("WXACODE_SECRET", env.Sim.Secret())
				code, _, stderr := runCLI(t, nil, append([]string{"get", "--base-url", env.BaseURL, "-o", out}, kind...)...)
				assert.Equal(t, exitUsage, code, stderr)
				assert.Contains(t, stderr, "nothing was called")
				assert.Contains(t, stderr, tc.want)
				_, calls := cs.snapshot()
				assert.Zero(t, calls)
				_, err := os.Stat(filepath.Join(home, "state", "wxacode"))
				assert.ErrorIs(t, err, os.ErrNotExist, "the quota ledger was not touched")
			})
		}
	}
}

// TestGetChecksOutputBeforeCallingAsRoot runs it with a read-only mount,
// which stops root too.
func TestGetChecksOutputBeforeCallingAsRoot(t *testing.T) {
	testenv.RerunInMountNamespace(t, "TestGetChecksOutputBeforeCalling")
}

// The check is no stricter than the save: the longest name a file system
// takes is saved, temporary file and all.
func TestGetSavesTheLongestName(t *testing.T) {
	testenv.Isolate(t)
	out := filepath.Join(t.TempDir(), strings.Repeat("n", 251)+".jpg")
	code, stdout, stderr := runCLI(t, nil, "get", "--scene", "id=1", "-o", out)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "jpeg 430x430")
}
