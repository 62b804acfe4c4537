package verify_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/codefile"
	"wxacode/internal/inproc"
	"wxacode/internal/origintest"
	"wxacode/internal/wechattest"
	"wxacode/verify"
	"wxacode/wechat"
)

var (
	codesOnce                    sync.Once
	jpegCode, pngCode, otherCode []byte
)

// codes are real simulated codes: an opaque one (JPEG), a hyaline one (PNG)
// and another opaque one.
func codes(t *testing.T) (jpg, png, other []byte) {
	codesOnce.Do(func() {
		jpegCode, _ = wechattest.Code(t, wechat.UnlimitedRequest{Scene: "id=1"})
		pngCode, _ = wechattest.Code(t, wechat.UnlimitedRequest{Scene: "id=1", IsHyaline: true})
		otherCode, _ = wechattest.Code(t, wechat.UnlimitedRequest{Scene: "id=2"})
	})
	return jpegCode, pngCode, otherCode
}

func wantOf(t *testing.T, b []byte) verify.Want {
	t.Helper()
	f, _ := wechat.SniffFormat(b)
	return verify.Want{SHA256: codefile.ContentSHA256(b), Bytes: len(b), Format: string(f), Width: 430, Height: 430}
}

// TestProblemWords serves one fault for each problem word from a Go origin
// (behind a Go caching proxy for stale) and checks what verify calls it.
func TestProblemWords(t *testing.T) {
	jpg, png, other := codes(t)
	origin := origintest.New()
	origin.Put("/ok.jpg", origintest.File{Body: jpg, Headers: map[string]string{"Cache-Control": "public, max-age=31536000, immutable"}})
	origin.Put("/cut.jpg", origintest.File{Body: jpg, CutAt: len(jpg) / 2})
	origin.Put("/half.jpg", origintest.File{Body: jpg[:len(jpg)/2]}) // a half-written file served whole
	origin.Put("/other.jpg", origintest.File{Body: other})
	origin.Put("/stale.jpg", origintest.File{Body: other, Then: jpg, Headers: map[string]string{"ETag": `"v1"`, "Cache-Control": "max-age=86400"}})
	origin.Put("/label.png", origintest.File{Body: png, ContentType: "image/jpeg"})
	origin.Put("/errcode.jpg", origintest.File{Body: []byte(`{"errcode":41030,"errmsg":"invalid page rid: 663b1af7-1f2e3d4c-5b6a7988"}`), ContentType: "image/jpeg"})
	origin.Put("/html.jpg", origintest.File{Body: []byte("<html><title>502 Bad Gateway</title>\x1b]0;pwned\a</html>"), ContentType: "text/html"})
	origin.Put("/gone.jpg", origintest.File{Body: jpg, Status: http.StatusServiceUnavailable})
	srv := httptest.NewServer(origintest.Cache(origin))
	defer srv.Close()
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()

	for _, tc := range []struct {
		path    string
		want    []byte
		problem string
		detail  []string
	}{
		{"/ok.jpg", jpg, "", nil},
		{"/cut.jpg", jpg, verify.Truncated, []string{fmt.Sprintf("%d of %d bytes arrived", len(jpg)/2, len(jpg))}},
		{"/half.jpg", jpg, verify.Truncated, []string{fmt.Sprintf("a JPEG cut short: %d bytes of %d", len(jpg)/2, len(jpg)), "the origin serves the same"}},
		{"/other.jpg", jpg, verify.Differs, []string{"another image: sha256 ", "the origin serves the same"}},
		{"/stale.jpg", jpg, verify.Stale, []string{"a cache serves differs", "the origin's copy is right", "X-Cache: HIT", `ETag: "v1"`, "Cache-Control: max-age=86400"}},
		{"/label.png", png, verify.ContentType, []string{"labelled image/jpeg, the bytes are a PNG (image/png)"}},
		{"/errcode.jpg", jpg, verify.NotImage, []string{"errcode 41030 (invalid page)"}},
		{"/html.jpg", jpg, verify.NotImage, []string{"502 Bad Gateway"}},
		{"/missing.jpg", jpg, "HTTP 404", []string{"no file at this URL"}},
		{"/gone.jpg", jpg, "HTTP 503", nil},
	} {
		t.Run(tc.path, func(t *testing.T) {
			if tc.problem == verify.Stale { // a user fetched it before: the cache holds the old file
				resp, err := http.Get(srv.URL + tc.path)
				require.NoError(t, err)
				resp.Body.Close()
			}
			r := verify.New().Check(context.Background(), verify.Target{URL: srv.URL + tc.path, Want: wantOf(t, tc.want)})
			assert.Equal(t, tc.problem, r.Problem, r.Line())
			assert.Equal(t, tc.problem == "", r.OK)
			assert.True(t, r.Fetched)
			for _, d := range tc.detail {
				assert.Contains(t, r.Detail, d)
			}
			assert.NotContains(t, r.Detail, "\x1b", "server text is made terminal-safe")
			if tc.problem != "" {
				assert.NotEmpty(t, r.Fix)
				assert.Equal(t, srv.URL+tc.path+": "+tc.problem+": "+r.Detail, r.Line())
			}
		})
	}
	t.Run("unreachable", func(t *testing.T) {
		r := verify.New().Check(context.Background(), verify.Target{URL: dead.URL + "/a.jpg"})
		assert.Equal(t, verify.Unreachable, r.Problem)
		assert.False(t, r.Fetched)
	})
	// The stale copy was refetched past the cache: the origin saw it twice.
	assert.Equal(t, 2, origin.Hits("/stale.jpg"))
}

// TestStaleNeedsNoManifest: with no sha256 to compare, a copy that is not a
// whole image through the cache but is at the origin is still stale.
func TestStaleNeedsNoManifest(t *testing.T) {
	jpg, _, _ := codes(t)
	origin := origintest.New()
	origin.Put("/a.jpg", origintest.File{Body: []byte(`{"errcode":-1,"errmsg":"system error"}`), Then: jpg})
	srv := httptest.NewServer(origintest.Cache(origin))
	defer srv.Close()
	r := verify.New(verify.WithBust(func() string { return "x" })).Check(context.Background(), verify.Target{URL: srv.URL + "/a.jpg"})
	assert.Equal(t, verify.Stale, r.Problem, r.Line())
	assert.Contains(t, r.Detail, "a cache serves not an image")
	require.NotNil(t, r.Origin)
	assert.Equal(t, codefile.ContentSHA256(jpg), r.Origin.SHA256)
}

// TestBustRequest: the second fetch has the cache-busting query (the rest of
// the query kept) and asks caches not to answer from store.
func TestBustRequest(t *testing.T) {
	var mu sync.Mutex
	var seen []*http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r)
		mu.Unlock()
		http.NotFound(w, r)
	}))
	defer srv.Close()
	verify.New(verify.WithBust(func() string { return "b1" })).Check(context.Background(), verify.Target{URL: srv.URL + "/a.jpg?v=3"})
	require.Len(t, seen, 2)
	assert.Equal(t, "v=3", seen[0].URL.RawQuery)
	assert.Empty(t, seen[0].Header.Get("Cache-Control"))
	assert.Equal(t, "v=3&wxacode-verify=b1", seen[1].URL.RawQuery)
	assert.Equal(t, "no-cache", seen[1].Header.Get("Cache-Control"))
}

// TestHostileHeaders: header values are bounded, redacted and terminal-safe;
// a header line Go refuses (an ESC in it) makes the copy unreachable, and
// the error quoting it is cleaned the same way.
func TestHostileHeaders(t *testing.T) {
	jpg, _, other := codes(t)
	secret := "s3cr3t-app-secret-value"
	for _, tc := range []struct {
		name, xcache, problem, shown string
	}{
		{"bidi", "HIT \u202e" + secret + strings.Repeat("x", 5000), verify.Differs, `X-Cache: HIT \u202eREDACTED`},
		{"escape", "HIT \x1b[2J" + secret + strings.Repeat("x", 5000), verify.Unreachable, `HIT \x1b[2JREDACTED`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header()["X-Cache"] = []string{tc.xcache}
				w.Header().Set("Content-Type", "image/jpeg")
				w.Write(other)
			}))
			defer srv.Close()
			red := wechat.NewRedactor(secret)
			r := verify.New(verify.WithRedactor(red.Redact)).Check(context.Background(), verify.Target{URL: srv.URL + "/a.jpg", Want: wantOf(t, jpg)})
			require.Equal(t, tc.problem, r.Problem, r.Line())
			assert.NotContains(t, r.Detail, secret)
			assert.NotContains(t, r.Detail, "\x1b[")
			assert.NotContains(t, r.Detail, "\u202e")
			assert.Contains(t, r.Detail, tc.shown)
			assert.Less(t, len(r.Detail), 1000)
			assert.NotContains(t, string(r.JSON()), secret)
		})
	}
}

// TestLocalFiles checks a copied output folder through its manifest: a whole
// file, one cut short (an NFS reader before the writer closed it), one
// replaced, one missing, and an entry naming a file outside the folder.
func TestLocalFiles(t *testing.T) {
	jpg, png, other := codes(t)
	dir := t.TempDir()
	write := func(name string, b []byte) { require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644)) }
	write("a.jpg", jpg)
	write("b.png", png[:len(png)-100])
	write("c.jpg", other)
	var lines []string
	for i, e := range []struct {
		name string
		b    []byte
	}{{"a.jpg", jpg}, {"b.png", png}, {"c.jpg", jpg}, {"d.jpg", jpg}, {"../x.jpg", jpg}} {
		w := wantOf(t, e.b)
		lines = append(lines, fmt.Sprintf(`{"row":%d,"key":"%016x","kind":"unlimited","params":{},"file":%q,"sha256":%q,"bytes":%d,"format":%q,"width":430,"height":430,"received":"2026-01-01T00:00:00Z"}`,
			i+1, i, e.name, w.SHA256, w.Bytes, w.Format))
	}
	lines = append(lines, lines[0])                                     // a resumed run's repeat
	manifest := strings.Join(lines, "\n") + "\n" + `{"row":9,"key":"00` // torn
	var got []string
	err := verify.ManifestTargets(strings.NewReader(manifest), dir, "", func(tg verify.Target) bool {
		r := verify.New().Check(context.Background(), tg)
		got = append(got, filepath.Base(tg.Name())+" "+r.Problem)
		return true
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"a.jpg ", "b.png truncated", "c.jpg differs", "d.jpg missing", "x.jpg bad entry"}, got)
}

// TestManifestURLs joins the base URL and each file name as a path.
func TestManifestURLs(t *testing.T) {
	m := `{"file":"a b.jpg","sha256":"00"}` + "\n" + `{"file":"sub/c.png","sha256":"01"}` + "\n" + "not json\n"
	var got []string
	require.NoError(t, verify.ManifestTargets(strings.NewReader(m), "", "https://cdn.example/codes/", func(tg verify.Target) bool {
		got = append(got, tg.Name()+"|"+tg.Entry)
		return true
	}))
	assert.Equal(t, []string{"https://cdn.example/codes/a%20b.jpg|", "https://cdn.example/codes/sub/c.png|", "manifest line 3|not a manifest entry: not JSON (invalid character 'o' in literal null (expecting 'u'), at column 2)"}, got)
}

// TestRunBounded: Run checks every target, never more than Concurrency at once.
func TestRunBounded(t *testing.T) {
	jpg, _, _ := codes(t)
	var mu sync.Mutex
	inFlight, peak := 0, 0
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		peak = max(peak, inFlight)
		mu.Unlock()
		<-release
		mu.Lock()
		inFlight--
		mu.Unlock()
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(jpg)
	}))
	defer srv.Close()
	go func() {
		for range 20 {
			release <- struct{}{}
		}
	}()
	var names []string
	targets := func(yield func(verify.Target) bool) {
		for i := range 20 {
			if !yield(verify.Target{URL: fmt.Sprintf("%s/%02d.jpg", srv.URL, i)}) {
				return
			}
		}
	}
	verify.New().Run(context.Background(), targets, verify.RunOptions{Concurrency: 3}, func(r verify.Result) {
		assert.True(t, r.OK, r.Line())
		names = append(names, r.URL)
	})
	assert.Len(t, names, 20)
	slices.Sort(names)
	assert.Equal(t, srv.URL+"/00.jpg", names[0])
	assert.LessOrEqual(t, peak, 3)
}

// TestRunRate: PerMinute spaces the fetches (on virtual time): 5 at 60 a
// minute start a second apart, whatever the concurrency.
func TestRunRate(t *testing.T) {
	jpg, _, _ := codes(t)
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var at []time.Duration
		start := time.Now()
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			at = append(at, time.Since(start))
			mu.Unlock()
			w.Header().Set("Content-Type", "image/jpeg")
			w.Write(jpg)
		})
		targets := func(yield func(verify.Target) bool) {
			for i := range 5 {
				if !yield(verify.Target{URL: fmt.Sprintf("http://origin/%d.jpg", i)}) {
					return
				}
			}
		}
		n := 0
		verify.New(verify.WithHTTPClient(inproc.Client(h))).Run(context.Background(), targets, verify.RunOptions{Concurrency: 8, PerMinute: 60}, func(r verify.Result) {
			assert.True(t, r.OK, r.Line())
			n++
		})
		assert.Equal(t, 5, n)
		slices.Sort(at)
		assert.Equal(t, []time.Duration{0, time.Second, 2 * time.Second, 3 * time.Second, 4 * time.Second}, at)
	})
}

// A manifest's file name is text from a file: a line never carries its
// control characters to the terminal.
func TestLineIsTerminalSafe(t *testing.T) {
	r := verify.Result{File: "evil\x1b[2Jname.jpg", Problem: verify.Missing, Detail: "gone"}
	assert.NotContains(t, r.Line(), "\x1b")
}
