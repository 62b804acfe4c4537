package codeimage

import (
	"bytes"
	"image"
	"image/color"
	stdjpeg "image/jpeg"
	"image/png"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEncode encodes a real code (an opaque JPEG one, and the transparent
// one's paletted stand-in) as each format: the bytes are that format, the
// same size, the standard decoders read them, and JPEG is at JPEGQuality.
func TestEncode(t *testing.T) {
	data, err := ReadFile(filepath.Join("testdata", "realcodes", "wxacode-TalkingData-iview-weapp-1.jpg"))
	require.NoError(t, err)
	code, _, err := Decode(data, File)
	require.NoError(t, err)
	r := code.Bounds()
	// A two-colour paletted copy, as linkqr draws: it stays paletted in PNG.
	pal := image.NewPaletted(r, color.Palette{color.White, color.Black})
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if luma(color.RGBAModel.Convert(code.At(x, y)).(color.RGBA)) < 128 {
				pal.SetColorIndex(x, y, 1)
			}
		}
	}
	for _, tc := range []struct {
		name string
		img  image.Image
		f    Format
	}{
		{"real code as PNG", code, PNG},
		{"real code as JPEG", code, JPEG},
		{"paletted as PNG", pal, PNG},
		{"paletted as JPEG", pal, JPEG},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Encode(tc.img, tc.f)
			require.NoError(t, err)
			got, f, err := Decode(b, File)
			require.NoError(t, err)
			assert.Equal(t, tc.f, f)
			assert.Equal(t, r.Size(), got.Bounds().Size())
			switch tc.f {
			case PNG:
				std, err := png.Decode(bytes.NewReader(b))
				require.NoError(t, err)
				if _, ok := tc.img.(*image.Paletted); ok {
					assert.IsType(t, &image.Paletted{}, std, "a paletted image stays paletted")
				}
			case JPEG:
				_, err := stdjpeg.Decode(bytes.NewReader(b))
				require.NoError(t, err)
				want, err := func() ([]byte, error) {
					var w bytes.Buffer
					err := stdjpeg.Encode(&w, tc.img, &stdjpeg.Options{Quality: JPEGQuality})
					return w.Bytes(), err
				}()
				require.NoError(t, err)
				assert.Equal(t, want, b, "JPEG at JPEGQuality")
			}
		})
	}
	_, err = Encode(code, WebP)
	assert.EqualError(t, err, "a code is drawn as PNG or JPEG, not webp")
}
