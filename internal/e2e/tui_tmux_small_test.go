package e2e

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
)

// TestTUITmuxTooSmallToScan: in tmux at 80×24 the half blocks of a code
// have too few cells to scan, and the designer says so above them, with
// the cells it needs and a window size that has room, instead of passing
// a grey blur off as a code.
func TestTUITmuxTooSmallToScan(t *testing.T) {
	tmux := testenv.Tool(t, "tmux", "tmux")
	bin := buildWxacode(t)
	dir := t.TempDir()
	sock := fmt.Sprintf("wxacode-small-%d", time.Now().UnixNano())
	shell := fmt.Sprintf("XDG_STATE_HOME=%s WXACODE_APPID= WXACODE_ACCESS_TOKEN= %s --sim --graphics blocks --page pages/index/index --scene %s; sleep 30",
		dir, bin, terminalScene)
	out, err := exec.Command(tmux, "-L", sock, "-f", "/dev/null", "new-session", "-d", "-s", "cap",
		"-x", "80", "-y", "24", shell).CombinedOutput()
	require.NoError(t, err, string(out))
	t.Cleanup(func() { exec.Command(tmux, "-L", sock, "kill-server").Run() })

	var screen string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		b, err := run5s(tmux, "-L", sock, "capture-pane", "-p", "-t", "cap")
		if screen = string(b); err == nil && strings.Contains(screen, "has room") {
			break
		}
	}
	t.Logf("the 80×24 screen:\n%s", screen)
	require.Contains(t, screen, "too small to scan")
	assert.Regexp(t, `needs \d+×\d+\s+cells`, screen)
	assert.Regexp(t, `window of \d+×\d+ has\s+room`, screen)
	assert.True(t, strings.HasPrefix(screen, "wxacode designer"), "the tab bar is the top row:\n%s", screen)
	assert.Contains(t, screen, "▀", "the blocks are drawn below the message")
}
