package wechat

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testToken is distinctive so that a leak is easy to spot in any message.
const testToken = "91_TESTTOKENvalue-must-never-leak_ABCDEFGHIJKLMNOP"

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 23, 10, 30, 15, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) Add(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

// captured is one request the fake saw.
type captured struct {
	Method, Path, Token, ContentType string
	Query                            map[string][]string
	Body                             []byte
}

// fake is an httptest server with one handler per endpoint, recording requests.
type fake struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []captured
	mux  *http.ServeMux
}

func newFake(t *testing.T) *fake {
	t.Helper()
	f := &fake{mux: http.NewServeMux()}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, captured{Method: r.Method, Path: r.URL.Path, Token: r.URL.Query().Get("access_token"),
			ContentType: r.Header.Get("Content-Type"), Query: r.URL.Query(), Body: body})
		f.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		f.mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fake) handle(path string, h http.HandlerFunc) { f.mux.HandleFunc(path, h) }

func (f *fake) requests(path string) []captured {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []captured
	for _, r := range f.reqs {
		if r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// client builds a Client on the fake with a fixed test token and fast retries.
func (f *fake) client(opts ...Option) *Client {
	base := []Option{WithBaseURL(f.URL), WithTokenSource(NewFixedToken(testToken)), WithRetry(3, time.Millisecond)}
	return NewClient(append(base, opts...)...)
}

// image answers with img labelled ct, and Num-Used when numUsed ≥ 0.
func serveImage(img []byte, ct string, numUsed int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ct)
		if numUsed >= 0 {
			w.Header().Set("Num-Used", fmt.Sprint(numUsed))
		}
		w.Write(img)
	}
}

func serveErr(code int, msg, ct string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ct)
		fmt.Fprintf(w, `{"errcode":%d,"errmsg":"%s"}`, code, msg)
	}
}

// countingSource hands out tok1, tok2, … and records invalidations.
type countingSource struct {
	mu          sync.Mutex
	n           int
	cur         string
	fetches     atomic.Int32
	invalidated []string
}

func (s *countingSource) Token(ctx context.Context) (Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == "" {
		s.n++
		s.cur = fmt.Sprintf("%s-%d", testToken, s.n)
		s.fetches.Add(1)
	}
	return Token{Value: s.cur, Source: "test"}, nil
}

func (s *countingSource) Invalidate(failed string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.invalidated = append(s.invalidated, failed)
	if s.cur == failed {
		s.cur = ""
	}
}

// assertNoSecret checks err's message, its %+v form and every wrapped error's message.
func assertNoSecret(t *testing.T, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		return
	}
	texts := []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)}
	for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
		texts = append(texts, e.Error())
	}
	for _, s := range texts {
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				t.Fatalf("error text contains a secret %q: %s", secret, s)
			}
		}
	}
}

func readCloser(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }
