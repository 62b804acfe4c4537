package wechat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// maxTokenBody bounds a token endpoint's answer (a token is ≤ 512 characters).
const maxTokenBody = 64 << 10

// tokenAnswer is what the token endpoints return on success.
type tokenAnswer struct {
	AccessToken            string `json:"access_token"`
	AuthorizerAccessToken  string `json:"authorizer_access_token"`
	AuthorizerRefreshToken string `json:"authorizer_refresh_token"`
	ExpiresIn              int64  `json:"expires_in"`
}

// tokenCall calls a token endpoint. body nil means GET. Every credential in
// secrets is scrubbed from errors; errcode answers become *APIError.
func tokenCall(ctx context.Context, o TokenOptions, path string, query url.Values, body any, secrets []string) (tokenAnswer, error) {
	method := http.MethodGet
	var rd *bytes.Reader
	if body != nil {
		method = http.MethodPost
		b, err := marshalBody(body)
		if err != nil {
			return tokenAnswer{}, err
		}
		rd = bytes.NewReader(b)
	}
	u := o.BaseURL + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var req *http.Request
	var err error
	if rd != nil {
		req, err = http.NewRequestWithContext(ctx, method, u, rd)
	} else {
		req, err = http.NewRequestWithContext(ctx, method, u, nil)
	}
	if err != nil {
		return tokenAnswer{}, &RequestError{Method: method, Endpoint: path, Err: sanitize(err, secrets...)}
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", "wxacode")
	resp, err := o.HTTP.Do(req)
	if err != nil {
		return tokenAnswer{}, &RequestError{Method: method, Endpoint: path, Err: sanitize(err, secrets...)}
	}
	defer resp.Body.Close()
	data, err := readBody(resp, maxTokenBody)
	if err != nil {
		return tokenAnswer{}, &RequestError{Method: method, Endpoint: path, Status: resp.StatusCode, Err: sanitize(err, secrets...)}
	}
	if resp.StatusCode != http.StatusOK {
		return tokenAnswer{}, &RequestError{Method: method, Endpoint: path, Status: resp.StatusCode,
			Detail: redactValues(excerpt(data), secrets...)}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		// WeChat has answered bad credentials with HTTP 200, text/html and nothing else.
		return tokenAnswer{}, &RequestError{Method: method, Endpoint: path, Status: resp.StatusCode, Err: ErrEmptyBody,
			Detail: "Content-Type " + quoteCT(resp.Header.Get("Content-Type")) + "; check the appid and secret"}
	}
	if apiErr, ok := ParseAPIError(data); ok && apiErr != nil {
		apiErr.Endpoint = path
		apiErr.Msg = redactValues(apiErr.Msg, secrets...)
		return tokenAnswer{}, apiErr
	}
	var ans tokenAnswer
	if err := json.Unmarshal(data, &ans); err != nil || ans.AccessToken == "" && ans.AuthorizerAccessToken == "" {
		return tokenAnswer{}, &RequestError{Method: method, Endpoint: path, Status: resp.StatusCode,
			Err: errors.New("answer holds no access token"), Detail: redactValues(excerpt(data), secrets...)}
	}
	return ans, nil
}

// tokenFrom builds a Token from an answer; a missing expires_in means WeChat's 7200 s.
func tokenFrom(value string, expiresIn int64, source string, now time.Time) Token {
	if expiresIn <= 0 {
		expiresIn = 7200
	}
	return Token{Value: value, Source: source, Obtained: now, Expires: now.Add(time.Duration(expiresIn) * time.Second)}
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
