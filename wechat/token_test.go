package wechat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testimage"
)

const (
	testAppID  = "wx1234567890abcdef"
	testSecret = "0123456789abcdef0123456789abcdef"
)

// stableHandler answers stable_token with tokens stable-1, stable-2, … and checks the body.
func stableHandler(t *testing.T, n *atomic.Int32, expiresIn int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&body) != nil {
			http.Error(w, "bad", 400)
			return
		}
		if body["appid"] != testAppID || body["secret"] != testSecret || body["grant_type"] != "client_credential" {
			serveErr(40125, "invalid appsecret rid: 663b1af7-1-2", "application/json; encoding=utf-8")(w, r)
			return
		}
		if fr, ok := body["force_refresh"]; !ok || fr != false {
			t.Errorf("force_refresh must be sent as false, got %v", body["force_refresh"])
		}
		w.Header().Set("Content-Type", "application/json; encoding=utf-8")
		fmt.Fprintf(w, `{"access_token":"%s-stable-%d","expires_in":%d}`, testToken, n.Add(1), expiresIn)
	}
}

func TestStableTokenCachedInFileAcrossClients(t *testing.T) {
	f := newFake(t)
	var n atomic.Int32
	f.handle(StableTokenPath, stableHandler(t, &n, 7200))
	f.handle(KindUnlimited.Path(), serveImage(testimage.JPEG(testimage.Checker(280, 280)), "image/jpeg", -1))
	dir := filepath.Join(t.TempDir(), "cache")
	clock := newFakeClock()
	opts := TokenOptions{BaseURL: f.URL, CacheDir: dir, Now: clock.Now}

	c1 := NewClient(WithBaseURL(f.URL), WithTokenSource(NewStableToken(testAppID, testSecret, opts)))
	_, err := c1.Get(context.Background(), &UnlimitedRequest{Scene: "a"})
	require.NoError(t, err)
	_, err = c1.Get(context.Background(), &UnlimitedRequest{Scene: "b"})
	require.NoError(t, err)
	assert.EqualValues(t, 1, n.Load(), "cached in memory")

	file := cacheFileOf(t, dir, "stable_token")
	st, err := os.Stat(file)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.NotContains(t, string(data), testSecret, "the secret is never stored")
	assert.Contains(t, string(data), testAppID)

	// A second client (another run) reuses the file: no fetch.
	c2 := NewClient(WithBaseURL(f.URL), WithTokenSource(NewStableToken(testAppID, testSecret, opts)))
	tok, err := c2.Token(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 1, n.Load())
	assert.Equal(t, testToken+"-stable-1", tok.Value)
	assert.Equal(t, SourceStable, tok.Source)
	assert.Equal(t, clock.Now().Add(2*time.Hour), tok.Expires.UTC())

	// Another appid does not share the file.
	other := NewStableToken("wxother", testSecret, opts)
	_, err = other.Token(context.Background())
	require.Error(t, err) // the fake rejects other appids with 40125

	// Shortly before expiry the token is renewed.
	clock.Add(2*time.Hour - 4*time.Minute)
	tok, err = c2.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, testToken+"-stable-2", tok.Value)
	assert.EqualValues(t, 2, n.Load())
}

func TestStableTokenInvalidateOnlyTheFailedOne(t *testing.T) {
	f := newFake(t)
	var n atomic.Int32
	f.handle(StableTokenPath, stableHandler(t, &n, 7200))
	dir := t.TempDir()
	src := NewStableToken(testAppID, testSecret, TokenOptions{BaseURL: f.URL, CacheDir: dir})
	ctx := context.Background()
	t1, err := src.Token(ctx)
	require.NoError(t, err)
	src.Invalidate("some-older-token")
	t2, err := src.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, t1.Value, t2.Value, "a stale failure does not drop the current token")
	assert.EqualValues(t, 1, n.Load())

	src.Invalidate(t1.Value)
	t3, err := src.Token(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, t1.Value, t3.Value, "the failed token is dropped from memory and file")
	assert.EqualValues(t, 2, n.Load())
}

func TestStableTokenConcurrentCallersFetchOnce(t *testing.T) {
	f := newFake(t)
	var n atomic.Int32
	f.handle(StableTokenPath, stableHandler(t, &n, 7200))
	src := NewStableToken(testAppID, testSecret, TokenOptions{BaseURL: f.URL})
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			_, err := src.Token(context.Background())
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.EqualValues(t, 1, n.Load())
}

func TestStableTokenRefreshOn40001ThroughClient(t *testing.T) {
	f := newFake(t)
	var n atomic.Int32
	f.handle(StableTokenPath, stableHandler(t, &n, 7200))
	img := testimage.JPEG(testimage.Checker(280, 280))
	f.handle(KindUnlimited.Path(), func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Query().Get("access_token"), "-stable-1") {
			serveErr(40001, "invalid credential, access_token is invalid or not latest", "application/json")(w, r)
			return
		}
		serveImage(img, "image/jpeg", -1)(w, r)
	})
	c := NewClient(WithBaseURL(f.URL), WithTokenSource(NewStableToken(testAppID, testSecret, TokenOptions{BaseURL: f.URL, CacheDir: t.TempDir()})))
	_, err := c.Get(context.Background(), &UnlimitedRequest{Scene: "a"})
	require.NoError(t, err)
	assert.EqualValues(t, 2, n.Load())
	for _, r := range f.requests(StableTokenPath) {
		assert.NotContains(t, string(r.Body), `"force_refresh":true`)
	}
}

func TestTokenEndpointErrcodes(t *testing.T) {
	cases := []struct {
		name, ct, body string
		code           int
	}{
		{"invalid appsecret", "application/json; encoding=utf-8", `{"errcode":40125,"errmsg":"invalid appsecret, rid: 663b1af7-1-2"}`, 40125},
		{"ip whitelist", "application/json", `{"errcode":40164,"errmsg":"invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist rid: 663b1af7-1-2"}`, 40164},
		{"quota", "text/plain", `{"errcode":45009,"errmsg":"reach max api daily quota limit"}`, 45009},
	}
	for _, tc := range cases {
		for _, path := range []string{StableTokenPath, ClassicTokenPath} {
			t.Run(tc.name+path, func(t *testing.T) {
				f := newFake(t)
				f.handle(path, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", tc.ct)
					fmt.Fprint(w, tc.body)
				})
				o := TokenOptions{BaseURL: f.URL}
				src := NewStableToken(testAppID, testSecret, o)
				if path == ClassicTokenPath {
					src = NewClassicToken(testAppID, testSecret, o)
				}
				c := NewClient(WithBaseURL(f.URL), WithTokenSource(src), WithRetry(1, 0))
				_, err := c.Get(context.Background(), &UnlimitedRequest{Scene: "a"})
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tc.code, apiErr.Code)
				assert.Equal(t, path, apiErr.Endpoint)
				assertNoSecret(t, err, testSecret)
				assert.Empty(t, f.requests(KindUnlimited.Path()), "no code call without a token")
			})
		}
	}
}

func TestTokenEndpointEmptyBodyAndFailures(t *testing.T) {
	handlers := map[string]http.HandlerFunc{
		"empty html": func(w http.ResponseWriter, r *http.Request) { w.Header().Set("Content-Type", "text/html; charset=gbk") },
		"no token":   func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"expires_in":7200}`) },
		"500 echo": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "error for "+r.URL.String(), 500)
		},
	}
	for name, h := range handlers {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			f.handle(ClassicTokenPath, h)
			_, err := NewClassicToken(testAppID, testSecret, TokenOptions{BaseURL: f.URL}).Token(context.Background())
			require.Error(t, err)
			assertNoSecret(t, err, testSecret)
		})
	}
	t.Run("refused", func(t *testing.T) {
		f := newFake(t)
		u := f.URL
		f.Close()
		_, err := NewClassicToken(testAppID, testSecret, TokenOptions{BaseURL: u}).Token(context.Background())
		require.Error(t, err)
		assertNoSecret(t, err, testSecret)
		assert.Contains(t, err.Error(), "secret=REDACTED")
	})
	t.Run("missing credentials", func(t *testing.T) {
		_, err := NewStableToken("", "", TokenOptions{BaseURL: "http://127.0.0.1:1"}).Token(context.Background())
		require.ErrorContains(t, err, "WXACODE_APPID")
		_, err = NewStableToken(testAppID, "", TokenOptions{BaseURL: "http://127.0.0.1:1"}).Token(context.Background())
		require.ErrorContains(t, err, "WXACODE_SECRET")
	})
}

func TestClassicToken(t *testing.T) {
	f := newFake(t)
	var n atomic.Int32
	f.handle(ClassicTokenPath, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.Method != http.MethodGet || q.Get("grant_type") != "client_credential" || q.Get("appid") != testAppID || q.Get("secret") != testSecret {
			serveErr(40002, "invalid grant_type", "application/json")(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json; encoding=utf-8")
		fmt.Fprintf(w, `{"access_token":"classic-%d","expires_in":7200}`, n.Add(1))
	})
	dir := t.TempDir()
	src := NewClassicToken(testAppID, testSecret, TokenOptions{BaseURL: f.URL, CacheDir: dir})
	tok, err := src.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "classic-1", tok.Value)
	assert.Equal(t, SourceClassic, tok.Source)
	_, err = NewClassicToken(testAppID, testSecret, TokenOptions{BaseURL: f.URL, CacheDir: dir}).Token(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 1, n.Load(), "the file cache spares a fetch that would invalidate other servers' token")
	st, err := os.Stat(cacheFileOf(t, dir, "token"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	assert.Contains(t, ClassicTokenWarning, "invalidates")
	assert.Contains(t, ClassicTokenWarning, "40001")
}

func TestAuthorizerToken(t *testing.T) {
	f := newFake(t)
	const componentToken = "COMPONENT-TOKEN-secret-value"
	var refreshSeen []string
	var mu sync.Mutex
	var n atomic.Int32
	f.handle(AuthorizerTokenPath, func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		if r.URL.Query().Get("component_access_token") != componentToken || body["component_appid"] != "wxcomponent" || body["authorizer_appid"] != testAppID {
			serveErr(61004, "access clientip is not registered", "application/json")(w, r)
			return
		}
		mu.Lock()
		refreshSeen = append(refreshSeen, body["authorizer_refresh_token"])
		mu.Unlock()
		i := n.Add(1)
		fmt.Fprintf(w, `{"authorizer_access_token":"auth-%d","expires_in":7200,"authorizer_refresh_token":"refresh-%d"}`, i, i+1)
	})
	img := testimage.JPEG(testimage.Checker(280, 280))
	f.handle(KindUnlimited.Path(), func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("access_token") == "auth-1" {
			serveErr(40001, "invalid credential", "application/json")(w, r)
			return
		}
		serveImage(img, "image/jpeg", -1)(w, r)
	})
	src := NewAuthorizerToken(AuthorizerConfig{ComponentAppID: "wxcomponent", ComponentAccessToken: componentToken,
		AuthorizerAppID: testAppID, AuthorizerRefreshToken: "refresh-1"}, TokenOptions{BaseURL: f.URL})
	c := NewClient(WithBaseURL(f.URL), WithTokenSource(src))
	_, err := c.Get(context.Background(), &UnlimitedRequest{Scene: "a"})
	require.NoError(t, err)
	assert.Equal(t, []string{"refresh-1", "refresh-2"}, refreshSeen, "the rotated refresh token is used next")
	tok, err := c.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, SourceAuthorizer, tok.Source)
	assert.Equal(t, "auth-2", tok.Value)

	bad := NewAuthorizerToken(AuthorizerConfig{ComponentAppID: "wxcomponent", ComponentAccessToken: componentToken,
		AuthorizerAppID: "wxother", AuthorizerRefreshToken: "r"}, TokenOptions{BaseURL: f.URL})
	_, err = bad.Token(context.Background())
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 61004, apiErr.Code)
	assert.Equal(t, AuthorizerTokenPath, apiErr.Endpoint)

	f.Close()
	_, err = NewAuthorizerToken(AuthorizerConfig{ComponentAppID: "c", ComponentAccessToken: componentToken,
		AuthorizerAppID: "a", AuthorizerRefreshToken: "r"}, TokenOptions{BaseURL: f.URL}).Token(context.Background())
	require.Error(t, err)
	assertNoSecret(t, err, componentToken)

	_, err = NewAuthorizerToken(AuthorizerConfig{}, TokenOptions{}).Token(context.Background())
	require.ErrorContains(t, err, "component_appid")
}

// TestAuthorizerAsksComponentTokensAtEachRenewal: a component token source
// (component_token_cmd) is asked again whenever the authorizer token is
// renewed, so a component token rotated by the platform is picked up.
func TestAuthorizerAsksComponentTokensAtEachRenewal(t *testing.T) {
	f := newFake(t)
	var seen []string
	var mu sync.Mutex
	f.handle(AuthorizerTokenPath, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.URL.Query().Get("component_access_token"))
		mu.Unlock()
		fmt.Fprint(w, `{"authorizer_access_token":"auth","expires_in":7200}`)
	})
	clock := newFakeClock()
	var calls atomic.Int32
	component := sourceFunc(func(context.Context) (Token, error) {
		return Token{Value: fmt.Sprintf("component-%d", calls.Add(1)), Source: SourceCommand}, nil
	})
	src := NewAuthorizerToken(AuthorizerConfig{ComponentAppID: "wxc", ComponentTokens: component,
		AuthorizerAppID: testAppID, AuthorizerRefreshToken: "r"}, TokenOptions{BaseURL: f.URL, Now: clock.Now})
	_, err := src.Token(context.Background())
	require.NoError(t, err)
	clock.Add(2 * time.Hour)
	_, err = src.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"component-1", "component-2"}, seen)

	failing := sourceFunc(func(context.Context) (Token, error) { return Token{}, errors.New("ticket service down") })
	_, err = NewAuthorizerToken(AuthorizerConfig{ComponentAppID: "wxc", ComponentTokens: failing,
		AuthorizerAppID: testAppID, AuthorizerRefreshToken: "r"}, TokenOptions{BaseURL: f.URL}).Token(context.Background())
	require.ErrorContains(t, err, "component token: ticket service down")

	// No token, no call: the code endpoint was never reached.
	_, err = NewClient(WithBaseURL(f.URL), WithTokenSource(failing)).Get(context.Background(), &UnlimitedRequest{Scene: "a"})
	require.ErrorContains(t, err, "get access token")
	assert.ErrorIs(t, err, ErrNotSent)
	assert.Empty(t, f.requests(KindUnlimited.Path()))
}

// TestAuthorizerRenewsAStaleComponentToken: when api_authorizer_token says
// the component token is no longer valid (the platform rotated it), the
// component source is told which one failed and asked again, once.
func TestAuthorizerRenewsAStaleComponentToken(t *testing.T) {
	f := newFake(t)
	var seen []string
	f.handle(AuthorizerTokenPath, func(w http.ResponseWriter, r *http.Request) {
		ct := r.URL.Query().Get("component_access_token")
		seen = append(seen, ct)
		if ct != "component-2" {
			serveErr(42001, "component access token expired", "application/json")(w, r)
			return
		}
		fmt.Fprint(w, `{"authorizer_access_token":"auth","expires_in":7200}`)
	})
	comp := &rotating{}
	src := NewAuthorizerToken(AuthorizerConfig{ComponentAppID: "wxc", ComponentTokens: comp,
		AuthorizerAppID: testAppID, AuthorizerRefreshToken: "r"}, TokenOptions{BaseURL: f.URL})
	tok, err := src.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "auth", tok.Value)
	assert.Equal(t, []string{"component-1", "component-2"}, seen)
	assert.Equal(t, []string{"component-1"}, comp.invalidated)

	// Still refused after one renewal: the errcode comes back, no loop.
	f2 := newFake(t)
	f2.handle(AuthorizerTokenPath, serveErr(42001, "component access token expired", "application/json"))
	_, err = NewAuthorizerToken(AuthorizerConfig{ComponentAppID: "wxc", ComponentTokens: &rotating{},
		AuthorizerAppID: testAppID, AuthorizerRefreshToken: "r"}, TokenOptions{BaseURL: f2.URL}).Token(context.Background())
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 42001, apiErr.Code)
	assert.Len(t, f2.requests(AuthorizerTokenPath), 2)
}

// rotating hands out component-1, then a new token after each Invalidate.
type rotating struct {
	n           int
	invalidated []string
}

func (r *rotating) Token(context.Context) (Token, error) {
	return Token{Value: fmt.Sprintf("component-%d", r.n+1), Source: SourceCommand}, nil
}

func (r *rotating) Invalidate(failed string) {
	r.invalidated = append(r.invalidated, failed)
	r.n++
}

// sourceFunc adapts a function to TokenSource.
type sourceFunc func(context.Context) (Token, error)

func (f sourceFunc) Token(ctx context.Context) (Token, error) { return f(ctx) }
func (f sourceFunc) Invalidate(string)                        {}

func TestCommandToken(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	o := TokenOptions{Now: clock.Now, Timeout: 5 * time.Second}

	tok, err := NewCommandToken("printf '  %s\\n' "+testToken, o).Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, testToken, tok.Value)
	assert.Equal(t, SourceCommand, tok.Source)
	assert.True(t, tok.Expires.IsZero())

	tok, err = NewCommandToken(`echo '{"access_token":"json-tok","expires_in":600}'`, o).Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "json-tok", tok.Value)
	assert.Equal(t, clock.Now().Add(10*time.Minute), tok.Expires)

	// The command runs once while its token is fresh, again after 5 minutes.
	dir := t.TempDir()
	counter := filepath.Join(dir, "n")
	src := NewCommandToken(fmt.Sprintf(`echo x >> %s; echo tok-$(wc -l < %s | tr -d ' ')`, counter, counter), o)
	t1, err := src.Token(ctx)
	require.NoError(t, err)
	t2, err := src.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "tok-1", t1.Value)
	assert.Equal(t, t1.Value, t2.Value)
	clock.Add(6 * time.Minute)
	t3, err := src.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "tok-2", t3.Value)
	src.Invalidate("tok-2")
	t4, err := src.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "tok-3", t4.Value)

	failures := []struct {
		name, cmd, want string
	}{
		{"exit status with stderr", "echo " + testToken + "; echo 'service down for " + testToken + "' >&2; exit 3", "service down"},
		{"nothing printed", "true", "printed nothing"},
		{"several words", "echo two words", "several words"},
		{"json errcode", `echo '{"errcode":40164,"errmsg":"invalid ip 1.2.3.4"}'`, "40164"},
		{"json without token", `echo '{"token":"x"}'`, "access_token"},
		{"empty command", "  ", "token command is empty"},
	}
	for _, tc := range failures {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewCommandToken(tc.cmd, o).Token(ctx)
			require.ErrorContains(t, err, tc.want)
			assertNoSecret(t, err, testToken)
		})
	}
	t.Run("timeout", func(t *testing.T) {
		_, err := NewCommandToken("sleep 5", TokenOptions{Timeout: 100 * time.Millisecond}).Token(ctx)
		require.ErrorContains(t, err, "timed out")
	})
	t.Run("cancelled", func(t *testing.T) {
		cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		_, err := NewCommandToken("sleep 5", TokenOptions{Timeout: time.Minute}).Token(cctx)
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
}

func TestTokenStringRedacts(t *testing.T) {
	tok := Token{Value: testToken, Source: SourceStable, Obtained: time.Now(), Expires: time.Now().Add(time.Hour)}
	for _, s := range []string{tok.String(), fmt.Sprint(tok), fmt.Sprintf("%v %+v %s %q %#v", tok, tok, tok, tok, tok),
		fmt.Sprintf("%+v", struct{ T Token }{tok}), fmt.Sprintf("%v", &tok)} {
		assert.NotContains(t, s, testToken)
	}
	assert.Contains(t, tok.String(), "REDACTED")
	assert.Contains(t, tok.String(), SourceStable)
}

func TestFixedToken(t *testing.T) {
	src := NewFixedToken(testToken)
	tok, err := src.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, SourceFixed, tok.Source)
	src.Invalidate(testToken)
	tok2, err := src.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, tok.Value, tok2.Value)
	_, err = NewFixedToken("").Token(context.Background())
	require.ErrorContains(t, err, "WXACODE_ACCESS_TOKEN")
}

func TestFresh(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tok := Token{Value: "x", Obtained: now, Expires: now.Add(2 * time.Hour)}
	assert.True(t, fresh(tok, now.Add(time.Hour)))
	assert.False(t, fresh(tok, now.Add(2*time.Hour-5*time.Minute)))
	short := Token{Value: "x", Obtained: now, Expires: now.Add(6 * time.Minute)}
	assert.True(t, fresh(short, now.Add(2*time.Minute)), "a short-lived token renews at half-life")
	assert.False(t, fresh(short, now.Add(3*time.Minute)))
	assert.False(t, fresh(Token{}, now))
}

func TestCachedSourceHonoursCtxWhileWaiting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		block := make(chan struct{})
		src := newCachedSource("test", cacheKey{}, TokenOptions{}, func(ctx context.Context) (Token, error) {
			<-block
			return Token{Value: "v", Obtained: time.Now()}, nil
		})
		go src.Token(context.Background())
		synctest.Wait() // the first caller holds the fetch
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		_, err := src.Token(ctx)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		close(block)
	})
}

func TestSafeFileName(t *testing.T) {
	assert.Equal(t, "___etc_passwd", safeFileName("../etc/passwd"))
	assert.Equal(t, "wx12_AB-c", safeFileName("wx12_AB-c"))
}
