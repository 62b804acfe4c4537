package wechat

import (
	"context"
	"image/color"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testimage"
)

// The fake answers as getTrialQRCode's documentation shows: GET
// /wxa/get_qrcode?access_token=ACCESS_TOKEN&path=page%2Findex%3Faction%3D1,
// image/jpeg with Content-disposition: attachment filename="QRCode.jpg" on
// success, {"errcode": -1, ...} on failure.
func TestTrialQRAgainstTheDocsExample(t *testing.T) {
	f := newFake(t)
	jpg := testimage.JPEG(testimage.QRSized("trial", 430, color.NRGBA{A: 255}, color.NRGBA{255, 255, 255, 255}))
	f.handle("/wxa/get_qrcode", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("path") == "fail" {
			serveErr(-1, "system error rid: 663b1af7-0000001a-3c2d1e0f", "application/json; encoding=utf-8")(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/jpeg")
		w.Header().Set("Content-disposition", `attachment filename="QRCode.jpg"`)
		w.Header().Set("Cache-Control", "no-cache, must-revalidate")
		w.Write(jpg)
	})
	c := f.client()
	ctx := context.Background()

	code, err := c.Get(ctx, &TrialRequest{Path: "page/index?action=1"})
	require.NoError(t, err)
	assert.Equal(t, FormatJPEG, code.Format)
	assert.Equal(t, 430, code.Width)
	reqs := f.requests("/wxa/get_qrcode")
	require.Len(t, reqs, 1)
	assert.Equal(t, http.MethodGet, reqs[0].Method)
	assert.Empty(t, reqs[0].Body, "no body")
	assert.Empty(t, reqs[0].ContentType)
	assert.Equal(t, testToken, reqs[0].Token)
	assert.Equal(t, []string{"page/index?action=1"}, reqs[0].Query["path"], "encoded once, decoded once")

	_, err = c.Get(ctx, &TrialRequest{})
	require.NoError(t, err)
	reqs = f.requests("/wxa/get_qrcode")
	assert.NotContains(t, reqs[1].Query, "path", "no path: the home page")

	_, err = c.Get(ctx, &TrialRequest{Path: "fail"})
	var api *APIError
	require.ErrorAs(t, err, &api)
	assert.Equal(t, -1, api.Code)
	assert.Equal(t, "/wxa/get_qrcode", api.Endpoint)
	assertNoSecret(t, err, testToken)
}

func TestTrialQuery(t *testing.T) {
	for path, want := range map[string]string{
		"":                    "",
		"page/index?action=1": "path=page%2Findex%3Faction%3D1",
		"pages/a/a?x=1&y=中 z": "path=pages%2Fa%2Fa%3Fx%3D1%26y%3D%E4%B8%AD%20z",
		"a+b":                 "path=a%2Bb",
	} {
		assert.Equal(t, want, (&TrialRequest{Path: path}).Query(), path)
	}
}

func TestTrialValidate(t *testing.T) {
	assert.NoError(t, (&TrialRequest{}).Validate(), "path is optional")
	assert.NoError(t, (&TrialRequest{Path: "pages/a/a?id=1&x=%25"}).Validate())
	for path, want := range map[string]string{
		"a\x00b":                   "control character U+0000",
		"a\xffb":                   "not valid UTF-8",
		string(make([]byte, 1025)): "more than 1024",
	} {
		err := (&TrialRequest{Path: path}).Validate()
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, "%q", path)
		assert.Equal(t, KindTrial, ve.Kind)
		assert.Contains(t, err.Error(), want)
	}
	k, err := ParseKind("Trial")
	require.NoError(t, err)
	assert.Equal(t, KindTrial, k)
	assert.Equal(t, "/wxa/get_qrcode", k.Path())
	assert.False(t, k.Limited())
	assert.NotContains(t, Kinds, KindTrial, "the designer's kinds are unchanged")
	p := ParamsOf(Params{Kind: KindTrial, Path: "x", Scene: "dropped", Width: 500}.Request())
	assert.Equal(t, Params{Kind: KindTrial, Path: "x"}, p)
	body, err := (&TrialRequest{Path: "a&b"}).Body()
	require.NoError(t, err)
	assert.Equal(t, `{"path":"a&b"}`, string(body))
}

func TestTrialCodeLimits(t *testing.T) {
	lim := CodeLimits(KindTrial.Path())
	assert.Equal(t, 100, lim.MinWidth)
	assert.Equal(t, 2048, lim.MaxWidth)
	assert.Contains(t, lim.Says, "get_qrcode")
}
