package preview

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/skip2/go-qrcode"
	"github.com/stretchr/testify/require"
)

const testURL = "https://sim.wxacode.invalid/release/pages/index?scene=id%3D42"

// qrImage draws a QR code of content, module px per module with a 4-module
// quiet zone, in colour fg on bg (an alpha-0 bg makes a transparent code).
func qrImage(t testing.TB, content string, module int, fg, bg color.NRGBA) *image.NRGBA {
	t.Helper()
	q, err := qrcode.New(content, qrcode.Medium)
	require.NoError(t, err)
	q.DisableBorder = true
	bits := q.Bitmap()
	n := len(bits) + 8
	img := image.NewNRGBA(image.Rect(0, 0, n*module, n*module))
	for y := 0; y < n*module; y++ {
		for x := 0; x < n*module; x++ {
			my, mx := y/module-4, x/module-4
			c := bg
			if my >= 0 && mx >= 0 && my < len(bits) && mx < len(bits) && bits[my][mx] {
				c = fg
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// qrSized scales a QR to exactly size px by nearest neighbour (modules become
// uneven, as in WeChat's codes whose size is not a multiple of the module).
func qrSized(t testing.TB, content string, size int, fg, bg color.NRGBA) *image.NRGBA {
	t.Helper()
	src := qrImage(t, content, 1, fg, bg)
	n := src.Rect.Dx()
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			img.SetNRGBA(x, y, src.NRGBAAt(x*n/size, y*n/size))
		}
	}
	return img
}

var (
	black       = color.NRGBA{0, 0, 0, 255}
	white       = color.NRGBA{255, 255, 255, 255}
	transparent = color.NRGBA{0, 0, 0, 0}
	green       = color.NRGBA{7, 193, 96, 255}
)

func pngBytes(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

func jpegBytes(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}))
	return b.Bytes()
}

func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, data, 0o644))
	return p
}
