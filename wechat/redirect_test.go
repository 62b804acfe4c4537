package wechat

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every client refuses redirects, the caller's own *http.Client included.
func TestRedirectRefusedForAnyHTTPClient(t *testing.T) {
	var other atomic.Int64
	elsewhere := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { other.Add(1) }))
	t.Cleanup(elsewhere.Close)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/x?access_token=abc", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(srv.Close)
	for name, hc := range map[string]*http.Client{"default": nil, "caller's": {}, "NewHTTPClient": NewHTTPClient(5e9)} {
		t.Run(name, func(t *testing.T) {
			ts := NewStableToken("wx1", "secret-value", TokenOptions{BaseURL: srv.URL, HTTP: hc})
			_, err := ts.Token(context.Background())
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrRedirect)
			var re *RequestError
			require.True(t, errors.As(err, &re))
			assert.Equal(t, http.StatusTemporaryRedirect, re.Status)
			assert.Contains(t, err.Error(), elsewhere.URL+"/x?access_token=REDACTED")
			assert.False(t, retryable(context.Background(), err), "a redirect is not retried")
			assert.Zero(t, other.Load())
		})
	}
}
