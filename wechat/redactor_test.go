package wechat

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The echoes a hostile or careless server makes, each of which must lose
// every 8-character run of the secret and the token.
const (
	redactSecret = "s3cr3t+/VALUE=abcdefghijklmn0123"
	redactToken  = "91_Ab-Cd_Ef+Gh/Ij=KlMnOpQrStUvWxYz0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789-abcdefghijklmnopqrstuvwxyz0123"
)

func TestRedactorForms(t *testing.T) {
	r := NewRedactor(redactSecret, redactToken)
	jsonOf := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	cases := map[string]string{
		"verbatim":         "errmsg: " + redactToken + " done",
		"upper case":       strings.ToUpper(redactToken),
		"lower case":       strings.ToLower(redactSecret),
		"query escaped":    "secret=" + url.QueryEscape(redactSecret),
		"path escaped":     "/x/" + url.PathEscape(redactToken),
		"json escaped":     `{"echo":` + jsonOf(redactToken) + `}`,
		"slash escaped":    strings.ReplaceAll(redactToken, "/", `\/`),
		"40-char prefix":   "token " + redactToken[:40] + "…",
		"middle":           "x" + redactToken[50:70] + "y",
		"8-char run":       "[" + redactSecret[10:18] + "]",
		"upper url middle": strings.ToUpper(url.QueryEscape(redactToken[5:30])),
		"in a 502 page":    "<html><body>bad gateway " + redactToken + "</body></html>",
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			out := r.Redact(in)
			assert.Contains(t, out, Redacted)
			assertNoRun(t, out, redactSecret, redactToken)
		})
	}
	assert.Equal(t, "nothing to hide, rid: 663b1af7-1f2e3d4c", r.Redact("nothing to hide, rid: 663b1af7-1f2e3d4c"))
	assert.Equal(t, "a 7-run "+redactSecret[:7]+" stays", r.Redact("a 7-run "+redactSecret[:7]+" stays"))
}

func TestRedactorShortAndNil(t *testing.T) {
	assert.Equal(t, "x REDACTED y", NewRedactor("abcde").Redact("x ABCDE y"))
	assert.Equal(t, "ab", NewRedactor("a").Redact("ab"), "too short to be a credential")
	var nilR *Redactor
	assert.Equal(t, "access_token=REDACTED", nilR.Redact("access_token=abc"))
	nilR.Add("ignored") // no panic
	assert.Equal(t, "x REDACTED", nilR.With("abcdefgh").Redact("x abcdefgh"))
}

func TestRedactorAddAndWith(t *testing.T) {
	r := NewRedactor()
	w := r.With(redactToken)
	assert.NotContains(t, w.Redact(redactToken), redactToken[:8])
	assert.Equal(t, redactToken, r.Redact(redactToken), "With leaves the original alone")
	r.Add(redactToken)
	assert.Equal(t, Redacted, r.Redact(redactToken))
}

// TestExcerptRedactsBeforeCutting is the bug: a token answer with expires_in
// as a string printed 103 of 133 characters, cut at 120 first.
func TestExcerptRedactsBeforeCutting(t *testing.T) {
	body := []byte(`{"access_token":"` + redactToken + `","expires_in":"7200","echo":"` + strings.ToUpper(redactToken) + `"}`)
	out := excerpt(body, NewRedactor(redactToken))
	assertNoRun(t, out, redactToken)
	long := []byte(strings.Repeat("x", 110) + redactToken)
	assertNoRun(t, excerpt(long, NewRedactor(redactToken)), redactToken)
}

// assertNoRun fails when out holds any runLen-character run of a secret, in any case.
func assertNoRun(t *testing.T, out string, secrets ...string) {
	t.Helper()
	low := strings.ToLower(out)
	for _, s := range secrets {
		for _, form := range forms(s) {
			form = strings.ToLower(form)
			for i := 0; i+runLen <= len(form); i++ {
				if strings.Contains(low, form[i:i+runLen]) {
					t.Fatalf("output holds %q, a run of a secret: %q", form[i:i+runLen], out)
				}
			}
		}
	}
}

func FuzzRedactor(f *testing.F) {
	f.Add("plain text", redactSecret)
	f.Add("pre "+redactSecret+" post", redactSecret)
	f.Add(strings.ToUpper(redactToken[3:40]), redactToken)
	f.Add("é"+redactSecret[4:20]+"ü", "ü"+redactSecret)
	f.Add(url.QueryEscape(redactSecret), redactSecret)
	f.Fuzz(func(t *testing.T, in, secret string) {
		r := NewRedactor(secret)
		out := r.Redact(in)
		require.Equal(t, out, NewRedactor().With(secret).Redact(in), "With redacts as Add does")
		if utf8.ValidString(in) {
			require.True(t, utf8.ValidString(out), "valid UTF-8 in, valid UTF-8 out: %q", out)
		}
		if len(secret) < minSecret {
			return
		}
		// Idempotent, and no run of the secret in any form survives.
		require.Equal(t, out, r.Redact(out))
		low := asciiLower(out)
		for _, form := range forms(secret) {
			form = asciiLower(form)
			if len(form) < runLen {
				if strings.Contains(low, form) && !strings.Contains(asciiLower(Redacted), form) {
					t.Fatalf("short secret %q survives in %q", form, out)
				}
				continue
			}
			for i := 0; i+runLen <= len(form); i++ {
				g := form[i : i+runLen]
				if strings.Contains(low, g) && !strings.Contains(asciiLower(Redacted), g) {
					t.Fatalf("run %q of the secret survives in %q", g, out)
				}
			}
		}
	})
}

// FuzzExcerpt: an excerpt never holds a run of the secret, whatever is around
// it and wherever the cut falls, and is valid UTF-8.
func FuzzExcerpt(f *testing.F) {
	f.Add([]byte("x"), 100, true)
	f.Add([]byte("é"), 4000, false)
	f.Fuzz(func(t *testing.T, pad []byte, at int, upper bool) {
		secret := redactToken
		if upper {
			secret = strings.ToUpper(secret)
		}
		at = max(0, min(at, len(pad)))
		body := append(append(append([]byte{}, pad[:at]...), secret...), pad[at:]...)
		out := excerpt(body, NewRedactor(redactToken))
		require.True(t, utf8.ValidString(out))
		assertNoRun(t, out, redactToken)
	})
}
