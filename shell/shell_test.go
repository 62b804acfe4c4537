package shell

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuote(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", "''"},
		{"pages/index/index", "pages/index/index"},
		{"--check-path=false", "--check-path=false"},
		{"a,b:c@d%e+f", "a,b:c@d%e+f"},
		{"id=1&x=2", "'id=1&x=2'"},
		{"it's", `'it'\''s'`},
		{"a b", "'a b'"},
		{"#1aad19", "'#1aad19'"},
		{"~/codes", "'~/codes'"},
		{`{"scene":"a"}`, `'{"scene":"a"}'`},
		{"$HOME", "'$HOME'"},
		{"中", "'中'"},
		{"a\nb", "'a\nb'"},
	} {
		assert.Equal(t, tt.want, Quote(tt.in), "%q", tt.in)
	}
}

func TestJoin(t *testing.T) {
	assert.Equal(t, `wxacode get --scene 'id=1&x=2' --page pages/a '' 'it'\''s'`,
		Join([]string{"wxacode", "get", "--scene", "id=1&x=2", "--page", "pages/a", "", "it's"}))
	assert.Empty(t, Join(nil))
}

// FuzzJoinRoundTrip has a real shell read the joined words back.
func FuzzJoinRoundTrip(f *testing.F) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		f.Skip("no sh on PATH")
	}
	f.Add("id=1&x=2", "it's", "")
	f.Add("#c", "~", "$(echo no)")
	f.Add("a\nb", "'\"\\", "`x` *")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		args := []string{a, b, c}
		for _, s := range args {
			if strings.ContainsRune(s, 0) {
				return // a shell argument cannot hold NUL
			}
		}
		out, err := exec.Command(sh, "-c", `printf '%s\0' `+Join(args)).Output()
		require.NoError(t, err)
		assert.Equal(t, args, strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00"))
	})
}
