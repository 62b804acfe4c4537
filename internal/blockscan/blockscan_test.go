package blockscan

import (
	"image"
	"image/color"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dark reports the colour of half cell (x, y) of a rebuilt bitmap.
func dark(img image.Image, x, y int) bool {
	r, _, _, _ := img.At(32+x*8+3, 32+y*8+3).RGBA()
	return r < 0x8000
}

func TestText(t *testing.T) {
	img := Text("█▀\n▄ ")
	assert.Equal(t, image.Rect(0, 0, 2*8+64, 4*8+64), img.Bounds())
	want := [][]bool{{true, true}, {true, false}, {false, false}, {true, false}}
	for y, row := range want {
		for x, d := range row {
			assert.Equal(t, d, dark(img, x, y), "half cell %d,%d", x, y)
		}
	}
	assert.True(t, dark(Text("\x1b[30;47m▀\x1b[0m"), 0, 0), "colours are ignored")
}

func TestCapture(t *testing.T) {
	// Column 0 is skipped; then ▀ dark on light, ▀ light on dark (256
	// colours), ▄ in 24-bit dark on light.
	img, err := Capture("x\x1b[38;5;16;48;5;231m▀\x1b[38;5;231;48;5;16m▀\x1b[38;2;0;0;0;48;2;255;255;255m▄", 1)
	require.NoError(t, err)
	assert.True(t, dark(img, 0, 0))
	assert.False(t, dark(img, 0, 1))
	assert.False(t, dark(img, 1, 0))
	assert.True(t, dark(img, 1, 1))
	assert.False(t, dark(img, 2, 0))
	assert.True(t, dark(img, 2, 1))

	_, err = Capture("abc", 10)
	assert.Error(t, err)
}

func TestPixels(t *testing.T) {
	red, blue := color.RGBA{200, 10, 30, 0xff}, color.RGBA{1, 2, 250, 0xff}
	img, err := Pixels("\x1b[38;2;200;10;30;48;2;1;2;250m▀▄\x1b[0m\n\x1b[38;5;196m█ \x1b[0m")
	require.NoError(t, err)
	require.Equal(t, image.Rect(0, 0, 2, 4), img.Bounds())
	for _, c := range []struct {
		x, y int
		want color.RGBA
	}{
		{0, 0, red}, {0, 1, blue}, // ▀: foreground on top
		{1, 0, blue}, {1, 1, red}, // ▄: the reverse
		{0, 2, color.RGBA{255, 0, 0, 0xff}}, {0, 3, color.RGBA{255, 0, 0, 0xff}}, // █ in 256 colours
		{1, 2, color.RGBA{255, 255, 255, 0xff}}, // a space: the default background
	} {
		assert.Equal(t, c.want, img.RGBAAt(c.x, c.y), "pixel %d,%d", c.x, c.y)
	}
	_, err = Pixels("")
	assert.Error(t, err)
}
