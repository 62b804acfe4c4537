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
	"testing/synctest"
	"time"

	"wxacode/codeimage"
	"wxacode/internal/inproc"
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

// stepClock is a clock that moves by step at every reading, so a duration
// measured between two readings is known exactly.
type stepClock struct {
	fakeClock
	step time.Duration
}

func (s *stepClock) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.t = s.t.Add(s.step)
	return s.t
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

// fake is a WeChat stand-in with one handler per endpoint, recording
// requests. newFake serves it on a loopback port (real connections);
// newInProcFake serves it in-process, for tests inside a synctest bubble.
type fake struct {
	*httptest.Server              // nil in-process
	URL              string       // the base URL to call
	http             *http.Client // reaches the fake; nil means the client's default
	mu               sync.Mutex
	reqs             []captured
	mux              *http.ServeMux
}

func newFake(t *testing.T) *fake {
	t.Helper()
	f := &fake{mux: http.NewServeMux()}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	f.URL = f.Server.URL
	t.Cleanup(f.Close)
	return f
}

// newInProcFake is a fake without a listener: its requests are served by an
// in-process transport, so it works on a synctest bubble's fake clock.
func newInProcFake(t *testing.T) *fake {
	t.Helper()
	f := &fake{mux: http.NewServeMux(), URL: "http://wechat.test"}
	f.http = inproc.Client(http.HandlerFunc(f.serve))
	return f
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.reqs = append(f.reqs, captured{Method: r.Method, Path: r.URL.Path, Token: r.URL.Query().Get("access_token"),
		ContentType: r.Header.Get("Content-Type"), Query: r.URL.Query(), Body: body})
	f.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	f.mux.ServeHTTP(w, r)
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
// The fake serves tiny checkers, so the size bounds are a preview's
// (codeimage.File); TestClassifyRefusesSizes tests the real ones.
func (f *fake) client(opts ...Option) *Client {
	base := []Option{WithBaseURL(f.URL), WithTokenSource(NewFixedToken(testToken)), WithRetry(3, time.Millisecond),
		WithImageLimits(codeimage.File)}
	if f.http != nil {
		base = append(base, WithHTTPClient(f.http))
	}
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

// last is the clock's latest reading, without stepping it.
func (s *stepClock) last() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.t
}

// inBubble runs f in a testing/synctest bubble with an in-process fake, so
// the client's waits (limiter, back-off, timeouts) run on the fake clock:
// exact, and instant in real time. A non-empty name runs it as a subtest.
func inBubble(t *testing.T, name string, f func(t *testing.T, f *fake)) {
	t.Helper()
	run := func(t *testing.T) { synctest.Test(t, func(t *testing.T) { f(t, newInProcFake(t)) }) }
	if name == "" {
		run(t)
		return
	}
	t.Run(name, run)
}
