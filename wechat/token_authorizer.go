package wechat

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
)

// AuthorizerConfig is what a third-party platform needs to get an
// authorizer_access_token for a mini program that authorised it.
type AuthorizerConfig struct {
	ComponentAppID       string // the platform's appid
	ComponentAccessToken string // the platform's component_access_token (kept secret)
	// ComponentTokens, when set, is asked for the component token at every
	// renewal instead of ComponentAccessToken: the platform's own ticket
	// service renews it every two hours, so a value read once goes stale.
	ComponentTokens TokenSource
	AuthorizerAppID string // the mini program's appid
	// AuthorizerRefreshToken comes from the authorisation; WeChat may return a
	// new one with each token, which the source keeps for the next renewal.
	AuthorizerRefreshToken string
}

// NewAuthorizerToken fetches authorizer_access_token from
// POST /cgi-bin/component/api_authorizer_token?component_access_token=…
// Using the component token itself on the code endpoints gives 48001.
// https://developers.weixin.qq.com/doc/oplatform/openApi/ticket-token/api_getauthorizeraccesstoken.html
func NewAuthorizerToken(cfg AuthorizerConfig, o TokenOptions) TokenSource {
	o = o.withDefaults()
	var mu sync.Mutex
	refresh := cfg.AuthorizerRefreshToken
	componentToken := func(ctx context.Context) (string, error) {
		if cfg.ComponentTokens == nil {
			if cfg.ComponentAccessToken != "" {
				if err := validateToken("[authorizer] component_access_token", cfg.ComponentAccessToken); err != nil {
					return "", err
				}
			}
			return cfg.ComponentAccessToken, nil
		}
		t, err := cfg.ComponentTokens.Token(ctx)
		if err != nil {
			return "", fmt.Errorf("component token: %w", err)
		}
		return t.Value, nil
	}
	call := func(ctx context.Context, component string) (Token, error) {
		if cfg.ComponentAppID == "" || component == "" || cfg.AuthorizerAppID == "" {
			return Token{}, errors.New("authorizer token needs component_appid, component_access_token and authorizer_appid")
		}
		mu.Lock()
		rt := refresh
		mu.Unlock()
		if rt == "" {
			return Token{}, errors.New("authorizer token needs the authorizer_refresh_token from the authorisation")
		}
		body := struct {
			ComponentAppID         string `json:"component_appid"`
			AuthorizerAppID        string `json:"authorizer_appid"`
			AuthorizerRefreshToken string `json:"authorizer_refresh_token"`
		}{cfg.ComponentAppID, cfg.AuthorizerAppID, rt}
		q := url.Values{"component_access_token": {component}}
		ans, err := tokenCall(ctx, o, AuthorizerTokenPath, q, body, []string{component, rt})
		if err != nil {
			return Token{}, err
		}
		if ans.AuthorizerAccessToken == "" {
			return Token{}, &RequestError{Endpoint: AuthorizerTokenPath, Err: errors.New("answer holds no authorizer_access_token")}
		}
		if ans.AuthorizerRefreshToken != "" {
			mu.Lock()
			refresh = ans.AuthorizerRefreshToken
			mu.Unlock()
		}
		return tokenFrom(ans.AuthorizerAccessToken, ans.ExpiresIn, SourceAuthorizer, o.Now()), nil
	}
	fetch := func(ctx context.Context) (Token, error) {
		component, err := componentToken(ctx)
		if err != nil {
			return Token{}, err
		}
		t, err := call(ctx, component)
		if IsTokenError(err) && cfg.ComponentTokens != nil {
			// The platform rotated its component token before our copy
			// expired: drop that copy, ask again, try once more.
			cfg.ComponentTokens.Invalidate(component)
			if component, err = componentToken(ctx); err != nil {
				return Token{}, err
			}
			t, err = call(ctx, component)
		}
		return t, err
	}
	// The refresh token changes with each renewal, so the platform's appid
	// stands for the credential.
	return newCachedSource(SourceAuthorizer, cacheKey{cfg.AuthorizerAppID, o.BaseURL, SecretFingerprint(cfg.ComponentAppID)}, o, fetch)
}
