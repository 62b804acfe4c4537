package cli

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
)

// TestGetPrint: `get --print` checks the request as a call would, prints it
// in the form asked and calls nothing (no token, no code endpoint).
func TestGetPrint(t *testing.T) {
	testenv.Isolate(t)
	var calls atomic.Int32
	base := startRaw(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
	t.Setenv("WXACODE_BASE_URL", base)
	t.Setenv("WXACODE_APPID", "wx1234567890abcdef")
	t.Setenv("WXACODE_SECRET", "0123456789abcdef0123456789abcdef")
	for _, c := range []struct {
		name string
		args []string
		code int
		out  []string // in stdout
		err  string   // in stderr
	}{
		{"body", []string{"--scene", "id=42", "--check-path=false", "--print", "body"}, exitOK, []string{`{"scene":"id=42","check_path":false}`}, ""},
		{"curl at the configured base URL", []string{"--kind", "limited", "--path", "pages/a/a?x=1", "--print", "curl"},
			exitOK, []string{`curl -sS -X POST "` + base + `/wxa/getwxacode?access_token=$ACCESS_TOKEN"`, `-d '{"path":"pages/a/a?x=1"}'`}, ""},
		{"cloud", []string{"--scene", "id=42", "--page", "pages/index/index", "--env-version", "trial", "--check-path=false", "--print", "cloud"},
			exitOK, []string{"cloud.openapi.wxacode.getUnlimited({", `checkPath: false,`, `envVersion: "trial",`, `"openapi": ["wxacode.getUnlimited"]`}, ""},
		{"cloud createQRCode", []string{"--kind", "qrcode", "--path", "pages/index/index", "--print", "cloud"},
			exitOK, []string{"cloud.openapi.wxacode.createQRCode({"}, ""},
		{"an invalid request is not printed", []string{"--scene", strings.Repeat("x", 33), "--print", "cloud"}, exitUsage, nil, "more than the 32 WeChat allows"},
		{"an unknown form", []string{"--scene", "a", "--print", "xml"}, exitUsage, nil, "give body, curl or cloud"},
		{"with -o", []string{"--scene", "a", "--print", "body", "-o", "code.jpg"}, exitUsage, nil, "drop -o code.jpg"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runCLI(t, nil, append([]string{"get"}, c.args...)...)
			require.Equal(t, c.code, code, errs)
			for _, o := range c.out {
				assert.Contains(t, out, o)
			}
			if c.err != "" {
				assert.Contains(t, errs, c.err)
				assert.Empty(t, out)
			}
			assert.NotContains(t, out+errs, "0123456789abcdef0123456789abcdef", "no secret")
		})
	}
	assert.Zero(t, calls.Load(), "nothing was called")
}
