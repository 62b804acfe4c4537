package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
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
		{[]string{"--flatten", "pink-ish"}, "--flatten"},
		{[]string{"extra"}, `unknown command "extra"`},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Setenv("XDG_CONFIG_HOME", t.TempDir())
			t.Setenv("WXACODE_CONFIG", "")
			var out, errb bytes.Buffer
			code := runOn(t.Context(), tc.args, &out, &errb)
			assert.Equal(t, exitUsage, code)
			assert.Contains(t, errb.String(), tc.want)
		})
	}
}
