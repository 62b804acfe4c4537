package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"wxacode/internal/testenv"
)

// TestTokenCommandStderrShownOnce: 1 MB of a failing token command's stderr
// reaches get's stderr once, capped; 10 MB of stdout is refused, not sent.
func TestTokenCommandStderrShownOnce(t *testing.T) {
	testenv.Isolate(t)
	out := filepath.Join(t.TempDir(), "c.jpg")
	t.Setenv("WXACODE_TOKEN_CMD", "head -c 1000000 /dev/zero | tr '\\0' e >&2; exit 1")
	code, _, stderr := runCLI(t, nil, "get", "--scene", "id=42", "-o", out)
	assert.Equal(t, exitUnexpected, code)
	assert.Equal(t, 1, strings.Count(stderr, ": eeee"), stderr)
	assert.Less(t, len(stderr), 8<<10)
	assert.Contains(t, stderr, "more bytes of stderr not shown")

	t.Setenv("WXACODE_TOKEN_CMD", "head -c 10000000 /dev/zero | tr '\\0' a")
	code, _, stderr = runCLI(t, nil, "get", "--scene", "id=42", "-o", out)
	assert.Equal(t, exitUnexpected, code)
	assert.Contains(t, stderr, "more than the 65536 allowed")
	assert.Less(t, len(stderr), 4<<10)
	assert.NoFileExists(t, out)
}
