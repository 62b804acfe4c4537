package preview

import (
	"image"
	"image/color"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"wxacode/internal/blockscan"
	"wxacode/internal/testenv"
)

// TestRealCodesBlocksPSNR draws every real code in half blocks, 100 columns
// of 10×20 px cells (a 100×100 pixel grid, where most have more than 255
// colours), reads the colours back from the text and compares them, as PSNR,
// with the original flattened on white and resized by ImageMagick to the
// same grid. Half blocks carry 24-bit colour for each half cell, so the
// drawing must be as close as our resampling itself is (the scaled image,
// compared the same way), and the same drawing cut to the 256-colour
// palette must fall clearly below that, so the test would catch it. The
// plain QR is drawn in its two snapped colours, dark on light, so it scans
// (its logo and caption lose their colours): a floor of its own.
func TestRealCodesBlocksPSNR(t *testing.T) {
	convert := testenv.File(t, "/usr/bin/convert", "imagemagick")
	const floor, qrFloor = 35.0, 20.0
	for _, path := range realCodePaths(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			img := decodeFileT(t, path)
			out, err := Render(img, Box{Cols: 100}, Caps{CellW: 10, CellH: 20}, Options{Mode: ModeBlocks})
			require.NoError(t, err)
			px, err := blockscan.Pixels(out.Text)
			require.NoError(t, err)
			got := px.SubImage(image.Rect(0, 0, out.Width, out.Height))
			ref := convertRef(t, convert, path, out.Width, out.Height)
			p, p256 := psnr(t, ref, got), psnr(t, ref, to256(got))
			if strings.HasPrefix(name, "wxaqrcode-") {
				t.Logf("%s %dx%d: half blocks %.1f dB (two colours: a QR)", name, out.Width, out.Height, p)
				assert.Greater(t, p, qrFloor)
				return
			}
			scaled := resample(img, out.Width, out.Height)
			flatten(scaled, BackgroundWhite)
			pScaled := psnr(t, ref, scaled)
			t.Logf("%s %dx%d: half blocks %.1f dB, the scaled image %.1f dB, cut to 256 colours %.1f dB",
				name, out.Width, out.Height, p, pScaled, p256)
			assert.True(t, out.Scan.Exact, "a round code 100 pixels wide counts as scannable")
			assert.Greater(t, p, floor)
			assert.InDelta(t, pScaled, p, 0.05, "the half blocks lose nothing the scaling did not")
			assert.Less(t, p256, p-1, "256 colours would fail the test")
		})
	}
}

// to256 is img in the nearest colours of the xterm 256-colour palette's
// cube and grey ramp: what a terminal without 24-bit colour would show.
func to256(img image.Image) image.Image {
	b := img.Bounds()
	out := image.NewRGBA(b)
	lv := [6]int{0, 95, 135, 175, 215, 255}
	near := func(v int) int {
		best := 0
		for i, l := range lv {
			if abs(l-v) < abs(lv[best]-v) {
				best = i
			}
		}
		return lv[best]
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := rgbOver(img.At(x, y))
			r, g, bl := int(c[0]), int(c[1]), int(c[2])
			cube := [3]int{near(r), near(g), near(bl)}
			grey := 8 + 10*min(23, max(0, ((r+g+bl)/3-3)/10))
			best := cube
			if dist(r, g, bl, grey, grey, grey) < dist(r, g, bl, cube[0], cube[1], cube[2]) {
				best = [3]int{grey, grey, grey}
			}
			out.SetRGBA(x, y, color.RGBA{uint8(best[0]), uint8(best[1]), uint8(best[2]), 0xff})
		}
	}
	return out
}

func abs(v int) int { return max(v, -v) }

func dist(r1, g1, b1, r2, g2, b2 int) int {
	return (r1-r2)*(r1-r2) + (g1-g2)*(g1-g2) + (b1-b2)*(b1-b2)
}
