package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/internal/testimage"
	"wxacode/internal/wechattest"
)

// TestGetRefusesABombAnswer is class 2 of issue 14 for get: a code endpoint
// answering a PNG that declares 65535×65535 px is refused from its header
// (exit 1, a clear error, nothing saved), not decoded for 4 GB.
func TestGetRefusesABombAnswer(t *testing.T) {
	testenv.Isolate(t)
	bomb := testimage.BombPNG(65535, 65535)
	env := wechattest.New(t, wechattest.Listen(), wechattest.WithMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/wxa/") {
				w.Header().Set("Content-Type", "image/jpeg")
				_, _ = w.Write(bomb)
				return
			}
			next.ServeHTTP(w, r)
		})
	}))
	t.Setenv("WXACODE_APPID", env.Sim.AppID())
	t.Setenv("WXACODE_SECRET", env.Sim.Secret())
	out := filepath.Join(t.TempDir(), "code.jpg")
	code, stdout, stderr := runCLI(t, nil, "get", "--base-url", env.BaseURL, "--scene", "id=1", "-o", out)
	assert.Equal(t, exitUnexpected, code, stderr)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "a 65535×65535 png image is not a code: getwxacodeunlimit returns 280 to 1280 px wide")
	assert.Contains(t, stderr, "the image is not the size of a code")
	assert.Contains(t, stderr, "nothing was saved")
	assert.NoFileExists(t, out)
}

// TestPreviewRefusesABombFile: preview reads files through the same bounded
// reader, with the preview's generous bounds.
func TestPreviewRefusesABombFile(t *testing.T) {
	testenv.Isolate(t)
	dir := t.TempDir()
	bomb := filepath.Join(dir, "bomb.jpg") // the name lies: the bytes decide
	require.NoError(t, os.WriteFile(bomb, testimage.BombPNG(65535, 65535), 0o644))
	code, _, stderr := runCLI(t, nil, "preview", "--graphics", "none", bomb)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, bomb+": a 65535×65535 png image is not a code: a preview takes at most 8192×8192 px (64 Mpx)")

	code, _, stderr = runCLI(t, nil, "preview", "--graphics", "none", dir)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "cannot read "+dir+": that is a folder, not a regular file: give the path of a saved code")
}
