package wechat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxTokenBody bounds a token endpoint's answer (a token is ≤ 512 characters).
const maxTokenBody = 64 << 10

// tokenAnswer is what the token endpoints return on success.
type tokenAnswer struct {
	AccessToken            string    `json:"access_token"`
	AuthorizerAccessToken  string    `json:"authorizer_access_token"`
	AuthorizerRefreshToken string    `json:"authorizer_refresh_token"`
	ExpiresIn              expiresIn `json:"expires_in"`
}

// expiresIn is a number of seconds, also when a proxy or a home-grown token
// service sends it as a string ("7200"): refusing the whole answer for that
// used to put the token into an error excerpt.
type expiresIn int64

func (e *expiresIn) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*e = 0
		return nil
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("expires_in is not a number of seconds")
	}
	*e = expiresIn(min(max(n, -1), 1<<40)) // absurd values are clamped when the token is built
	return nil
}

// tokenCall calls a token endpoint through the shared pipeline. body nil
// means GET. Every credential in secrets is scrubbed from errors.
func tokenCall(ctx context.Context, o TokenOptions, path string, query url.Values, body any, secrets []string) (tokenAnswer, error) {
	c := call{method: http.MethodGet, path: path, url: o.BaseURL + path, limit: maxTokenBody,
		userAgent: "wxacode", secrets: secrets, redactor: o.Redactor}
	if len(query) > 0 {
		c.url += "?" + query.Encode()
	}
	if body != nil {
		b, err := marshalBody(body)
		if err != nil {
			return tokenAnswer{}, err
		}
		c.method, c.body = http.MethodPost, b
	}
	return do(ctx, o.HTTP, o.Now, c, decodeToken)
}

// decodeToken reads a token endpoint's success answer.
func decodeToken(a answer) (tokenAnswer, error) {
	if len(bytes.TrimSpace(a.body)) == 0 {
		// WeChat has answered bad credentials with HTTP 200, text/html and nothing else.
		return tokenAnswer{}, &RequestError{Status: http.StatusOK, Err: ErrEmptyBody,
			Detail: "Content-Type " + quoteCT(a.header.Get("Content-Type")) + "; check the appid and secret"}
	}
	var ans tokenAnswer
	if err := json.Unmarshal(a.body, &ans); err != nil || ans.AccessToken == "" && ans.AuthorizerAccessToken == "" {
		// A token we could not take is still a token: taught to the
		// redactor, so its echoes in other fields (upper-cased, cut) go too.
		a.redact = a.redact.With(tokenValues(a.body)...)
	}
	if err := json.Unmarshal(a.body, &ans); err != nil {
		return tokenAnswer{}, &RequestError{Status: http.StatusOK,
			Err: errors.New("answer is not a token answer (not JSON, or a field of the wrong type)"), Detail: excerpt(a.body, a.redact)}
	}
	if ans.AccessToken == "" && ans.AuthorizerAccessToken == "" {
		return tokenAnswer{}, &RequestError{Status: http.StatusOK,
			Err: errors.New("answer holds no access token"), Detail: excerpt(a.body, a.redact)}
	}
	return ans, nil
}

// tokenValue finds the values of *token* keys in a body that did not decode.
var tokenValue = lazyRegexp(`(?i)"[a-z_]*(?:token|secret)"\s*:\s*"([^"]*)"`)

func tokenValues(body []byte) []string {
	var out []string
	for _, m := range tokenValue().FindAllSubmatch(body, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

// tokenFrom builds a Token from an answer; a missing expires_in means WeChat's
// 7200 s, and so does anything larger (WeChat never issues longer).
func tokenFrom(value string, expiresIn expiresIn, source string, now time.Time) Token {
	life := maxTokenLife
	if expiresIn > 0 && expiresIn < 7200 {
		life = time.Duration(expiresIn) * time.Second
	}
	return Token{Value: value, Source: source, Obtained: now, Expires: now.Add(life)}
}

func needAppSecret(appID, secret string) error {
	switch {
	case appID == "" && secret == "":
		return fmt.Errorf("no appid and secret: set WXACODE_APPID and WXACODE_SECRET (or appid/secret in the config file)")
	case appID == "":
		return fmt.Errorf("no appid: set WXACODE_APPID (or appid in the config file)")
	case secret == "":
		return fmt.Errorf("no secret for appid %s: set WXACODE_SECRET (or secret in the config file)", appID)
	}
	return nil
}
