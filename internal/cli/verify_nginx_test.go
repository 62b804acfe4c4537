package cli

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/codefile"
	"wxacode/internal/origintest"
	"wxacode/internal/testenv"
	"wxacode/internal/wechattest"
	"wxacode/wechat"
)

// nginxConf is a caching proxy as sites put one in front of their files:
// 200s kept a day, 404s a minute (negative caching), the origin's own
// Cache-Control ignored, the cache status in X-Cache.
const nginxConf = `daemon off;
master_process off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log info;
events { worker_connections 64; }
http {
  access_log %[1]s/access.log;
  client_body_temp_path %[1]s/body;
  proxy_temp_path %[1]s/proxy;
  fastcgi_temp_path %[1]s/fastcgi;
  uwsgi_temp_path %[1]s/uwsgi;
  scgi_temp_path %[1]s/scgi;
  proxy_cache_path %[1]s/cache levels=1:2 keys_zone=codes:1m max_size=64m inactive=1d use_temp_path=off;
  server {
    listen 127.0.0.1:%[2]d;
    location / {
      proxy_pass %[3]s;
      proxy_cache codes;
      proxy_cache_valid 200 1d;
      proxy_cache_valid 404 1m;
      proxy_ignore_headers Cache-Control Expires;
      add_header X-Cache $upstream_cache_status always;
    }
  }
}
`

// startNginx runs nginx (Debian nginx-light) on loopback in front of
// origin and returns its base URL; it is stopped when the test ends.
func startNginx(t *testing.T, origin string) string {
	t.Helper()
	bin := testenv.Tool(t, "nginx", "nginx-light")
	dir := t.TempDir()
	for attempt := 0; ; attempt++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		conf := filepath.Join(dir, "nginx.conf")
		require.NoError(t, os.WriteFile(conf, []byte(fmt.Sprintf(nginxConf, dir, port, origin)), 0o644))
		cmd := exec.Command(bin, "-p", dir, "-c", conf, "-e", filepath.Join(dir, "error.log"))
		var stderr strings.Builder
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Start())
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		base := fmt.Sprintf("http://127.0.0.1:%d", port)
		if waitListening(base, exited) {
			t.Cleanup(func() {
				cmd.Process.Kill()
				<-exited
			})
			return base
		}
		cmd.Process.Kill()
		log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
		if attempt == 2 {
			t.Fatalf("nginx did not start: %s\n%s", stderr.String(), log)
		}
	}
}

// waitListening polls base until nginx answers, nginx exits (a port taken
// in between, say) or 10 s pass: waiting for a real process to start.
func waitListening(base string, exited chan error) bool {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return false
		default:
		}
		if c, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), 200*time.Millisecond); err == nil {
			c.Close()
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// TestVerifyThroughNginx puts a real proxy_cache in front of a Go origin.
// The origin's file changes after nginx cached the first version: verify
// says stale through nginx and ok against the origin. A file uploaded after
// nginx cached its 404 is stale too. A body cut short, a PNG labelled
// image/jpeg and a missing file are the origin's, and verify says so
// through nginx as well.
func TestVerifyThroughNginx(t *testing.T) {
	testenv.Isolate(t)
	jpg, _ := wechattest.Code(t, wechat.UnlimitedRequest{Scene: "id=1"})
	old, _ := wechattest.Code(t, wechat.UnlimitedRequest{Scene: "id=old"})
	png, _ := wechattest.Code(t, wechat.UnlimitedRequest{Scene: "id=1", IsHyaline: true})
	origin := origintest.New()
	origin.Put("/codes/replaced.jpg", origintest.File{Body: old, Then: jpg, Headers: map[string]string{"ETag": `"v1"`, "Last-Modified": "Mon, 02 Mar 2026 10:00:00 GMT"}})
	origin.Put("/codes/cut.jpg", origintest.File{Body: jpg, CutAt: len(jpg) / 2})
	origin.Put("/codes/label.png", origintest.File{Body: png, ContentType: "image/jpeg"})
	osrv := httptest.NewServer(origin)
	defer osrv.Close()
	proxy := startNginx(t, osrv.URL)

	// Users fetched two files before: nginx keeps the old code, and the 404
	// of a file not uploaded yet.
	for _, p := range []string{"/codes/replaced.jpg", "/codes/late.jpg"} {
		resp, err := http.Get(proxy + p)
		require.NoError(t, err)
		resp.Body.Close()
	}
	origin.Put("/codes/late.jpg", origintest.File{Body: jpg})

	dir := t.TempDir()
	local := filepath.Join(dir, "code.jpg")
	require.NoError(t, os.WriteFile(local, jpg, 0o644))

	code, stdout, stderr := verifyRun(t, proxy+"/codes/replaced.jpg", "--file", local)
	assert.Equal(t, exitBad, code, stderr)
	assert.Contains(t, stdout, proxy+"/codes/replaced.jpg: stale: a cache serves differs (another image: sha256 ")
	assert.Contains(t, stdout, "the origin's copy is right; cache headers: X-Cache: HIT")
	assert.Contains(t, stdout, `ETag: "v1"`)
	assert.Contains(t, stdout, "\nstale: purge this URL")
	code, stdout, stderr = verifyRun(t, osrv.URL+"/codes/replaced.jpg", "--file", local)
	assert.Equal(t, exitOK, code, stdout+stderr)
	assert.Equal(t, "checked 1, ok 1, bad 0\n", stdout)

	// The same through a manifest and --base-url, every problem at once.
	var m strings.Builder
	for i, f := range []struct {
		name string
		b    []byte
	}{{"replaced.jpg", jpg}, {"late.jpg", jpg}, {"cut.jpg", jpg}, {"label.png", png}, {"gone.jpg", jpg}} {
		fmt.Fprintf(&m, `{"row":%d,"key":"%016x","kind":"unlimited","params":{},"file":%q,"sha256":%q,"bytes":%d,"format":%q,"width":430,"height":430,"received":"2026-03-02T10:00:00Z"}`+"\n",
			i+1, i, f.name, codefile.ContentSHA256(f.b), len(f.b), map[bool]string{true: "png", false: "jpeg"}[f.name == "label.png"])
	}
	manifest := filepath.Join(dir, "manifest.jsonl")
	require.NoError(t, os.WriteFile(manifest, []byte(m.String()), 0o644))
	code, stdout, stderr = verifyRun(t, "--manifest", manifest, "--base-url", proxy+"/codes/")
	assert.Equal(t, exitBad, code, stderr)
	for _, want := range []string{
		proxy + "/codes/replaced.jpg: stale: a cache serves differs",
		proxy + "/codes/late.jpg: stale: a cache serves HTTP 404 (Not Found: no file at this URL); the origin's copy is right; cache headers: X-Cache: HIT",
		proxy + fmt.Sprintf("/codes/cut.jpg: truncated: %d of %d bytes arrived (Content-Length %d)", len(jpg)/2, len(jpg), len(jpg)),
		proxy + "/codes/label.png: content-type: labelled image/jpeg, the bytes are a PNG (image/png); the origin serves the same",
		proxy + "/codes/gone.jpg: HTTP 404: Not Found: no file at this URL; the origin serves the same",
		"checked 5, ok 0, bad 5\n",
	} {
		assert.Contains(t, stdout, want)
	}
	// Against the origin only the origin's own faults are left.
	code, stdout, _ = verifyRun(t, "--manifest", manifest, "--base-url", osrv.URL+"/codes/")
	assert.Equal(t, exitBad, code)
	assert.Contains(t, stdout, "checked 5, ok 2, bad 3\n")
	assert.NotContains(t, stdout, "stale")
}
