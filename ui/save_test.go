package ui

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"wxacode/wechat"
)

func TestFileName(t *testing.T) {
	for _, tc := range []struct {
		tmpl string
		p    wechat.Params
		f    wechat.Format
		want string
	}{
		{"", wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=42"}, wechat.FormatJPEG, "pages-index-index_id=42_430.jpg"},
		{"", wechat.Params{Kind: wechat.KindUnlimited, Scene: "a/b"}, wechat.FormatPNG, "home_a-b_430.png"},
		{"", wechat.Params{Kind: wechat.KindLimited, Path: "pages/a/b?x=1"}, wechat.FormatJPEG, "pages-a-b_x=1_430.jpg"},
		{"{page}.png", wechat.Params{Kind: wechat.KindQRCode, Path: "p"}, wechat.FormatJPEG, "p.jpg"},
		{"{nope}", wechat.Params{Kind: wechat.KindUnlimited, Scene: "s"}, wechat.FormatJPEG, "home_s_430.jpg"},
		// {hash} is codefile's, so the designer names a code as batch does
		// (batch/input_test.go pins the same values).
		{"{hash}.{ext}", wechat.Params{Kind: wechat.KindUnlimited, Page: "pages/index/index", Scene: "id=42"}, wechat.FormatJPEG, "eecefef47f4c5d0a.jpg"},
		{"{hash}", wechat.Params{Kind: wechat.KindLimited, Path: "pages/item/item?id=42", Width: 600}, wechat.FormatPNG, "2c27367d7eab3244.png"},
	} {
		got := fileName(tc.tmpl, saveJob{Params: tc.p, Format: tc.f, Width: 430})
		assert.Equal(t, tc.want, got, "%s %+v", tc.tmpl, tc.p)
	}
}
