package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/wechattest"
	"wxacode/wechat"
)

const (
	uiLeakSecret = "fqZg+/mdS7=jnqFCiI5ydYgqTxIBAiC"
	uiLeakToken  = "91_nFIGLj5M7YYpHCOTHUtuJvbipRdkJAWZ4moUxm-yI5B-KGnplJJpdu0ol29vX6N-631mG8YE5-is-I4cZ2cSV8HTMyf8GmXmeyNdaKTGoeszaDGHxFAQLVeuzU-XFXO-eF28R"
)

// TestDesignerShowsNoSecret generates against a server echoing the secret and
// the token in every field it can: neither the status line, nor the hint
// pane, nor any other part of the screen holds a run of either.
func TestDesignerShowsNoSecret(t *testing.T) {
	modes := append(append([]wechattest.Leak{}, wechattest.TokenLeaks...), wechattest.CodeLeaks...)
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			srv := httptest.NewServer(&wechattest.Hostile{Secret: uiLeakSecret, Token: uiLeakToken, Mode: mode})
			t.Cleanup(srv.Close)
			red := wechat.NewRedactor(uiLeakSecret)
			ts := wechat.NewStableToken("wx0123456789abcdef", uiLeakSecret, wechat.TokenOptions{BaseURL: srv.URL, Redactor: red})
			client := wechat.NewClient(wechat.WithBaseURL(srv.URL), wechat.WithTokenSource(ts),
				wechat.WithRedactor(red), wechat.WithRetry(1, time.Millisecond))
			d := testDeps(t, client)
			d.Redact = red.Redact
			m := sized(t, New(d), 120, 40)
			m = typeScene(t, m, "id=42")
			m = press(t, m, "ctrl+g")
			require.Nil(t, m.shown)
			require.NotNil(t, m.lastErr)
			wechattest.RequireNoRun(t, "status", m.status.text, uiLeakSecret, uiLeakToken)
			wechattest.RequireNoRun(t, "screen", viewOf(m), uiLeakSecret, uiLeakToken)
			m = press(t, m, "alt+h")
			require.Equal(t, paneHint, m.pane)
			wechattest.RequireNoRun(t, "hint pane", viewOf(m), uiLeakSecret, uiLeakToken)
		})
	}
}

// TestDesignerShowsServerEscapesEscaped: an errmsg that would set the title,
// clear the screen and draw a fake line shows as text in the status line and
// the hint pane.
func TestDesignerShowsServerEscapesEscaped(t *testing.T) {
	const errmsg = "invalid page\x1b]0;pwned\x07\x1b[2J\r\nfake line\u009b2J rid: 663b1af7-1f2e3d4c-5b6a7988"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == wechat.StableTokenPath {
			w.Write([]byte(`{"access_token":"` + uiLeakToken + `","expires_in":7200}`))
			return
		}
		msg, _ := json.Marshal(errmsg)
		fmt.Fprintf(w, `{"errcode":41030,"errmsg":%s}`, msg)
	}))
	t.Cleanup(srv.Close)
	ts := wechat.NewStableToken("wx0123456789abcdef", uiLeakSecret, wechat.TokenOptions{BaseURL: srv.URL})
	client := wechat.NewClient(wechat.WithBaseURL(srv.URL), wechat.WithTokenSource(ts), wechat.WithRetry(1, time.Millisecond))
	m := sized(t, New(testDeps(t, client)), 120, 40)
	m = typeScene(t, m, "id=42")
	m = press(t, m, "ctrl+g")
	require.NotNil(t, m.lastErr)
	m = press(t, m, "alt+h")
	require.Equal(t, paneHint, m.pane)
	for name, text := range map[string]string{"status": m.status.text, "view": m.View().Content} {
		// The view has our own styling escapes; the server's OSC and the
		// clear screen must not be among them, nor its CR or C1 CSI.
		assert.NotContains(t, text, "\x1b]0;pwned", name)
		assert.NotContains(t, text, "\x1b[2J", name)
		assert.NotContains(t, text, "\r", name)
		assert.NotContains(t, text, "\u009b", name)
	}
	assert.Contains(t, viewOf(m), `\x1b]0;pwned\x07`)
}
