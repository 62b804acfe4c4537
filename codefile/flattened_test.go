package codefile

import (
	"image/color"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/codeimage"
	"wxacode/wechat"
)

// TestFlatten flattens a real transparent code (getwxacodeunlimit's
// is_hyaline PNG, saved under .jpg by its server) for each kind of name:
// the format is the one the name asks for, else PNG; the result has no
// alpha; the record keeps WeChat's original; the code given is untouched.
func TestFlatten(t *testing.T) {
	data, err := codeimage.ReadFile(filepath.Join("..", "codeimage", "testdata", "realcodes", "wxacode-15711270182-gitqinjia-1-hyaline.jpg"))
	require.NoError(t, err)
	img, _, err := codeimage.Decode(data, codeimage.File)
	require.NoError(t, err)
	cream := color.RGBA{0xff, 0xf8, 0xe7, 255}
	for _, tc := range []struct {
		name string
		want wechat.Format
	}{
		{"album.jpg", wechat.FormatJPEG},
		{"codes/ALBUM.JPEG", wechat.FormatJPEG},
		{"{scene}.jpg", wechat.FormatJPEG}, // batch's template, before it is rendered
		{"poster.png", wechat.FormatPNG},
		{"", wechat.FormatPNG}, // stdout
		{"{hash}.{ext}", wechat.FormatPNG},
		{"code", wechat.FormatPNG},
		{"code.gif", wechat.FormatPNG},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, FlattenFormat(tc.name))
			// With the pixels decoded on arrival, and without (history, a file).
			for _, c := range []*wechat.Code{
				{Bytes: data, Format: wechat.FormatPNG, Width: 280, Height: 280, NumUsed: 7, Image: img},
				{Bytes: data, Format: wechat.FormatPNG, Width: 280, Height: 280, NumUsed: 7},
			} {
				before := *c
				fc, fl, err := Flatten(c, cream, tc.name)
				require.NoError(t, err)
				assert.Equal(t, before, *c, "the code given is untouched")
				assert.Equal(t, tc.want, fc.Format)
				assert.Nil(t, fc.Image, "the pixels changed: no stale image")
				assert.Equal(t, 280, fc.Width)
				assert.Equal(t, 7, fc.NumUsed, "what was measured on arrival is kept")
				got, f, err := codeimage.Decode(fc.Bytes, codeimage.File)
				require.NoError(t, err)
				assert.Equal(t, codeimage.Format(tc.want), f)
				assert.False(t, codeimage.HasAlpha(got))
				assert.Equal(t, &Flattened{Background: "#fff8e7", OriginalFormat: "png", OriginalBytes: len(data),
					OriginalSHA256: ContentSHA256(data)}, fl)
			}
		})
	}
	_, _, err = Flatten(&wechat.Code{Bytes: []byte(`{"errcode":40001}`), Format: wechat.FormatJPEG}, cream, "a.jpg")
	assert.ErrorIs(t, err, codeimage.ErrFormat, "no image: nothing drawn")
}
