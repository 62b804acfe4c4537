package ui

import (
	"net/http/httptest"
	"testing"
	"time"

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
			require.Nil(t, m.code)
			require.NotNil(t, m.lastErr)
			wechattest.RequireNoRun(t, "status", m.status, uiLeakSecret, uiLeakToken)
			wechattest.RequireNoRun(t, "screen", viewOf(m), uiLeakSecret, uiLeakToken)
			m = press(t, m, "alt+h")
			require.Equal(t, paneHint, m.pane)
			wechattest.RequireNoRun(t, "hint pane", viewOf(m), uiLeakSecret, uiLeakToken)
		})
	}
}
