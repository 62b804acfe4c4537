package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	_ "image/jpeg"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"wxacode/internal/wechattest"
	"wxacode/wechat"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testenv"
)

const (
	fakeAppID  = "wxfake0000000001"
	fakeSecret = "fake-secret-0123456789abcdef"
	fakeToken  = "FAKETOKEN_0123456789_abcdefghijklmnopqrstuvwxyz"
)

// fakeWeChat answers stable_token and lets each test choose the code answer.
type fakeWeChat struct {
	mu     sync.Mutex
	calls  int
	bodies []map[string]any
	code   http.HandlerFunc
}

func (f *fakeWeChat) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/cgi-bin/stable_token" {
		w.Header().Set("Content-Type", "application/json; encoding=utf-8")
		fmt.Fprintf(w, `{"access_token":%q,"expires_in":7200}`, fakeToken)
		return
	}
	body, _ := io.ReadAll(r.Body)
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	f.mu.Lock()
	f.calls++
	f.bodies = append(f.bodies, m)
	h := f.code
	f.mu.Unlock()
	h(w, r)
}

func (f *fakeWeChat) snapshot() (int, []map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls, append([]map[string]any(nil), f.bodies...)
}

// startFake runs a fake WeChat and sets credentials for it in the environment.
func startFake(t *testing.T, h http.HandlerFunc) (*fakeWeChat, string) {
	t.Helper()
	f := &fakeWeChat{code: h}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	t.Setenv("WXACODE_APPID", fakeAppID)
	t.Setenv("WXACODE_SECRET", fakeSecret)
	return f, srv.URL
}

// jpegBytes is a real simulated code: a genuine, decodable JPEG of a code's size.
func jpegBytes(t *testing.T) []byte {
	t.Helper()
	data, _ := wechattest.Code(t, wechat.UnlimitedRequest{Scene: "a=1"})
	return data
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, image.NewNRGBA(image.Rect(0, 0, 280, 280))))
	return b.Bytes()
}

func serveImage(ct string, data []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ct)
		w.Write(data)
	}
}

func serveErr(code int, msg string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; encoding=utf-8")
		fmt.Fprintf(w, `{"errcode":%d,"errmsg":%q}`, code, msg)
	}
}

func TestGetOnTheSimulator(t *testing.T) {
	testenv.Isolate(t)
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--sim"}, // forced
		{},        // no credentials configured at all
	} {
		out := filepath.Join(dir, fmt.Sprintf("code%d.jpg", len(args)))
		code, stdout, stderr := runCLI(t, nil, append(append([]string{"get"}, args...), "--scene", "id=42&x=1", "--page", "pages/index/index", "--width", "280", "-o", out)...)
		require.Equal(t, exitOK, code, stderr)
		assert.Contains(t, stderr, "on the simulator")
		assert.Regexp(t, `^`+regexpQuote(out)+`: jpeg \d+x\d+, \d+ bytes\n$`, stdout)
		f, err := os.Open(out)
		require.NoError(t, err)
		img, format, err := image.Decode(f)
		f.Close()
		require.NoError(t, err)
		assert.Equal(t, "jpeg", format)
		assert.Greater(t, img.Bounds().Dx(), 200)
	}

	// Hyaline is PNG: saving it as .jpg works but warns.
	out := filepath.Join(dir, "clear.jpg")
	code, stdout, stderr := runCLI(t, nil, "get", "--sim", "--scene", "a", "--hyaline", "-o", out)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, ": png ")
	assert.Contains(t, stderr, "warning: "+out+" has .jpg but the code is a PNG")
	assert.Contains(t, stderr, "clear.png")

	// Limited codes show the ledger's state.
	code, _, stderr = runCLI(t, nil, "get", "--sim", "--kind", "limited", "--path", "pages/index/index?id=1", "-o", filepath.Join(dir, "l.jpg"))
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stderr, "quota:")
	assert.Contains(t, stderr, "100000")
}

func regexpQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `.`, `\.`, `+`, `\+`, `(`, `\(`, `)`, `\)`, `[`, `\[`, `]`, `\]`)
	return r.Replace(s)
}

// TestGetFailuresLeaveNoFile: every failure keeps an existing FILE's bytes
// and mtime and creates nothing (no temp files either).
func TestGetFailuresLeaveNoFile(t *testing.T) {
	jpg := jpegBytes(t)
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		args     []string
		cancel   bool
		noServer bool
		exit     int
		stderr   []string
		calls    int // -1: don't care
		absent   []string
	}{
		{name: "validation", handler: serveImage("image/jpeg", jpg), args: []string{"--scene", "bad scene", "--page", "/p?x=1", "--width", "99"},
			exit: exitUsage, stderr: []string{"nothing was called", "scene (character 4)", "page (character 1)", "width"}, calls: 0,
			absent: []string{"Try:"}}, // each fix mends one problem: none is offered as a command that works
		{name: "scene too long: the fit is offered", handler: serveImage("image/jpeg", jpg), args: []string{"--scene", "productId=123456&category=shoes&color=red"},
			exit: exitUsage, stderr: []string{"nothing was called", "Try:\n  - fit the scene into 32 characters: ", "wxacode get --kind unlimited --scene 'p=123456&c=shoes&co=red' -o FILE"}, calls: 0},
		{name: "bad flag value", handler: serveImage("image/jpeg", jpg), args: []string{"--scene", "a", "--kind", "round", "--line-color", "red", "--check-path=maybe"},
			exit: exitUsage, stderr: []string{"--kind", "--line-color", "--check-path"}, calls: 0},
		{name: "api error 41030", handler: serveErr(41030, "invalid page rid: 6743ab12-1b2c3d4e-5f607182"), args: []string{"--scene", "a", "--page", "pages/x"},
			exit: exitAPI, stderr: []string{"errcode 41030", "invalid page", "rid: 6743ab12-1b2c3d4e-5f607182", "request at 2024-", "Causes:", "Fixes:", "wxacode hint 41030"}, calls: 1},
		{name: "rate limit 45009", handler: serveErr(45009, "reach max api daily quota limit"), args: []string{"--scene", "a"},
			exit: exitAPI, stderr: []string{"errcode 45009", "try again after"}, calls: 1},
		{name: "errmsg echoing the token", handler: func(w http.ResponseWriter, r *http.Request) {
			serveErr(40001, "invalid credential, access_token is invalid or not latest: "+r.URL.RawQuery)(w, r)
		}, args: []string{"--scene", "a"}, exit: exitAPI, stderr: []string{"errcode 40001"}, calls: -1},
		{name: "truncated body", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/jpeg")
			w.Header().Set("Content-Length", fmt.Sprint(len(jpg)))
			w.Write(jpg[:len(jpg)/2])
		}, args: []string{"--scene", "a"}, exit: exitUnexpected, stderr: []string{"nothing was saved"}, calls: -1},
		{name: "not an image", handler: serveImage("text/html", []byte("<html>gateway</html>")), args: []string{"--scene", "a"},
			exit: exitUnexpected, stderr: []string{"nothing was saved"}, calls: -1},
		{name: "network error", noServer: true, args: []string{"--scene", "a"}, exit: exitUnexpected, stderr: []string{"nothing was saved"}, calls: -1},
		{name: "cancelled", cancel: true, args: []string{"--scene", "a"}, exit: exitInterrupted, stderr: []string{"interrupted"}, calls: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			testenv.Isolate(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			h := tt.handler
			if tt.cancel {
				h = func(w http.ResponseWriter, r *http.Request) {
					cancel() // the user pressed ctrl+c while WeChat was answering
					<-r.Context().Done()
				}
			}
			f, base := startFake(t, h)
			if tt.noServer {
				l := httptest.NewServer(http.NotFoundHandler())
				base = l.URL
				l.Close()
			}
			dir := t.TempDir()
			for _, existing := range []bool{false, true} {
				out := filepath.Join(dir, fmt.Sprintf("code-%v.jpg", existing))
				old := time.Now().Add(-time.Hour).Truncate(time.Second)
				if existing {
					require.NoError(t, os.WriteFile(out, []byte("old bytes"), 0o644))
					require.NoError(t, os.Chtimes(out, old, old))
				}
				args := append(append([]string{"get", "--base-url", base}, tt.args...), "-o", out)
				code, stdout, stderr := runCLI(t, ctx, args...)
				assert.Equal(t, tt.exit, code, stderr)
				assert.Empty(t, stdout)
				for _, want := range tt.stderr {
					assert.Contains(t, stderr, want)
				}
				for _, unwanted := range tt.absent {
					assert.NotContains(t, stderr, unwanted)
				}
				assert.NotContains(t, stdout+stderr, fakeToken)
				assert.NotContains(t, stdout+stderr, fakeSecret)
				if existing {
					data, err := os.ReadFile(out)
					require.NoError(t, err)
					assert.Equal(t, "old bytes", string(data))
					st, err := os.Stat(out)
					require.NoError(t, err)
					assert.True(t, st.ModTime().Equal(old), "mtime touched")
				} else {
					assert.NoFileExists(t, out)
				}
			}
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			require.Len(t, entries, 1, "only the pre-existing file remains: no temp files")
			if tt.calls >= 0 {
				calls, _ := f.snapshot()
				assert.Equal(t, tt.calls*2, calls)
			}
		})
	}
}

func TestGetAgainstFake(t *testing.T) {
	testenv.Isolate(t)
	jpg := jpegBytes(t)
	f, base := startFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/jpeg")
		if strings.Contains(r.URL.Path, "/wxa/getwxacode") && !strings.Contains(r.URL.Path, "unlimit") {
			w.Header().Set("Num-Used", "17")
		}
		w.Write(jpg)
	})
	dir := t.TempDir()

	out := filepath.Join(dir, "a.jpeg")
	code, stdout, stderr := runCLI(t, nil, "get", "--base-url", base, "--scene", "id=1&b=2", "--page", "pages/i", "--check-path=false", "--env-version", "develop", "--line-color", "#1aad19", "-o", out)
	require.Equal(t, exitOK, code, stderr)
	assert.NotContains(t, stderr, "warning")
	assert.NotContains(t, stderr, "simulator")
	assert.Contains(t, stdout, out+": jpeg ")
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, jpg, got)
	_, bodies := f.snapshot()
	require.Len(t, bodies, 1)
	assert.Equal(t, map[string]any{"scene": "id=1&b=2", "page": "pages/i", "check_path": false, "env_version": "develop",
		"line_color": map[string]any{"r": "26", "g": "173", "b": "25"}}, bodies[0])

	// A limited code prints Num-Used.
	code, stdout, stderr = runCLI(t, nil, "get", "--base-url", base, "--kind", "limited", "--path", "pages/i?x=1", "-o", filepath.Join(dir, "l.jpg"))
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, ", Num-Used 17")
	assert.Contains(t, stderr, "quota:")

	// Extension mismatch: a JPEG written as .png warns.
	code, _, stderr = runCLI(t, nil, "get", "--base-url", base, "--scene", "x", "-o", filepath.Join(dir, "x.png"))
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stderr, "has .png but the code is a JPEG")

	// A PNG labelled image/jpeg (hyaline) is sniffed as PNG.
	f.mu.Lock()
	f.code = serveImage("image/jpeg", pngBytes(t))
	f.mu.Unlock()
	code, stdout, stderr = runCLI(t, nil, "get", "--base-url", base, "--scene", "x", "--hyaline", "-o", filepath.Join(dir, "h.png"))
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, ": png 280x280")
	assert.NotContains(t, stderr, "warning")
}

func TestGetConfigDefaultsAndFlags(t *testing.T) {
	home := testenv.Isolate(t)
	jpg := jpegBytes(t)
	f, base := startFake(t, serveImage("image/jpeg", jpg))
	cfgPath := filepath.Join(home, "c.toml")
	require.NoError(t, os.WriteFile(cfgPath, []byte(fmt.Sprintf("base_url = %q\n[defaults]\nscene = \"cfg\"\npage = \"pages/cfg\"\nwidth = 500\ncheck_path = false\n", base)), 0o600))
	dir := t.TempDir()
	// Config defaults apply; a flag overrides only what it names.
	code, _, stderr := runCLI(t, nil, "get", "--config", cfgPath, "--width", "600", "-o", filepath.Join(dir, "a.jpg"))
	require.Equal(t, exitOK, code, stderr)
	// WXACODE_CONFIG works too; --check-path (bare) means true.
	t.Setenv("WXACODE_CONFIG", cfgPath)
	code, _, stderr = runCLI(t, nil, "get", "--check-path", "--scene", "flag", "-o", filepath.Join(dir, "b.jpg"))
	require.Equal(t, exitOK, code, stderr)
	_, bodies := f.snapshot()
	require.Len(t, bodies, 2)
	assert.Equal(t, map[string]any{"scene": "cfg", "page": "pages/cfg", "width": float64(600), "check_path": false}, bodies[0])
	assert.Equal(t, map[string]any{"scene": "flag", "page": "pages/cfg", "width": float64(500), "check_path": true}, bodies[1])

	// A missing explicit config is a usage error.
	code, _, stderr = runCLI(t, nil, "get", "--config", filepath.Join(home, "nope.toml"), "--scene", "a", "-o", filepath.Join(dir, "c.jpg"))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "does not exist")
}

func TestGetUsage(t *testing.T) {
	testenv.Isolate(t)
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"get", "--scene", "a"}, "-o FILE is required"},
		{[]string{"get", "--scene", "a", "-o", filepath.Join(dir, "missing", "a.jpg")}, "does not exist"},
		{[]string{"get", "--scene", "a", "-o", dir}, "that is a folder"},
		{[]string{"get", "--scene", "a", "extra", "-o", "x.jpg"}, "unexpected argument"},
		{[]string{"get", "--no-such-flag"}, "no-such-flag"},
	} {
		code, _, stderr := runCLI(t, nil, tt.args...)
		assert.Equal(t, exitUsage, code, tt.args)
		assert.Contains(t, stderr, tt.want, tt.args)
	}
	code, _, _ := runCLI(t, nil, "get", "--help")
	assert.Equal(t, exitOK, code)
}

func TestGetUsesTheSimConfigFile(t *testing.T) {
	home := testenv.Isolate(t)
	require.NoError(t, os.WriteFile(filepath.Join(home, "sim.toml"), []byte("unpublished = true\n"), 0o600))
	cfgPath := filepath.Join(home, "c.toml")
	require.NoError(t, os.WriteFile(cfgPath, []byte("[sim]\nenabled = true\nconfig = \"sim.toml\"\n"), 0o600))
	out := filepath.Join(home, "a.jpg")
	code, _, stderr := runCLI(t, nil, "get", "--config", cfgPath, "--scene", "a", "--page", "pages/index/index", "-o", out)
	assert.Equal(t, exitAPI, code, stderr)
	assert.Contains(t, stderr, "errcode 41030")
	assert.Contains(t, stderr, "on the simulator (--sim or sim = true")
	assert.NoFileExists(t, out)
	// check_path:false gets past an unpublished app.
	code, _, stderr = runCLI(t, nil, "get", "--config", cfgPath, "--scene", "a", "--page", "pages/index/index", "--check-path=false", "-o", out)
	assert.Equal(t, exitOK, code, stderr)
	assert.FileExists(t, out)
}

// --check-path has three states, and each reaches the request body as given.
func TestGetCheckPathReachesTheRequest(t *testing.T) {
	testenv.Isolate(t)
	f, base := startFake(t, serveImage("image/jpeg", jpegBytes(t)))
	dir := t.TempDir()
	for i, tt := range []struct {
		args []string
		want any // nil: not sent
	}{
		{nil, nil},
		{[]string{"--check-path=false"}, false},
		{[]string{"--check-path"}, true},
		{[]string{"--check-path=true"}, true},
		{[]string{"--check-path=0"}, false},
		{[]string{"-check-path=false"}, false}, // Go flag's single dash
		{[]string{"--check-path", "--check-path=false"}, false},
	} {
		args := append([]string{"get", "--base-url", base, "--scene", "a", "--page", "pages/i"}, tt.args...)
		code, _, stderr := runCLI(t, nil, append(args, "-o", filepath.Join(dir, fmt.Sprintf("%d.jpg", i)))...)
		require.Equal(t, exitOK, code, stderr)
		_, bodies := f.snapshot()
		got, sent := bodies[len(bodies)-1]["check_path"]
		if tt.want == nil {
			assert.False(t, sent, tt.args)
			continue
		}
		assert.Equal(t, tt.want, got, tt.args)
	}
}
