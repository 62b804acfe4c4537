package wechat

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDo covers the pipeline both endpoint families share: what reaches the
// server, and how each kind of failure comes back, scrubbed of c.secrets.
func TestDo(t *testing.T) {
	const secret = "s3cr3t-value-never-shown"
	tests := []struct {
		name      string
		method    string
		body      []byte
		limit     int64
		handler   http.HandlerFunc
		wantErrIs error
		wantAPI   int    // errcode of the *APIError, 0 for none
		wantReq   int    // status of the *RequestError, -1 for none
		wantMsg   string // a part of the message
	}{
		{name: "GET success", method: http.MethodGet, limit: 100, wantReq: -1,
			handler: func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"ok":1}`)) }},
		{name: "POST sends JSON", method: http.MethodPost, body: []byte(`{"a":1}`), limit: 100, wantReq: -1,
			handler: func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Content-Type") != "application/json" || r.UserAgent() != "ua/1" {
					http.Error(w, "bad request", http.StatusBadRequest)
				}
			}},
		{name: "errcode with 200", method: http.MethodGet, limit: 100, wantAPI: 40125, wantReq: -1, wantMsg: "errcode 40125: invalid appsecret REDACTED",
			handler: serveErr(40125, "invalid appsecret "+secret, "application/json")},
		{name: "errcode with 4xx is kept", method: http.MethodPost, limit: 100, wantAPI: 40001, wantReq: -1,
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusForbidden)
				w.Write([]byte(`{"errcode":40001,"errmsg":"invalid credential"}`))
			}},
		{name: "gateway page", method: http.MethodGet, limit: 100, wantReq: http.StatusBadGateway, wantMsg: "GET /p: HTTP 502",
			handler: func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gateway "+secret, http.StatusBadGateway) }},
		{name: "5xx errcode is a gateway failure", method: http.MethodPost, limit: 100, wantReq: http.StatusServiceUnavailable, wantMsg: "POST /p: HTTP 503",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusServiceUnavailable)
				w.Write([]byte(`{"errcode":-1,"errmsg":"system error"}`))
			}},
		{name: "over the limit", method: http.MethodGet, limit: 4, wantReq: http.StatusOK, wantErrIs: ErrTooLarge,
			handler: func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("12345")) }},
		{name: "truncated", method: http.MethodGet, limit: 100, wantReq: http.StatusOK, wantErrIs: ErrTruncated,
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "10")
				w.Write([]byte("half"))
			}},
		{name: "decode failure is stamped and scrubbed", method: http.MethodGet, limit: 100, wantReq: 0, wantMsg: "GET /p: decode",
			handler: func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("not json")) }},
	}
	for _, tc := range tests {
		inBubble(t, tc.name, func(t *testing.T, f *fake) {
			f.handle("/p", tc.handler)
			clock := &stepClock{fakeClock: *newFakeClock(), step: time.Second}
			c := call{method: tc.method, path: "/p", url: f.URL + "/p?token=" + secret, body: tc.body,
				limit: tc.limit, userAgent: "ua/1", secrets: []string{secret}}
			got, err := do(context.Background(), f.http, clock.Now, c, func(a answer) (answer, error) {
				if tc.name == "decode failure is stamped and scrubbed" {
					return a, errors.New("decode " + secret)
				}
				return a, nil
			})
			reqs := f.requests("/p")
			require.Len(t, reqs, 1)
			assert.Equal(t, tc.method, reqs[0].Method)
			assert.Equal(t, string(tc.body), string(reqs[0].Body))
			assertNoSecret(t, err, secret)
			if tc.wantAPI == 0 && tc.wantReq == -1 {
				require.NoError(t, err)
				assert.Equal(t, time.Second, got.elapsed, "sent, then received: one step of the injected clock")
				return
			}
			require.Error(t, err)
			if tc.wantAPI != 0 {
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tc.wantAPI, apiErr.Code)
				assert.Equal(t, "/p", apiErr.Endpoint)
			}
			if tc.wantReq >= 0 {
				var re *RequestError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, tc.wantReq, re.Status)
				assert.Equal(t, "/p", re.Endpoint)
			}
			if tc.wantErrIs != nil {
				assert.ErrorIs(t, err, tc.wantErrIs)
			}
			if tc.wantMsg != "" {
				assert.Contains(t, err.Error(), tc.wantMsg)
			}
		})
	}
}
