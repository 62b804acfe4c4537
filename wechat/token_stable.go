package wechat

import (
	"context"
	"net/url"
)

// Token endpoint paths.
const (
	StableTokenPath     = "/cgi-bin/stable_token"
	ClassicTokenPath    = "/cgi-bin/token"
	AuthorizerTokenPath = "/cgi-bin/component/api_authorizer_token"
)

// ClassicTokenWarning is shown wherever the classic token is chosen.
const ClassicTokenWarning = "the classic /cgi-bin/token endpoint mints a new access token on every fetch and " +
	"invalidates the previous one after about 5 minutes: any other server or tool using this appid's classic token " +
	"will start failing with 40001. Prefer the stable token (the default), which all callers can share safely."

// NewStableToken fetches tokens from /cgi-bin/stable_token in normal mode
// (force_refresh false), which hands every caller the same token while it is
// valid, so this tool never disturbs other servers. It never force-refreshes:
// that is limited to 20 a day and invalidates everyone's token. Tokens are
// cached in memory and, with o.CacheDir, in a 0600 file keyed by appid.
// https://developers.weixin.qq.com/miniprogram/dev/server/API/mp-access-token/api_getstableaccesstoken.html
func NewStableToken(appID, secret string, o TokenOptions) TokenSource {
	o = o.withDefaults()
	fetch := func(ctx context.Context) (Token, error) {
		if err := needAppSecret(appID, secret); err != nil {
			return Token{}, err
		}
		body := struct {
			GrantType    string `json:"grant_type"`
			AppID        string `json:"appid"`
			Secret       string `json:"secret"`
			ForceRefresh bool   `json:"force_refresh"`
		}{"client_credential", appID, secret, false}
		ans, err := tokenCall(ctx, o, StableTokenPath, nil, body, []string{secret})
		if err != nil {
			return Token{}, err
		}
		return tokenFrom(ans.AccessToken, ans.ExpiresIn, SourceStable, o.Now()), nil
	}
	return newCachedSource(SourceStable, cacheKey{appID, o.BaseURL, SecretFingerprint(secret)}, o, fetch)
}

// NewClassicToken fetches tokens from GET /cgi-bin/token. Only use it when the
// user asks for it, and show ClassicTokenWarning: each fetch invalidates the
// token every other server holds. Caching (memory and file) keeps fetches rare.
// https://developers.weixin.qq.com/miniprogram/dev/server/API/mp-access-token/api_getaccesstoken.html
func NewClassicToken(appID, secret string, o TokenOptions) TokenSource {
	o = o.withDefaults()
	fetch := func(ctx context.Context) (Token, error) {
		if err := needAppSecret(appID, secret); err != nil {
			return Token{}, err
		}
		q := url.Values{"grant_type": {"client_credential"}, "appid": {appID}, "secret": {secret}}
		ans, err := tokenCall(ctx, o, ClassicTokenPath, q, nil, []string{secret})
		if err != nil {
			return Token{}, err
		}
		return tokenFrom(ans.AccessToken, ans.ExpiresIn, SourceClassic, o.Now()), nil
	}
	return newCachedSource(SourceClassic, cacheKey{appID, o.BaseURL, SecretFingerprint(secret)}, o, fetch)
}
