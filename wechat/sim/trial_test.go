package sim

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/inproc"
	"wxacode/internal/testenv"
	"wxacode/wechat"
)

func TestTrialQR(t *testing.T) {
	zbar := testenv.Tool(t, "zbarimg", "zbar-tools")
	s := newSim(t)
	tok := classic(t, s)
	q := "?access_token=" + url.QueryEscape(tok)

	a := do(t, s, "GET", pathTrial+q+"&path=page%2Findex%3Faction%3D1%26b%3D2", "")
	requireImage(t, a)
	assert.Equal(t, `attachment filename="QRCode.jpg"`, a.header.Get("Content-Disposition"), "as documented")
	assert.Equal(t, "no-cache, must-revalidate", a.header.Get("Cache-Control"))
	want := "https://" + LaunchHost + "/trial/page/index?action=1&b=2"
	assert.Equal(t, want, a.header.Get(ContentHeader))
	assert.Equal(t, want, scan(t, zbar, a.body))

	// Not encoded: the query parser takes the & as the next parameter.
	a = do(t, s, "GET", pathTrial+q+"&path=page/index?action=1&b=2", "")
	requireImage(t, a)
	assert.Equal(t, "https://"+LaunchHost+"/trial/page/index?action=1", a.header.Get(ContentHeader))

	a = do(t, s, "GET", pathTrial+q, "")
	requireImage(t, a)
	assert.Equal(t, "https://"+LaunchHost+"/trial/"+ExamplePages[0], a.header.Get(ContentHeader), "no path: the home page")

	requireErr(t, do(t, s, "POST", pathTrial+q, `{"path":"a"}`), 43001)
	requireErr(t, do(t, s, "GET", pathTrial, ""), 41001)
	requireErr(t, do(t, s, "GET", pathTrial+"?access_token=nope", ""), 40001)
	requireErr(t, do(t, s, "GET", pathTrial+q+"&path=a%00b", ""), 40097)
}

// The client's trial request reaches the simulator with its path encoded
// once, whatever it holds.
func TestTrialQRThroughTheClient(t *testing.T) {
	s := newSim(t)
	var raw []string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == pathTrial {
			raw = append(raw, r.URL.RawQuery)
		}
		s.ServeHTTP(w, r)
	})
	hc := inproc.Client(h)
	c := wechat.NewClient(wechat.WithBaseURL("http://wechat.sim"), wechat.WithHTTPClient(hc),
		wechat.WithTokenSource(wechat.NewStableToken(s.AppID(), s.Secret(), wechat.TokenOptions{BaseURL: "http://wechat.sim", HTTP: hc})))
	for _, path := range []string{"page/index?action=1&b=2", "pages/a/a?x=中 文&y=%", ""} {
		code, err := c.Get(context.Background(), &wechat.TrialRequest{Path: path})
		require.NoError(t, err, path)
		assert.Equal(t, wechat.FormatJPEG, code.Format)
	}
	require.Len(t, raw, 3)
	assert.Contains(t, raw[0], "&path=page%2Findex%3Faction%3D1%26b%3D2")
	assert.Contains(t, raw[1], "&path=pages%2Fa%2Fa%3Fx%3D%E4%B8%AD%20%E6%96%87%26y%3D%25")
	assert.NotContains(t, raw[2], "path=")
}
