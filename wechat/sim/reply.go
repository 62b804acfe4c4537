package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// ContentHeader tells what the simulated code decodes to, so tools and tests
// can check a code without a QR reader; WeChat sends no such header.
const ContentHeader = "X-Sim-Content"

// maxBody is the largest request body read; anything longer is not a code request.
const maxBody = 1 << 20

// exchange is one request and its answer, with the faults planned for it.
type exchange struct {
	s    *Server
	w    http.ResponseWriter
	r    *http.Request
	plan plan
}

// rid is WeChat's request id: Unix seconds in hex, then two more groups.
func (s *Server) rid() string {
	s.mu.Lock()
	s.state.ridSeq++
	seq := s.state.ridSeq
	s.mu.Unlock()
	return fmt.Sprintf("%08x-%08x-%08x", uint32(s.clock.Now().Unix()), seq, rand32())
}

// fail answers with WeChat's error envelope.
func (x *exchange) fail(code int, msg string) {
	b, _ := json.Marshal(struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}{code, msg + " rid: " + x.s.rid()})
	x.log("errcode %d", code)
	ct := x.s.cfg.ErrorContentType
	if x.plan.mislabel {
		ct = "text/plain"
	}
	x.send(ct, b, nil)
}

// ok answers a JSON success (token endpoints, clear_quota).
func (x *exchange) ok(v any) {
	b, _ := json.Marshal(v)
	x.log("ok")
	ct := "application/json; encoding=utf-8"
	if x.plan.mislabel {
		ct = "text/plain"
	}
	x.send(ct, b, nil)
}

// image answers a code: labelled image/jpeg whatever the bytes, as WeChat does.
func (x *exchange) image(img []byte, filename, content string, extra http.Header) {
	h := http.Header{}
	h.Set("Content-Disposition", `attachment; filename="`+headerSafe(filename)+`"`)
	h.Set("Cache-Control", "no-cache, must-revalidate")
	h.Set(ContentHeader, content)
	for k, v := range extra {
		h[k] = v
	}
	ct := "image/jpeg"
	if x.plan.mislabel {
		ct = "text/html"
	}
	x.log("image %d bytes", len(img))
	x.send(ct, img, h)
}

// send writes the answer, truncating it when that fault is planned: the
// Content-Length promises the whole body, half is sent, and net/http closes
// the connection because the handler wrote less than it announced.
func (x *exchange) send(contentType string, body []byte, h http.Header) {
	hdr := x.w.Header()
	for k, v := range h {
		hdr[k] = v
	}
	hdr.Set("Content-Type", contentType)
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	x.w.WriteHeader(http.StatusOK)
	if x.plan.truncate {
		body = body[:len(body)/2]
	}
	_, _ = x.w.Write(body)
}

// drop closes the connection without an answer.
func (x *exchange) drop() {
	x.log("dropped")
	if hj, ok := x.w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// unavailable is a gateway failure: HTTP 503 with an HTML page.
func (x *exchange) unavailable() {
	x.log("503")
	body := []byte("<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n")
	x.w.Header().Set("Content-Type", "text/html")
	x.w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	x.w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = x.w.Write(body)
}

// body reads a code request's body as a JSON object, whatever its Content-Type.
func (x *exchange) body() (map[string]jval, bool) {
	b, err := io.ReadAll(io.LimitReader(x.r.Body, maxBody+1))
	if err != nil {
		x.fail(47001, "data format error")
		return nil, false
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		x.fail(44002, "empty post data")
		return nil, false
	}
	if len(b) > maxBody {
		x.fail(47001, "data format error")
		return nil, false
	}
	obj, err := parseObject(b)
	if err != nil {
		x.fail(47001, "data format error")
		return nil, false
	}
	return obj, true
}

// log writes one line about the exchange, with any access_token redacted.
func (x *exchange) log(format string, args ...any) {
	w := x.s.cfg.Log
	if w == nil {
		return
	}
	u := *x.r.URL
	q := u.Query()
	for _, k := range []string{"access_token", "secret", "appsecret"} {
		if q.Has(k) {
			q.Set(k, "REDACTED")
		}
	}
	u.RawQuery = q.Encode()
	fmt.Fprintf(w, "%s %s %s -> %s\n", x.s.clock.Now().UTC().Format("15:04:05"), x.r.Method,
		u.RequestURI(), fmt.Sprintf(format, args...))
}

// headerSafe keeps a filename inside its quotes.
func headerSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '"' || r == '\\' || r < 0x20 || r == 0x7f {
			return '_'
		}
		return r
	}, s)
}
