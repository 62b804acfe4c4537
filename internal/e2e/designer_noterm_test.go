package e2e

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Without a terminal (output to a pipe, as in a script) the designer says
// what to use instead and exits 2, rather than failing to open /dev/tty.
func TestTUIWithoutTerminal(t *testing.T) {
	bin := buildWxacode(t)
	cmd := exec.Command(bin, "--sim")
	cmd.Env = append(os.Environ(), "XDG_STATE_HOME="+t.TempDir(), "WXACODE_APPID=", "WXACODE_ACCESS_TOKEN=")
	var stderr bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(""), io.Discard, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, 2, ee.ExitCode(), "exit 2: usage")
	assert.Contains(t, stderr.String(), "the designer needs a terminal")
	assert.Contains(t, stderr.String(), "wxacode get")
}
