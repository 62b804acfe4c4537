// Package inproc serves HTTP requests with an http.Handler in the same
// process, without a listener, so a client and a server can run inside a
// testing/synctest bubble (where a real socket would block the fake clock).
//
// The Transport behaves like a loopback connection where it matters to a
// client: the handler sees a server-side request (RemoteAddr, RequestURI,
// a body it may read), the client sees the status, headers and body; a body
// shorter than its Content-Length ends in io.ErrUnexpectedEOF, a handler that
// aborts (panic(http.ErrAbortHandler), as a dropped connection does) is a
// transport error wrapping io.EOF, and the request's context cancels the
// round trip. It imports nothing of this module, so any test can use it.
package inproc

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
)

// Transport is an http.RoundTripper that serves every request with Handler.
type Transport struct {
	Handler http.Handler
	// RemoteAddr is the client address the handler sees; "" is 127.0.0.1:40000.
	RemoteAddr string
}

// Client is an *http.Client whose requests are served by h.
func Client(h http.Handler) *http.Client {
	return &http.Client{Transport: &Transport{Handler: h}}
}

// ErrDropped is the cause of a round trip whose handler aborted.
var ErrDropped = fmt.Errorf("in-process server closed the connection without an answer: %w", io.EOF)

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sreq := serverRequest(req, body, cmp.Or(t.RemoteAddr, "127.0.0.1:40000"))
	rec := httptest.NewRecorder()
	done := make(chan error, 1)
	go func() { done <- serve(t.Handler, rec, sreq) }()
	select {
	case <-ctx.Done():
		// As over a socket: the caller stops waiting; the handler sees the
		// same context end and finishes on its own.
		return nil, ctx.Err()
	case err := <-done:
		if err != nil {
			return nil, err
		}
	}
	resp := rec.Result()
	resp.Request = req
	if resp.ContentLength > int64(len(rec.Body.Bytes())) {
		// The handler announced more than it wrote: net/http would close
		// the connection mid-body.
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(rec.Body.Bytes()), errReader{io.ErrUnexpectedEOF}))
	}
	return resp, nil
}

// serverRequest is req as a server would receive it.
func serverRequest(req *http.Request, body []byte, remote string) *http.Request {
	s := req.Clone(req.Context())
	u := *req.URL
	u.Scheme, u.Host, u.User = "", "", nil
	s.URL = &u
	s.Host = req.URL.Host
	s.RequestURI = u.RequestURI()
	s.RemoteAddr = remote
	s.Body = io.NopCloser(bytes.NewReader(body))
	s.ContentLength = int64(len(body))
	if s.Header == nil {
		s.Header = http.Header{}
	}
	return s
}

// serve runs the handler; an aborted handler is ErrDropped, any other panic
// is a bug in the handler and is not hidden.
func serve(h http.Handler, w http.ResponseWriter, r *http.Request) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if e, ok := p.(error); ok && errors.Is(e, http.ErrAbortHandler) {
				err = ErrDropped
				return
			}
			panic(p)
		}
	}()
	h.ServeHTTP(w, r)
	return nil
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
