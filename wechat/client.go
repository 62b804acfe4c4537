package wechat

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"time"

	"wxacode/codeimage"
)

// DefaultBaseURL is WeChat's API host.
const DefaultBaseURL = "https://api.weixin.qq.com"

// Client calls the code endpoints and the link-rule endpoints. It is safe
// for concurrent use; every goroutine that shares one Client shares its
// token cache, limiter and ledger.
type Client struct {
	baseURL     string
	http        *http.Client
	tokens      TokenSource
	userAgent   string
	rateLimit   int
	limiter     *limiter // nil: no client-side limit
	ledger      *Ledger
	maxAttempts int
	retryBase   time.Duration
	// now is every clock read (Received, Elapsed, NextMinute, the limiter,
	// the ledger); sleep is every wait (the limiter, the back-off).
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
	log   *slog.Logger // nil: no log
	// redactor knows every credential of the session plus each token used,
	// and scrubs every error text and log line the client produces.
	redactor *Redactor
	// images bounds an answer's declared size; nil: CodeLimits of the endpoint.
	images *codeimage.Limits
}

// Option configures a Client.
type Option func(*Client)

// WithBaseURL points the client at another host (the simulator, a test server).
func WithBaseURL(u string) Option { return func(c *Client) { c.baseURL = strings.TrimRight(u, "/") } }

// WithHTTPClient replaces the default *http.Client.
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.http = h } }

// WithTokenSource sets where access tokens come from.
func WithTokenSource(ts TokenSource) Option { return func(c *Client) { c.tokens = ts } }

// WithImageLimits replaces the size bounds an answer must meet before its
// pixels are decoded (default: CodeLimits, what the endpoint can return), for
// a proxy that resizes codes, or tests serving tiny images.
func WithImageLimits(l codeimage.Limits) Option { return func(c *Client) { c.images = &l } }

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = ua } }

// WithRateLimit sets the client-side limit for getwxacodeunlimit in calls per
// minute (default DefaultRateLimit, WeChat's 5000); 0 or less turns it off.
// All goroutines using the Client share it.
func WithRateLimit(perMinute int) Option { return func(c *Client) { c.rateLimit = perMinute } }

// WithLedger records limited and qrcode calls in l.
func WithLedger(l *Ledger) Option { return func(c *Client) { c.ledger = l } }

// WithRetry sets how many attempts a transient failure gets (1 = no retry) and
// the first back-off delay, which doubles each time (with jitter).
func WithRetry(maxAttempts int, base time.Duration) Option {
	return func(c *Client) { c.maxAttempts, c.retryBase = max(1, maxAttempts), base }
}

// WithRedactor shares r with the client: every error and log line it makes
// is scrubbed of what r knows (give it the app secret and the other
// credentials), and every token the client uses is added to r, so the
// caller's own sinks redact tokens they never saw.
func WithRedactor(r *Redactor) Option { return func(c *Client) { c.redactor = r } }

// WithClock replaces time.Now for every time the client reads: the limiter,
// Code.Received and Code.Elapsed, RateLimitError.NextMinute and the ledger's
// timestamps. Waits still run on timers (testing/synctest fakes those).
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// NewClient builds a client; without options it talks to WeChat with a 30 s
// overall timeout per attempt, the 5000/min limiter and 4 attempts.
func NewClient(opts ...Option) *Client {
	c := &Client{baseURL: DefaultBaseURL, http: defaultHTTPClient(), userAgent: "wxacode",
		rateLimit: DefaultRateLimit, maxAttempts: DefaultMaxAttempts, retryBase: DefaultRetryBase, now: time.Now, sleep: sleepCtx}
	for _, o := range opts {
		o(c)
	}
	if c.http == nil {
		c.http = defaultHTTPClient()
	}
	if c.redactor == nil {
		c.redactor = NewRedactor()
	}
	if c.rateLimit > 0 {
		c.limiter = newLimiter(c.rateLimit, c.now, c.sleep)
	}
	return c
}

// defaultHTTPClient: 30 s per attempt.
func defaultHTTPClient() *http.Client { return NewHTTPClient(30 * time.Second) }

// Token returns the token the client would use now.
func (c *Client) Token(ctx context.Context) (Token, error) {
	if c.tokens == nil {
		return Token{}, errNoTokenSource
	}
	return c.tokens.Token(ctx)
}

// Redactor is the client's redactor (never nil): what every sink that shows
// the client's errors should pass text through.
func (c *Client) Redactor() *Redactor { return c.redactor }

// Ledger is the quota ledger, nil when none was configured.
func (c *Client) Ledger() *Ledger { return c.ledger }

// BaseURL is the host the client calls.
func (c *Client) BaseURL() string { return c.baseURL }

// RequestURL is the URL a call for kind goes to, with the token shown as
// access_token=REDACTED: for display, never for calling.
func (c *Client) RequestURL(kind Kind) string {
	return c.baseURL + kind.Path() + "?access_token=" + Redacted
}

// GetUnlimited calls getwxacodeunlimit (round code, unlimited count, 5000/min).
// https://developers.weixin.qq.com/miniprogram/dev/server/API/qrcode-link/qr-code/api_getunlimitedqrcode.html
func (c *Client) GetUnlimited(ctx context.Context, r *UnlimitedRequest) (*Code, error) {
	return c.Get(ctx, r)
}

// GetLimited calls getwxacode (round code, from the 100,000 lifetime pool).
// https://developers.weixin.qq.com/miniprogram/dev/server/API/qrcode-link/qr-code/api_getqrcode.html
func (c *Client) GetLimited(ctx context.Context, r *LimitedRequest) (*Code, error) {
	return c.Get(ctx, r)
}

// CreateQRCode calls createwxaqrcode (square QR, from the 100,000 lifetime pool).
// https://developers.weixin.qq.com/miniprogram/dev/server/API/qrcode-link/qr-code/api_createqrcode.html
func (c *Client) CreateQRCode(ctx context.Context, r *QRCodeRequest) (*Code, error) {
	return c.Get(ctx, r)
}

// Get validates req and calls its endpoint (req.Route) through send. A
// *ValidationError means no call was made. Transient failures are retried
// with back-off; a token error (40001, 40014, 42001) renews the token and
// retries exactly once; 45009 and 45011 come back as *RateLimitError.
// Errors never contain the access token.
func (c *Client) Get(ctx context.Context, req Request) (*Code, error) {
	if v := reflect.ValueOf(req); req == nil || v.Kind() == reflect.Pointer && v.IsNil() {
		return nil, errors.New("wechat: nil request")
	}
	rt := req.Route()
	if rt.Path == "" {
		return nil, fmt.Errorf("wechat: a %s request has no endpoint: it is drawn locally, not asked of WeChat", req.Kind())
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	body, err := req.Body()
	if err != nil {
		return nil, fmt.Errorf("encode %s request: %w", req.Kind(), err)
	}
	code, err := send(ctx, c, exchange[*Code]{route: rt, body: body, limit: MaxBodyBytes,
		decode: c.decodeCode(rt.Path), logged: loggedCode})
	if err != nil {
		return nil, err
	}
	if req.Kind().Limited() && c.ledger != nil {
		// A failed ledger write must not throw away a code; Ledger.Err reports it.
		_ = c.ledger.Record(ParamsOf(req), code.NumUsed, code.Received)
	}
	return code, nil
}

// decodeCode reads an answer of the code endpoint at path into a Code,
// within the endpoint's size bounds (or WithImageLimits').
func (c *Client) decodeCode(path string) func(answer) (*Code, error) {
	lim := CodeLimits(path)
	if c.images != nil {
		lim = *c.images
	}
	return func(a answer) (*Code, error) {
		code, err := classify(path, a.header.Get("Content-Type"), a.body, lim, a.redact)
		if err != nil {
			return nil, err
		}
		code.NumUsed = parseNumUsed(a.header)
		code.Received = c.now()
		code.Elapsed = a.elapsed
		return code, nil
	}
}
