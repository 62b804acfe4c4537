package wechattest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"wxacode/wechat"
)

// Leak is a way a hostile or careless server echoes credentials back.
type Leak string

// The leaks Hostile can play. Token modes break the token endpoint; code
// modes hand out Token and break the code endpoint.
const (
	// LeakTokenStringExpiry: a token answer with expires_in as "7200" and the
	// token echoed upper-cased in another field.
	LeakTokenStringExpiry Leak = "token-string-expiry"
	// LeakTokenBadJSON: a token answer that does not decode (expires_in an
	// object), the token echoed upper-cased and cut in other fields.
	LeakTokenBadJSON Leak = "token-bad-json"
	// LeakTokenEchoBody: a token answer without a token, echoing the request body (the secret in it).
	LeakTokenEchoBody Leak = "token-echo-body"
	// LeakTokenErrmsg: an errcode whose errmsg holds the secret in every form.
	LeakTokenErrmsg Leak = "token-errmsg"
	// LeakToken502: a gateway page on the token endpoint echoing the secret.
	LeakToken502 Leak = "token-502"
	// LeakCodeErrmsg: an errcode on the code endpoint (41030) whose errmsg echoes the token and secret.
	LeakCodeErrmsg Leak = "code-errmsg"
	// LeakCode502: an HTML gateway page echoing the token and secret.
	LeakCode502 Leak = "code-502"
	// LeakCodeText: HTTP 200 text that is neither an image nor an errcode, echoing both.
	LeakCodeText Leak = "code-text"
)

// TokenLeaks and CodeLeaks are every mode, for table tests.
var (
	TokenLeaks = []Leak{LeakTokenStringExpiry, LeakTokenBadJSON, LeakTokenEchoBody, LeakTokenErrmsg, LeakToken502}
	CodeLeaks  = []Leak{LeakCodeErrmsg, LeakCode502, LeakCodeText}
)

// Echoes is s in every spelling a server echoes it in: verbatim, upper and
// lower case, query and path escaped, JSON escaped, a 40-character prefix and
// a middle run.
func Echoes(s string) string {
	j, _ := json.Marshal(s)
	parts := []string{s, strings.ToUpper(s), strings.ToLower(s), url.QueryEscape(s), url.PathEscape(s), string(j[1 : len(j)-1])}
	if len(s) > 40 {
		parts = append(parts, s[:40], s[len(s)/2-10:len(s)/2+10])
	}
	return strings.Join(parts, " ")
}

// Hostile is a fake WeChat that echoes secret and token in every field it can,
// in the given mode. Requests counts the requests it served.
type Hostile struct {
	Secret, Token string
	Mode          Leak
	Requests      atomic.Int64
}

func (h *Hostile) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.Requests.Add(1)
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	both := Echoes(h.Secret) + " " + Echoes(h.Token)
	jsonErr := func(code int, msg string) {
		w.Header().Set("Content-Type", "application/json; encoding=utf-8")
		m, _ := json.Marshal(msg + " rid: 663b1af7-1f2e3d4c-5b6a7988")
		fmt.Fprintf(w, `{"errcode":%d,"errmsg":%s}`, code, m)
	}
	gateway := func(text string) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprintf(w, "<html><head><title>502</title></head><body>%s</body></html>", text)
	}
	if r.URL.Path == wechat.StableTokenPath || r.URL.Path == wechat.ClassicTokenPath {
		switch h.Mode {
		case LeakTokenStringExpiry:
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"access_token":%q,"expires_in":"7200","echo":%q}`, h.Token, strings.ToUpper(h.Token))
		case LeakTokenBadJSON:
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"echo":%q,"access_token":%q,"expires_in":{"s":7200},"cut":%q}`, strings.ToUpper(h.Token), h.Token, h.Token[:40])
		case LeakTokenEchoBody:
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"you_sent":%s,"again":%q}`, body, strings.ToUpper(string(body)))
		case LeakTokenErrmsg:
			jsonErr(40125, "invalid appsecret "+Echoes(h.Secret)+" "+string(body))
		case LeakToken502:
			gateway("upstream said " + Echoes(h.Secret) + " for " + string(body) + " " + r.URL.RawQuery)
		default:
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"access_token":%q,"expires_in":7200}`, h.Token)
		}
		return
	}
	switch h.Mode {
	case LeakCodeErrmsg:
		// A row's own errcode (not a credential one, which stops a batch), so
		// the echo reaches the failed file too.
		jsonErr(41030, "invalid page "+both+" for "+r.URL.RawQuery)
	case LeakCode502:
		gateway(both + " " + r.URL.String())
	case LeakCodeText:
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "not an image %s %s", r.URL.RawQuery, both)
	default:
		jsonErr(40001, "invalid credential "+both)
	}
}

// RequireNoRun fails the test when text holds any 8-character run of one of
// secrets, in any of the spellings Echoes makes.
func RequireNoRun(t testing.TB, sink, text string, secrets ...string) {
	t.Helper()
	low := strings.ToLower(text)
	for _, s := range secrets {
		for _, form := range strings.Fields(Echoes(s)) {
			form = strings.ToLower(form)
			for i := 0; i+8 <= len(form); i++ {
				if strings.Contains(low, form[i:i+8]) {
					t.Fatalf("%s holds %q, a run of a credential:\n%s", sink, form[i:i+8], text)
				}
			}
		}
	}
}
