package wechat

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

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
	Source   string    // "fixed", "stable_token", "token", "command", "authorizer"
	Obtained time.Time // zero when unknown (a pasted token)
	Expires  time.Time // zero when unknown
	// FromCache is true when the token was read from the cache file, not
	// fetched by this run (`wxacode token` says so).
	FromCache bool
}

// String describes the token without its value.
func (t Token) String() string {
	s := fmt.Sprintf("%s token %s (%d characters)", t.Source, Redacted, len(t.Value))
	if !t.Expires.IsZero() {
		s += ", expires " + t.Expires.Format(time.RFC3339)
	}
	return s
}

// GoString keeps %#v from printing the value.
func (t Token) GoString() string { return "wechat.Token{" + t.String() + "}" }

// Format keeps every fmt verb (%v, %+v, %s, %q, %#v) from printing the value.
func (t Token) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, t.GoString())
		return
	}
	fmt.Fprint(f, t.String())
}

// Token source names, as in Token.Source.
const (
	SourceFixed      = "fixed"
	SourceStable     = "stable_token"
	SourceClassic    = "token"
	SourceCommand    = "command"
	SourceAuthorizer = "authorizer"
)

// TokenOptions configures the token sources that call WeChat or cache.
type TokenOptions struct {
	BaseURL  string       // "" = DefaultBaseURL
	HTTP     *http.Client // nil = a client with a 15 s timeout
	CacheDir string       // "" = memory only; otherwise a 0600 file per appid
	Now      func() time.Time
	// Timeout bounds a token command (NewCommandToken); 0 = 30 s.
	Timeout time.Duration
	// Redactor, when set, is shared with the caller: it scrubs the sources'
	// errors and learns every token they obtain.
	Redactor *Redactor
	// Warn, when set, gets what the user should know (a cache folder that
	// was open to others and was tightened or refused).
	Warn func(string)
}

func (o TokenOptions) withDefaults() TokenOptions {
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	if o.HTTP == nil {
		o.HTTP = NewHTTPClient(15 * time.Second)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	return o
}

// fixedToken is a token the user pasted; it cannot be renewed.
type fixedToken struct{ tok Token }

// NewFixedToken uses value as the access token for every call. Nothing can
// renew it: when it expires, calls fail with 42001 or 40001. When it was
// obtained is unknown (someone else fetched it), so Obtained is zero.
func NewFixedToken(value string) TokenSource {
	return &fixedToken{tok: Token{Value: value, Source: SourceFixed}}
}

func (f *fixedToken) Token(ctx context.Context) (Token, error) {
	if f.tok.Value == "" {
		return Token{}, fmt.Errorf("no access token given: set WXACODE_ACCESS_TOKEN, or give appid and secret")
	}
	if err := validateToken("access_token (WXACODE_ACCESS_TOKEN or the config file)", f.tok.Value); err != nil {
		return Token{}, err
	}
	return f.tok, ctx.Err()
}

func (f *fixedToken) Invalidate(string) {}
