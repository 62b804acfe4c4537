package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"wxacode/internal/testenv"
)

// hostileErrmsg sets the terminal's title, clears the screen and draws a fake
// line of output, if printed raw.
const hostileErrmsg = "invalid page\x1b]0;pwned\x07\x1b[2J\x1b[H\r\nwxacode get: code.jpg: jpeg 430x430, 39413 bytes\u009b2J rid: 663b1af7-1f2e3d4c-5b6a7988"

// TestServerEscapesNeverReachTheTerminal: get's stderr shows the errmsg's
// control characters escaped: no ESC, no CR, no line of the server's making.
func TestServerEscapesNeverReachTheTerminal(t *testing.T) {
	testenv.Isolate(t)
	_, base := startFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		msg, _ := json.Marshal(hostileErrmsg)
		fmt.Fprintf(w, `{"errcode":41030,"errmsg":%s}`, msg)
	})
	t.Setenv("WXACODE_BASE_URL", base)
	code, stdout, stderr := runCLI(t, nil, "get", "--scene", "id=42", "-o", filepath.Join(t.TempDir(), "c.jpg"))
	assert.Equal(t, exitAPI, code, stderr)
	assert.Empty(t, stdout)
	assert.NotContains(t, stderr, "\x1b")
	assert.NotContains(t, stderr, "\r")
	assert.NotContains(t, stderr, "\u009b")
	assert.Contains(t, stderr, `\x1b]0;pwned\x07`)
	for _, line := range strings.Split(stderr, "\n") {
		assert.False(t, strings.HasPrefix(line, "wxacode get: code.jpg"), "a fake output line: %q", line)
	}
}
