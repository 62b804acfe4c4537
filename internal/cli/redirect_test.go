package cli

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"

	"wxacode/internal/testenv"
	"wxacode/wechat"
)

// TestRedirectsNeverFollowed: a 307 on the token endpoint must not re-send
// the secret to the host it names, and a 302 on the code endpoint must not
// turn into a GET whose image is saved. Both are errors naming the target.
func TestRedirectsNeverFollowed(t *testing.T) {
	var other atomic.Int64
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other.Add(1)
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(jpegBytes(t))
	}))
	t.Cleanup(elsewhere.Close)

	cases := []struct {
		name, on string
		status   int
	}{
		{"307 on stable_token", wechat.StableTokenPath, http.StatusTemporaryRedirect},
		{"302 on the code endpoint", "/wxa/getwxacodeunlimit", http.StatusFound},
		{"308 on the code endpoint", "/wxa/getwxacodeunlimit", http.StatusPermanentRedirect},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			testenv.Isolate(t)
			other.Store(0)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == tc.on {
					http.Redirect(w, r, elsewhere.URL+"/steal?secret="+leakSecret, tc.status)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(`{"access_token":"` + leakToken + `","expires_in":7200}`))
			}))
			t.Cleanup(srv.Close)
			t.Setenv("WXACODE_APPID", "wx0123456789abcdef")
			t.Setenv("WXACODE_SECRET", leakSecret)
			t.Setenv("WXACODE_BASE_URL", srv.URL)
			out := filepath.Join(t.TempDir(), "c.jpg")
			code, stdout, stderr := runCLIWith(t, noWaits, "get", "--scene", "id=42", "-o", out)
			assert.Equal(t, exitUnexpected, code, stderr)
			assert.Empty(t, stdout)
			assert.NoFileExists(t, out, "nothing is saved")
			assert.Zero(t, other.Load(), "the other host got no request")
			assert.Contains(t, stderr, "redirect not followed")
			assert.Contains(t, stderr, elsewhere.URL+"/steal", "the error names the target")
			assert.Contains(t, stderr, "never follow redirects")
			requireNoRun(t, "stderr", stderr)
			_, err := os.Stat(out)
			assert.True(t, os.IsNotExist(err))
		})
	}
}
