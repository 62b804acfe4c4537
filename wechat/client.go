package wechat

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// DefaultBaseURL is WeChat's API host.
const DefaultBaseURL = "https://api.weixin.qq.com"

// Client calls the three code endpoints. It is safe for concurrent use; every
// goroutine that shares one Client shares its token cache, limiter and ledger.
type Client struct {
	baseURL   string
	http      *http.Client
	tokens    TokenSource
	userAgent string
}

// Option configures a Client.
type Option func(*Client)

// WithBaseURL points the client at another host (the simulator, a test server).
func WithBaseURL(u string) Option { return func(c *Client) { c.baseURL = u } }

// WithHTTPClient replaces the default *http.Client.
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.http = h } }

// WithTokenSource sets where access tokens come from.
func WithTokenSource(ts TokenSource) Option { return func(c *Client) { c.tokens = ts } }

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = ua } }

// NewClient builds a client; without options it talks to WeChat with a 30 s timeout.
func NewClient(opts ...Option) *Client {
	c := &Client{baseURL: DefaultBaseURL, http: &http.Client{Timeout: 30 * time.Second}, userAgent: "wxacode"}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Get validates req and calls its endpoint. A *ValidationError means no call was made.
func (c *Client) Get(ctx context.Context, req Request) (*Code, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	return nil, errors.New("wechat: client transport not implemented yet")
}

// TokenSource supplies access tokens.
type TokenSource interface {
	// Token returns a valid token, fetching or renewing it when needed.
	Token(ctx context.Context) (Token, error)
	// Invalidate drops the cached token if it is still the one that failed, so
	// that concurrent callers do not each throw away a freshly fetched token.
	Invalidate(failed string)
}

// Token is an access token and where it came from. Its String never shows the value.
type Token struct {
	Value    string
	Source   string // "fixed", "stable_token", "token", "command", "authorizer"
	Obtained time.Time
	Expires  time.Time // zero when unknown
}
