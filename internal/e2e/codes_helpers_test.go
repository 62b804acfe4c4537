package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"wxacode/internal/testenv"
	"wxacode/wechat"
	"wxacode/wechat/sim"

	"github.com/stretchr/testify/require"
)

// simCode gets a real simulated unlimited code and returns its file and the
// URL it must decode to.
func simCode(t *testing.T, req *wechat.UnlimitedRequest) (path, want string) {
	t.Helper()
	s := sim.New(sim.DefaultConfig())
	base, err := s.Listen("127.0.0.1:0")
	require.NoError(t, err)
	defer s.Close()
	c := wechat.NewClient(wechat.WithBaseURL(base),
		wechat.WithTokenSource(wechat.NewStableToken(sim.DefaultAppID, sim.DefaultSecret, wechat.TokenOptions{BaseURL: base})))
	code, err := c.Get(context.Background(), req)
	require.NoError(t, err)
	path = filepath.Join(t.TempDir(), "code"+code.Format.Ext())
	require.NoError(t, os.WriteFile(path, code.Bytes, 0o644))
	page := req.Page
	if page == "" {
		page = "pages/index/index"
	}
	return path, sim.LaunchURL("release", page, req.Scene)
}

func zbarFile(t *testing.T, path string) string {
	t.Helper()
	out, _ := exec.Command(testenv.Tool(t, "zbarimg", "zbar-tools"), "-q", "--raw", path).Output()
	return strings.TrimSpace(string(out))
}

// withoutTMUX drops $TMUX so the test's own tmux server also starts when the
// tests themselves run inside tmux.
func withoutTMUX(env []string) []string {
	var out []string
	for _, e := range env {
		if !strings.HasPrefix(e, "TMUX=") && !strings.HasPrefix(e, "TERM=") {
			out = append(out, e)
		}
	}
	return out
}
