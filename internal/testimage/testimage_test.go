package testimage

import (
	"bytes"
	"image"
	"image/color"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	black = color.NRGBA{0, 0, 0, 255}
	white = color.NRGBA{255, 255, 255, 255}
)

func TestQRHasItsQuietZoneAndFinder(t *testing.T) {
	img := QR("https://sim.wxacode.invalid/release/pages/index?scene=id%3D42", 3, black, white)
	n := img.Rect.Dx()
	require.Equal(t, n, img.Rect.Dy())
	assert.Zero(t, n%3, "whole modules")
	assert.Equal(t, white, img.NRGBAAt(0, 0), "quiet zone")
	assert.Equal(t, black, img.NRGBAAt(4*3, 4*3), "the top-left finder starts after 4 modules")
	assert.Panics(t, func() { QR(string(make([]byte, 5000)), 1, black, white) }, "too long for a symbol")
}

func TestQRSizedIsExactlyThatSize(t *testing.T) {
	for _, size := range []int{100, 280, 430} {
		img := QRSized("x", size, black, white)
		assert.Equal(t, image.Rect(0, 0, size, size), img.Rect)
	}
}

func TestEncodingsDecode(t *testing.T) {
	for _, tc := range []struct {
		name   string
		data   []byte
		format string
	}{
		{"png", PNG(Checker(12, 12)), "png"},
		{"jpeg", JPEG(Checker(20, 10)), "jpeg"},
		{"png of a QR", PNG(QRSized("x", 64, black, white)), "png"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, format, err := image.DecodeConfig(bytes.NewReader(tc.data))
			require.NoError(t, err)
			assert.Equal(t, tc.format, format)
			assert.Positive(t, cfg.Width)
		})
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(JPEG(Checker(20, 10))))
	require.NoError(t, err)
	assert.Equal(t, [2]int{20, 10}, [2]int{cfg.Width, cfg.Height})
}
