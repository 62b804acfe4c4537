package wechat

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRedact(t *testing.T) {
	cases := []struct{ in, want string }{
		{"https://api.weixin.qq.com/wxa/getwxacode?access_token=91_abc-DEF", "https://api.weixin.qq.com/wxa/getwxacode?access_token=REDACTED"},
		{"/cgi-bin/token?grant_type=client_credential&appid=wx1&secret=s3cr3t&x=1", "/cgi-bin/token?grant_type=client_credential&appid=wx1&secret=REDACTED&x=1"},
		{"?component_access_token=abc&b=1", "?component_access_token=REDACTED&b=1"},
		{`{"access_token":"abc","expires_in":7200}`, `{"access_token":"REDACTED","expires_in":7200}`},
		{`{"authorizer_access_token": "a", "authorizer_refresh_token":"b","secret":"c"}`, `{"authorizer_access_token": "REDACTED", "authorizer_refresh_token":"REDACTED","secret":"REDACTED"}`},
		{`Post "http://x/?ACCESS_TOKEN=abc": EOF`, `Post "http://x/?ACCESS_TOKEN=REDACTED": EOF`},
		{"nothing to hide", "nothing to hide"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, Redact(tc.in))
	}
}

func TestSanitizeKeepsCauses(t *testing.T) {
	ue := &url.Error{Op: "Post", URL: "http://h/p?access_token=" + testToken, Err: context.Canceled}
	err := sanitize(ue, testToken)
	assert.NotContains(t, err.Error(), testToken)
	assert.ErrorIs(t, err, context.Canceled)
	var back *url.Error
	assert.ErrorAs(t, err, &back)
	assert.NotContains(t, back.URL, testToken)

	plain := errors.New("boom " + testToken)
	err = sanitize(plain, testToken)
	assert.Equal(t, "boom REDACTED", err.Error())
	assertNoSecret(t, err, testToken)

	clean := errors.New("fine")
	assert.Same(t, clean, sanitize(clean, testToken))
	assert.Nil(t, sanitize(nil))
	assert.Equal(t, "ab", redactValues("ab", "a")) // too short to be a credential
}

type timeoutErr struct{}

func (timeoutErr) Error() string { return "i/o timeout for access_token=abc" }
func (timeoutErr) Timeout() bool { return true }

func TestRedactedErrorKeepsMeaning(t *testing.T) {
	err := sanitize(fmt.Errorf("read %s: %w", testToken, ErrTruncated), testToken)
	assert.ErrorIs(t, err, ErrTruncated)
	assert.NotErrorIs(t, err, ErrEmptyBody)
	assert.True(t, retryable(context.Background(), err))
	terr := sanitize(timeoutErr{})
	assert.Equal(t, "i/o timeout for access_token=REDACTED", terr.Error())
	assert.True(t, retryable(context.Background(), terr), "a redacted timeout is still a timeout")
}
