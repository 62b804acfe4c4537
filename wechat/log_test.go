package wechat

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testimage"
)

func TestLoggerLogsEveryAttemptWithoutTheToken(t *testing.T) {
	f := newFake(t)
	img := testimage.JPEG(testimage.Checker(8, 8))
	calls := 0
	f.handle(KindUnlimited.Path(), func(w http.ResponseWriter, r *http.Request) {
		calls++
		switch calls {
		case 1:
			w.WriteHeader(http.StatusServiceUnavailable)
		case 2:
			serveImage(img, "image/jpeg", -1)(w, r)
		default:
			// WeChat does not echo tokens, but an errmsg that did must not leak through the log.
			serveErr(41030, "invalid page "+testToken, "application/json")(w, r)
		}
	})
	var buf bytes.Buffer
	c := f.client(WithLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		WithRetry(2, 0))
	_, err := c.Get(context.Background(), &UnlimitedRequest{Scene: "id=1&x=2", Page: "pages/a/a"})
	require.NoError(t, err)
	_, err = c.Get(context.Background(), &UnlimitedRequest{Scene: "id=3"})
	require.Error(t, err)

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 3, buf.String())
	assert.Contains(t, lines[0], "msg=failed")
	assert.Contains(t, lines[0], "attempt=1")
	assert.Contains(t, lines[0], "503")
	assert.Contains(t, lines[0], "sent=true")
	assert.Contains(t, lines[1], "msg=code")
	assert.Contains(t, lines[1], "attempt=2")
	assert.Contains(t, lines[1], `body="{\"scene\":\"id=1&x=2\",\"page\":\"pages/a/a\"}"`)
	assert.Contains(t, lines[1], "format=jpeg")
	assert.Contains(t, lines[2], "msg=errcode")
	assert.Contains(t, lines[2], "errcode=41030")
	assert.NotContains(t, buf.String(), testToken)
	assert.NotContains(t, buf.String(), "access_token")
}

// A call whose first attempt reached WeChat is not "not sent" because a
// later attempt could not get a token; the log tells the two attempts apart
// and does not blame the code endpoint for the token endpoint's errcode.
func TestSentOnceIsNotNotSent(t *testing.T) {
	f := newFake(t)
	f.handle(KindUnlimited.Path(), func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	tokens := 0
	src := sourceFunc(func(context.Context) (Token, error) {
		if tokens++; tokens == 1 {
			return Token{Value: testToken, Source: SourceFixed}, nil
		}
		return Token{}, &APIError{Code: 40125, Msg: "invalid appsecret", Endpoint: StableTokenPath}
	})
	var buf bytes.Buffer
	c := NewClient(WithBaseURL(f.URL), WithTokenSource(src), WithRetry(2, 0),
		WithLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	_, err := c.Get(context.Background(), &UnlimitedRequest{Scene: "a"})
	require.Error(t, err)
	assert.Len(t, f.requests(KindUnlimited.Path()), 1)
	assert.NotErrorIs(t, err, ErrNotSent, "the first attempt was sent")

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 2, buf.String())
	assert.Contains(t, lines[0], "sent=true")
	assert.Contains(t, lines[1], `msg="not sent"`)
	assert.Contains(t, lines[1], "attempt=2")
	assert.NotContains(t, lines[1], "errcode=40125", "not the code endpoint's errcode")
}
