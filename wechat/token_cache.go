package wechat

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
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
	file   string   // "" = memory only
	key    cacheKey // what the file belongs to
	warn   func(string)
	now    func() time.Time
	fetch  func(ctx context.Context) (Token, error)
	redact *Redactor // learns every token handed out; nil: none

	sem chan struct{} // held while fetching; a channel so waiting honours ctx
	mu  sync.Mutex
	tok Token
}

// cacheKey is what a cached token belongs to: the appid, the host that
// issued it, and a fingerprint of the credential it was fetched with. Keyed
// by appid alone, a wrong secret reported success from an old token, and a
// token from one base_url was sent to another.
type cacheKey struct {
	AppID  string
	Host   string // the base URL, without a trailing slash
	Secret string // SecretFingerprint of the secret (or of the component appid)
}

// SecretFingerprint is the first 8 hex digits of SHA-256(secret): enough to
// tell two secrets apart, useless for recovering one.
func SecretFingerprint(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:4])
}

func newCachedSource(source string, key cacheKey, o TokenOptions, fetch func(context.Context) (Token, error)) *cachedSource {
	key.Host = strings.TrimRight(key.Host, "/")
	c := &cachedSource{source: source, key: key, now: o.Now, fetch: fetch, redact: o.Redactor, warn: o.Warn, sem: make(chan struct{}, 1)}
	if c.now == nil {
		c.now = time.Now
	}
	if o.CacheDir != "" && key.AppID != "" {
		// Host and fingerprint in the name too: switching hosts or secrets
		// must not throw away the other's token.
		where := sha256.Sum256([]byte(key.Host + "\x00" + key.Secret))
		c.file = filepath.Join(o.CacheDir, source+"-"+safeFileName(key.AppID)+"-"+hex.EncodeToString(where[:4])+".json")
		if err := checkCacheDir(o.CacheDir, c.warnf); err != nil {
			c.warnf("%v; tokens are kept in memory only", err)
			c.file = ""
		}
	}
	return c
}

func (c *cachedSource) warnf(format string, a ...any) {
	if c.warn != nil {
		c.warn(fmt.Sprintf(format, a...))
	}
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
		t.FromCache = true
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
	Host        string    `json:"host"`
	SecretSHA   string    `json:"secret_sha256_8"` // SecretFingerprint, never the secret
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
	if json.Unmarshal(data, &f) != nil || f.AppID != c.key.AppID || f.Host != c.key.Host || f.SecretSHA != c.key.Secret ||
		f.Source != c.source || validateToken("the cache", f.AccessToken) != nil {
		return Token{}, false // another host or secret, or a damaged file: a miss, the source fetches anew
	}
	// A file edited (or written by an older wxacode) past WeChat's lifetime
	// is held to it.
	if f.ExpiresAt.Sub(f.ObtainedAt) > maxTokenLife {
		f.ExpiresAt = f.ObtainedAt.Add(maxTokenLife)
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
	if err := checkCacheDir(filepath.Dir(c.file), c.warnf); err != nil {
		return err
	}
	data, err := json.MarshalIndent(cacheFile{AppID: c.key.AppID, Host: c.key.Host, SecretSHA: c.key.Secret, Source: c.source, AccessToken: t.Value,
		ObtainedAt: t.Obtained.UTC(), ExpiresAt: t.Expires.UTC()}, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(c.file, data, 0o600)
}
