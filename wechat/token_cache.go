package wechat

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"wxacode/atomicfile"
)

// Renewal timing. WeChat's stable_token rotates 5 minutes before expiry, so
// renewing 5 minutes early gets the new token while the old one still works.
const (
	tokenRenewMargin = 5 * time.Minute
	// unknownExpiryAge is how long a token without expires_in (a token command
	// printing just the token) is reused before the command runs again.
	unknownExpiryAge = 5 * time.Minute
)

// cachedSource is the shared machinery of the renewable sources: one fetch at
// a time (later callers wait and reuse it), an in-memory token, and an
// optional 0600 file so that separate runs share one token.
type cachedSource struct {
	source string
	file   string // "" = memory only
	key    string // appid the file belongs to
	now    func() time.Time
	fetch  func(ctx context.Context) (Token, error)
	redact *Redactor // learns every token handed out; nil: none

	sem chan struct{} // held while fetching; a channel so waiting honours ctx
	mu  sync.Mutex
	tok Token
}

func newCachedSource(source, key, cacheDir string, now func() time.Time, red *Redactor, fetch func(context.Context) (Token, error)) *cachedSource {
	c := &cachedSource{source: source, key: key, now: now, fetch: fetch, redact: red, sem: make(chan struct{}, 1)}
	if cacheDir != "" && key != "" {
		c.file = filepath.Join(cacheDir, source+"-"+safeFileName(key)+".json")
	}
	return c
}

// safeFileName keeps letters, digits, '-' and '_' so an appid cannot escape the cache dir.
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

// sourceName says where a source's tokens come from, for errors.
func sourceName(source string) string {
	switch source {
	case SourceCommand:
		return "the token command"
	case SourceAuthorizer:
		return "the " + AuthorizerTokenPath + " answer"
	case SourceClassic:
		return "the " + ClassicTokenPath + " answer"
	case SourceStable:
		return "the " + StableTokenPath + " answer"
	}
	return source
}

// fresh reports whether t can still be used without renewing.
func fresh(t Token, now time.Time) bool {
	if t.Value == "" {
		return false
	}
	if t.Expires.IsZero() {
		return now.Sub(t.Obtained) < unknownExpiryAge
	}
	life := t.Expires.Sub(t.Obtained)
	margin := tokenRenewMargin
	if life < 2*margin { // short-lived token: renew at half-life rather than at once
		margin = life / 2
	}
	return now.Before(t.Expires.Add(-margin))
}

// Token implements TokenSource.
func (c *cachedSource) Token(ctx context.Context) (Token, error) {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return Token{}, ctx.Err()
	}
	defer func() { <-c.sem }()

	now := c.now()
	c.mu.Lock()
	t := c.tok
	c.mu.Unlock()
	if fresh(t, now) {
		return t, nil
	}
	if t, ok := c.load(); ok && fresh(t, now) {
		c.set(t)
		return t, nil
	}
	t, err := c.fetch(ctx)
	if err != nil {
		return Token{}, err
	}
	if err := validateToken(sourceName(c.source), t.Value); err != nil {
		return Token{}, err
	}
	c.set(t)
	// A failed cache write only costs a fetch next run; the token is still good.
	_ = c.store(t)
	return t, nil
}

func (c *cachedSource) set(t Token) {
	c.redact.Add(t.Value)
	c.mu.Lock()
	c.tok = t
	c.mu.Unlock()
}

// Invalidate implements TokenSource: only the token that failed is dropped,
// from memory and from the cache file.
func (c *cachedSource) Invalidate(failed string) {
	if failed == "" {
		return
	}
	c.mu.Lock()
	if c.tok.Value == failed {
		c.tok = Token{}
	}
	c.mu.Unlock()
	if t, ok := c.load(); ok && t.Value == failed {
		_ = os.Remove(c.file)
	}
}

// cacheFile is the on-disk form. It never holds the secret.
type cacheFile struct {
	AppID       string    `json:"appid"`
	Source      string    `json:"source"`
	AccessToken string    `json:"access_token"`
	ObtainedAt  time.Time `json:"obtained_at"`
	ExpiresAt   time.Time `json:"expires_at"`
}

func (c *cachedSource) load() (Token, bool) {
	if c.file == "" {
		return Token{}, false
	}
	data, err := os.ReadFile(c.file)
	if err != nil {
		return Token{}, false
	}
	var f cacheFile
	if json.Unmarshal(data, &f) != nil || f.AppID != c.key || f.Source != c.source || validateToken("the cache", f.AccessToken) != nil {
		return Token{}, false // a damaged or tampered file is a miss: the source fetches anew
	}
	return Token{Value: f.AccessToken, Source: c.source, Obtained: f.ObtainedAt, Expires: f.ExpiresAt}, true
}

func (c *cachedSource) store(t Token) error {
	if c.file == "" || t.Expires.IsZero() {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(c.file), 0o700); err != nil {
		return err
	}
	data, err := json.MarshalIndent(cacheFile{AppID: c.key, Source: c.source, AccessToken: t.Value,
		ObtainedAt: t.Obtained.UTC(), ExpiresAt: t.Expires.UTC()}, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(c.file, data, 0o600)
}
