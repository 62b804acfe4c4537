package verify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"wxacode/codefile"
	"wxacode/codeimage"
	"wxacode/wechat"
)

// MaxBytes bounds a body read: a 1280 px PNG code is under 1 MiB, and no
// code answer is larger than what the client itself reads.
const MaxBytes = wechat.MaxBodyBytes

// maxHeader bounds a header value kept for a report.
const maxHeader = 200

// BustParam is the query parameter of the second fetch, past the caches.
const BustParam = "wxacode-verify"

// CodeLimits is what a served code may be: PNG or JPEG, the header checked
// before a pixel is decoded (a resized copy is compared with the manifest,
// not refused here).
var CodeLimits = codeimage.Limits{MinWidth: 1, MaxWidth: 8192, MinHeight: 1, MaxHeight: 8192, MaxPixels: 64 << 20,
	Formats: codeimage.Codes, Says: "a code is at most 1280 px wide"}

// Checker checks copies; its zero value is not usable: use New.
type Checker struct {
	http   *http.Client
	redact func(string) string
	bust   func() string
	// pace, when set (Run's --rate), is waited on before the second fetch
	// of a wrong copy, as before every first fetch.
	pace func(context.Context) error
}

// Option configures a Checker.
type Option func(*Checker)

// WithHTTPClient fetches with h (tests pass in-process transports).
func WithHTTPClient(h *http.Client) Option { return func(c *Checker) { c.http = h } }

// WithRedactor scrubs every text that came from a server: the run's one
// redactor, (*wechat.Redactor).Redact. Default: wechat.Redact.
func WithRedactor(r func(string) string) Option { return func(c *Checker) { c.redact = r } }

// WithBust sets the value of the cache-busting query parameter (tests fix it).
func WithBust(f func() string) Option { return func(c *Checker) { c.bust = f } }

// New is a Checker fetching through wechat.NewHTTPClient (every stage
// bounded), following up to five redirects: a CDN often answers one, and
// verify sends no credential.
func New(opts ...Option) *Checker {
	c := &Checker{redact: wechat.Redact, bust: randomBust}
	for _, o := range opts {
		o(c)
	}
	if c.http == nil {
		h := wechat.NewHTTPClient(defaultTimeout)
		h.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("more than 5 redirects")
			}
			return nil
		}
		c.http = h
	}
	return c
}

func randomBust() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// clean makes server text fit for a line: redacted, terminal-safe, short.
func (c *Checker) clean(s string) string {
	s = wechat.SafeText(c.redact(s))
	if len(s) > maxHeader {
		s = strings.ToValidUTF8(s[:maxHeader], "") + "…"
	}
	return s
}

// Check fetches (or reads) one copy and says whether it is the code.
func (c *Checker) Check(ctx context.Context, t Target) Result {
	r := Result{URL: t.URL, Want: t.Want}
	if t.URL == "" {
		r.File = t.Path
	}
	switch {
	case t.Entry != "":
		r.Problem, r.Detail, r.Fetched = BadEntry, t.Entry, true
		return r
	case t.URL == "":
		return c.checkFile(t, r)
	}
	got, err := c.fetch(ctx, t.URL, t.Want, false)
	if err != nil {
		r.Problem, r.Detail = Unreachable, c.clean(err.Error())
		r.Fix = fixFor(Unreachable, true)
		return r
	}
	r.Fetched, r.Got = true, got
	if got.problem == "" {
		r.OK = true
		return r
	}
	// The copy is wrong: is it the cache's, or does the origin serve it too?
	if c.pace != nil {
		if err := c.pace(ctx); err != nil {
			r.Problem, r.Detail = got.problem, got.detail
			return r
		}
	}
	origin, err := c.fetch(ctx, bustURL(t.URL, c.bust()), t.Want, true)
	r.Problem, r.Detail = got.problem, got.detail
	switch {
	case err != nil:
		r.Detail += "; fetching past the cache failed: " + c.clean(err.Error())
	case origin.problem == "":
		r.Origin = origin
		r.Problem = Stale
		r.Detail = fmt.Sprintf("a cache serves %s (%s); the origin's copy is right", got.problem, got.detail)
	case origin.problem == got.problem && origin.SHA256 == got.SHA256:
		r.Origin = origin
		r.Detail += "; the origin serves the same"
	default:
		r.Origin = origin
		r.Detail += fmt.Sprintf("; past the cache: %s: %s", origin.problem, origin.detail)
	}
	if h := got.Cache.String(); h != "" {
		r.Detail += "; cache headers: " + h
	}
	r.Fix = fixFor(r.Problem, r.Origin != nil && r.Problem != Stale)
	return r
}

// bustURL is u with the cache-busting parameter added.
func bustURL(u, v string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	q := p.Query()
	q.Set(BustParam, v)
	p.RawQuery = q.Encode()
	return p.String()
}

// fetch GETs u and inspects what arrived. The error is a fetch that got no
// answer at all; everything else is in the Copy.
func (c *Checker) fetch(ctx context.Context, u string, want Want, bust bool) (*Copy, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "wxacode-verify")
	req.Header.Set("Accept", "image/png, image/jpeg;q=0.9, */*;q=0.1")
	if bust {
		req.Header.Set("Cache-Control", "no-cache")
		req.Header.Set("Pragma", "no-cache")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	cp := &Copy{Status: resp.StatusCode, ContentLength: resp.ContentLength, ContentType: c.clean(resp.Header.Get("Content-Type")),
		Cache: Cache{Age: c.clean(resp.Header.Get("Age")), XCache: c.clean(xCache(resp.Header)), ETag: c.clean(resp.Header.Get("ETag")),
			LastModified: c.clean(resp.Header.Get("Last-Modified")), CacheControl: c.clean(resp.Header.Get("Cache-Control"))}}
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
		cp.problem, cp.detail = HTTPStatus(resp.StatusCode), httpDetail(resp.StatusCode)
		return cp, nil
	}
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, MaxBytes+1))
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if len(body) > MaxBytes {
		cp.Bytes = len(body)
		cp.problem, cp.detail = NotImage, fmt.Sprintf("more than %d MiB: no code is that large", MaxBytes>>20)
		return cp, nil
	}
	c.inspect(cp, body, rerr, want)
	if cp.problem == "" {
		ctypeProblem(cp)
	}
	return cp, nil
}

// xCache is the cache status header: X-Cache, else the names nginx set-ups
// and CDNs commonly use.
func xCache(h http.Header) string {
	for _, k := range []string{"X-Cache", "X-Cache-Status", "CF-Cache-Status", "X-Proxy-Cache"} {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}

func httpDetail(status int) string {
	text := http.StatusText(status)
	switch {
	case status == http.StatusNotFound:
		return text + ": no file at this URL"
	case status >= 500:
		return text + ": the server failed"
	case text == "":
		return "unexpected status"
	}
	return text
}

// inspect fills in what the bytes are, and the copy's first problem: short,
// not an image, not decoding, not the recorded code. rerr is how reading
// the body ended (nil, or a connection cut short).
func (c *Checker) inspect(cp *Copy, b []byte, rerr error, want Want) {
	cp.Bytes = len(b)
	cp.SHA256 = codefile.ContentSHA256(b)
	f, isImage := codeimage.Sniff(b)
	cp.Format = string(f)
	switch {
	case rerr != nil:
		cp.problem = Truncated
		if cp.ContentLength > 0 {
			cp.detail = fmt.Sprintf("%d of %d bytes arrived (Content-Length %d): %s", len(b), cp.ContentLength, cp.ContentLength, c.clean(rerr.Error()))
		} else {
			cp.detail = fmt.Sprintf("the body broke off after %d bytes: %s", len(b), c.clean(rerr.Error()))
		}
		return
	case len(b) == 0 && want.Bytes > 0:
		cp.problem, cp.detail = Truncated, fmt.Sprintf("an empty body; the code is %d bytes", want.Bytes)
		return
	case !isImage:
		_, err := wechat.Classify("", cp.ContentType, b)
		var ae *wechat.APIError
		if errors.As(err, &ae) {
			cp.problem, cp.detail = NotImage, c.clean(fmt.Sprintf("an errcode answer saved as the code: errcode %d (%s), %d bytes", ae.Code, ae.Msg, len(b)))
		} else {
			cp.problem, cp.detail = NotImage, c.clean(fmt.Sprintf("%d bytes, neither PNG nor JPEG: %v", len(b), err))
		}
		return
	}
	img, _, err := codeimage.Decode(b, CodeLimits)
	if err != nil {
		short := want.Bytes > 0 && len(b) < want.Bytes
		if short || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			cp.problem = Truncated
			cp.detail = fmt.Sprintf("a %s cut short: %d bytes", strings.ToUpper(cp.Format), len(b))
			if want.Bytes > 0 {
				cp.detail += fmt.Sprintf(" of %d", want.Bytes)
			}
			cp.detail += " (" + c.clean(err.Error()) + ")"
			return
		}
		cp.problem, cp.detail = NotImage, c.clean(fmt.Sprintf("%d bytes that do not decode: %v", len(b), err))
		return
	}
	cp.Width, cp.Height = img.Bounds().Dx(), img.Bounds().Dy()
	if d := differs(cp, want); d != "" {
		cp.problem, cp.detail = Differs, d
	}
}

// differs says how a whole image is not the code wanted; "" when it is.
func differs(cp *Copy, want Want) string {
	var what []string
	if want.SHA256 != "" && !strings.EqualFold(want.SHA256, cp.SHA256) {
		what = append(what, fmt.Sprintf("sha256 %s…, not %s…", cp.SHA256[:12], strings.ToLower(want.SHA256[:min(12, len(want.SHA256))])))
	}
	if want.Format != "" && want.Format != cp.Format {
		what = append(what, fmt.Sprintf("%s, not %s", strings.ToUpper(cp.Format), strings.ToUpper(want.Format)))
	}
	if want.Width > 0 && (want.Width != cp.Width || (want.Height > 0 && want.Height != cp.Height)) {
		what = append(what, fmt.Sprintf("%d×%d px, not %d×%d", cp.Width, cp.Height, want.Width, want.Height))
	}
	if want.Bytes > 0 && want.Bytes != cp.Bytes {
		what = append(what, fmt.Sprintf("%d bytes, not %d", cp.Bytes, want.Bytes))
	}
	if len(what) == 0 {
		return ""
	}
	return "another image: " + strings.Join(what, ", ")
}

// ctypeProblem checks the label against the bytes.
func ctypeProblem(cp *Copy) {
	want := "image/" + cp.Format
	mt, _, err := mime.ParseMediaType(cp.ContentType)
	if err == nil && mt == want {
		return
	}
	label := cp.ContentType
	if label == "" {
		label = "(none)"
	}
	cp.problem = ContentType
	cp.detail = fmt.Sprintf("labelled %s, the bytes are a %s (%s)", label, strings.ToUpper(cp.Format), want)
}

// checkFile reads a local copy and checks it the same way (no label, no cache).
func (c *Checker) checkFile(t Target, r Result) Result {
	b, err := codeimage.ReadFile(t.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		r.Problem, r.Detail, r.Fix = Missing, "no such file", fixFor(Missing, true)
		return r
	case err != nil:
		r.Problem, r.Detail = NotImage, c.clean(err.Error())
		if errors.Is(err, fs.ErrPermission) {
			r.Problem = Unreachable
		}
		r.Fix = fixFor(r.Problem, true)
		return r
	}
	cp := &Copy{ContentLength: -1}
	c.inspect(cp, b, nil, t.Want)
	r.Fetched, r.Got = true, cp
	r.Problem, r.Detail, r.OK = cp.problem, cp.detail, cp.problem == ""
	if !r.OK {
		r.Fix = fixFor(r.Problem, true)
	}
	return r
}
