package wechat

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLinkQRValidate(t *testing.T) {
	zero, neg, big := 0, -1, 65
	white, black, grey, yellow := Color{255, 255, 255}, Color{}, Color{200, 200, 200}, Color{255, 255, 0}
	for _, tc := range []struct {
		name  string
		req   LinkQR
		field string // "" : valid
		want  string
	}{
		{"plain https", LinkQR{URL: "https://example.com/a?id=1"}, "", ""},
		{"plain http, every level", LinkQR{URL: "http://wx.qq.com/", EC: ECHigh}, "", ""},
		{"margin 0 allowed", LinkQR{URL: "https://e.com/", Margin: &zero}, "", ""},
		{"empty", LinkQR{}, "url", "is empty"},
		{"no scheme", LinkQR{URL: "example.com/a"}, "url", "has no scheme"},
		{"ftp", LinkQR{URL: "ftp://example.com/"}, "url", "http and https only"},
		{"weixin scheme", LinkQR{URL: "weixin://dl/business"}, "url", "http and https only"},
		{"upper-case scheme", LinkQR{URL: "HTTPS://example.com/"}, "url", "not in lower case"},
		{"no host", LinkQR{URL: "https:///a"}, "url", "has no host"},
		{"opaque", LinkQR{URL: "https:example.com"}, "url", "has no host"},
		{"user info", LinkQR{URL: "https://me:pw@example.com/"}, "url", "user name or password"},
		{"space", LinkQR{URL: "https://example.com/a b"}, "url", "https://example.com/a%20b"},
		{"chinese", LinkQR{URL: "https://example.com/中"}, "url", "https://example.com/%E4%B8%AD"},
		{"control", LinkQR{URL: "https://example.com/\x1b[31m"}, "url", "control character U+001B"},
		{"broken utf-8", LinkQR{URL: "https://example.com/\xff"}, "url", "not valid UTF-8"},
		{"bad escape", LinkQR{URL: "https://example.com/?a=100%"}, "url", "literal % as %25"},
		{"too long for M", LinkQR{URL: "https://e.com/" + strings.Repeat("a", 2400)}, "url", "use --ec L (holds 2953 bytes)"},
		{"too long for any", LinkQR{URL: "https://e.com/" + strings.Repeat("a", 3000), EC: ECLow}, "url", "shorten it"},
		{"width small", LinkQR{URL: "https://e.com/", Width: 20}, "width", "outside 21–4096"},
		{"width big", LinkQR{URL: "https://e.com/", Width: 5000}, "width", "outside 21–4096"},
		{"margin negative", LinkQR{URL: "https://e.com/", Margin: &neg}, "margin", "outside 0–64"},
		{"margin big", LinkQR{URL: "https://e.com/", Margin: &big}, "margin", "outside 0–64"},
		{"inverted", LinkQR{URL: "https://e.com/", Line: &white, Background: &black}, "line_color", "inverted"},
		{"low contrast", LinkQR{URL: "https://e.com/", Line: &grey}, "line_color", "contrast of 1.7:1"},
		{"yellow on white", LinkQR{URL: "https://e.com/", Line: &yellow}, "line_color", "contrast"},
		{"background out of range", LinkQR{URL: "https://e.com/", Background: &Color{R: 300}}, "background", "r=300"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.req.Validate()
			if tc.field == "" {
				require.NoError(t, err)
				return
			}
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, KindLinkQR, ve.Kind)
			require.NotEmpty(t, ve.For(tc.field), "%v", err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestParseECLevel(t *testing.T) {
	for in, want := range map[string]ECLevel{"l": ECLow, "M": ECMedium, "": ECMedium, " q ": ECQuartile, "H": ECHigh} {
		got, err := ParseECLevel(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got)
	}
	_, err := ParseECLevel("X")
	assert.ErrorContains(t, err, "use L (7%), M (15%), Q (25%) or H (30%)")
	assert.Equal(t, "Q", ECQuartile.String())
}

func TestKindLinkQRHasNoEndpoint(t *testing.T) {
	assert.Empty(t, KindLinkQR.Path())
	_, err := ParseKind("linkqr")
	assert.Error(t, err, "get cannot call a link QR")
}

// FuzzLinkURLProblems: no input panics; what passes is an http(s) URL of
// printable ASCII with a host that fits the level, and every fix offered for
// characters is itself free of character problems.
func FuzzLinkURLProblems(f *testing.F) {
	for _, s := range []string{"https://example.com/a?b=c#d", "http://wx.qq.com/mp?id=123", "", "https://", "ftp://x", "https://e.com/中 文",
		"https://e.com/%zz", "HTTP://E.COM", "https://[::1]:80/", "https://u@h/", "\x00", "https:example", "//host/path"} {
		f.Add(s, byte('M'))
	}
	f.Fuzz(func(t *testing.T, raw string, level byte) {
		ec := ECLevels[int(level)%len(ECLevels)]
		ps := LinkURLProblems(raw, ec)
		if len(ps) == 0 {
			u, err := url.Parse(raw)
			require.NoError(t, err)
			require.Contains(t, []string{"http", "https"}, u.Scheme)
			require.NotEmpty(t, u.Host)
			require.LessOrEqual(t, len(raw), LinkQRCapacity(ec))
			for i := 0; i < len(raw); i++ {
				require.True(t, raw[i] > ' ' && raw[i] < 0x7f, "byte %d", i)
			}
		}
		enc := PercentEncodeNonASCII(raw)
		for i := 0; i < len(enc); i++ {
			require.True(t, enc[i] > ' ' && enc[i] < 0x7f)
		}
		for _, p := range ps {
			require.NotEmpty(t, p.Message)
			require.Equal(t, "url", p.Field)
		}
	})
}

// Params carries a link QR for the designer's form: Request is a *LinkQR,
// its Body what is drawn (the sidecar's request), ParamsOf the inverse, and
// Client.Get refuses it before anything is sent.
func TestLinkQRAsRequest(t *testing.T) {
	red := Color{R: 120}
	p := Params{Kind: KindLinkQR, URL: "https://example.com/a?b=1&c=<d>", EC: ECHigh, Width: 300, LineColor: &red}
	r, ok := p.Request().(*LinkQR)
	require.True(t, ok)
	assert.Equal(t, KindLinkQR, r.Kind())
	body, err := r.Body()
	require.NoError(t, err)
	assert.Equal(t, `{"url":"https://example.com/a?b=1&c=<d>","ec":"H","width":300,"line_color":{"r":"120","g":"0","b":"0"}}`, string(body))
	assert.Equal(t, p, ParamsOf(r))
	b, _ := (&LinkQR{URL: "https://x.example"}).Body()
	assert.Equal(t, `{"url":"https://x.example","ec":"M"}`, string(b))

	_, err = NewClient().Get(t.Context(), r)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "drawn locally")
}
