package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
	"wxacode/internal/wechattest"
)

// TestBatchStopsOnATokenFight: every code request answering 40001 stops
// the run after the client's one renewal (exit 3, saying why and how to
// resume), instead of a token fetch and a failure per row; the summary
// counts the HTTP requests that were really sent.
func TestBatchStopsOnATokenFight(t *testing.T) {
	testenv.Isolate(t)
	var codes, tokens atomic.Int64
	env := wechattest.New(t, wechattest.Listen(), wechattest.WithMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/wxa/") {
				codes.Add(1)
				serveErr(40001, "invalid credential, access_token is invalid or not latest")(w, r)
				return
			}
			tokens.Add(1)
			next.ServeHTTP(w, r)
		})
	}))
	t.Setenv("WXACODE_APPID", env.Sim.AppID())
	t.Setenv("WXACODE_SECRET", env.Sim.Secret())
	dir := t.TempDir()
	in := filepath.Join(dir, "rows.csv")
	var rows strings.Builder
	rows.WriteString("scene\n")
	for i := range 30 {
		rows.WriteString("id=" + strconv.Itoa(i) + "\n")
	}
	require.NoError(t, os.WriteFile(in, []byte(rows.String()), 0o644))
	code, stdout, stderr := batchRun(t, "--in", in, "--out", filepath.Join(dir, "out"), "--concurrency", "1", "--base-url", env.BaseURL)
	assert.Equal(t, exitAPI, code, "%s", stderr)
	assert.Contains(t, stderr, "token fight")
	assert.Contains(t, stderr, "run the same command again to resume")
	assert.LessOrEqual(t, codes.Load(), int64(2), "one row tried, not thirty")
	assert.LessOrEqual(t, tokens.Load(), int64(2), "no token fetch per row")
	assert.Contains(t, stdout, "requests "+strconv.FormatInt(codes.Load(), 10)+" (")
}
