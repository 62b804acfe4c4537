package main

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

// Bad designer flags stop before any terminal work, with exit 2 and a reason.
func TestTUIFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--graphics", "hologram"}, "unknown graphics mode"},
		{[]string{"--kind", "round"}, "--kind"},
		{[]string{"--line-color", "#12"}, "--line-color"},
		{[]string{"extra"}, `unknown command "extra"`},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Setenv("XDG_CONFIG_HOME", t.TempDir())
			t.Setenv("WXACODE_CONFIG", "")
			var out, errb bytes.Buffer
			code := run(t.Context(), tc.args, stdio{strings.NewReader(""), &out, &errb})
			assert.Equal(t, exitUsage, code)
			assert.Contains(t, errb.String(), tc.want)
		})
	}
}

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
	assert.Equal(t, exitUsage, ee.ExitCode())
	assert.Contains(t, stderr.String(), "the designer needs a terminal")
	assert.Contains(t, stderr.String(), "wxacode get")
}
