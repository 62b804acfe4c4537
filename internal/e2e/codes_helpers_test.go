package e2e

import (
	"os/exec"
	"strings"
	"testing"

	"wxacode/internal/testenv"
)

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
