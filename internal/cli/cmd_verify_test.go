package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/codefile"
	"wxacode/internal/origintest"
	"wxacode/internal/testenv"
	"wxacode/internal/wechattest"
	"wxacode/wechat"
)

// batchOutput runs a real batch against the in-process simulator and returns
// its output folder and manifest entries.
func batchOutput(t *testing.T, rows int) (string, []codefile.ManifestEntry) {
	t.Helper()
	testenv.Isolate(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "rows.csv")
	var b strings.Builder
	b.WriteString("scene\n")
	for i := range rows {
		fmt.Fprintf(&b, "id=%d\n", i)
	}
	b.WriteString("id=0&h=1\n")
	require.NoError(t, os.WriteFile(in, []byte(b.String()), 0o644))
	out := filepath.Join(dir, "out")
	code, stdout, stderr := batchRun(t, "--in", in, "--out", out, "--sim", "--check-path=false")
	require.Equal(t, exitOK, code, stdout+stderr)
	f, err := os.Open(filepath.Join(out, "manifest.jsonl"))
	require.NoError(t, err)
	defer f.Close()
	var es []codefile.ManifestEntry
	for l, err := range codefile.ReadManifest(f, "manifest.jsonl") {
		require.NoError(t, err)
		require.NoError(t, l.Err)
		es = append(es, l.Entry)
	}
	return out, es
}

func verifyRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return runCLI(t, nil, append([]string{"verify"}, args...)...)
}

// TestVerifyLocalManifest checks a batch's own folder, then a copy of it
// with a file cut short (an NFS reader before the writer closed), one
// replaced by another code and one gone.
func TestVerifyLocalManifest(t *testing.T) {
	out, es := batchOutput(t, 4)
	manifest := filepath.Join(out, "manifest.jsonl")
	code, stdout, stderr := verifyRun(t, "--manifest", manifest)
	assert.Equal(t, exitOK, code, stderr)
	assert.Equal(t, "checked 5, ok 5, bad 0\n", stdout)

	b0, err := os.ReadFile(filepath.Join(out, es[0].File))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(out, es[0].File), b0[:len(b0)/3], 0o644))
	b2, err := os.ReadFile(filepath.Join(out, es[2].File))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(out, es[1].File), b2, 0o644))
	require.NoError(t, os.Remove(filepath.Join(out, es[3].File)))
	code, stdout, _ = verifyRun(t, "--manifest", manifest, "--concurrency", "1")
	assert.Equal(t, exitBad, code)
	p := func(e codefile.ManifestEntry) string { return filepath.Join(out, e.File) }
	assert.Contains(t, stdout, p(es[0])+": truncated: a JPEG cut short: "+fmt.Sprint(len(b0)/3)+" bytes of "+fmt.Sprint(len(b0)))
	assert.Contains(t, stdout, p(es[1])+": differs: another image: sha256 ")
	assert.Contains(t, stdout, p(es[3])+": missing: no such file")
	assert.Contains(t, stdout, "checked 5, ok 2, bad 3\n")
	assert.Contains(t, stdout, "\ntruncated: the file was published before it was completely written")
}

// TestVerifyURLs checks URLs against --file and --sha256 on a Go origin:
// the exit codes, the lines, --json.
func TestVerifyURLs(t *testing.T) {
	testenv.Isolate(t)
	jpg, _ := wechattest.Code(t, wechat.UnlimitedRequest{Scene: "id=1"})
	other, _ := wechattest.Code(t, wechat.UnlimitedRequest{Scene: "id=2"})
	local := filepath.Join(t.TempDir(), "code.jpg")
	require.NoError(t, os.WriteFile(local, jpg, 0o644))
	origin := origintest.New()
	origin.Put("/a.jpg", origintest.File{Body: jpg})
	origin.Put("/b.jpg", origintest.File{Body: other})
	srv := httptest.NewServer(origin)
	defer srv.Close()

	code, stdout, stderr := verifyRun(t, srv.URL+"/a.jpg", "--file", local)
	assert.Equal(t, exitOK, code, stderr)
	assert.Equal(t, "checked 1, ok 1, bad 0\n", stdout)

	code, stdout, _ = verifyRun(t, srv.URL+"/a.jpg", srv.URL+"/b.jpg", srv.URL+"/c.jpg", "--sha256", codefile.ContentSHA256(jpg), "--concurrency", "1")
	assert.Equal(t, exitBad, code)
	assert.Contains(t, stdout, srv.URL+"/b.jpg: differs: another image: sha256 ")
	assert.Contains(t, stdout, srv.URL+"/c.jpg: HTTP 404: Not Found: no file at this URL")
	assert.NotContains(t, stdout, "/a.jpg")
	assert.Contains(t, stdout, "checked 3, ok 1, bad 2\n")

	code, stdout, stderr = verifyRun(t, srv.URL+"/a.jpg", srv.URL+"/b.jpg", "--file", local, "--json")
	assert.Equal(t, exitBad, code)
	assert.Contains(t, stderr, "checked 2, ok 1, bad 1")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	require.Len(t, lines, 2)
	byURL := map[string]map[string]any{}
	for _, l := range lines {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m), l)
		byURL[m["url"].(string)] = m
	}
	assert.Equal(t, true, byURL[srv.URL+"/a.jpg"]["ok"])
	b := byURL[srv.URL+"/b.jpg"]
	assert.Equal(t, "differs", b["problem"])
	assert.Equal(t, codefile.ContentSHA256(other), b["got"].(map[string]any)["sha256"])
	assert.Equal(t, codefile.ContentSHA256(jpg), b["want"].(map[string]any)["sha256"])
	assert.NotEmpty(t, b["fix"])

	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	code, _, stderr = verifyRun(t, dead.URL+"/a.jpg", "--file", local)
	assert.Equal(t, exitUnexpected, code)
	assert.Contains(t, stderr, "nothing could be fetched")
}

func TestVerifyUsage(t *testing.T) {
	testenv.Isolate(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "give --manifest FILE, or URLs"},
		{[]string{"--manifest", "m.jsonl", "https://a/b.jpg"}, "not both"},
		{[]string{"--base-url", "https://a/"}, "--base-url goes with --manifest"},
		{[]string{"--manifest", "m.jsonl", "--base-url", "ftp://a/"}, "not an http(s) URL"},
		{[]string{"https://a/b.jpg", "--sha256", "abc"}, "is not 64 hex digits"},
		{[]string{"https://a/b.jpg", "--file", "nope.jpg"}, "--file nope.jpg"},
		{[]string{"https://a/b.jpg", "--file", "x", "--sha256", strings.Repeat("0", 64)}, "not both"},
		{[]string{"a.jpg"}, "not an http(s) URL"},
		{[]string{"https://a/b.jpg"}, "say which code the URLs should serve"},
		{[]string{"--manifest", t.TempDir()}, "is a folder"},
		{[]string{"--manifest", "missing.jsonl"}, "--manifest: open missing.jsonl"},
	} {
		code, _, stderr := verifyRun(t, tc.args...)
		assert.Equal(t, exitUsage, code, "%v: %s", tc.args, stderr)
		assert.Contains(t, stderr, tc.want, "%v", tc.args)
	}
}
