package codefile

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/wechat"
)

func TestRenderName(t *testing.T) {
	f := NameFields{Kind: "unlimited", Page: "pages/shop/item", Scene: "id=42&c=x", Hash: "0123abcd", Row: 7, Ext: "jpg"}
	for _, tc := range []struct{ tmpl, want string }{
		{"", "0123abcd.jpg"},
		{"{page}_{scene}_{width}.{ext}", "pages-shop-item_id=42_c=x_430.jpg"},
		{"{row}-{env}", "7-release.jpg"},
		{"code.png", "code.jpg"},
		{"../{scene}", "id=42_c=x.jpg"},
		{"{kind}/{hash}.{ext}", "unlimited-0123abcd.jpg"},
	} {
		got, err := RenderName(tc.tmpl, f)
		require.NoError(t, err, tc.tmpl)
		assert.Equal(t, tc.want, got, tc.tmpl)
	}
	// Limited and qrcode codes: page and scene come from the path; an empty scene leaves no "__".
	got, err := RenderName("{page}_{scene}_{width}.{ext}", NameFields{Kind: "limited", Path: "pages/a/b?id=1", Width: 280, Ext: "png"})
	require.NoError(t, err)
	assert.Equal(t, "pages-a-b_id=1_280.png", got)
	got, err = RenderName("{page}_{scene}_{width}.{ext}", NameFields{Kind: "unlimited", Scene: "x", Ext: "jpg"})
	require.NoError(t, err)
	assert.Equal(t, "home_x_430.jpg", got)
	_, err = RenderName("{pag}", f)
	assert.ErrorContains(t, err, "unknown placeholder {pag}")
	_, err = RenderName("{page", f)
	assert.ErrorContains(t, err, "not closed")
	_, err = RenderName("{path}", NameFields{Ext: "jpg"})
	assert.ErrorContains(t, err, "empty name")
}

func TestSanitizeNameKeepsExtensionWhenCutting(t *testing.T) {
	long := strings.Repeat("码", 100) + ".png"
	got := SanitizeName(long)
	assert.LessOrEqual(t, len(got), 200)
	assert.True(t, strings.HasSuffix(got, ".png"))
}

func FuzzRenderName(f *testing.F) {
	f.Add("{page}_{scene}.{ext}", "pages/a", "../../etc/passwd")
	f.Add("..", "", "")
	f.Add("{scene}", ".hidden", "a\x00b")
	f.Fuzz(func(t *testing.T, tmpl, page, scene string) {
		name, err := RenderName(tmpl, NameFields{Page: page, Scene: scene, Hash: "h", Ext: "jpg"})
		if err != nil {
			return
		}
		assert.NotEmpty(t, name)
		assert.Equal(t, name, filepath.Base(name), "a name never names a folder")
		assert.False(t, strings.HasPrefix(name, "."), "no hidden or parent names: %q", name)
		assert.NotContains(t, name, "/")
		assert.LessOrEqual(t, len(name), 200)
	})
}

// A name says what was sent: fields the endpoint does not take (a page and
// scene left in the form after switching to limited) never reach it.
func TestFieldsForNamesTheRequestSent(t *testing.T) {
	hidden := wechat.Params{Kind: wechat.KindLimited, Path: "pages/detail/detail?id=42",
		Page: "pages/shop/item", Scene: "sku=9", CheckPath: wechat.Bool(false)}
	for _, tc := range []struct {
		name string
		p    wechat.Params
		f    wechat.Format
		want string
	}{
		{"limited: path, not the hidden page and scene", hidden, wechat.FormatJPEG, "pages-detail-detail_id=42_430.jpg"},
		{"qrcode: path", wechat.Params{Kind: wechat.KindQRCode, Path: "pages/a/a?x=1", Page: "pages/b", Scene: "y"}, wechat.FormatJPEG, "pages-a-a_x=1_430.jpg"},
		{"unlimited: page and scene, not a hidden path", wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=1", Path: "pages/x?y=2"}, wechat.FormatPNG, "pages-index-index_id=1_430.png"},
		{"qrcode drops env", wechat.Params{Kind: wechat.KindQRCode, Path: "p", EnvVersion: "trial"}, wechat.FormatJPEG, "p_release.jpg"},
		{"linkqr: host and path, then the query", wechat.Params{Kind: wechat.KindLinkQR, URL: "https://example.com/shop/?id=42&from=qr#top", Page: "pages/b"}, wechat.FormatPNG, "example.com-shop_id=42_from=qr_430.png"},
		{"linkqr without a query", wechat.Params{Kind: wechat.KindLinkQR, URL: "https://example.com"}, wechat.FormatPNG, "example.com_430.png"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmpl := "{page}_{scene}_{width}.{ext}"
			if tc.name == "qrcode drops env" {
				tmpl = "{page}_{env}.{ext}"
			}
			got, err := RenderName(tmpl, FieldsFor(tc.p, 430, tc.f))
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	assert.Equal(t, Hash(hidden), FieldsFor(hidden, 430, wechat.FormatJPEG).Hash)
}

func TestExtWarning(t *testing.T) {
	for _, tc := range []struct {
		path string
		f    wechat.Format
		want string
	}{
		{"a.jpg", wechat.FormatJPEG, ""},
		{"a.JPEG", wechat.FormatJPEG, ""},
		{"a.png", wechat.FormatPNG, ""},
		{"out/a.jpg", wechat.FormatPNG, "out/a.jpg has .jpg but the code is a PNG (WeChat sends PNG only for hyaline codes); name it out/a.png"},
		{"a.PNG", wechat.FormatJPEG, "a.PNG has .png but the code is a JPEG (WeChat sends PNG only for hyaline codes); name it a.jpg"},
		{"a", wechat.FormatPNG, "a has no extension but the code is a PNG (WeChat sends PNG only for hyaline codes); name it a.png"},
	} {
		assert.Equal(t, tc.want, ExtWarning(tc.path, tc.f), tc.path)
		assert.Equal(t, tc.want == "", ExtFits(tc.path, tc.f), tc.path)
	}
}

func TestFormatForName(t *testing.T) {
	for name, want := range map[string]wechat.Format{"a.png": wechat.FormatPNG, "A.PNG": wechat.FormatPNG, "b.jpg": wechat.FormatJPEG, "c.JPEG": wechat.FormatJPEG, "d.gif": "", "e": ""} {
		f, ok := FormatForName(name)
		assert.Equal(t, want, f, name)
		assert.Equal(t, want != "", ok, name)
		assert.Equal(t, ok, ExtFits(name, f), name)
	}
}
