package wechat

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each request says how it travels; the pipeline has no case for any kind.
func TestRoutes(t *testing.T) {
	tests := []struct {
		req  Request
		want Route
	}{
		{&UnlimitedRequest{Scene: "a"}, Route{Method: http.MethodPost, Path: "/wxa/getwxacodeunlimit", Idempotent: true, Paced: true}},
		{&LimitedRequest{Path: "p"}, Route{Method: http.MethodPost, Path: "/wxa/getwxacode", Idempotent: true}},
		{&QRCodeRequest{Path: "p"}, Route{Method: http.MethodPost, Path: "/cgi-bin/wxaapp/createwxaqrcode", Idempotent: true}},
		{&TrialRequest{Path: "page/index?action=1"}, Route{Method: http.MethodGet, Path: "/wxa/get_qrcode",
			Query: "path=page%2Findex%3Faction%3D1", Idempotent: true}},
		{&TrialRequest{}, Route{Method: http.MethodGet, Path: "/wxa/get_qrcode", Idempotent: true}},
		{&LinkQR{URL: "https://e.com/a"}, Route{}},
	}
	for _, tc := range tests {
		t.Run(string(tc.req.Kind()), func(t *testing.T) {
			assert.Equal(t, tc.want, tc.req.Route())
			if tc.want.Path != "" {
				assert.Equal(t, tc.req.Kind().Path(), tc.want.Path)
			}
		})
	}
}

// A redirect is refused on every route (a code's POST, the trial's GET, a
// link rule's POST): not followed, not retried, its target redacted.
func TestRedirectRefusedOnEveryRoute(t *testing.T) {
	tests := []struct {
		name, path string
		call       func(context.Context, *Client) error
	}{
		{"code", KindUnlimited.Path(), func(ctx context.Context, c *Client) error {
			_, err := c.Get(ctx, &UnlimitedRequest{Scene: "a"})
			return err
		}},
		{"trial", KindTrial.Path(), func(ctx context.Context, c *Client) error {
			_, err := c.Get(ctx, &TrialRequest{Path: "p"})
			return err
		}},
		{"link rules", PathLinkRulesGet, func(ctx context.Context, c *Client) error {
			_, err := c.LinkRules(ctx, LinkRulesRequest{})
			return err
		}},
	}
	for _, tc := range tests {
		inBubble(t, tc.name, func(t *testing.T, f *fake) {
			f.handle("/", func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "http://elsewhere.test/x?"+r.URL.RawQuery, http.StatusFound)
			})
			err := tc.call(context.Background(), f.client())
			require.ErrorIs(t, err, ErrRedirect)
			assert.Contains(t, err.Error(), "http://elsewhere.test/x?access_token=REDACTED")
			assertNoSecret(t, err, testToken)
			assert.Len(t, f.requests(tc.path), 1, "not followed, not retried")
			f.mu.Lock()
			defer f.mu.Unlock()
			assert.Len(t, f.reqs, 1, "nothing else was asked")
		})
	}
}

// A request with no route is refused before anything is checked or sent.
func TestGetRefusesARequestWithoutARoute(t *testing.T) {
	f := newFake(t)
	_, err := f.client().Get(context.Background(), &LinkQR{URL: "https://e.com/a"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "a linkqr request has no endpoint")
	f.mu.Lock()
	defer f.mu.Unlock()
	assert.Empty(t, f.reqs)
}
