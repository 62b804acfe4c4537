package sim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// t0 is the frozen start of every test clock: 2024-05-08 06:25:59 UTC.
var t0 = time.Unix(0x663b1af7, 0)

// newSim builds a simulator with a frozen clock and optional config changes.
func newSim(t testing.TB, mods ...func(*Config)) *Server {
	t.Helper()
	cfg := DefaultConfig()
	for _, m := range mods {
		m(&cfg)
	}
	s := New(cfg)
	s.Clock().Set(t0)
	return s
}

// answer is a response as a client sees it.
type answer struct {
	status  int
	header  http.Header
	body    []byte
	errcode int // 0 for images and JSON successes
	errmsg  string
	isErr   bool
}

var ridRE = regexp.MustCompile(`^(.*) rid: ([0-9a-f]{8})-([0-9a-f]{8})-([0-9a-f]{8})$`)

// do sends one request through the handler.
func do(t testing.TB, s *Server, method, target, body string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	a := answer{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
	if strings.HasPrefix(a.header.Get("Content-Type"), "application/json") || strings.HasPrefix(a.header.Get("Content-Type"), "text/plain") {
		var e struct {
			ErrCode *int   `json:"errcode"`
			ErrMsg  string `json:"errmsg"`
		}
		require.NoError(t, json.Unmarshal(a.body, &e), "body %s", a.body)
		if e.ErrCode != nil {
			a.errcode, a.errmsg, a.isErr = *e.ErrCode, e.ErrMsg, *e.ErrCode != 0
		}
	}
	return a
}

// classic fetches a classic token.
func classic(t testing.TB, s *Server) string {
	t.Helper()
	a := do(t, s, "GET", "/cgi-bin/token?grant_type=client_credential&appid="+s.AppID()+"&secret="+s.Secret(), "")
	require.False(t, a.isErr, "token: %d %s", a.errcode, a.errmsg)
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	require.NoError(t, json.Unmarshal(a.body, &tok))
	return tok.AccessToken
}

// stable fetches the stable token.
func stable(t testing.TB, s *Server, force bool) (string, int, answer) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"grant_type": "client_credential", "appid": s.AppID(), "secret": s.Secret(), "force_refresh": force})
	a := do(t, s, "POST", "/cgi-bin/stable_token", string(body))
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	_ = json.Unmarshal(a.body, &tok)
	return tok.AccessToken, tok.ExpiresIn, a
}

// code calls a code endpoint with a token.
func code(t testing.TB, s *Server, path, token, body string) answer {
	t.Helper()
	return do(t, s, "POST", path+"?access_token="+url.QueryEscape(token), body)
}

const (
	pathB = "/wxa/getwxacodeunlimit"
	pathA = "/wxa/getwxacode"
	pathC = "/cgi-bin/wxaapp/createwxaqrcode"
)

// requireErr asserts an errcode answer in WeChat's envelope.
func requireErr(t testing.TB, a answer, want int) {
	t.Helper()
	require.True(t, a.isErr, "want errcode %d, got %s %q", want, a.header.Get("Content-Type"), truncate(a.body))
	require.Equal(t, want, a.errcode, "errmsg %q", a.errmsg)
}

// requireImage asserts a code answer.
func requireImage(t testing.TB, a answer) {
	t.Helper()
	require.False(t, a.isErr, "want an image, got errcode %d %q", a.errcode, a.errmsg)
	require.Equal(t, "image/jpeg", a.header.Get("Content-Type"))
	require.NotEmpty(t, a.body)
}

func truncate(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}
