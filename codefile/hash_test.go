package codefile

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"

	"wxacode/wechat"
)

// The {hash} is on disk in users' folders (batch adopts files by it), so
// these values must never change: a failure here is a broken contract, not a
// golden file to refresh.
func TestHashGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    wechat.Params
		want string
	}{
		{"unlimited", wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=42"}, "eecefef47f4c5d0a"},
		{"limited", wechat.Params{Kind: wechat.KindLimited, Path: "pages/item/item?id=42", Width: 600}, "2c27367d7eab3244"},
		{"qrcode drops hyaline", wechat.Params{Kind: wechat.KindQRCode, Path: "pages/a", Width: 280, Hyaline: true}, "b12728e02cb0629c"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Hash(tc.p))
			assert.Len(t, Hash(tc.p), 16)
		})
	}
}

func TestHashIdentifiesTheRequestSent(t *testing.T) {
	base := wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=42"}
	for _, tc := range []struct {
		name string
		p    wechat.Params
		same bool
	}{
		{"identical", base, true},
		{"an empty kind is unlimited", wechat.Params{Page: base.Page, Scene: base.Scene}, true},
		{"a field the endpoint does not take", func() wechat.Params { p := base; p.Path = "pages/x"; return p }(), true},
		{"another scene", func() wechat.Params { p := base; p.Scene = "id=43"; return p }(), false},
		{"check_path sent as false", func() wechat.Params { p := base; p.CheckPath = wechat.Bool(false); return p }(), false},
		{"same body, another endpoint", wechat.Params{Kind: wechat.KindQRCode, Path: "pages/a"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.same {
				assert.Equal(t, Hash(base), Hash(tc.p))
			} else {
				assert.NotEqual(t, Hash(base), Hash(tc.p))
			}
		})
	}
	// limited and qrcode with the same path send the same body: the kind keeps them apart.
	l := wechat.Params{Kind: wechat.KindLimited, Path: "pages/a"}
	q := wechat.Params{Kind: wechat.KindQRCode, Path: "pages/a"}
	assert.NotEqual(t, KeyOf(l), KeyOf(q))
	assert.Equal(t, KeyOf(l).Hash(), Hash(l))
}

// FuzzHash: any parameters hash to 16 hex digits, the same every time, and
// the canonical form starts with the endpoint's kind and a zero byte.
func FuzzHash(f *testing.F) {
	f.Add("unlimited", "pages/index/index", "id=42", "", 430)
	f.Add("qrcode", "", "", "pages/a?x=1", 0)
	f.Add("", "/p?q", "\x00\xff", "", -1)
	f.Fuzz(func(t *testing.T, kind, page, sc, path string, width int) {
		p := wechat.Params{Kind: wechat.Kind(kind), Page: page, Scene: sc, Path: path, Width: width}
		h := Hash(p)
		assert.Regexp(t, `^[0-9a-f]{16}$`, h)
		assert.Equal(t, h, Hash(p))
		c := Canonical(p)
		assert.True(t, bytes.HasPrefix(c, append([]byte(p.Request().Kind()), 0)), "%q", c)
	})
}

func TestContentSHA256(t *testing.T) {
	assert.Equal(t, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ContentSHA256([]byte("abc")))
}
