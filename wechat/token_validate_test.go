package wechat

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCommandTokenCaps: both caps hold (the embedded bytes.Buffer used to
// give io.Copy a ReadFrom that skipped them), and stderr appears once.
func TestCommandTokenCaps(t *testing.T) {
	ctx := context.Background()
	o := TokenOptions{Timeout: 20 * time.Second}
	_, isReaderFrom := any(&limitedBuffer{}).(io.ReaderFrom)
	require.False(t, isReaderFrom, "io.Copy must go through Write, where the cap is")
	t.Run("10 MB on stdout", func(t *testing.T) {
		_, err := NewCommandToken("head -c 10000000 /dev/zero | tr '\\0' a", o).Token(ctx)
		require.ErrorContains(t, err, "more than the 65536 allowed")
		assert.Less(t, len(err.Error()), 1000)
	})
	t.Run("1 MB on stderr", func(t *testing.T) {
		_, err := NewCommandToken("head -c 1000000 /dev/zero | tr '\\0' e >&2; echo 'the end' >&2; exit 1", o).Token(ctx)
		require.Error(t, err)
		msg := err.Error()
		assert.Less(t, len(msg), maxCommandStderr+300, "stderr is capped")
		assert.Contains(t, msg, "more bytes of stderr not shown")
		assert.Equal(t, 1, strings.Count(msg, ": eeee"), "stderr appears once")
	})
	t.Run("escapes in stderr", func(t *testing.T) {
		_, err := NewCommandToken(`printf 'down\033]0;x\007\r\n' >&2; exit 1`, o).Token(ctx)
		require.ErrorContains(t, err, `down\x1b]0;x\x07`)
		assert.NotContains(t, err.Error(), "\x1b")
	})
}

// TestTokensValidatedFromEverySource: a token with whitespace, a control
// character or more than 512 bytes is refused from any source, and the
// error names the source, never the token.
func TestTokensValidatedFromEverySource(t *testing.T) {
	ctx := context.Background()
	const pre = "91_VALIDATEtokenPREFIX"
	bad := map[string]string{
		"space":   pre + " x",
		"newline": pre + "\nx",
		"control": pre + "\x01x",
		"DEL":     pre + "\x7fx",
		"513":     pre + strings.Repeat("a", 513-len(pre)),
		"UTF-8":   pre + "é",
	}
	for name, tok := range bad {
		t.Run(name, func(t *testing.T) {
			check := func(t *testing.T, err error, source string) {
				t.Helper()
				require.Error(t, err)
				assert.Contains(t, err.Error(), source)
				assert.Contains(t, err.Error(), "printable ASCII")
				assert.NotContains(t, err.Error(), pre)
			}
			_, err := NewFixedToken(tok).Token(ctx)
			check(t, err, "access_token")

			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				b, _ := marshalBody(map[string]any{"access_token": tok, "expires_in": 7200})
				w.Write(b)
			}))
			defer srv.Close()
			_, err = NewStableToken("wx1", "secret1", TokenOptions{BaseURL: srv.URL}).Token(ctx)
			check(t, err, StableTokenPath)

			b, _ := marshalBody(map[string]any{"access_token": tok})
			_, err = NewCommandToken("printf '%s' '"+strings.ReplaceAll(string(b), "'", `'\''`)+"'", TokenOptions{}).Token(ctx)
			check(t, err, "token command")
		})
	}
	assert.NoError(t, validateToken("x", strings.Repeat("a", MaxTokenBytes)))
}
