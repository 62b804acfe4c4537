package codeimage

import (
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/testimage"
)

// realCodePaths are the paths of testdata/realcodes' codes.
func realCodePaths(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "realcodes", "*.*g"))
	require.NoError(t, err)
	require.Len(t, paths, 12)
	return paths
}

// TestDecodeAnyFormat is issue 12's "any image a user has": every real code,
// converted into each format of the table and named .jpg whatever it holds,
// is read by File at the original's size; the API's limits (Codes) take only
// the PNG and JPEG ones.
func TestDecodeAnyFormat(t *testing.T) {
	srcs := realCodePaths(t)
	size := map[string]image.Point{}
	for _, p := range srcs {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		img, _, err := Decode(b, File)
		require.NoError(t, err)
		size[p] = img.Bounds().Size()
	}
	want := map[string]Format{"gif": GIF, "bmp": BMP, "bmp with alpha": BMP, "webp lossy": WebP, "webp lossless": WebP,
		"jpeg baseline": JPEG, "jpeg progressive": JPEG, "jpeg cmyk": JPEG, "jpeg grey": JPEG, "jpeg 4:4:4": JPEG, "jpeg 4:2:2": JPEG}
	for _, c := range testimage.ConvertAll(t, t.TempDir(), srcs) {
		t.Run(filepath.Base(c.Source)+"/"+c.Format, func(t *testing.T) {
			b, err := ReadFile(c.Path)
			require.NoError(t, err)
			img, f, err := Decode(b, File)
			require.NoError(t, err)
			wantF, ok := want[c.Format]
			if !ok {
				wantF = PNG
			}
			assert.Equal(t, wantF, f)
			assert.Equal(t, size[c.Source], img.Bounds().Size())

			noAPI := size[c.Source].X < 280 // two real codes were scaled down below a code's size
			_, _, err = Decode(b, apiLimits)
			switch {
			case f != PNG && f != JPEG:
				assert.ErrorIs(t, err, ErrFormat, "WeChat sends only PNG and JPEG")
			case noAPI:
				assert.ErrorIs(t, err, ErrSize)
			default:
				assert.NoError(t, err)
			}
		})
	}
}

// TestFormatNames: what the errors say is accepted.
func TestFormatNames(t *testing.T) {
	assert.Equal(t, "PNG or JPEG", Limits{}.FormatNames())
	assert.Equal(t, "PNG, JPEG, GIF, BMP or WebP", File.FormatNames())
	_, _, err := Decode(testimage.GIF(image.NewGray(image.Rect(0, 0, 300, 300))), apiLimits)
	assert.EqualError(t, err, "a GIF image, not PNG or JPEG")
	_, _, err = Decode([]byte("<html>"), File)
	assert.EqualError(t, err, "neither PNG, JPEG, GIF, BMP nor WebP")
}
