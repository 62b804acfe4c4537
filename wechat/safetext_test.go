package wechat

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSafeText(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "invalid page rid: 663b1af7", "invalid page rid: 663b1af7"},
		{"chinese", "小程序码 无效", "小程序码 无效"},
		{"OSC title", "\x1b]0;pwned\x07bad", `\x1b]0;pwned\x07bad`},
		{"CSI clear", "\x1b[2J\x1b[Hgone", `\x1b[2J\x1b[Hgone`},
		{"CR LF fake line", "oops\r\nwxacode get: saved ok", `oops\r\nwxacode get: saved ok`},
		{"tab", "a\tb", `a\tb`},
		{"DEL and NUL", "a\x7fb\x00", `a\x7fb\x00`},
		{"C1 CSI", "a\u009b2Jb", `a\u009b2Jb`},
		{"bidi override", "a\u202eb", `a\u202eb`},
		{"invalid UTF-8", "a\xffb", `a\xffb`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, SafeText(tc.in)) })
	}
}

// TestServerTextIsSafeInErrors: an errmsg with escapes arrives in APIError
// already made safe, for every consumer.
func TestServerTextIsSafeInErrors(t *testing.T) {
	body := []byte(`{"errcode":40001,"errmsg":"bad\u001b]0;title\u0007\u001b[2J\r\nwxacode: saved ok rid: 663b1af7-1f2e3d4c-5b6a7988"}`)
	apiErr, ok := ParseAPIError(body)
	require.True(t, ok)
	err := call{path: "/x"}.withRedactor().scrub(apiErr)
	assert.NotContains(t, err.Error(), "\x1b")
	assert.NotContains(t, err.Error(), "\r")
	assert.NotContains(t, err.Error(), "\n")
	assert.Equal(t, "663b1af7-1f2e3d4c-5b6a7988", apiErr.RID)
}

func FuzzSafeText(f *testing.F) {
	f.Add("\x1b[2J\r\n")
	f.Add("小程序\u009b\u202e\xff")
	f.Fuzz(func(t *testing.T, in string) {
		out := SafeText(in)
		require.True(t, utf8.ValidString(out))
		for _, r := range out {
			require.False(t, r < 0x20 || r == 0x7f || unsafeRune(r), "control %U left in %q", r, out)
		}
		if safe(in) {
			require.Equal(t, in, out)
		}
		require.False(t, strings.ContainsRune(out, utf8.RuneError) && !strings.ContainsRune(in, utf8.RuneError))
	})
}
